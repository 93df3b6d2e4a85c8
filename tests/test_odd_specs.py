"""Odd but legal input (and a few genuinely wrong specs) still make a working, typed package.

Every spec below is generated once (``tests/batch.py``: one ``mypy --strict`` run over all the
packages); each test checks its case's IR and the generated package's behaviour, and that the
package imports and type-checks.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main as specgen
from generator.ir import AnyType, DictType, EnumRef, ListType, LiteralType, Operation, Primitive
from tests.batch import Built, build_all
from tests.helpers import write_spec
from tests.server import Reply, Server

DEEP = 200  # allOf levels
BIG_ENUM = 10_000  # values


def swagger(text: str) -> str:
    head = 'swagger: "2.0"\ninfo: {title: T, version: "1"}\nhost: example.com\nschemes: [http]\n'
    return head + textwrap.dedent(text)


def deep_allof_spec(levels: int) -> str:
    """A chain of ``levels`` named schemas, each ``allOf`` the next (a class hierarchy), and
    one schema whose inline ``allOf`` parts nest ``levels`` deep (merged into one model)."""
    definitions: dict[str, Any] = {
        f"Level{i}": {
            "allOf": [{"$ref": f"#/definitions/Level{i + 1}"}],
            "properties": {f"f{i}": {"type": "string"}},
        }
        for i in range(levels)
    }
    definitions[f"Level{levels}"] = {"type": "object", "properties": {"root": {"type": "string"}}}
    nested: dict[str, Any] = {"type": "object", "properties": {"leaf": {"type": "integer"}}}
    for i in range(levels):
        nested = {"allOf": [nested], "properties": {f"g{i}": {"type": "string"}}}
    definitions["Nested"] = nested

    def get(operation_id: str, schema: str) -> dict[str, Any]:
        ok = {"description": "ok", "schema": {"$ref": f"#/definitions/{schema}"}}
        return {"get": {"operationId": operation_id, "responses": {"200": ok}}}

    spec = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "host": "example.com",
        "schemes": ["http"],
        "paths": {"/deep": get("Deep_Get", "Level0"), "/nested": get("Nested_Get", "Nested")},
        "definitions": definitions,
    }
    return json.dumps(spec)  # JSON: YAML block nesting this deep is unreadable


def big_enum_spec(count: int) -> str:
    values = [f"v{i}" for i in range(count)]
    spec = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "host": "example.com",
        "schemes": ["http"],
        "paths": {
            "/codes": {
                "get": {
                    "operationId": "Codes_Get",
                    "parameters": [
                        {"in": "query", "name": "code", "type": "string", "enum": values}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Code"}}
                    },
                }
            }
        },
        "definitions": {
            "Code": {
                "type": "string",
                "enum": values,
                "x-ms-enum": {"name": "Code", "modelAsString": False},
            }
        },
    }
    return json.dumps(spec)


SPECS: dict[str, str] = {
    "odd_no_ids": swagger("""
        paths:
          /things/{id}:
            get:
              parameters: [{in: path, name: id, required: true, type: string}]
              responses: {'200': {description: ok, schema: {type: object}}}
            delete:
              parameters: [{in: path, name: id, required: true, type: string}]
              responses: {'204': {description: gone}}
          /:
            get:
              responses: {'204': {description: root}}
        """),
    "odd_duplicate_ids": swagger("""
        paths:
          /a:
            get:
              operationId: Things_Get
              responses: {'204': {description: a}}
          /b:
            get:
              operationId: Things_Get
              responses: {'204': {description: b}}
        """),
    "odd_wrong_spec": swagger("""
        paths:
          /items/{id}:
            get:
              operationId: Items_Get
              parameters:
                - {in: path, name: itemId, required: true, type: string}
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Item'}}}
          /shelves/{shelfName}:
            get:
              operationId: Shelves_Get
              parameters:
                - {in: path, name: shelfname, required: true, type: string}
              responses: {'204': {description: none}}
        definitions:
          Item:
            type: object
            required: [id, missing]
            properties:
              id: {type: string}
        """),
    "odd_schema_names": swagger("""
        paths:
          /x:
            get:
              operationId: X_Get
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Holder'}}}
        definitions:
          Foo-Bar: {type: object, properties: {a: {type: string}}}
          FooBar: {type: object, properties: {b: {type: string}}}
          foo_bar: {type: object, properties: {c: {type: string}}}
          Holder:
            type: object
            properties:
              one: {$ref: '#/definitions/Foo-Bar'}
              two: {$ref: '#/definitions/FooBar'}
              three: {$ref: '#/definitions/foo_bar'}
        """),
    "odd_member_names": swagger("""
        paths:
          /x:
            post:
              operationId: X_Post
              parameters:
                - {in: query, name: self, type: string}
                - {in: query, name: class, type: string}
                - {in: query, name: timeout, type: integer}
                - {in: body, name: body, schema: {$ref: '#/definitions/Odd'}}
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Odd'}}}
        definitions:
          Odd:
            type: object
            properties:
              self: {type: string}
              to_dict: {type: string}
              from_dict: {type: string}
              additional_properties: {type: string}
              _KEYS: {type: string}
              class: {type: string}
              import: {type: string}
              list: {type: string}
              dict: {type: integer}
              str: {type: string}
              field: {type: string}
              classmethod: {type: string}
              ClassVar: {type: string}
              None: {type: string}
              type: {type: string}
              id: {type: string}
              '@odata.type': {type: string}
              '': {type: string}
              '123': {type: string}
        """),
    "odd_enum_values": swagger("""
        paths:
          /x:
            get:
              operationId: X_Get
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Holder'}}}
        definitions:
          Holder:
            type: object
            properties:
              weird:
                type: string
                enum: ['', '1', 'a-b', 'a_b', 'A B', '-', 'None', 'self', 'mro', 'name', 'value', null]
              numeric_strings: {type: string, enum: ['1', '2', '10']}
              mixed: {enum: [1, two, 3.5]}
        """),
    "odd_untyped": swagger("""
        paths:
          /x:
            post:
              operationId: X_Post
              parameters:
                - {in: body, name: body, schema: {}}
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Loose'}}}
        definitions:
          Loose:
            properties:
              anything: {}
              described: {description: no type at all}
              list_of_any: {type: array, items: {}}
          Bare: {}
        """),
    "odd_media_types": swagger("""
        paths:
          /text:
            post:
              operationId: Text_Post
              consumes: [text/plain]
              produces: [text/plain]
              parameters:
                - {in: body, name: body, required: true, schema: {type: string}}
              responses: {'200': {description: ok, schema: {type: string}}}
          /any:
            post:
              operationId: Any_Post
              consumes: ['*/*']
              produces: ['*/*']
              parameters:
                - {in: body, name: body, required: true, schema: {type: string, format: binary}}
              responses: {'200': {description: ok, schema: {type: file}}}
          /anyjson:
            post:
              operationId: AnyJson_Post
              consumes: ['*/*']
              produces: ['*/*']
              parameters:
                - {in: body, name: body, required: true, schema: {$ref: '#/definitions/Doc'}}
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Doc'}}}
        definitions:
          Doc: {type: object, properties: {a: {type: string}}}
        """),
    "odd_scalar_enums": swagger("""
        paths:
          /x:
            get:
              operationId: X_Get
              parameters:
                - {in: query, name: flag, type: boolean, enum: [true]}
                - {in: query, name: flags, type: boolean, enum: [true, false]}
                - {in: query, name: level, type: integer, enum: [1, 2, -3]}
                - {in: query, name: ratio, type: number, enum: [0.5, 1.5]}
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Holder'}}}
        definitions:
          Holder:
            type: object
            properties:
              on: {type: boolean, enum: [true]}
              level: {type: integer, enum: [1, 2, -3]}
              ratio: {type: number, enum: [0.5, 1.5]}
              mislabelled: {type: integer, enum: [Primary, Secondary]}
        """),
    # Known emission problems (the generator's Python side), kept here as failing cases:
    # a method named `list` rebinds `list` for the annotations of the methods after it
    "odd_list_method": swagger("""
        paths:
          /items:
            get:
              operationId: Items_List
              parameters:
                - {in: query, name: ids, type: array, items: {type: string}}
              responses: {'204': {description: none}}
          /items/search:
            get:
              operationId: Items_Search
              parameters:
                - {in: query, name: names, type: array, items: {type: string}}
              responses: {'204': {description: none}}
        """),
    # an optional non-JSON body is passed on as NOT_GIVEN where the runtime takes None
    "odd_optional_raw_body": swagger("""
        paths:
          /blob:
            put:
              operationId: Blob_Put
              consumes: [application/octet-stream]
              parameters:
                - {in: body, name: data, required: false, schema: {type: string, format: binary}}
              responses: {'204': {description: none}}
          /text:
            put:
              operationId: Text_Put
              consumes: [text/plain]
              parameters:
                - {in: body, name: text, required: false, schema: {type: string}}
              responses: {'204': {description: none}}
        """),
    # Several success statuses whose bodies are typed Any (a free-form object, an untyped
    # array) and one model: each status decodes into its own typed local.
    "odd_any_statuses": swagger("""
        paths:
          /x:
            post:
              operationId: X_Post
              responses:
                '200': {description: ok, schema: {type: object}}
                '201': {description: created, schema: {type: array, items: {}}}
                '202': {description: queued, schema: {$ref: '#/definitions/Queued'}}
                '207': {description: multi, schema: {type: object}}
        definitions:
          Queued: {type: object, properties: {ticket: {type: string}}}
        """),
    # Read-only members in every combination of required and nullable (OpenAPI 3.0).
    "odd_read_only": """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /r:
            post:
              operationId: R_Post
              requestBody:
                content: {application/json: {schema: {$ref: '#/components/schemas/R'}}}
              responses:
                '200':
                  description: ok
                  content: {application/json: {schema: {$ref: '#/components/schemas/R'}}}
        components:
          schemas:
            R:
              type: object
              required: [name, id, stamp]
              properties:
                name: {type: string}
                id: {type: integer, readOnly: true}
                stamp: {type: string, nullable: true, readOnly: true}
                note: {type: string, nullable: true, readOnly: true}
                tag: {type: string, readOnly: true}
        """,
    "odd_deep_allof": deep_allof_spec(DEEP),
    "odd_big_enum": big_enum_spec(BIG_ENUM),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("odd"), SPECS)


@pytest.fixture
def client_of(built: Built, server: Server) -> Iterator[Any]:
    clients: list[Any] = []

    def make(name: str) -> Any:
        client = built.package(name).Client(base_url=server.url)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def operation(built: Built, name: str, operation_id: str) -> Operation:
    return next(op for op in built.api(name).operations() if op.id == operation_id)


def warnings_of(built: Built, name: str) -> list[str]:
    return [d.format() for d in built.api(name).diagnostics if d.severity == "warning"]


@pytest.mark.parametrize(
    "name",
    SPECS,
)
def test_every_odd_spec_generates_an_importable_typed_package(built: Built, name: str) -> None:
    built.package(name)
    built.assert_typed(name)


def test_operations_without_operation_id_or_tags(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("odd_no_ids")
    assert [g.name for g in api.groups] == [""]
    assert [(op.method, op.path, op.py_name) for op in api.operations()] == [
        ("get", "/things/{id}", "get_things_id"),
        ("delete", "/things/{id}", "delete_things_id"),
        ("get", "/", "get"),
    ]
    assert not warnings_of(built, "odd_no_ids")
    client = client_of("odd_no_ids")
    server.replies.append(Reply(200, {"a": 1}))
    assert client.get_things_id("t1") == {"a": 1}
    client.delete_things_id("t1")
    client.get()
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/things/t1"),
        ("DELETE", "/things/t1"),
        ("GET", "/"),
    ]


def test_duplicate_operation_ids_are_numbered_apart_with_a_warning(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("odd_duplicate_ids")
    assert [(op.id, op.py_name) for op in api.operations()] == [
        ("Things_Get", "get"),
        ("Things_Get2", "get_2"),
    ]
    warnings = warnings_of(built, "odd_duplicate_ids")
    assert len(warnings) == 1
    assert re.search(r"spec\.yaml:13: warning: duplicate operationId 'Things_Get'", warnings[0])
    client = client_of("odd_duplicate_ids")
    client.things.get()
    client.things.get_2()
    assert [r.path for r in server.requests] == ["/a", "/b"]


def test_wrong_specs_generate_with_a_located_warning_each(
    built: Built, server: Server, client_of: Any
) -> None:
    warnings = warnings_of(built, "odd_wrong_spec")
    expected = [
        r"spec\.yaml:8: warning: path parameter 'itemId' does not appear in the path",
        r"spec\.yaml:8: warning: the path names \{id\} but no path parameter declares it",
        r"spec\.yaml:14: warning: path parameter 'shelfname' is written \{shelfName\}",
        r"spec\.yaml:22: warning: Item: required property 'missing' is not defined",
    ]
    for pattern in expected:
        assert any(re.search(pattern, w) for w in warnings), (pattern, warnings)
    assert len(warnings) == len(expected), warnings
    items = operation(built, "odd_wrong_spec", "Items_Get")
    assert [(p.name, p.required) for p in items.parameters] == [("id", True)]
    shelves = operation(built, "odd_wrong_spec", "Shelves_Get")
    assert shelves.path == "/shelves/{shelfname}"
    client = client_of("odd_wrong_spec")
    server.replies.append(Reply(200, {"id": "i1"}))
    assert client.items.get("i1").id == "i1"
    client.shelves.get("s1")
    assert [r.path for r in server.requests] == ["/items/i1", "/shelves/s1"]


def test_schema_names_that_collide_after_sanitizing(built: Built) -> None:
    api = built.api("odd_schema_names")
    assert [(m.name, m.py_name) for m in api.models] == [
        ("Foo-Bar", "FooBar"),
        ("FooBar", "FooBar2"),
        ("foo_bar", "FooBar3"),
        ("Holder", "Holder"),
    ]
    models = built.package("odd_schema_names").models
    data = {"one": {"a": "1"}, "two": {"b": "2"}, "three": {"c": "3"}}
    holder = models.Holder.from_dict(data)
    assert isinstance(holder.one, models.FooBar) and isinstance(holder.two, models.FooBar2)
    assert isinstance(holder.three, models.FooBar3)
    assert holder.to_dict() == data


def test_members_named_like_keywords_builtins_and_generated_names(
    built: Built, server: Server, client_of: Any
) -> None:
    model = built.api("odd_member_names").models[0]
    assert [f.py_name for f in model.fields] == [
        "self",
        "to_dict_",
        "from_dict_",
        "additional_properties_",
        "keys",
        "class_",
        "import_",
        "list",
        "dict",
        "str",
        "field",
        "classmethod",
        "class_var",
        "none",
        "type",
        "id",
        "odata_type",
        "unnamed",
        "field_123",
    ]
    models = built.package("odd_member_names").models
    wire = {f.name: f"v-{i}" for i, f in enumerate(model.fields)} | {"dict": 7, "extra": True}
    odd = models.Odd.from_dict(wire)
    assert (odd.self, odd.to_dict_, odd.keys, odd.dict, odd.unnamed) == (
        "v-0",
        "v-1",
        "v-4",
        7,
        "v-17",
    )
    assert odd.additional_properties == {"extra": True}
    assert odd.to_dict() == wire
    server.replies.append(Reply(200, wire))
    result = client_of("odd_member_names").x.post(self_="s", class_="c", timeout_=5, body=odd)
    assert result.to_dict() == wire
    request = server.requests[0]
    assert request.query == {"self": ["s"], "class": ["c"], "timeout": ["5"]}
    assert request.json() == wire


def test_enum_values_empty_numeric_and_colliding(built: Built) -> None:
    api = built.api("odd_enum_values")
    weird = next(e for e in api.enums if e.name == "Holder/weird")
    assert [(v.value, v.py_name) for v in weird.values] == [
        ("", "EMPTY"),
        ("1", "VALUE_1"),
        ("a-b", "A_B"),
        ("a_b", "A_B_2"),
        ("A B", "A_B_3"),
        ("-", "VALUE"),
        ("None", "NONE"),
        ("self", "SELF"),
        ("mro", "MRO"),
        ("name", "NAME"),
        ("value", "VALUE_2"),
    ]
    numeric = next(e for e in api.enums if e.name == "Holder/numeric_strings")
    assert numeric.base == "str" and [v.value for v in numeric.values] == ["1", "2", "10"]
    mixed = next(e for e in api.enums if e.name == "Holder/mixed")
    assert mixed.base == "str" and [v.value for v in mixed.values] == ["1", "two", "3.5"]
    models = built.package("odd_enum_values").models
    for value in ["", "1", "a_b", "A B", "mro", "value"]:
        holder = models.Holder.from_dict({"weird": value})
        assert isinstance(holder.weird, models.HolderWeird) and holder.weird.value == value
        assert holder.to_dict() == {"weird": value}


def test_schemas_without_type_are_any(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("odd_untyped")
    loose = next(m for m in api.models if m.name == "Loose")
    assert [(f.name, f.type) for f in loose.fields] == [
        ("anything", AnyType()),
        ("described", AnyType()),
        ("list_of_any", ListType(AnyType())),
    ]
    body = operation(built, "odd_untyped", "X_Post").body
    assert body is not None and body.type == AnyType()
    wire = {"anything": [1, {"a": None}], "described": 3.5, "list_of_any": ["x", 2, None]}
    server.replies.append(Reply(200, wire))
    result = client_of("odd_untyped").x.post(body={"free": ["form"]})
    assert result.to_dict() == wire
    assert server.requests[0].json() == {"free": ["form"]}


def test_several_statuses_with_any_typed_bodies(
    built: Built, server: Server, client_of: Any
) -> None:
    built.assert_typed("odd_any_statuses")
    client = client_of("odd_any_statuses")
    server.replies += [
        Reply(200, {"a": 1}),
        Reply(201, [1, "two"]),
        Reply(202, {"ticket": "t"}),
        Reply(207, {"b": [2]}),
    ]
    assert client.x.post() == {"a": 1}
    assert client.x.post() == [1, "two"]
    assert client.x.post().ticket == "t"
    assert client.x.post() == {"b": [2]}


def test_optional_raw_and_text_bodies_may_be_left_out(
    built: Built, server: Server, client_of: Any
) -> None:
    built.assert_typed("odd_optional_raw_body")
    client = client_of("odd_optional_raw_body")
    server.replies += [Reply(204, b"") for _ in range(4)]
    client.text.put(text="été")
    client.text.put()
    client.blob.put(data=b"\x00")
    client.blob.put()
    assert [(r.headers.get("content-type"), r.body) for r in server.requests] == [
        ("text/plain", "été".encode()),
        (None, b""),
        ("application/octet-stream", b"\x00"),
        (None, b""),
    ]


def test_read_only_members_required_or_not_nullable_or_not(
    built: Built, server: Server, client_of: Any
) -> None:
    built.assert_typed("odd_read_only")
    wire = {"name": "n", "id": 1, "stamp": None, "note": None, "tag": "t"}
    server.replies.append(Reply(200, wire))
    body = built.package("odd_read_only").models.R.from_dict(wire)
    result = client_of("odd_read_only").r.post(body=body)
    assert server.requests[0].json() == {"name": "n"}  # what the service sets is not sent
    assert result.stamp is None and result.to_dict() == wire


def test_text_and_wildcard_media_types(built: Built, server: Server, client_of: Any) -> None:
    text = operation(built, "odd_media_types", "Text_Post")
    assert text.body is not None and (text.body.kind, text.body.content_type) == (
        "text",
        "text/plain",
    )
    assert [(r.kind, r.type) for r in text.responses] == [("text", Primitive("str"))]
    raw = operation(built, "odd_media_types", "Any_Post")
    assert raw.body is not None
    assert (raw.body.kind, raw.body.content_type) == ("binary", "application/octet-stream")
    assert [r.kind for r in raw.responses] == ["binary"]
    doc = operation(built, "odd_media_types", "AnyJson_Post")
    assert doc.body is not None
    assert (doc.body.kind, doc.body.content_type) == ("json", "application/json")
    assert [(r.kind, r.content_type) for r in doc.responses] == [("json", "*/*")]

    client = client_of("odd_media_types")
    server.replies.append(Reply(200, "pong"))
    assert client.text.post(body="ping") == "pong"
    server.replies.append(Reply(200, b"\x00\x01", content_type="application/octet-stream"))
    assert client.any.post(body=b"\xff") == b"\x00\x01"
    server.replies.append(Reply(200, {"a": "b"}))
    assert client.any_json.post(body={"a": "c"}).a == "b"
    sent = [(r.headers["content-type"], r.body) for r in server.requests]
    assert sent == [
        ("text/plain", b"ping"),
        ("application/octet-stream", b"\xff"),
        ("application/json", b'{"a":"c"}'),
    ]


def test_boolean_integer_and_number_enums(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("odd_scalar_enums")
    params = {p.name: p for p in operation(built, "odd_scalar_enums", "X_Get").parameters}
    assert params["flag"].type == LiteralType(True)
    assert params["flags"].type == Primitive("bool")
    level, ratio = params["level"].type, params["ratio"].type
    assert isinstance(level, EnumRef) and isinstance(ratio, EnumRef)
    assert [v.value for v in api.enum(level.id).values] == [1, 2, -3]
    assert [v.py_name for v in api.enum(level.id).values] == ["VALUE_1", "VALUE_2", "VALUE_MINUS_3"]
    assert [v.value for v in api.enum(ratio.id).values] == [0.5, 1.5]
    mislabelled = next(e for e in api.enums if e.name == "Holder/mislabelled")
    assert mislabelled.base == "str"  # `type: integer` with text values: typed by the values
    assert any(
        "Holder/mislabelled: enum values ['Primary', 'Secondary'] are not all of type integer" in w
        for w in warnings_of(built, "odd_scalar_enums")
    )
    models = built.package("odd_scalar_enums").models
    wire = {"on": True, "level": -3, "ratio": 1.5, "mislabelled": "Primary"}
    holder = models.Holder.from_dict(wire)
    assert holder.level == -3 and holder.ratio == 1.5 and holder.on is True
    assert holder.to_dict() == wire
    server.replies.append(Reply(200, wire))
    client_of("odd_scalar_enums").x.get(flag=True, flags=False, level=2, ratio=0.5)
    assert server.requests[0].query == {
        "flag": ["true"],
        "flags": ["false"],
        "level": ["2"],
        "ratio": ["0.5"],
    }


def test_very_deep_allof_chains(built: Built) -> None:
    api = built.api("odd_deep_allof")
    level0 = next(m for m in api.models if m.name == "Level0")
    assert level0.bases == ["Level1"]
    nested = next(m for m in api.models if m.name == "Nested")
    assert len(nested.fields) == DEEP + 1 and not nested.bases
    models = built.package("odd_deep_allof").models
    wire = {f"f{i}": str(i) for i in range(DEEP)} | {"root": "r"}
    level = models.Level0.from_dict(wire)
    assert isinstance(level, models.Level199) and level.root == "r" and level.f150 == "150"
    assert level.to_dict() == wire


def test_a_ten_thousand_value_enum(built: Built) -> None:
    api = built.api("odd_big_enum")
    code = next(e for e in api.enums if e.name == "Code")
    assert len(code.values) == BIG_ENUM and not code.open
    models = built.package("odd_big_enum").models
    assert models.Code("v9999") is models.Code.V_9999


def test_free_form_objects_stay_dicts(built: Built) -> None:
    """A response schema ``{type: object}`` with nothing else is a plain dict."""
    get = operation(built, "odd_no_ids", "getThingsId")
    assert [r.type for r in get.responses if r.status == "200"] == [DictType(AnyType())]


@pytest.mark.parametrize("name", ["odd_wrong_spec", "odd_duplicate_ids"])
def test_strict_turns_the_warnings_into_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    spec = write_spec(tmp_path, SPECS[name])
    assert specgen(["validate", str(spec)]) == 0
    relaxed = capsys.readouterr().err
    assert specgen(["validate", str(spec), "--strict"]) == 1
    strict = capsys.readouterr().err
    assert strict == relaxed and strict.count("warning: ") >= 1
    assert all(re.match(r".+:\d+: warning: ", line) for line in strict.splitlines())
    out = tmp_path / "out"
    assert specgen(["generate", str(spec), "-o", str(out), "-p", "p", "--strict"]) == 1
    assert not out.exists()
