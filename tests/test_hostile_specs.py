"""Hostile specs: spec text may only ever land inside string literals, docstrings and comments
of the generated code, and spec names may never write outside the output folder nor shadow a
module.

Every hostile string carries MARK, spelled so that no naming rule can produce it (snake_case
lowercases it, PascalCase capitalises its first letter, UPPER_SNAKE uppercases it): a MARK in
an identifier, a call or an import can only come from spec text that escaped its literal.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import os
import socket
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main as specgen
from generator.config import Job
from generator.pipeline import generate_files, write_job
from tests.helpers import ROOT, import_generated
from tests.server import Reply, Server

MARK = "pWnEd"


def hostile_strings(side_effect: Path) -> list[str]:
    """Strings that try every way out of a literal, a docstring or a comment."""
    touch = f"__import__('pathlib').Path({str(side_effect)!r}).touch()"
    return [
        f'"""; import os; os.system("touch {side_effect}"); {MARK}()#',
        f"'''; {MARK}(); {touch} #",
        f'\\"; {MARK}()#',
        f"\\'; {MARK}()#\\",
        f'{MARK} ends with a quote"',
        f"{MARK} ends with a backslash\\",
        f'\n\n{MARK}()\n"""\n{touch}\n"""',
        f"\r{MARK}()\r\n{touch}\r",
        f"\u2028{MARK}()\u2029{touch}\u0085",
        f"\x00{MARK}\x1b[31m\x7f\x0c\x0b",
        f"{{{{ {MARK} }}}} {{% raw %}}{{% import os %}}{{# {MARK} #}}{{% endraw %}}",
        f"# {MARK}\n# {touch}",
        f"{{{MARK}}} {{{touch}}} {{0.__class__}}",  # f-string / str.format injection
        f"`{MARK}` | *{MARK}* <script>{MARK}</script> \\N{{BULLET}} \\u0041 \\x41",
        f"{MARK} surrogate-free but \U0001f600 and \u00e9 and \t tab",
        f'""{MARK}"',
        f"{MARK}'",
        f"{MARK}\\",
    ]


# --------------------------------------------------------------------------- the check


def _identifiers(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.alias):
            found += [node.name, node.asname or ""]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node.name)
        elif isinstance(node, ast.arg):
            found.append(node.arg)
        elif isinstance(node, ast.keyword):
            found.append(node.arg or "")
        elif isinstance(node, ast.ImportFrom):
            found.append(node.module or "")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found += node.names
    return found


# What generated modules may import: nothing a spec can name.
_ALLOWED_IMPORTS = {
    "__future__",
    "builtins",  # a group with a method named `list` annotates with builtins.list
    "collections.abc",
    "dataclasses",
    "datetime",
    "enum",
    "typing",
    "functools",
    "importlib",  # models/__init__ imports the modules of its _MODULES table (checked below)
    "httpx",
    "os",
    "_runtime",
    "operations",
    "models",
    "_client",
    "errors",
    "",
}
_DANGEROUS_CALLS = {"eval", "exec", "compile", "__import__", "system", "popen", "open", "touch"}


def assert_only_in_literals(path: str, source: str, modules: set[str] | None = None) -> None:
    """MARK only inside string tokens and comments; no identifier, call or import from spec."""
    tree = ast.parse(source, filename=path)  # valid Python, first of all
    compile(source, path, "exec")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if MARK in token.string:
            assert token.type in (
                tokenize.STRING,
                tokenize.COMMENT,
            ), f"{path}:{token.start[0]}: spec text escaped its literal: {token.line!r}"
    for name in _identifiers(tree):
        assert MARK not in name, f"{path}: identifier {name!r} comes from spec text"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            assert node.module in _ALLOWED_IMPORTS, f"{path}: imports {node.module}"
        elif isinstance(node, ast.ImportFrom):  # must name a module of the package itself
            base = path.split("/")[: -node.level]
            target = "/".join(base + (node.module.split(".") if node.module else []))
            names = [f"{target}/{a.name}.py" for a in node.names]
            assert (
                modules is None
                or {f"{target}.py", f"{target}/__init__.py"} & modules
                or set(names) <= modules
            ), f"{path}: imports {'.' * node.level}{node.module}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name in _ALLOWED_IMPORTS, f"{path}: imports {alias.name}"
        elif isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_MODULES":
            # the only modules imported by name: each one of the package's own files
            table = ast.literal_eval(node.value) if node.value else {}
            folder = path.rsplit("/", 1)[0]
            assert modules is None or {f"{folder}/{m}.py" for m in table.values()} <= modules
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            assert name not in _DANGEROUS_CALLS, f"{path}:{node.lineno}: calls {name}"
        elif isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    assert MARK not in ast.unparse(value), f"{path}: f-string runs spec text"


def _class_scope_loads(node: ast.ClassDef) -> set[str]:
    """Names a class body reads while it runs (decorators, defaults, assigned values, bases):
    not function bodies, and not annotations (``from __future__ import annotations``)."""
    loads: set[str] = set()

    def visit(expr: ast.AST | None) -> None:
        if expr is not None:
            loads.update(n.id for n in ast.walk(expr) if isinstance(n, ast.Name))

    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in stmt.decorator_list:
                visit(decorator)
            for default in [*stmt.args.defaults, *stmt.args.kw_defaults]:
                visit(default)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            visit(stmt.value)
        elif isinstance(stmt, ast.ClassDef):
            for base in stmt.bases:
                visit(base)
    return loads


def _class_scope_binds(node: ast.ClassDef) -> set[str]:
    bound: set[str] = set()
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(stmt.name)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            bound.add(stmt.target.id)
        elif isinstance(stmt, ast.Assign):
            bound.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return bound


def assert_no_shadowing(path: str, source: str) -> None:
    """No spec name rebinds a name the generated code itself reads: an import at module level,
    or (in a class body) a name read by the body after the fields are bound (``field(...)``,
    ``@classmethod``, ``@overload``, a default)."""
    tree = ast.parse(source)
    imported = {
        (a.asname or a.name).split(".")[0]
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    defined = [n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))] + [
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    ]
    assert not imported & set(defined), f"{path}: {imported & set(defined)} shadow imports"
    assert len(defined) == len(set(defined)), f"{path}: a module-level name defined twice"
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            clash = _class_scope_binds(node) & _class_scope_loads(node)
            assert not clash, f"{path}: class {node.name} rebinds {clash} that its body reads"


def check_tree(files: dict[str, str]) -> None:
    python = {p: t for p, t in files.items() if p.endswith(".py")}
    assert python
    runtime = {p: t for p, t in python.items() if p.split("/")[-2] == "_runtime"}
    shipped = ROOT / "templates" / "runtime"
    assert {p.rsplit("/", 1)[1]: t for p, t in runtime.items()} == {
        f.name: f.read_text(encoding="utf-8") for f in shipped.glob("*.py")
    }, "the runtime is shipped verbatim: no spec can change it"
    modules = set(python)
    python = {p: t for p, t in python.items() if p not in runtime}
    for path, text in python.items():
        assert_only_in_literals(path, text, modules)
        assert_no_shadowing(path, text)
    # Markdown and TOML: no raw newline or NUL from the spec outside what the formats allow.
    toml = files["pyproject.toml"]
    import tomllib

    tomllib.loads(toml)  # still valid TOML: no key/table injected
    assert MARK not in "".join(
        line for line in toml.splitlines() if not line.lstrip().startswith(("description", "#"))
    ), toml


def test_the_checks_catch_what_they_look_for() -> None:
    assert_only_in_literals("m.py", f'"""{MARK}"""\nx = "{MARK}"  # {MARK}\n')
    for escaped in (
        f'"""doc"""\n{MARK}()\n',
        f'x = f"{{{MARK}}}"\n',
        f"import {MARK}\n",
        f"def {MARK.lower()}{MARK}(): pass\n",
        'x = __import__("os")\n',
    ):
        with pytest.raises(AssertionError):
            assert_only_in_literals("m.py", escaped)
    with pytest.raises(AssertionError):
        assert_no_shadowing(
            "m.py",
            "from dataclasses import field\nclass A:\n    field: int = 1\n"
            "    x: list = field(default_factory=list)\n",
        )
    with pytest.raises(AssertionError):
        assert_no_shadowing("m.py", "from typing import Any\nclass Any: pass\n")
    assert_no_shadowing("m.py", "from typing import Any\nclass A:\n    x: Any = 1\n")


# --------------------------------------------------------------------------- hostile specs


def openapi3_spec(h: list[str]) -> dict[str, Any]:
    """Every place an OpenAPI 3.0 document holds free text, filled with hostile strings."""
    prop_names = [h[0], h[1], h[3], h[6], h[8], h[9], h[12], "class", "import", "self", "None"]
    thing_props: dict[str, Any] = {
        name: {
            "type": "string",
            "description": h[i % len(h)],
            "default": h[(i + 1) % len(h)],
            "example": h[(i + 2) % len(h)],
        }
        for i, name in enumerate(prop_names)
    }
    thing_props["color"] = {"$ref": "#/components/schemas/Color"}
    thing_props["nested"] = {
        "type": "object",
        "description": h[5],
        "properties": {h[7]: {"type": "integer", "default": 3, "description": h[11]}},
    }
    thing_props["kind"] = {"type": "string", "enum": [h[2]], "default": h[2]}
    thing_props["number"] = {"type": "number", "default": 1e308, "description": h[13]}
    return {
        "openapi": "3.0.3",
        "info": {"title": h[0], "description": h[6], "version": h[1]},
        "servers": [
            {
                "url": "{endpoint}/api",
                "variables": {"endpoint": {"default": "https://x.invalid", "description": h[3]}},
            }
        ],
        "tags": [{"name": t, "description": h[i]} for i, t in enumerate(h[:4])],
        "paths": {
            f"/items/{{item-id}}/{h[5]}".replace("\n", "").replace("\r", ""): {
                "get": {
                    "operationId": h[0],
                    "tags": [h[0]],
                    "summary": h[1],
                    "description": h[6],
                    "parameters": [
                        {
                            "name": "item-id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": h[7],
                        },
                        {
                            "name": h[2],
                            "in": "query",
                            "schema": {"type": "string", "enum": h[:6], "default": h[4]},
                            "description": h[8],
                        },
                        {
                            "name": "X-Hostile",
                            "in": "header",
                            "schema": {"type": "string", "default": h[10]},
                            "description": h[9],
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": h[10],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        },
                        "default": {
                            "description": h[11],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    },
                },
            },
            "/things": {
                "post": {
                    "operationId": h[1],
                    "tags": [h[1]],
                    "summary": h[12],
                    "requestBody": {
                        "description": h[13],
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    },
                    "responses": {"204": {"description": h[14]}},
                },
                "get": {
                    "operationId": h[3],
                    "description": h[15],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Color"},
                                    }
                                }
                            },
                        }
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "description": h[2], "properties": thing_props},
                "Color": {"type": "string", "description": h[3], "enum": h},
                "Error": {
                    "type": "object",
                    "description": h[16],
                    "properties": {"message": {"type": "string", "description": h[17]}},
                },
                h[4]: {"type": "object", "description": h[5], "properties": {}},
            },
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "api-key", "description": h[6]}
            },
        },
        "security": [{"key": []}],
    }


def openapi3_hostile_auth_spec(h: list[str]) -> dict[str, Any]:
    """Hostile text where the client class is built: security schemes and server variables."""
    spec = openapi3_spec(h)
    spec["components"]["securitySchemes"] = {
        h[0]: {"type": "apiKey", "in": "header", "name": h[0], "description": h[1]},
        h[2]: {"type": "apiKey", "in": "query", "name": h[3]},
        h[4]: {"type": "http", "scheme": "bearer", "description": h[5]},
        h[6]: {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "https://x.invalid/t", "scopes": {h[7]: h[8]}}
            },
        },
    }
    spec["security"] = [{h[0]: []}, {h[2]: []}, {h[4]: []}, {h[6]: [h[7]]}]
    url = "{" + h[9] + "}/" + h[10].replace("{", "(").replace("}", ")") + "/{x}"
    spec["servers"] = [
        {
            "url": url,
            "description": h[11],
            "variables": {
                h[9]: {"default": h[12], "description": h[13]},
                "x": {"default": h[14], "enum": [h[14], h[15]]},
            },
        }
    ]
    return spec


def swagger2_spec(h: list[str]) -> dict[str, Any]:
    """The Swagger 2.0 / Azure extension places: x-ms-enum, x-ms-client-name, discriminators."""
    return {
        "swagger": "2.0",
        "info": {"title": h[1], "description": h[0], "version": "1"},
        "x-ms-parameterized-host": {
            "hostTemplate": "{endpoint}",
            "parameters": [
                {
                    "name": "endpoint",
                    "in": "path",
                    "required": True,
                    "type": "string",
                    "x-ms-skip-url-encoding": True,
                    "description": h[2],
                }
            ],
        },
        "paths": {
            "/pets": {
                "get": {
                    "operationId": f"Pets_{h[3]}",
                    "tags": [h[4]],
                    "description": h[5],
                    "parameters": [
                        {
                            "name": "api-version",
                            "in": "query",
                            "required": True,
                            "type": "string",
                            "default": h[6],
                            "x-ms-parameter-location": "client",
                            "description": h[7],
                        },
                        {
                            "name": "mood",
                            "in": "query",
                            "type": "string",
                            "enum": h[:5],
                            "x-ms-enum": {
                                "name": h[8],
                                "modelAsString": False,
                                "values": [
                                    {"value": v, "name": h[(i + 3) % len(h)], "description": h[i]}
                                    for i, v in enumerate(h[:5])
                                ],
                            },
                            "x-ms-client-name": h[9],
                        },
                    ],
                    "responses": {
                        "200": {"description": h[10], "schema": {"$ref": "#/definitions/Pet"}},
                        "default": {"description": h[11]},
                    },
                    "x-ms-pageable": {"nextLinkName": h[12], "itemName": h[13]},
                }
            }
        },
        "definitions": {
            "Pet": {
                "type": "object",
                "discriminator": "petType",
                "required": ["petType"],
                "description": h[14],
                "properties": {
                    "petType": {"type": "string", "description": h[15]},
                    h[16]: {"type": "string", "x-ms-client-name": h[17], "x-nullable": True},
                    h[13]: {"type": "array", "items": {"type": "string"}},
                },
            },
            "Cat": {
                "x-ms-discriminator-value": h[0],
                "allOf": [{"$ref": "#/definitions/Pet"}],
                "properties": {"meow": {"type": "string", "default": h[1], "description": h[2]}},
            },
            h[3]: {
                "x-ms-discriminator-value": h[6],
                "allOf": [{"$ref": "#/definitions/Pet"}],
                "description": h[9],
            },
        },
        "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "api-key"}},
        "security": [{"key": []}],
    }


def _write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    return path


def _generate(folder: Path, spec: Path, package: str) -> tuple[Path, dict[str, str]]:
    out = folder / "out"
    job = Job(spec=spec, output=out, package_name=package)
    _, files = generate_files(job)
    write_job(job)
    return out, files


def _import_everything(out: Path, package: str, files: dict[str, str]) -> None:
    import importlib

    import_generated(out, package)
    sys.path.insert(0, str(out))
    try:
        for path in files:
            if path.endswith(".py") and path.startswith(package + "/"):
                module = path[:-3].replace("/", ".").removesuffix(".__init__")
                importlib.import_module(module)
    finally:
        sys.path.remove(str(out))


@pytest.mark.parametrize(
    ("builder", "name"),
    [
        (openapi3_spec, "spec.json"),
        (openapi3_spec, "spec.yaml"),
        (openapi3_hostile_auth_spec, "spec.json"),
        (swagger2_spec, "spec.json"),
        (swagger2_spec, "spec.yaml"),
    ],
)
def test_spec_text_only_lands_in_literals(tmp_path: Path, builder: Any, name: str) -> None:
    side = tmp_path / "side-effect"
    spec = _write(tmp_path, name, builder(hostile_strings(side)))
    package = f"hostile_{builder.__name__.removesuffix('_spec')}_{name.split('.')[1]}"
    out, files = _generate(tmp_path, spec, package)
    check_tree(files)
    _import_everything(out, package, files)
    assert not side.exists(), "importing the generated package ran spec text"


def test_hostile_values_round_trip_exactly(tmp_path: Path, server: Server) -> None:
    """Escaping is not mangling: enum values, wire names, paths and docstrings keep the spec's
    text exactly, and reach the wire as written."""
    h = hostile_strings(tmp_path / "side-effect")
    spec = _write(tmp_path, "spec.json", openapi3_spec(h))
    out = tmp_path / "out"
    job = Job(spec=spec, output=out, package_name="hostile_rt")
    api = write_job(job)
    pkg = import_generated(out, "hostile_rt")
    models = sys.modules["hostile_rt.models"]
    assert [member.value for member in models.Color] == h

    thing = next(m for m in api.models if m.name == "Thing")
    thing_cls = getattr(models, thing.py_name)
    wire: dict[str, Any] = {f.name: f"value of {f.name!r}" for f in thing.fields}
    wire.update(color=h[5], kind=h[2], number=1.5, nested={h[7]: 7})
    assert thing_cls.from_dict(wire).to_dict() == wire

    get = next(op for group in api.groups for op in group.operations if op.id == h[0])
    group = next(g for g in api.groups if get in g.operations)
    query = next(p for p in get.parameters if p.location == "query")
    client = pkg.Client(base_url=server.url, api_key="k")
    method = getattr(getattr(client, group.py_name), get.py_name)
    for text in (get.summary, get.description):  # the docstring holds the spec's text
        assert " ".join(text.split()) in " ".join((method.__doc__ or "").split())
    server.replies.append(Reply(200, wire))
    result = method("a/b", **{query.py_name: h[4]}, x_hostile="v")
    assert result.to_dict() == wire
    request = server.last
    assert request.query[h[2]] == [h[4]]
    assert request.headers["x-hostile"] == "v"
    assert request.path.startswith("/items/a%2Fb/")
    client.close()


# --------------------------------------------------------------------------- hostile names

HOSTILE_NAMES = [
    "../../escape",
    "/etc/passwd",
    "..",
    ".",
    "__init__",
    "__main__",
    "os",
    "sys",
    "typing",
    "httpx",
    "json",
    "enum",
    "dataclasses",
    "_runtime",
    "models",
    "errors",
    "_client",
    "operations",
    "class",
    "import",
    "None",
    "True",
    "self",
    "__builtins__",
    "print",
    "C:\\Windows\\x",
    "a/../../b",
    "~",
    "$HOME",
    "",
    "-",
    "123",
    "__pycache__",
    "py.typed",
    # names the generated modules and class bodies use themselves
    "field",
    "dataclass",
    "classmethod",
    "staticmethod",
    "property",
    "overload",
    "ClassVar",
    "cached_property",
    "NOT_GIVEN",
    "NotGiven",
    "Enum",
    "Mapping",
    "Any",
    "_KEYS",
    "to_dict",
    "from_dict",
    "additional_properties",
    "_serde",
    "response",
    "with_raw_response",
    "Client",
]


# Capitalised keywords as schema names: see test_schemas_named_like_capitalised_keywords.
CLASS_KEYWORDS = ("None", "True", "False")


def names_spec(schema_names: list[str] | None = None) -> dict[str, Any]:
    """Each hostile name as a tag, an operationId, a parameter, a schema and a property name."""
    if schema_names is None:
        schema_names = [n for n in HOSTILE_NAMES if n and n not in CLASS_KEYWORDS]
    paths: dict[str, Any] = {}
    for index, name in enumerate(HOSTILE_NAMES):
        paths[f"/p{index}"] = {
            "get": {
                "operationId": name or f"op{index}",
                "tags": [name] if name else [],
                "parameters": [
                    {"name": name or "q", "in": "query", "schema": {"type": "string"}},
                    {"name": name or "h", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/S{index}"}
                            }
                        },
                    }
                },
            }
        }
    schemas: dict[str, Any] = {
        "Props": {"type": "object", "properties": {n: {"type": "string"} for n in HOSTILE_NAMES}}
    }
    for index in range(len(HOSTILE_NAMES)):
        schemas[f"S{index}"] = {
            "type": "object",
            "properties": {
                "props": {"$ref": "#/components/schemas/Props"},
                **{n: {"$ref": f"#/components/schemas/{_escape(n)}"} for n in schema_names},
            },
        }
    for name in schema_names:
        schemas[name] = {
            "type": "object",
            "properties": {
                name: {"type": "string"},
                "Props": {"$ref": "#/components/schemas/Props"},
            },
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1"},
        "servers": [{"url": "http://localhost"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_hostile_names_stay_inside_the_output_and_shadow_nothing(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    spec = _write(work, "spec.json", names_spec())
    before = _tree(tmp_path)
    out, files = _generate(work, spec, "names_pkg")
    for path in files:
        resolved = (out / path).resolve()
        assert resolved.is_relative_to(out.resolve()), path
    created = _tree(tmp_path) - before
    assert created, "nothing written"
    assert all(p == "work/out" or p.startswith("work/out/") for p in created), sorted(created)
    # only the expected kinds of files
    written = _tree(out)
    for path in written:
        parts = path.split("/")
        assert parts[0] in ("names_pkg", "pyproject.toml", "README.md"), path
        if len(parts) > 1 and parts[1] == "operations" and len(parts) == 3:
            stem = parts[2].removesuffix(".py")
            assert stem.isidentifier(), path
            assert stem != "__init__" or files[path].startswith('"""Operation groups'), path
    check_tree(files)
    _import_everything(out, "names_pkg", files)

    # `import os` inside the generated modules is still the stdlib, and the client works.
    code = f"""
import sys, os as real_os
sys.path.insert(0, {str(out)!r})
import names_pkg
from names_pkg import models, _client
import names_pkg.operations as ops
for mod in list(sys.modules.values()):
    name = getattr(mod, "__name__", "")
    if not name.startswith("names_pkg"):
        continue
    source = open(mod.__file__, encoding="utf-8").read()
    for line in source.splitlines():  # every module a generated module imports is the real one
        if line.startswith("import "):
            for imported in line[len("import "):].split(","):
                imported, _, alias = (part.strip() for part in imported.partition(" as "))
                top = imported.split(".")[0]
                bound = sys.modules[imported] if alias else sys.modules[top]
                assert getattr(mod, alias or top) is bound, (name, imported)
                assert "names_pkg" not in (getattr(sys.modules[imported], "__file__", "") or "")
import json, typing, enum, dataclasses, httpx
for std in (json, typing, enum, dataclasses, httpx, real_os):
    assert "names_pkg" not in (getattr(std, "__file__", "") or ""), std
client = names_pkg.Client(base_url="http://127.0.0.1:9")
print(sorted(k for k in vars(client) if not k.startswith("_"))[:3])
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_hostile_names_work_against_a_server(tmp_path: Path, server: Server) -> None:
    spec = _write(tmp_path, "spec.json", names_spec())
    out = tmp_path / "out"
    api = write_job(Job(spec=spec, output=out, package_name="names_live"))
    pkg = import_generated(out, "names_live")
    client = pkg.Client(base_url=server.url)
    operations = [(group, op) for group in api.groups for op in group.operations]
    assert len(operations) == len(HOSTILE_NAMES)
    body = {"props": {"os": "x", "../../escape": "y", "None": "n", "class": "s", "": "e"}}
    for group, op in operations:
        target = getattr(client, group.py_name) if group.name else client
        server.replies.append(Reply(200, body))
        assert getattr(target, op.py_name)().to_dict() == body, op.id
        assert server.last.path == op.path
    client.close()


# --------------------------------------------------------------------------- loader safety


def test_yaml_python_tags_are_rejected_without_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side = tmp_path / "ran"
    payloads = [
        f"!!python/object/apply:os.system ['touch {side}']",
        f"!!python/object/apply:subprocess.check_output [['touch', '{side}']]",
        "!!python/object:generator.config.Job {spec: x, output: y, package_name: z}",
        "!!python/name:os.system",
        "!!python/module:os",
        f"!!python/object/new:pathlib.Path ['{side}']",
    ]
    for index, payload in enumerate(payloads):
        spec = tmp_path / f"evil{index}.yaml"
        spec.write_text(
            f'swagger: "2.0"\ninfo: {{title: {payload}, version: "1"}}\npaths: {{}}\n',
            encoding="utf-8",
        )
        code = specgen(["generate", str(spec), "-o", str(tmp_path / "out"), "-p", "evil"])
        captured = capsys.readouterr()
        assert code == 1, (payload, captured)
        tag = payload.split()[0].removeprefix("!!")
        assert captured.err.count("\n") == 1, captured.err
        assert captured.err.endswith(
            f"evil{index}.yaml:2: invalid YAML:"
            f" could not determine a constructor for the tag 'tag:yaml.org,2002:{tag}'\n"
        ), captured.err
        assert not side.exists(), payload
        assert not (tmp_path / "out").exists()


def test_no_spec_reads_outside_its_folder_or_opens_a_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Secret: {type: string, description: TOPSECRET}\n", encoding="utf-8")
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(secret)
    leaves, absolute, remote = (
        "it leaves the spec's folder",
        "absolute paths are not allowed",
        "remote and URL refs are never fetched",
    )
    refused = {  # each ref, and why it is refused
        "../secret.yaml#/Secret": leaves,
        str(secret) + "#/Secret": absolute,
        secret.as_uri() + "#/Secret": remote,
        "link.yaml#/Secret": "a symlink leads outside the spec's folder",
        "http://127.0.0.1:9/x.yaml#/Secret": remote,
        "https://example.invalid/x.yaml": remote,
        "//example.invalid/x.yaml": remote,
        "ftp://example.invalid/x": remote,
        "%2e%2e/secret.yaml#/Secret": leaves,
        "..%2fsecret.yaml#/Secret": leaves,
        "sub/../../secret.yaml#/Secret": leaves,
        "\\\\server\\share\\x.yaml": absolute,
        "/etc/passwd": absolute,
        "/dev/zero": absolute,
        "file:///dev/zero": remote,
    }
    refs = list(refused)
    opened: list[str] = []
    connects: list[Any] = []
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    def no_connect(self: socket.socket, address: Any) -> None:
        connects.append(address)
        raise OSError("network disabled by the test")

    real_read_bytes = Path.read_bytes
    real_read_text = Path.read_text

    def spy_read_bytes(self: Path) -> bytes:
        opened.append(str(self))
        return real_read_bytes(self)

    def spy_read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    monkeypatch.setattr(Path, "read_text", spy_read_text)
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: no_connect(None, a))  # type: ignore[arg-type]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: no_connect(None, a))  # type: ignore[arg-type]

    for index, ref in enumerate(refs):
        spec = folder / f"s{index}.yaml"
        spec.write_text(
            'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths: {}\n'
            f"definitions:\n  A:\n    $ref: {json.dumps(ref)}\n",
            encoding="utf-8",
        )
        out = tmp_path / f"out{index}"
        code = specgen(["generate", str(spec), "-o", str(out), "-p", "p"])
        captured = capsys.readouterr()
        assert code == 1, (ref, captured.err)
        assert captured.err.count("\n") == 1, captured.err
        assert captured.err.endswith(
            f"s{index}.yaml:6: $ref {ref!r} refused: {refused[ref]}\n"
        ), captured.err
        assert "TOPSECRET" not in captured.out + captured.err

    # the spec's own refs to the network are refused too, wherever they stand
    spec = folder / "remote.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "T", "version": "1"},
                "paths": {
                    "/x": {
                        "get": {
                            "parameters": [{"$ref": "http://127.0.0.1:9/p.json"}],
                            "responses": {"200": {"$ref": "https://example.invalid/r.json"}},
                        }
                    }
                },
                "components": {"schemas": {"A": {"$ref": "http://127.0.0.1:9/a.json"}}},
            }
        ),
        encoding="utf-8",
    )
    assert specgen(["generate", str(spec), "-o", str(tmp_path / "outr"), "-p", "p"]) == 1
    capsys.readouterr()
    assert connects == []
    outside = [
        p
        for p in opened
        if p.startswith("/")
        and not Path(p).resolve().is_relative_to(folder.resolve())
        and Path(p).resolve().is_relative_to(tmp_path.resolve())
    ]
    assert outside == [], outside
    assert not any(p in ("/etc/passwd", "/dev/zero") for p in opened), opened


def test_generation_is_deterministic_and_hermetic(tmp_path: Path) -> None:
    """The hostile spec generated twice gives the same files (no time, no environment)."""
    spec = _write(tmp_path, "spec.json", openapi3_spec(hostile_strings(tmp_path / "s")))
    first = generate_files(Job(spec=spec, output=tmp_path / "o", package_name="p"))[1]
    second = generate_files(Job(spec=spec, output=tmp_path / "o", package_name="p"))[1]
    assert first == second
    assert str(ROOT) not in "".join(first.values())


@pytest.mark.parametrize("name", CLASS_KEYWORDS)
def test_schemas_named_like_capitalised_keywords(tmp_path: Path, name: str) -> None:
    """PascalCase leaves None/True/False as they are: a schema so named must still make a
    legal class name."""
    spec = _write(tmp_path, "spec.json", names_spec([name]))
    out, files = _generate(tmp_path, spec, f"kw_{name.lower()}")
    check_tree(files)
    _import_everything(out, f"kw_{name.lower()}", files)


# Method names the operation classes use themselves, in the order a class defines them.
CLASS_BODY_NAMES = [
    "overload",
    "cached_property",
    "with_raw_response",
    "Literal",
    "httpx",
    "Mapping",
    "NOT_GIVEN",
    "NotGiven",
    "Stream",
    "AsyncStream",
    "Client",
    "AsyncClient",
    "TYPE_CHECKING",
    "fetch",
    "self",
    "response",
    "stream",
    "timeout",
    "close",
    "__init__",
    "__class__",
]


def methods_spec(ungrouped: bool) -> dict[str, Any]:
    """One group whose operations are named like what its class body uses; every one of them
    streams, so the class body applies ``@overload`` after each method is bound."""
    paths = {}
    for index, name in enumerate(CLASS_BODY_NAMES):
        paths[f"/m{index}"] = {
            "post": {
                "operationId": name,
                **({} if ungrouped else {"tags": ["group"]}),
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "stream": {"type": "boolean"},
                                    name: {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/event-stream": {"schema": {"type": "string"}},
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "methods", "version": "1"},
        "servers": [{"url": "http://localhost"}],
        "paths": paths,
    }


@pytest.mark.parametrize("ungrouped", [False, True])
def test_operations_named_like_what_the_class_uses(
    tmp_path: Path, server: Server, ungrouped: bool
) -> None:
    package = f"methods_{'root' if ungrouped else 'group'}"
    spec = _write(tmp_path, "spec.json", methods_spec(ungrouped))
    out, files = _generate(tmp_path, spec, package)
    check_tree(files)
    _import_everything(out, package, files)
    pkg = import_generated(out, package)
    api = generate_files(Job(spec=spec, output=out, package_name=package))[0]
    client = pkg.Client(base_url=server.url)
    operations = [(group, op) for group in api.groups for op in group.operations]
    assert len(operations) == len(CLASS_BODY_NAMES)
    for group, op in operations:
        target = getattr(client, group.py_name) if group.name else client
        server.replies.append(Reply(200, {"ok": True}))
        assert getattr(target, op.py_name)() == {"ok": True}, op.id
        server.replies.append(Reply(200, b"data: {}\n\n", content_type="text/event-stream"))
        assert len(list(getattr(target, op.py_name)(stream=True))) == 1, op.id
    client.close()


# --------------------------------------------------------------------------- clean refusals

_SWAGGER_HEAD = 'swagger: "2.0"\ninfo: {title: T, version: "1"}\n'

# Specs that once crashed specgen (found by test_mutation.py), minimised: each must either
# generate or be refused with exit status 1 and a one-line message, never an internal error.
CRASHERS = {
    "x-ms-enum value that is a list": _SWAGGER_HEAD + "paths: {}\ndefinitions:\n"
    "  Color:\n    type: string\n    enum: [red]\n"
    "    x-ms-enum: {name: Color, values: [{value: [1]}]}\n",
    "x-ms-enum value that is a mapping": _SWAGGER_HEAD + "paths: {}\ndefinitions:\n"
    "  Color:\n    type: string\n    enum: [red]\n"
    "    x-ms-enum: {name: Color, values: [{value: {a: 1}}]}\n",
    "enum value that is a mapping": _SWAGGER_HEAD + "paths: {}\ndefinitions:\n"
    "  Color: {type: string, enum: [red, {a: 1}]}\n",
    "enum value that is a list": _SWAGGER_HEAD + "paths: {}\ndefinitions:\n"
    "  Color: {type: string, enum: [red, [1]]}\n",
    "x-ms-enum values that are no list": _SWAGGER_HEAD + "paths: {}\ndefinitions:\n"
    "  Color: {type: string, enum: [red], x-ms-enum: {name: Color, values: true}}\n",
    "$ref to a file name too long for the file system": _SWAGGER_HEAD
    + "paths: {}\ndefinitions:\n  A: {$ref: '"
    + "x" * 300
    + ".yaml'}\n",
    "$ref with a percent-encoded NUL": _SWAGGER_HEAD
    + "paths: {}\ndefinitions:\n  A: {$ref: 'a%00b.yaml'}\n",
    "$ref with a NUL": _SWAGGER_HEAD + 'paths: {}\ndefinitions:\n  A: {$ref: "a\\0b.yaml"}\n',
    "a tag longer than a file name may be": _SWAGGER_HEAD
    + "paths:\n  /x:\n    get:\n      tags: ['"
    + "t" * 300
    + "']\n"
    "      responses: {'200': {description: ok}}\n",
}


_IGNORED = "{spec}:5: warning: Color: enum values that are objects or arrays are ignored\n"
# What each crasher does now: (exit status, everything printed to stderr).
CRASHER_OUTCOMES = {
    "x-ms-enum value that is a list": (0, ""),
    "x-ms-enum value that is a mapping": (0, ""),
    "enum value that is a mapping": (0, _IGNORED),
    "enum value that is a list": (0, _IGNORED),
    "x-ms-enum values that are no list": (0, ""),
    "$ref to a file name too long for the file system": (
        1,
        "{spec}:5: $ref '" + "x" * 300 + ".yaml' not found: no file {folder}/" + "x" * 300
        + ".yaml\n",
    ),
    "$ref with a percent-encoded NUL": (
        1,
        "{spec}:5: $ref 'a%00b.yaml': not a usable file name (embedded null byte)\n",
    ),
    "$ref with a NUL": (
        1,
        "{spec}:5: $ref 'a\\x00b.yaml': not a usable file name (embedded null byte)\n",
    ),
    "a tag longer than a file name may be": (0, ""),
}


@pytest.mark.parametrize("name", list(CRASHERS))
def test_crashers_are_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(CRASHERS[name], encoding="utf-8")
    code = specgen(["generate", str(spec), "-o", str(tmp_path / "out"), "-p", "pkg"])
    err = capsys.readouterr().err
    expected_code, expected_err = CRASHER_OUTCOMES[name]
    assert (code, err) == (expected_code, expected_err.format(spec=spec, folder=tmp_path))


def test_long_names_still_generate(tmp_path: Path) -> None:
    """Names are not capped by the file system: a 300-character tag is a valid spec."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(CRASHERS["a tag longer than a file name may be"], encoding="utf-8")
    out, files = _generate(tmp_path, spec, "longnames")
    check_tree(files)
    _import_everything(out, "longnames", files)


def test_a_yaml_alias_bomb_does_not_hang(tmp_path: Path) -> None:
    """Aliases nest a schema 8 times at each of 7 levels: 2 million properties once expanded.
    specgen must refuse it (or cope) quickly instead of expanding it."""
    levels = ["  L0: &l0 {type: object, properties: {x: {type: string}}}"]
    for level in range(1, 8):
        refs = ", ".join(f"p{i}: *l{level - 1}" for i in range(8))
        levels.append(f"  L{level}: &l{level} {{type: object, properties: {{{refs}}}}}")
    spec = tmp_path / "bomb.yaml"
    spec.write_text(_SWAGGER_HEAD + "paths: {}\ndefinitions:\n" + "\n".join(levels) + "\n")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "generate",
                str(spec),
                "-o",
                str(tmp_path / "out"),
                "-p",
                "bomb",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("specgen was still expanding the alias bomb after 30 s")
    assert (result.returncode, result.stderr) == (
        1,
        f"{spec}#: YAML aliases expand 21 nodes to more than 1000000: refused (an alias bomb?)\n",
    )
