"""Property-based robustness: mutants of the two seed specs either generate a package whose
every module compiles and imports, or are refused with exit status 1 and a clean message.
Never a traceback, an "internal error", a hang or invalid generated code.

Mutants rename, delete, retype and duplicate nodes of the seeds and inject hostile strings,
biased towards the nodes that shape the output (types, refs, names, enums, operations).
The run is derandomized and keeps no example database, so CI sees the same examples every
time; raise MUTATION_EXAMPLES locally for a deeper search (MUTATION_SHRINK=1 to minimise a
failing mutant).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from generator.cli import main as specgen
from generator.loader import _Loader
from tests.helpers import ROOT, import_generated

SEEDS = sorted((ROOT / "specs").glob("*.yaml"))
_SEED_DATA = {
    path.name: yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) for path in SEEDS
}
EXAMPLES = int(os.environ.get("MUTATION_EXAMPLES", "60"))
# Shrinking a failure re-runs specgen hundreds of times (minutes); a mutant's recipe is short
# already.  MUTATION_SHRINK=1 turns it on when hunting a bug down.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.shrink] if os.environ.get("MUTATION_SHRINK") else []
)
PER_EXAMPLE_SECONDS = 60  # generating a seed takes about a second: more is a hang

HOSTILE = [
    '"""; import os; os.system("echo pwned")#',
    "'''\\",
    "\\",
    '"',
    "\n\nx = 1\n",
    "\r\n\u2028\u2029\x85",
    "\x00",
    "{{ self }} {% for x in y %}",
    "# comment",
    "class",
    "None",
    "__init__",
    "../../etc/passwd",
    "os",
    "",
    " ",
    "123abc",
    "é€😀",
    "a" * 300,
]

# Keys whose values shape the generated code: mutations favour them.
STRUCTURAL = frozenset(
    {
        "type",
        "format",
        "$ref",
        "properties",
        "required",
        "items",
        "enum",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "discriminator",
        "x-ms-discriminator-value",
        "x-ms-enum",
        "x-nullable",
        "nullable",
        "readOnly",
        "default",
        "operationId",
        "tags",
        "parameters",
        "in",
        "name",
        "schema",
        "responses",
        "content",
        "consumes",
        "produces",
        "requestBody",
        "x-ms-client-name",
        "x-ms-pageable",
        "x-ms-long-running-operation",
        "x-ms-skip-url-encoding",
        "x-ms-parameter-location",
        "x-ms-parameterized-host",
        "servers",
        "host",
        "basePath",
        "definitions",
        "schemas",
        "paths",
        "securityDefinitions",
        "securitySchemes",
        "security",
        "modelAsString",
        "values",
        "value",
        "mapping",
        "propertyName",
        "collectionFormat",
        "style",
        "explode",
        "x-ms-client-flatten",
        "x-ms-mutability",
        "title",
        "minimum",
    }
)

INJECT_KEYS = [
    "description",
    "x-ms-client-name",
    "title",
    "default",
    "enum",
    "example",
    "x-ms-enum",
    "operationId",
    "tags",
    "format",
    "type",
    "nullable",
    "x-nullable",
    "readOnly",
    "required",
    "discriminator",
    "x-ms-discriminator-value",
    "items",
    "properties",
    "allOf",
    "additionalProperties",
    "$ref",
    "x-ms-pageable",
    "x-ms-long-running-operation",
]

Path_ = tuple[Any, ...]


def _paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _get(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _refs(doc: dict[str, Any]) -> list[str]:
    """Refs to every named definition of the seed (for retyping into a real ref)."""
    found = []
    for section in ("definitions", "parameters", "responses"):
        found += [f"#/{section}/{name}" for name in doc.get(section, {}) or {}]
    for section, entries in (doc.get("components", {}) or {}).items():
        if isinstance(entries, dict):
            found += [f"#/components/{section}/{name}" for name in entries]
    return found or ["#/info"]


def _values(draw: st.DrawFn, doc: Any) -> Any:
    """A replacement value: another type, a hostile string, a broken or real ref, a cycle."""
    paths = list(_paths(doc))
    choice = draw(st.integers(0, 13))
    if choice == 0:
        return draw(st.sampled_from(HOSTILE))
    if choice == 1:
        return draw(
            st.sampled_from([None, True, False, 0, -1, 2**70, 1.5, -0.0, 1e308, float("nan")])
        )
    if choice == 2:
        return draw(
            st.sampled_from(
                [
                    "string",
                    "integer",
                    "number",
                    "boolean",
                    "array",
                    "object",
                    "file",
                    "null",
                    "date-time",
                    "binary",
                    "byte",
                ]
            )
        )
    if choice == 3:
        return draw(st.sampled_from([[], {}, [None], [[]], [{}], {"": {}}]))
    if choice == 4:
        return {"$ref": draw(st.sampled_from(_refs(doc)))}
    if choice == 5:
        return {
            "$ref": draw(
                st.sampled_from(
                    [
                        "#/definitions/Nope",
                        "#",
                        "#/",
                        "#/paths",
                        "other.yaml#/x",
                        "#/components/schemas/",
                    ]
                )
            )
        }
    if choice == 6:
        return {
            "type": "object",
            "properties": {draw(st.sampled_from(HOSTILE)): {"type": "string"}},
        }
    if choice == 7:
        return draw(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4))
    if choice == 8:
        return {
            "type": draw(st.sampled_from(["array", "object", "string"])),
            "items": {"$ref": draw(st.sampled_from(_refs(doc)))},
        }
    if choice == 9:
        return {"allOf": [{"$ref": draw(st.sampled_from(_refs(doc)))}] * draw(st.integers(1, 2))}
    # a copy of another node of the document (duplication across places)
    if not paths:
        return None
    return copy.deepcopy(_get(doc, paths[draw(st.integers(0, len(paths) - 1))]))


def _pick_path(draw: st.DrawFn, doc: Any) -> Path_ | None:
    paths = list(_paths(doc))
    if not paths:
        return None
    structural = [p for p in paths if isinstance(p[-1], str) and p[-1] in STRUCTURAL]
    pool = structural if structural and draw(st.booleans()) else paths
    # structural nodes' children too: the schema under "properties", the op under a path
    if draw(st.integers(0, 3)) == 0:
        children = [
            p for p in paths if len(p) >= 2 and isinstance(p[-2], str) and p[-2] in STRUCTURAL
        ]
        pool = children or pool
    return pool[draw(st.integers(0, len(pool) - 1))]


class Mutant:
    """A mutated seed; its repr (what hypothesis reports) is the recipe, not the document."""

    def __init__(self, seed: str, doc: Any, log: list[str], fmt: str) -> None:
        self.seed, self.doc, self.log, self.fmt = seed, doc, log, fmt

    def __repr__(self) -> str:
        return f"Mutant({self.seed!r}, {self.fmt}, {self.log!r})"


@st.composite
def mutants(draw: st.DrawFn) -> Mutant:
    seed = draw(st.sampled_from(sorted(_SEED_DATA)))
    doc = copy.deepcopy(_SEED_DATA[seed])
    log: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        path = _pick_path(draw, doc)
        if path is None:
            break
        parent, key = _get(doc, path[:-1]), path[-1]
        kind = draw(st.sampled_from(["rename", "delete", "retype", "duplicate", "inject"]))
        where = "/".join(str(p) for p in path)
        if kind == "rename" and isinstance(parent, dict):
            new = draw(
                st.sampled_from(
                    [
                        *HOSTILE,
                        str(key).upper(),
                        str(key).lower(),
                        f"{key}_",
                        f"{key}2",
                        *[k for k in parent if k != key][:5],
                    ]
                )
            )
            value = parent.pop(key)
            parent[new] = value
            log.append(f"rename {where} -> {new!r}")
        elif kind == "delete":
            del parent[key]
            log.append(f"delete {where}")
        elif kind == "retype":
            value = _values(draw, doc)
            parent[key] = value
            log.append(f"set {where} = {json.dumps(value)[:200]}")
        elif kind == "duplicate":
            value = copy.deepcopy(parent[key])
            if isinstance(parent, dict):
                new = draw(
                    st.sampled_from(
                        [
                            f"{key}2",
                            str(key).lower(),
                            str(key).upper(),
                            f"{key}_",
                            f"_{key}",
                            f"{key} ",
                        ]
                    )
                )
                parent[new] = value
                log.append(f"duplicate {where} as {new!r}")
            else:
                parent.insert(draw(st.integers(0, len(parent))), value)
                log.append(f"duplicate {where} in its list")
        else:
            target = _get(doc, path)
            if not isinstance(target, dict):
                target, path = parent, path[:-1]
            if isinstance(target, dict):
                inject_key = draw(st.sampled_from(INJECT_KEYS))
                value = _values(draw, doc)
                target[inject_key] = value
                log.append(
                    f"set {'/'.join(str(p) for p in path)}/{inject_key} = {json.dumps(value)[:200]}"
                )
            else:
                parent[key] = draw(st.sampled_from(HOSTILE))
                log.append(f"set {where} = hostile string")
    fmt = draw(st.sampled_from(["json", "yaml"]))
    return Mutant(seed, doc, log, fmt)


class _Hang(Exception):
    pass


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise _Hang(f"specgen did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _dump(doc: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, indent=1, ensure_ascii=False)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)


def _check_package(out: Path, log: list[str]) -> None:
    python = sorted(out.rglob("*.py"))
    assert python, log
    for path in python:
        source = path.read_text(encoding="utf-8")
        compile(source, str(path), "exec")  # raises SyntaxError: a generator bug
    import_generated(out, "pkg")
    for path in python:
        relative = path.relative_to(out).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        __import__(module)


def _edited(seed: str, recipe: str, *edits: tuple[tuple[Any, ...], Any]) -> Mutant:
    """A fixed mutant (one this test found): ``edits`` set the value at each path; a value
    of ``_RENAME`` with a key renames (path, new key)."""
    doc = copy.deepcopy(_SEED_DATA[seed])
    for path, value in edits:
        parent = _get(doc, path[:-1])
        if isinstance(value, _Rename):
            parent[value.to] = parent.pop(path[-1])
        else:
            parent[path[-1]] = value
    return Mutant(seed, doc, [recipe], "json")


class _Rename:
    def __init__(self, to: str) -> None:
        self.to = to


_AUTHORING = "azure-openai-authoring-2023-05-15.yaml"
_INFERENCE = "azure-openai-inference-2024-02-01.yaml"
# Mutants that crashed specgen once: kept as explicit examples so that CI always runs them.
FOUND = [
    _edited(
        _AUTHORING,
        "set definitions/ErrorCode/x-ms-enum/values/0/value = []",
        (("definitions", "ErrorCode", "x-ms-enum", "values", 0, "value"), []),
    ),
    _edited(
        _AUTHORING,
        "rename definitions/LogLevel/x-ms-enum/modelAsString -> 'values'",
        (("definitions", "LogLevel", "x-ms-enum", "modelAsString"), _Rename("values")),
    ),
    _edited(
        _INFERENCE,
        "set components/schemas/innerErrorCode/enum/0 = {'a': 1}",
        (("components", "schemas", "innerErrorCode", "enum", 0), {"a": 1}),
    ),
    _edited(
        _INFERENCE,
        "set .../chatCompletionResponseMessage/properties/function_call/$ref = 'x' * 300",
        (
            (
                "components",
                "schemas",
                "chatCompletionResponseMessage",
                "properties",
                "function_call",
                "$ref",
            ),
            "x" * 300,
        ),
    ),
    _edited(
        _AUTHORING,
        "set paths//files/get/tags/0 = 'a' * 300",
        (("paths", "/files", "get", "tags", 0), "a" * 300),
    ),
]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=PHASES,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutants())
@example(FOUND[0])
@example(FOUND[1])
@example(FOUND[2])
@example(FOUND[3])
@example(FOUND[4])
def test_mutants_generate_or_fail_cleanly(mutant: Mutant) -> None:
    seed, doc, log, fmt = mutant.seed, mutant.doc, mutant.log, mutant.fmt
    with tempfile.TemporaryDirectory(prefix="specgen-mutant-") as folder:
        spec = Path(folder) / f"mutant.{fmt}"
        spec.write_text(_dump(doc, fmt), encoding="utf-8")
        out = Path(folder) / "out"
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            with _time_limit(PER_EXAMPLE_SECONDS), redirect_stdout(stdout), redirect_stderr(stderr):
                code = specgen(["generate", str(spec), "-o", str(out), "-p", "pkg"])
        except SystemExit as exc:  # argparse only: never for a spec
            pytest.fail(f"SystemExit({exc.code}) for mutant of {seed}: {log}\n{stderr.getvalue()}")
        err = stderr.getvalue()
        context = f"mutant of {seed} ({fmt}): {log}\nstderr:\n{err[-3000:]}"
        assert code in (0, 1), context
        assert "Traceback" not in err, context
        assert "internal error" not in err, context
        assert "not valid Python" not in err, context  # the generator's own output is broken
        if code == 0:
            try:
                _check_package(out, log)
            finally:
                for name in [m for m in sys.modules if m == "pkg" or m.startswith("pkg.")]:
                    del sys.modules[name]
        else:
            assert err.strip(), context
            assert not out.exists(), context  # a refused spec writes nothing
            # every line names the file it is about, then where in it: FILE:LINE or FILE#/ptr
            located = re.compile(rf"({re.escape(str(spec))}(:\d+|#\S*)|{re.escape(str(out))}): ")
            assert all(located.match(line) for line in err.splitlines()), context
