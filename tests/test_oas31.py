"""OpenAPI 3.1: each construct of the 3.1 dialect reaches the IR and the generated code, and
the decoding ones are driven through a local HTTP server."""

from __future__ import annotations

import base64
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.ir import (
    AnyType,
    Binary,
    DictType,
    Discriminator,
    EnumRef,
    ListType,
    LiteralType,
    ModelRef,
    Operation,
    Primitive,
    UnionType,
)
from generator.loader import load_spec
from generator.normalize.openapi31 import OpenApi31Reader
from tests.batch import Built, build_all
from tests.helpers import CORPUS, import_generated, ir_of, write_spec
from tests.server import Reply, Server


def oas31(body: str, version: str = "3.1.0") -> str:
    return f'openapi: "{version}"\n' + textwrap.dedent(body).strip() + "\n"


NULLABLE = oas31("""
    info: {title: Nullable, version: "1"}
    paths:
      /pets/{id}:
        get:
          operationId: Pets_Get
          tags: [Pets]
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
            - {name: since, in: query, schema: {type: [integer, "null"]}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        put:
          operationId: Pets_Put
          tags: [Pets]
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          requestBody:
            required: true
            content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
          responses:
            "204": {description: done}
    components:
      schemas:
        Pet:
          type: object
          required: [name, tag]
          properties:
            name: {type: [string, "null"]}
            age: {type: ["null", integer], exclusiveMinimum: 0, examples: [3]}
            tag: {type: [string, integer]}
            nick:
              oneOf:
                - {type: "null"}
                - {type: string}
    """)

CONST = oas31("""
    info: {title: Const, version: "1"}
    paths:
      /pet/{fixed}:
        get:
          operationId: Pets_Get
          tags: [Pets]
          parameters:
            - {name: fixed, in: path, required: true, schema: {const: here}}
            - {name: mode, in: query, required: true, schema: {const: always}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      /pets:
        get:
          operationId: Pets_List
          tags: [Pets]
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
    components:
      schemas:
        Pet:
          oneOf:
            - {$ref: "#/components/schemas/Cat"}
            - {$ref: "#/components/schemas/Dog"}
        Cat:
          type: object
          required: [kind]
          properties:
            kind: {const: cat}
            name: {type: string}
        Dog:
          type: object
          required: [kind]
          properties:
            kind: {const: dog}
            name: {type: string}
    """)

BYTES = oas31("""
    info: {title: Bytes, version: "1"}
    paths:
      /blobs:
        post:
          operationId: Blobs_Put
          tags: [Blobs]
          requestBody:
            required: true
            content: {application/json: {schema: {$ref: "#/components/schemas/Blob"}}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Blob"}}}
      /raw:
        get:
          operationId: Raw_Get
          tags: [Raw]
          responses:
            "200":
              description: ok
              content:
                application/octet-stream:
                  schema: {type: string, contentMediaType: application/octet-stream}
    components:
      schemas:
        Blob:
          type: object
          required: [data]
          properties:
            data: {type: string, contentEncoding: base64}
            name: {type: string}
    """)

WEBHOOKS = oas31("""
    info: {title: Hooks, version: "1"}
    paths:
      /ping:
        get:
          operationId: Ping_Get
          tags: [Ping]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {type: string}}}
    webhooks:
      newPet:
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  required: [id]
                  properties:
                    id: {type: integer}
                    pet: {$ref: "#/components/schemas/Pet"}
          responses:
            "200": {description: received}
    components:
      schemas:
        Pet:
          type: object
          properties:
            name: {type: string}
    """)

NO_PATHS = oas31(
    """
    info:
      title: Only hooks
      summary: A service that only calls back
      version: "1"
      license: {name: Apache 2.0, identifier: Apache-2.0}
    webhooks:
      statusChanged:
        post:
          operationId: statusChanged
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    status: {type: string}
          responses:
            "200": {description: received}
    """,
    "3.1.1",
)

SCHEMAS = oas31("""
    info: {title: Schemas, version: "1"}
    jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
    paths:
      /things:
        $ref: "#/components/pathItems/Things"
    components:
      pathItems:
        Things:
          get:
            operationId: Things_Get
            tags: [Things]
            responses:
              "200":
                description: ok
                content:
                  application/json: {schema: {$ref: "#/components/schemas/Thing"}}
      schemas:
        User:
          $schema: https://json-schema.org/draft/2020-12/schema
          type: object
          description: A user.
          properties:
            name: {type: string}
        Person:
          type: object
          properties:
            home: {$ref: "#/components/schemas/Person/$defs/Address"}
          $defs:
            Address:
              type: object
              properties:
                street: {type: string}
        Thing:
          type: object
          properties:
            owner: {$ref: "#/components/schemas/User", description: The owner of the thing.}
            maybe_owner:
              $ref: "#/components/schemas/User"
              type: [object, "null"]
            admin:
              $ref: "#/components/schemas/User"
              properties:
                level: {type: integer}
            person: {$ref: "#/components/schemas/Person"}
            pair:
              type: array
              prefixItems: [{type: string}, {type: integer}]
            labels:
              type: object
              patternProperties:
                "^x-": {type: integer}
            extras:
              type: object
              properties:
                a: {type: string}
              unevaluatedProperties: {type: boolean}
            conditional:
              type: string
              if: {maxLength: 3}
              then: {pattern: "^a"}
            dependent:
              type: object
              properties:
                card: {type: string}
              dependentSchemas:
                card: {required: [billing]}
            count: {type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}
            shape: {const: {a: 1}}
    """)

SPECS = {
    "o31_nullable": NULLABLE,
    "o31_const": CONST,
    "o31_bytes": BYTES,
    "o31_webhooks": WEBHOOKS,
    "o31_no_paths": NO_PATHS,
    "o31_schemas": SCHEMAS,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("oas31"), SPECS)


@pytest.fixture
def client_of(built: Built, server: Server) -> Iterator[Any]:
    clients: list[Any] = []

    def make(name: str) -> Any:
        client = built.package(name).Client(base_url=server.url, max_retries=0)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def model(built: Built, name: str, model_name: str) -> Any:
    return next(m for m in built.api(name).models if m.name == model_name)


def fields(built: Built, name: str, model_name: str) -> dict[str, Any]:
    return {f.name: f for f in model(built, name, model_name).fields}


def operation(built: Built, name: str, operation_id: str) -> Operation:
    return next(op for op in built.api(name).operations() if op.id == operation_id)


def warnings_of(built: Built, name: str) -> list[str]:
    return [d.format() for d in built.api(name).diagnostics if d.severity == "warning"]


# --------------------------------------------------------------------------- loading


@pytest.mark.parametrize("name", SPECS)
def test_every_31_spec_generates_an_importable_typed_package(built: Built, name: str) -> None:
    built.package(name)
    built.assert_typed(name)


@pytest.mark.parametrize("version", ["3.1.0", "3.1.1"])
def test_31_versions_load_with_the_31_validator(tmp_path: Path, version: str) -> None:
    spec = load_spec(write_spec(tmp_path, NULLABLE.replace("3.1.0", version)))
    assert spec.version == version
    assert ir_of(tmp_path, NO_PATHS.replace("3.1.1", version)).spec_version == version


def test_31_errors_are_located_file_line_messages(tmp_path: Path) -> None:
    """The 3.1 meta-schema (draft 2020-12) finds what 3.0's cannot express: here a `type`
    list member that is no JSON type, and a webhook that is not a path item."""
    text = NULLABLE.replace("[string, integer]", "[string, text]") + "webhooks: {a: 7}\n"
    path = write_spec(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    lines = [d.format() for d in caught.value.diagnostics]
    assert lines, lines
    assert all(line.startswith(f"{path}:") for line in lines), lines
    numbered = {int(line[len(str(path)) + 1 :].split(":")[0]) for line in lines}
    text_lines = text.splitlines()
    assert any("webhooks" in text_lines[n - 1] for n in numbered), lines
    assert any("[string, text]" in text_lines[n - 1] for n in numbered), lines


def test_31_unknown_keys_are_warnings_not_errors(tmp_path: Path) -> None:
    """A key 3.1 does not define on an operation (`title`) is ignored with a warning."""
    text = NULLABLE.replace("operationId: Pets_Put", "operationId: Pets_Put\n      title: Put")
    path = write_spec(tmp_path, text)
    line = text.splitlines().index("    put:") + 1  # the operation that has it
    assert [w.format() for w in load_spec(path).warnings] == [
        f"{path}:{line}: warning: Unevaluated properties are not allowed ('title' was unexpected)"
    ]


# --------------------------------------------------------------------------- nullable types


def test_type_lists_with_null_are_nullable_and_several_types_a_union(built: Built) -> None:
    pet = fields(built, "o31_nullable", "Pet")
    assert (pet["name"].type, pet["name"].nullable) == (Primitive("str"), True)
    assert (pet["age"].type, pet["age"].nullable) == (Primitive("int"), True)
    assert (pet["tag"].type, pet["tag"].nullable) == (
        UnionType((Primitive("str"), Primitive("int"))),
        False,
    )
    assert (pet["nick"].type, pet["nick"].nullable) == (Primitive("str"), True)
    since = next(
        p for p in operation(built, "o31_nullable", "Pets_Get").parameters if p.name == "since"
    )
    assert (since.type, since.nullable) == (Primitive("int"), True)


def test_nullable_type_lists_decode_and_send_null(
    built: Built, server: Server, client_of: Any
) -> None:
    pkg = built.package("o31_nullable")
    server.on("GET", "/pets/p1", Reply(200, {"name": None, "tag": 7, "nick": None, "age": None}))
    pet = client_of("o31_nullable").pets.get(id="p1")
    assert (pet.name, pet.tag, pet.nick, pet.age) == (None, 7, None, None)
    assert pet.to_dict() == {"name": None, "tag": 7, "nick": None, "age": None}
    client_of("o31_nullable").pets.put(id="p2", body=pkg.models.Pet(name=None, tag="t"))
    assert server.last.json() == {"name": None, "tag": "t"}


# --------------------------------------------------------------------------- const


def test_const_is_a_literal_and_a_const_tagged_oneof_a_discriminated_union(built: Built) -> None:
    api = built.api("o31_const")
    cat, dog = (next(m.id for m in api.models if m.name == n) for n in ("Cat", "Dog"))
    kind = fields(built, "o31_const", "Cat")["kind"]
    assert (kind.type, kind.default) == (LiteralType("cat"), "cat")
    get = operation(built, "o31_const", "Pets_Get")
    assert get.responses[0].type == UnionType(
        (ModelRef(cat), ModelRef(dog)),
        discriminator=Discriminator("kind", {"cat": cat, "dog": dog}),
    )
    fixed = {p.name: (p.type, p.default) for p in get.parameters}
    assert fixed == {
        "fixed": (LiteralType("here"), "here"),
        "mode": (LiteralType("always"), "always"),
    }
    assert all(p.constant for p in get.parameters)  # never an argument


def test_const_tagged_oneof_is_decoded_by_dispatch_on_its_tag(
    built: Built, server: Server, client_of: Any
) -> None:
    """Cat and Dog declare the same keys: only the tag tells them apart."""
    pkg = built.package("o31_const")
    server.on("GET", "/pet/here", Reply(200, {"kind": "dog", "name": "Rex"}))
    server.on("GET", "/pets", Reply(200, [{"kind": "cat"}, {"kind": "dog"}, {"kind": "cow"}]))
    client = client_of("o31_const")
    dog = client.pets.get()
    assert isinstance(dog, pkg.models.Dog) and dog.name == "Rex"
    assert server.requests[0].raw_path == "/pet/here?mode=always"
    many = client.pets.list()
    assert [type(p).__name__ for p in many[:2]] == ["Cat", "Dog"]
    assert many[2] is not None  # an unknown tag is decoded as any union member is
    assert pkg.models.Cat().to_dict() == {"kind": "cat"}


# --------------------------------------------------------------------------- bytes


def test_content_encoding_base64_is_bytes_and_content_media_type_binary(built: Built) -> None:
    data = fields(built, "o31_bytes", "Blob")["data"]
    assert data.type == Primitive("str", "byte")
    raw = operation(built, "o31_bytes", "Raw_Get").responses[0]
    assert (raw.kind, raw.type) == ("binary", Binary())


def test_base64_content_decodes_to_bytes_and_is_sent_encoded(
    built: Built, server: Server, client_of: Any
) -> None:
    pkg = built.package("o31_bytes")
    payload = b"\x00\xffbinary"
    wire = base64.b64encode(payload).decode()
    server.on("POST", "/blobs", Reply(200, {"data": wire, "name": "b"}))
    server.on("GET", "/raw", Reply(200, payload, content_type="application/octet-stream"))
    client = client_of("o31_bytes")
    blob = client.blobs.put(body=pkg.models.Blob(data=payload))
    assert blob.data == payload
    assert server.requests[0].json() == {"data": wire}
    assert client.raw.get() == payload


# --------------------------------------------------------------------------- webhooks


def test_webhook_payloads_are_models_without_client_methods(built: Built) -> None:
    api = built.api("o31_webhooks")
    assert [op.id for op in api.operations()] == ["Ping_Get"]
    payload = model(built, "o31_webhooks", "newPetWebhook/request")
    assert {f.name: f.type for f in payload.fields} == {
        "id": Primitive("int"),
        "pet": ModelRef("Pet"),
    }
    quiet = built.api("o31_no_paths")
    assert quiet.operations() == []
    assert [m.name for m in quiet.models] == ["statusChanged/request"]


def test_webhook_payload_models_decode_and_the_client_calls_only_paths(
    built: Built, server: Server, client_of: Any
) -> None:
    pkg = built.package("o31_webhooks")
    client = client_of("o31_webhooks")
    server.on("GET", "/ping", Reply(200, b'"pong"', content_type="application/json"))
    assert client.ping.get() == "pong"
    assert [r.path for r in server.requests] == ["/ping"]
    methods = {n for n in dir(client) if not n.startswith("_")}
    assert not any("new" in n.lower() or "webhook" in n.lower() for n in methods), methods
    event = pkg.models.NewPetWebhookRequest.from_dict({"id": 3, "pet": {"name": "Tom"}})
    assert (event.id, event.pet.name) == (3, "Tom")
    assert event.to_dict() == {"id": 3, "pet": {"name": "Tom"}}


def test_info_summary_and_license_identifier(built: Built) -> None:
    api = built.api("o31_no_paths")
    assert (api.summary, api.license) == ("A service that only calls back", "Apache-2.0")
    pyproject = tomllib.loads((built.folder / "o31_no_paths" / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == {"text": "Apache-2.0"}
    plain = tomllib.loads((built.folder / "o31_bytes" / "pyproject.toml").read_text())
    assert "license" not in plain["project"]


# --------------------------------------------------------------------------- schema keywords


def test_ref_siblings_override_annotations_and_add_constraints(built: Built) -> None:
    thing = fields(built, "o31_schemas", "Thing")
    user = next(m for m in built.api("o31_schemas").models if m.name == "User")
    assert (thing["owner"].type, thing["owner"].description) == (
        ModelRef(user.id),
        "The owner of the thing.",
    )
    assert (thing["maybe_owner"].type, thing["maybe_owner"].nullable) == (ModelRef(user.id), True)
    admin = built.api("o31_schemas").model(thing["admin"].type.id)
    assert admin.bases == [user.id] and [f.name for f in admin.fields] == ["level"]


def test_defs_path_items_and_pattern_and_unevaluated_properties(built: Built) -> None:
    api = built.api("o31_schemas")
    thing = fields(built, "o31_schemas", "Thing")
    home = fields(built, "o31_schemas", "Person")["home"]
    assert api.model(home.type.id).name == "Address"
    assert [(op.method, op.path) for op in api.operations()] == [("get", "/things")]
    assert thing["labels"].type == DictType(Primitive("int"))
    extras = api.model(thing["extras"].type.id)
    assert extras.additional == Primitive("bool")
    assert thing["count"].type == Primitive("int")


def test_constructs_without_a_python_equivalent_are_typed_with_a_located_warning(
    built: Built,
) -> None:
    thing = fields(built, "o31_schemas", "Thing")
    assert thing["pair"].type == ListType(UnionType((Primitive("str"), Primitive("int"))))
    assert thing["conditional"].type == Primitive("str")
    assert thing["dependent"].type == AnyType()
    assert thing["shape"].type == AnyType()
    lines = SCHEMAS.splitlines()
    found = {}
    for warning in warnings_of(built, "o31_schemas"):
        where, _, message = warning.partition(": warning: ")
        found[message.split(":")[0] + ":" + message.split(":")[1][:20]] = lines[
            int(where.rsplit(":", 1)[1]) - 1
        ].strip()
    assert sorted(found.values()) == sorted(
        [
            "prefixItems: [{type: string}, {type: integer}]",
            "if: {maxLength: 3}",
            "dependentSchemas:",
            "shape: {const: {a: 1}}",
        ]
    ), found


def test_enum_refs_and_examples_keep_working(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        oas31("""
            info: {title: E, version: "1"}
            components:
              schemas:
                Color: {type: string, enum: [red, blue], examples: [red]}
                Paint:
                  type: object
                  properties:
                    color: {$ref: "#/components/schemas/Color", description: Its color.}
            """),
    )
    paint = next(m for m in api.models if m.name == "Paint")
    assert (paint.fields[0].type, paint.fields[0].description) == (
        EnumRef("Color"),
        "Its color.",
    )


# --------------------------------------------------------------------------- the whole of a spec

_NO_CORPUS = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
COUNTED = [
    pytest.param(CORPUS / "oas31-sample" / "baseline_openapi_3.1.yaml", marks=_NO_CORPUS),
    pytest.param(CORPUS / "oas31-sample" / "3.1_specific.openapi.yaml", marks=_NO_CORPUS),
    pytest.param(CORPUS / "azure-openai" / "service-2024-06-01-oas31.yaml", marks=_NO_CORPUS),
    "o31_webhooks",
    "o31_no_paths",
]


@pytest.mark.parametrize("source", COUNTED, ids=lambda s: getattr(s, "name", s))
def test_every_schema_and_operation_of_a_31_spec_reaches_the_output(
    source: Path | str, tmp_path: Path
) -> None:
    """Counted against the raw spec: every components schema, every webhook payload and
    every operation has its class or method in the generated package."""
    from generator.config import Job
    from generator.pipeline import write_job

    spec_path = write_spec(tmp_path, SPECS[source]) if isinstance(source, str) else source
    spec = load_spec(spec_path)
    reader = OpenApi31Reader(spec)
    api = reader.read()
    raw = spec.root.data
    written = write_job(Job(spec=spec_path, output=tmp_path / "out", package_name="counted"))
    package = import_generated(tmp_path / "out", "counted")
    models = package.models
    declared = {m.id: m for m in written.models} | {e.id: e for e in written.enums}

    # every schema: a class of models.py, or an alias the IR types (never dropped)
    schemas = (raw.get("components") or {}).get("schemas") or {}
    for name in schemas:
        pointer = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
        type_ = reader.schemas._by_ref[f"{spec_path.name}{pointer}"]
        if isinstance(type_, (ModelRef, EnumRef)):
            assert hasattr(models, declared[type_.id].py_name), name
        else:
            assert schemas[name].get("type") or schemas[name].get("enum"), (name, type_)

    # every webhook payload: a class of models.py (named after the schema or the webhook)
    payloads = 0
    for hook, item in (raw.get("webhooks") or {}).items():
        for method, raw_op in spec.deref(item, spec.root)[0].items():
            body = spec.deref(raw_op.get("requestBody") or {}, spec.root)[0]
            for media in (body.get("content") or {}).values():
                schema = media["schema"]
                if "$ref" in schema:
                    name = schema["$ref"].rsplit("/", 1)[1]
                else:
                    name = f"{raw_op.get('operationId') or hook + 'Webhook'}/request"
                payload = next(m for m in written.models if m.name == name)
                assert hasattr(models, payload.py_name), (hook, method)
                payloads += 1
    assert payloads == len(raw.get("webhooks") or {})  # one body each, in these specs

    # every operation: a method of its group on the client
    expected = sorted(
        (method, path)
        for path, item in (raw.get("paths") or {}).items()
        for method in (spec.deref(item, spec.root)[0] or {})
        if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    )
    assert sorted((op.method, op.path) for op in api.operations()) == expected
    assert len(written.operations()) == len(expected)
    # A token: a client of a spec that requires credentials refuses to be built without one.
    client = package.Client(base_url="http://127.0.0.1:9", token_provider=lambda: "t")
    try:
        for group in written.groups:
            holder = getattr(client, group.py_name) if group.py_name else client
            for op in group.operations:
                assert callable(getattr(holder, op.py_name)), op.id
    finally:
        client.close()


def test_refs_into_top_level_defs(tmp_path: Path) -> None:
    """``#/$defs/...`` resolves in the document; 3.1 does not define a top-level ``$defs``,
    so it is used with a warning."""
    api = ir_of(
        tmp_path,
        oas31("""
            info: {title: D, version: "1"}
            $defs:
              Point:
                type: object
                properties:
                  x: {type: number}
            components:
              schemas:
                Shape:
                  type: object
                  properties:
                    origin: {$ref: "#/$defs/Point"}
            """),
    )
    shape = next(m for m in api.models if m.name == "Shape")
    assert api.model(shape.fields[0].type.id).name == "Point"
    assert ["'$defs' was unexpected" in d.message for d in api.diagnostics] == [True]


def test_reference_objects_override_the_targets_description(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        oas31("""
            info: {title: R, version: "1"}
            paths:
              /items:
                post:
                  operationId: Items_Add
                  parameters:
                    - {$ref: "#/components/parameters/Limit", description: How many here.}
                  requestBody: {$ref: "#/components/requestBodies/Item", description: The item.}
                  responses:
                    "200": {$ref: "#/components/responses/Done", summary: S, description: Added.}
            components:
              parameters:
                Limit: {name: limit, in: query, description: How many., schema: {type: integer}}
              requestBodies:
                Item:
                  description: Any item.
                  content: {application/json: {schema: {type: object}}}
              responses:
                Done: {description: Finished.}
            """),
    )
    [op] = api.operations()
    assert [p.description for p in op.parameters] == ["How many here."]
    assert op.body is not None and op.body.description == "The item."
    assert [r.description for r in op.responses] == ["Added."]
