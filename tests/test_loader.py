"""Tests of generator.loader: parsing, $ref checking and resolution, validation, locations."""

from __future__ import annotations

import builtins
import datetime
import glob
import io
import json
import os
import socket
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import loader
from generator.errors import SpecError
from generator.loader import load_spec
from tests.helpers import write_spec

CORPUS = Path("/work/shared/corpus")

SWAGGER_HEAD = """\
swagger: "2.0"
info:
  title: t
  version: "1"
paths: {}
"""


def swagger(body: str) -> str:
    """A Swagger 2.0 spec: the usual head plus ``body`` (dedented)."""
    return SWAGGER_HEAD + textwrap.dedent(body)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path: Path, **kwargs: Any) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path, **kwargs)
    assert str(caught.value) == "\n".join(d.format() for d in caught.value.diagnostics)
    assert all(d.severity == "error" for d in caught.value.diagnostics)
    return [d.format() for d in caught.value.diagnostics]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # diagnostics then name files relative to tmp_path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file opened from now on (builtins.open and io.open, which pathlib uses)."""
    seen: list[str] = []
    real_open = io.open

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    return seen


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    # The validator reads its own meta-schemas through a module that binds urlopen when it is
    # first imported: import it before urlopen is refused (a fetch of anything else still
    # needs a socket).  Otherwise the first test to validate in a process fails, or leaves
    # the refusal bound in the library for the tests after it.
    import jsonschema_path.handlers.urllib  # noqa: F401

    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("the loader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# --------------------------------------------------------------------------- parsing


def test_yaml_1_2_scalars_and_string_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        swagger: "2.0"
        info:
          title: t
          version: 2024-02-01
          x-released: 2024-02-01T00:00:00Z
          x-switch: [yes, no, on, off, true]
        paths:
          /a:
            get:
              responses:
                200:
                  description: ok
                default:
                  description: error
        """,
    )
    spec = load_spec(path)
    assert spec.root.data["info"]["version"] == "2024-02-01"
    assert spec.root.data["info"]["x-released"] == "2024-02-01T00:00:00Z"
    assert spec.root.data["info"]["x-switch"] == ["yes", "no", "on", "off", True]
    assert list(spec.root.data["paths"]["/a"]["get"]["responses"]) == ["200", "default"]
    assert spec.version == "2.0"
    # PyYAML's own loaders are untouched
    assert isinstance(yaml.safe_load("d: 2024-02-01")["d"], datetime.date)


def test_json_and_yaml_give_the_same_data(tmp_path: Path) -> None:
    data = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "definitions": {"A": {"type": "string", "enum": ["x", "y"]}},
    }
    as_json = tmp_path / "spec.json"
    as_json.write_text("\ufeff  " + json.dumps(data, indent="\t"), encoding="utf-8")
    as_yaml = tmp_path / "spec.yaml"
    as_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_spec(as_json).root.data == load_spec(as_yaml).root.data == data
    assert load_spec(as_json).root.display == "spec.json"


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", SWAGGER_HEAD + "definitions:\n  A: [1, 2\n  B: x\n")
    [message] = errors_of(path)
    assert message.startswith("spec.yaml:8: invalid YAML: ")


def test_invalid_json_reports_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.json", '{\n  "swagger": "2.0",\n  "info": {,\n}\n')
    assert errors_of(path) == [
        "spec.json:3: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert errors_of(write(tmp_path, "spec.yaml", "")) == ["spec.yaml#: file is empty"]
    [message] = errors_of(write(tmp_path, "comments.yaml", "# nothing\n"))
    assert "empty" in message


def test_list_at_top_level(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", "- swagger: '2.0'\n")
    assert errors_of(path) == ["spec.yaml:1: expected a mapping at the top level, found a list"]


def test_missing_file(tmp_path: Path) -> None:
    [message] = errors_of(tmp_path / "nope.yaml")
    assert message.startswith("nope.yaml#: cannot read file")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("openapi: 3.2.0", "spec.yaml:1: unsupported OpenAPI version '3.2.0'"),
        (
            'swagger: "1.2"',
            "spec.yaml:1: unsupported Swagger version '1.2' (only \"2.0\")",
        ),
        ("openapi: 3.0", "spec.yaml:1: unsupported OpenAPI version 3.0"),
        ("title: no version", "spec.yaml:1: not an OpenAPI/Swagger spec"),
    ],
)
def test_unsupported_versions(tmp_path: Path, head: str, expected: str) -> None:
    path = write(tmp_path, "spec.yaml", head + "\ninfo: {title: t, version: '1'}\npaths: {}\n")
    [message] = errors_of(path)
    assert message.startswith(expected)


def test_unquoted_swagger_2_is_accepted_with_a_warning(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, "spec.yaml", SWAGGER_HEAD.replace('"2.0"', "2.0")))
    assert spec.version == spec.root.data["swagger"] == "2.0"
    assert [w.format() for w in spec.warnings] == [
        'spec.yaml:1: warning: swagger: 2.0 read as a number; write "2.0"'
    ]


def test_openapi_3_0(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            A: {type: string}
            B: {$ref: "#/components/schemas/A"}
        """,
    )
    spec = load_spec(path)
    assert spec.version == "3.0.3"
    assert spec.deref(spec.root.data["components"]["schemas"]["B"], spec.root)[2] == (
        "spec.yaml#/components/schemas/A"
    )


# --------------------------------------------------------------------------- refs


def test_external_ref_to_a_sibling_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          Local: {type: string}
          Uses: {$ref: "./common.json#/definitions/Error"}
          Whole: {$ref: "other.yaml"}
        """),
    )
    write(
        tmp_path,
        "common.json",
        """\
        {"definitions": {
          "Error": {"type": "object", "properties": {
            "code": {"$ref": "#/definitions/Code"},
            "back": {"$ref": "spec.yaml#/definitions/Local"}}},
          "Code": {"type": "integer"}}}
        """,
    )
    write(tmp_path, "other.yaml", "type: boolean\n")
    spec = load_spec(tmp_path / "spec.yaml")
    assert spec.folder == tmp_path
    node, doc, ref_id = spec.resolve("./common.json#/definitions/Error", spec.root)
    assert (doc.path, doc.display, ref_id) == (
        tmp_path / "common.json",
        "common.json",
        "common.json#/definitions/Error",
    )
    assert node["type"] == "object"
    # refs inside the external file are relative to it
    code, code_doc, code_id = spec.resolve(node["properties"]["code"]["$ref"], doc)
    assert (code, code_doc, code_id) == (
        {"type": "integer"},
        doc,
        "common.json#/definitions/Code",
    )
    _, back_doc, back_id = spec.resolve(node["properties"]["back"]["$ref"], doc)
    assert back_doc is spec.root and back_id == "spec.yaml#/definitions/Local"
    # each file is loaded once
    assert spec.resolve("common.json#/definitions/Code", spec.root)[1] is doc
    assert spec.resolve("other.yaml", spec.root) == (
        {"type": "boolean"},
        spec.resolve("other.yaml#", spec.root)[1],
        "other.yaml#",
    )


def test_pointer_escapes_and_percent_encoding(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          "a/b~c": {type: string}
          "with space": {type: integer}
          A: {$ref: "#/definitions/a~1b~0c"}
          B: {$ref: "#/definitions/with%20space"}
        """),
    )
    spec = load_spec(path)
    assert spec.resolve("#/definitions/a~1b~0c", spec.root)[0] == {"type": "string"}
    assert spec.resolve("#/definitions/a~1b~0c", spec.root)[2] == "spec.yaml#/definitions/a~1b~0c"
    assert spec.resolve("#/definitions/a%7E1b~0c", spec.root)[2] == "spec.yaml#/definitions/a~1b~0c"
    assert spec.resolve("#/definitions/with%20space", spec.root)[:1] == ({"type": "integer"},)
    assert (
        spec.resolve("#/definitions/with%20space", spec.root)[2]
        == "spec.yaml#/definitions/with space"
    )


def test_recursive_schema_is_not_inlined(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          Node:
            type: object
            properties:
              children: {type: array, items: {$ref: "#/definitions/Node"}}
              parent: {$ref: "#/definitions/Node"}
        """),
    )
    spec = load_spec(path)
    node = spec.root.data["definitions"]["Node"]
    items = node["properties"]["children"]["items"]
    assert items == {"$ref": "#/definitions/Node"}
    assert spec.deref(items, spec.root) == (
        node,
        spec.root,
        "spec.yaml#/definitions/Node",
    )
    assert spec.deref(node, spec.root) == (node, spec.root, None)


def test_refs_to_refs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          A: {$ref: "#/definitions/B"}
          B: {$ref: "sub/c.yaml#/C"}
        """),
    )
    write(tmp_path, "sub/c.yaml", "C: {$ref: '#/D'}\nD: {type: string}\n")
    spec = load_spec(path)
    node, doc, last = spec.deref(spec.root.data["definitions"]["A"], spec.root)
    assert (node, doc.display, last) == (
        {"type": "string"},
        "sub/c.yaml",
        "sub/c.yaml#/D",
    )
    # resolve follows exactly one ref
    assert spec.resolve("#/definitions/A", spec.root)[0] == {"$ref": "#/definitions/B"}


CYCLE_AB = "spec.yaml#/definitions/A -> spec.yaml#/definitions/B -> spec.yaml#/definitions/A"
CYCLE_SELF = "spec.yaml#/definitions/Self -> spec.yaml#/definitions/Self"


def test_cycle_of_aliases_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          A: {$ref: "#/definitions/B"}
          B:
            $ref: "#/definitions/A"
          Self: {$ref: "#/definitions/Self"}
          Fine: {$ref: "#/definitions/A"}
        """),
    )
    assert errors_of(path) == [
        "spec.yaml:7: $ref cycle of pure aliases: " + CYCLE_AB,
        "spec.yaml:10: $ref cycle of pure aliases: " + CYCLE_SELF,
    ]


def test_dangling_ref_names_the_ref_and_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          A:
            type: object
            properties:
              b: {$ref: "#/definitions/Missing"}
              c: {$ref: "common.yaml#/definitions/X"}
              d: {$ref: "nofile.yaml#/X"}
              e: {$ref: "#Foo"}
        """),
    )
    write(tmp_path, "common.yaml", "definitions: {}\n")
    assert errors_of(path) == [
        "spec.yaml:10: $ref '#/definitions/Missing' not found: no 'Missing' in #/definitions",
        "spec.yaml:11: $ref 'common.yaml#/definitions/X' not found: no 'X' in common.yaml#/definitions",
        "spec.yaml:12: $ref 'nofile.yaml#/X' not found: no file nofile.yaml",
        "spec.yaml:13: $ref '#Foo': the fragment is not a JSON pointer",
    ]


def test_broken_external_file_is_reported_in_that_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        SWAGGER_HEAD + "definitions:\n  A: {$ref: 'bad.yaml#/X'}\n  B: {$ref: 'bad.yaml#/Y'}\n",
    )
    write(tmp_path, "bad.yaml", "X: 1\nY: [\n")
    [message] = errors_of(path)
    assert message.startswith("bad.yaml:3: invalid YAML")


def test_remote_refs_are_refused_without_network(tmp_path: Path, no_network: None) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          A: {$ref: "https://example.com/schemas.json#/definitions/A"}
          B: {$ref: "http://example.com/b.yaml"}
          C: {$ref: "//example.com/c.yaml"}
          D: {$ref: "file:///etc/passwd"}
        """),
    )
    messages = errors_of(path)
    assert [m.split(":")[1] for m in messages] == ["7", "8", "9", "10"]
    assert all("remote and URL refs are never fetched" in m for m in messages)


def test_refs_leaving_the_folder_are_refused_and_never_read(
    tmp_path: Path, opened: list[str]
) -> None:
    folder = tmp_path / "api"
    write(tmp_path, "outside.json", '{"definitions": {"X": {"type": "string"}}}')
    (folder / "examples").mkdir(parents=True)
    os.symlink(tmp_path / "outside.json", folder / "link.json")
    path = write(
        folder,
        "spec.yaml",
        swagger(f"""\
        definitions:
          A: {{$ref: "../outside.json#/definitions/X"}}
          B: {{$ref: "examples/../../outside.json"}}
          C: {{$ref: "{tmp_path / "outside.json"}"}}
          D: {{$ref: "link.json#/definitions/X"}}
        """),
    )
    opened.clear()
    messages = errors_of(path)
    assert [m.split(": ", 1)[1] for m in messages] == [
        "$ref '../outside.json#/definitions/X' refused: it leaves the spec's folder",
        "$ref 'examples/../../outside.json' refused: it leaves the spec's folder",
        f"$ref '{tmp_path / 'outside.json'}' refused: absolute paths are not allowed",
        "$ref 'link.json#/definitions/X' refused: a symlink leads outside the spec's folder",
    ]
    assert [p for p in opened if "outside" in p or "link" in p] == []


def test_missing_example_file_is_only_a_warning(tmp_path: Path, opened: list[str]) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        swagger: "2.0"
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              x-ms-examples:
                Present: {$ref: "./examples/present.json"}
                Missing:
                  $ref: ./examples/missing.json
                Remote: {$ref: "https://example.com/x.json"}
              responses:
                "200": {description: ok}
        """,
    )
    write(tmp_path, "examples/present.json", "this is not even JSON {")
    opened.clear()
    spec = load_spec(path)
    assert [w.format() for w in spec.warnings] == [
        "spec.yaml:9: warning: example file not found: $ref './examples/missing.json'",
        "spec.yaml:10: warning: $ref 'https://example.com/x.json' refused: remote and URL refs are never fetched",
    ]
    assert [p for p in opened if "examples" in p] == []  # existence checked, never read


def test_refs_in_literal_examples_are_not_refs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        swagger("""\
        definitions:
          Doc:
            type: object
            example: {$ref: "not/a/ref.json"}
            properties:
              default: {$ref: "#/definitions/Missing"}
        """),
    )
    # the example value is data; the property named "default" is a schema with a real ref
    assert errors_of(path, validate=False) == [
        "spec.yaml:11: $ref '#/definitions/Missing' not found: no 'Missing' in #/definitions"
    ]


def test_resolve_after_load_raises_spec_error(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, "spec.yaml", SWAGGER_HEAD))
    with pytest.raises(SpecError, match=r"^spec.yaml:5: \$ref '#/nope' not found: no 'nope' in #$"):
        spec.resolve("#/nope", spec.root, at="/paths/$ref")


def test_no_line_tracking_on_the_happy_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        SWAGGER_HEAD + "definitions:\n  A: {$ref: '#/definitions/B'}\n  B: {}\n",
    )

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("positions computed on the happy path")

    monkeypatch.setattr(yaml, "compose", forbidden)
    monkeypatch.setattr(loader, "_json_tree", forbidden)
    load_spec(path)


def test_line_of(tmp_path: Path) -> None:
    spec = load_spec(
        write(
            tmp_path,
            "spec.json",
            '{"swagger": "2.0",\n "info": {"title": "\\ud83d\\ude00", "version": "1"},\n'
            ' "paths": {},\n "definitions": {\n  "a/b": {\n   "enum": [1,\n    2]}}}\n',
        )
    )
    doc = spec.root
    assert doc.line_of("") == 1
    assert doc.line_of("/info/title") == 2
    assert doc.line_of("/definitions/a~1b") == 5
    assert doc.line_of("/definitions/a~1b/enum/1") == 7
    assert doc.line_of("/definitions/a~1b/missing/deeper") == 5  # deepest existing node


# --------------------------------------------------------------------------- validation


def test_validator_errors_are_reported_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        swagger: "2.0"
        info: {title: t, version: "1"}
        paths:
          /items/{id}:
            get:
              operationId: get
              foo: 1
              parameters:
                - name: q
                  in: query
              responses:
                "200":
                  schema: {type: string}
        """,
    )
    assert errors_of(path) == [
        "spec.yaml:5: 'foo' does not match any of the regexes: '^x-'",
        # an unresolved path parameter is left to the reader, which warns and reconciles
        "spec.yaml:9: 'type' is a required property",
        "spec.yaml:12: 'description' is a required property",
    ]


def test_validation_follows_external_refs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "schemas/common.yaml#/Thing"}
        """,
    )
    write(
        tmp_path,
        "schemas/common.yaml",
        """\
        Thing:
          type: object
          properties:
            count:
              type: integer
              minimum: many
        """,
    )
    assert errors_of(path) == ["schemas/common.yaml:6: 'many' is not of type 'number'"]
    assert load_spec(path, validate=False).version == "3.0.3"


def test_swagger_file_type_is_not_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        """\
        swagger: "2.0"
        info: {title: t, version: "1"}
        paths:
          /download:
            get:
              produces: [application/octet-stream]
              responses:
                "200": {description: ok, schema: {type: file}}
        """,
    )
    load_spec(path)


def test_validator_crash_becomes_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Exploding:
        def __init__(self, schema: Any) -> None:
            pass

        def iter_errors(self) -> Any:
            raise KeyError("boom")

    monkeypatch.setattr(loader, "_validator_class", lambda swagger2: Exploding)
    spec = load_spec(write(tmp_path, "spec.yaml", SWAGGER_HEAD))  # readable: a warning
    assert [d.format() for d in spec.warnings] == [
        (
            "spec.yaml:1: warning: validation stopped here: the validator failed (KeyError: "
            "'boom'); its remaining checks were skipped"
        )
    ]


# --------------------------------------------------------------------------- real specs


def corpus_files() -> list[Path]:
    files = sorted(glob.glob(str(CORPUS / "azure-sample" / "*.yml")))
    files += sorted(glob.glob(str(CORPUS / "azure-openai" / "*.yaml")))
    files += [str(CORPUS / "azure-openai" / "authoring-2023-05-15" / "azureopenai.json")]
    return [Path(f) for f in files]


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_corpus(no_network: None) -> None:
    """Every corpus spec loads and validates; a refusal must locate each of its problems."""
    failures: dict[str, list[str]] = {}
    for path in corpus_files():
        try:
            load_spec(path)
        except SpecError as exc:
            failures[path.name] = [d.format() for d in exc.diagnostics] or ["no diagnostics"]
    assert not failures, f"{len(failures)} of {len(corpus_files())} corpus specs fail:\n" + (
        "\n".join(f"  {name}: {'; '.join(messages)}" for name, messages in failures.items())
    )
    assert len(corpus_files()) > 120


def test_yaml_flow_mapping_file_is_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.yaml",
        "{swagger: '2.0', info: {title: t, version: '1'}, paths: {},\n"
        " definitions: {A: {$ref: '#/definitions/B'}}}\n",
    )
    assert errors_of(path) == [
        "spec.yaml:2: $ref '#/definitions/B' not found: no 'B' in #/definitions"
    ]


def _one_line_31(schemas: dict[str, Any]) -> str:
    """A 3.1 document written as minified JSON: everything on line 1."""
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/a"}}}}
    ok["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Item"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/i": {"get": {"operationId": "get", "responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }
    return json.dumps(spec, separators=(",", ":"))


def test_one_line_documents_are_located_by_pointer(tmp_path: Path) -> None:
    """Line 1 says nothing in a minified document: the diagnostic names the pointer, and for
    a oneOf/anyOf failure with no likelier branch, why each alternative fails."""
    bad_type = {"type": {"type": "string", "enum": ["A"]}}  # a schema where a type name goes
    item = {
        "type": "object",
        "properties": {"kind": {"$ref": "#/components/schemas/Item/definitions/kind"}},
        "definitions": {"kind": bad_type},
    }
    path = write(tmp_path, "spec.json", _one_line_31({"Item": item}))
    assert errors_of(path) == [
        (
            "spec.json#/components/schemas/Item/definitions/kind/type: {'type': 'string', 'enum':"
            " ['A']} is not valid under any of the given schemas: it is not one of ['array',"
            " 'boolean', 'integer',"
            " 'null', 'number', 'object', 'string'], and it is not of type 'array'"
        )
    ]


def test_faults_where_nothing_reads_are_warnings(tmp_path: Path) -> None:
    """An entry of a schema's legacy ``definitions`` that no $ref reaches, and a $comment,
    are never read: a fault there is a warning naming its place (``--strict`` fails)."""
    item = {
        "type": "object",
        "properties": {
            "definitions": {"type": "string"},  # a property so named: not a keyword
            "kind": {"$ref": "#/components/schemas/Item/definitions/kind"},
        },
        "definitions": {"kind": {"type": "string"}, "unused": {"type": {"type": "string"}}},
    }
    # a property named "definitions" is read like any other: a fault in it stays an error
    named = {"properties": {"definitions": {"type": "integer", "minimum": "0"}}}
    path = write(tmp_path, "named.json", _one_line_31({"Item": {**item, **named}}))
    assert errors_of(path) == [
        (
            "named.json#/components/schemas/Item/properties/definitions/minimum: '0' is not of type"
            " 'number'"
        )
    ]
    path = write(tmp_path, "spec.json", _one_line_31({"Item": item, "Note": {"$comment": 7}}))
    warnings = [w.format() for w in load_spec(path).warnings]
    assert warnings == [
        (
            "spec.json#/components/schemas/Item/definitions/unused/type: warning: {'type':"
            " 'string'} is not valid under any of the given schemas: it is not one of ['array', 'boolean',"
            " 'integer', 'null', 'number', 'object', 'string'], and it is not of type 'array'"
            " (ignored: no $ref reaches 'definitions' entry"
            " '/components/schemas/Item/definitions/unused')"
        ),
        (
            "spec.json#/components/schemas/Note/$comment: warning: 7 is not of type 'string'"
            " (ignored: a comment)"
        ),
    ]


def test_schema_patterns_are_ecma_regexes(tmp_path: Path) -> None:
    """Each schema's meta-schema check goes through jsonschema-rs first, which reads a
    ``pattern`` as the ECMA-262 regex the spec says it is: ``\\p{L}`` (any letter) is legal
    there, though Python's ``re`` (and so the Python checker alone) refuses it."""
    spec = write_spec(
        tmp_path,
        r"""
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Name:
              type: string
              pattern: '^[\p{L} ]+$'
            Broken:
              type: string
              pattern: '('
        """,
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    messages = [d.format() for d in caught.value.diagnostics]
    assert messages == ["spec.yaml:11: '(' is not a 'regex'"]


def test_a_ref_inside_a_const_value_is_data(tmp_path: Path) -> None:
    """``const`` holds a literal value, like ``enum`` and ``default``: an object in it that
    happens to have a ``$ref`` key is not a reference."""
    spec = write_spec(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        components:
          schemas:
            Pointer:
              const: {$ref: ./nowhere.yaml}
        """,
    )
    assert load_spec(spec).version == "3.1.0"
