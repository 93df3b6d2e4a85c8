"""The IR built from small inline specs: schemas, enums, inheritance, operations, naming."""

from __future__ import annotations

from pathlib import Path

from generator.ir import (
    MISSING,
    Binary,
    DictType,
    EnumRef,
    ListType,
    ModelRef,
    Operation,
    Parameter,
    Primitive,
    UnionType,
)
from tests.helpers import ir_of, swagger


def field_of(api, model_name, wire):  # type: ignore[no-untyped-def]
    model = next(m for m in api.models if m.name == model_name)
    return next(f for f in model.fields if f.name == wire)


def test_recursive_schema_is_one_model(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Error:
              type: object
              required: [code]
              properties:
                code: {type: string}
                details:
                  type: array
                  items: {$ref: '#/definitions/Error'}
            """),
    )
    assert [m.name for m in api.models] == ["Error"]
    details = field_of(api, "Error", "details")
    assert details.type == ListType(ModelRef("Error"))
    assert field_of(api, "Error", "code").required and not details.required


def test_allof_inherits_refs_and_merges_inline_parts(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Base:
              type: object
              properties:
                id: {type: string}
            Derived:
              allOf:
                - $ref: '#/definitions/Base'
                - type: object
                  required: [size]
                  properties:
                    size: {type: integer, format: int64}
              properties:
                name: {type: string}
            """),
    )
    derived = next(m for m in api.models if m.name == "Derived")
    assert derived.bases == ["Base"]
    assert [f.name for f in derived.fields] == ["size", "name"]
    assert field_of(api, "Derived", "size").type == Primitive("int", "int64")
    assert field_of(api, "Derived", "size").required


def test_swagger_discriminator_maps_subclasses_by_x_ms_discriminator_value(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Pet:
              type: object
              discriminator: kind
              required: [kind]
              properties:
                kind: {type: string}
            Cat:
              x-ms-discriminator-value: cat
              allOf: [{$ref: '#/definitions/Pet'}]
              properties:
                lives: {type: integer}
            Dog:
              allOf: [{$ref: '#/definitions/Pet'}]
            """),
    )
    pet = next(m for m in api.models if m.name == "Pet")
    assert pet.discriminator is not None
    assert pet.discriminator.property == "kind"
    assert pet.discriminator.mapping == {"cat": "Cat", "Dog": "Dog"}


def test_openapi_discriminator_mapping(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        openapi: 3.0.1
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Shape:
              type: object
              required: [type]
              properties:
                type: {type: string}
              discriminator:
                propertyName: type
                mapping:
                  round: '#/components/schemas/Circle'
            Circle:
              allOf:
                - $ref: '#/components/schemas/Shape'
                - type: object
                  properties:
                    radius: {type: number, format: double}
        """,
    )
    shape = next(m for m in api.models if m.name == "Shape")
    assert shape.discriminator is not None and shape.discriminator.mapping["round"] == "Circle"


def test_x_ms_enum_open_closed_and_shared(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Job:
              type: object
              properties:
                status:
                  type: string
                  enum: [running, done]
                  x-ms-enum:
                    name: State
                    modelAsString: true
                    values:
                      - {value: running, name: InProgress, description: Still going.}
                previous:
                  type: string
                  enum: [running, done]
                  x-ms-enum: {name: State, modelAsString: true}
                level:
                  type: string
                  enum: [low, high]
                  x-ms-enum: {name: Level, modelAsString: false}
                color:
                  type: string
                  enum: [red, green]
            """),
    )
    state = next(e for e in api.enums if e.name == "State")
    assert state.open and [v.value for v in state.values] == ["running", "done"]
    assert state.values[0].name == "InProgress" and state.values[0].description == "Still going."
    assert state.values[0].py_name == "IN_PROGRESS"
    assert (
        field_of(api, "Job", "status").type
        == field_of(api, "Job", "previous").type
        == EnumRef(state.id)
    )
    assert not next(e for e in api.enums if e.name == "Level").open
    color = field_of(api, "Job", "color").type
    assert isinstance(color, EnumRef)
    assert api.enum(color.id).py_name == "JobColor"


def test_integer_and_boolean_enums(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Thing:
              type: object
              properties:
                size: {type: integer, enum: [1, 2, 3]}
                flag: {type: boolean, enum: [true, false]}
            """),
    )
    size = field_of(api, "Thing", "size").type
    assert isinstance(size, EnumRef) and api.enum(size.id).base == "int"
    assert [v.py_name for v in api.enum(size.id).values] == ["VALUE_1", "VALUE_2", "VALUE_3"]
    assert field_of(api, "Thing", "flag").type == Primitive("bool")


def test_nullable_readonly_default_and_formats(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Item:
              type: object
              properties:
                created: {type: integer, format: unixtime, readOnly: true}
                updated: {type: string, format: date-time, x-nullable: true}
                day: {type: string, format: date}
                blob: {type: string, format: byte}
                raw: {type: string, format: binary}
                ratio: {type: number, format: float, default: 0.5}
                tags:
                  type: object
                  additionalProperties: {type: string}
                free: {type: object}
                anything: {}
            """),
    )
    assert field_of(api, "Item", "created").read_only
    assert field_of(api, "Item", "created").type == Primitive("int", "unixtime")
    assert field_of(api, "Item", "updated").nullable
    assert field_of(api, "Item", "day").type == Primitive("str", "date")
    assert field_of(api, "Item", "blob").type == Primitive("str", "byte")
    assert field_of(api, "Item", "raw").type == Binary()
    assert field_of(api, "Item", "ratio").default == 0.5
    assert field_of(api, "Item", "day").default is MISSING
    assert field_of(api, "Item", "tags").type == DictType(Primitive("str"))
    assert field_of(api, "Item", "free").type.kind == "dict"
    assert field_of(api, "Item", "anything").type.kind == "any"


def test_openapi_nullable_ref_and_unions(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        openapi: 3.0.1
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Inner:
              type: object
              properties:
                x: {type: string}
            Outer:
              type: object
              properties:
                inner:
                  nullable: true
                  allOf: [{$ref: '#/components/schemas/Inner'}]
                prompt:
                  oneOf:
                    - {type: string}
                    - {type: array, items: {type: string}}
        """,
    )
    inner = field_of(api, "Outer", "inner")
    assert inner.nullable and inner.type == ModelRef("Inner")
    assert field_of(api, "Outer", "prompt").type == UnionType(
        (Primitive("str"), ListType(Primitive("str")))
    )


def test_inline_schemas_get_stable_readable_names(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Order:
              type: object
              properties:
                lines:
                  type: array
                  items:
                    type: object
                    properties:
                      sku: {type: string}
                address:
                  type: object
                  properties:
                    city: {type: string}
            """),
    )
    assert sorted(m.py_name for m in api.models) == ["Order", "OrderAddress", "OrderLinesItem"]


def test_keyword_and_reserved_names_are_escaped(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        swagger("""
            Any:
              type: object
              properties:
                import: {type: string}
                to_dict: {type: string}
                fooBar: {type: string}
                foo_bar: {type: string}
                2fa: {type: string}
                id: {type: string}
            """),
    )
    model = api.models[0]
    assert model.py_name == "AnyModel"
    assert [f.py_name for f in model.fields] == [
        "import_",
        "to_dict_",
        "foo_bar",
        "foo_bar_2",
        "field_2_fa",
        "id",
    ]


def test_operations_group_names_and_client_parameters(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        x-ms-parameterized-host:
          hostTemplate: '{endpoint}/openai'
          useSchemePrefix: false
          parameters: [{$ref: '#/parameters/endpoint'}]
        securityDefinitions:
          api-key: {type: apiKey, in: header, name: api-key}
        paths:
          /files:
            get:
              tags: ['Files:']
              operationId: microsoftAzureFilesList
              parameters: [{$ref: '#/parameters/apiVersion'}]
              responses: {'200': {description: ok}}
          /fine-tunes/{fine-tune-id}:
            get:
              tags: ['Fine-Tunes:']
              operationId: microsoftAzureFinetunesGet
              parameters:
                - {$ref: '#/parameters/apiVersion'}
                - {in: path, name: fine-tune-id, required: true, type: string}
              responses: {'200': {description: ok}}
          /deployments/{id}/embeddings:
            post:
              operationId: Embeddings_Create
              parameters:
                - {in: path, name: id, required: true, type: string}
                - {in: query, name: api-version, required: true, type: string}
              responses: {'200': {description: ok}}
        parameters:
          endpoint: {in: path, name: endpoint, required: true, type: string, x-ms-skip-url-encoding: true, x-ms-parameter-location: client}
          apiVersion: {in: query, name: api-version, required: true, type: string, x-ms-parameter-location: client, x-ms-client-default: '2023-05-15'}
        """,
    )
    assert api.host == "{endpoint}/openai"
    assert [p.name for p in api.host_parameters] == ["endpoint"]
    assert [(p.py_name, p.default) for p in api.client_parameters] == [
        ("api_version", "2023-05-15")
    ]
    assert [(g.py_name, [o.py_name for o in g.operations]) for g in api.groups] == [
        ("files", ["list"]),
        ("fine_tunes", ["get"]),
        ("embeddings", ["create"]),
    ]
    assert api.security[0].kind == "api_key" and api.security[0].parameter == "api-key"


def test_parameter_shared_with_one_value_becomes_client_level(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        openapi: 3.0.1
        info: {title: T, version: "1"}
        servers: [{url: 'https://{host}/v1', variables: {host: {default: example.com}}}]
        paths:
          /a:
            get:
              operationId: A_Get
              parameters:
                - {name: api-version, in: query, required: true, schema: {type: string}}
              responses: {'204': {description: none}}
          /b:
            get:
              operationId: B_Get
              parameters:
                - {name: api-version, in: query, required: true, schema: {type: string, enum: ['2024-02-01']}}
                - {name: id, in: query, schema: {type: string}}
                - {name: id, in: header, schema: {type: string}}
              responses: {'204': {description: none}}
        """,
    )
    assert [(p.name, p.default) for p in api.client_parameters] == [("api-version", "2024-02-01")]
    assert api.host == "https://{host}/v1" and api.host_parameters[0].default == "example.com"
    b = api.groups[1].operations[0]
    assert [p.py_name for p in b.parameters if not p.client] == ["id_query", "id_header"]


def test_swagger_bodies_and_responses(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /upload:
            post:
              operationId: Upload
              consumes: [multipart/form-data]
              parameters:
                - {in: formData, name: purpose, type: string, required: true}
                - {in: formData, name: file, type: file, required: true}
              responses:
                '201': {description: created, schema: {type: object, properties: {id: {type: string}}}}
                default: {description: error, schema: {$ref: '#/definitions/Err'}}
          /content:
            get:
              operationId: Content
              produces: [application/octet-stream]
              responses:
                '200': {description: bytes, schema: {type: file}}
        definitions:
          Err: {type: object, properties: {message: {type: string}}}
        """,
    )
    upload = next(op for op in api.operations() if op.id == "Upload")
    assert upload.body is not None and upload.body.kind == "multipart"
    assert [(f.name, f.is_file) for f in upload.body.form_fields] == [
        ("purpose", False),
        ("file", True),
    ]
    assert [r.status for r in upload.responses] == ["201", "default"]
    assert upload.responses[1].is_error
    content = next(op for op in api.operations() if op.id == "Content")
    assert content.responses[0].kind == "binary"


def test_path_parameter_missing_from_path_is_a_warning_with_its_line(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /items:
            get:
              operationId: Items_Get
              parameters:
                - {in: path, name: id, required: true, type: string}
              responses: {'204': {description: none}}
        """,
    )
    messages = [d.format() for d in api.diagnostics]
    assert any("spec.yaml:5:" in m and "'id'" in m and "warning" in m for m in messages)
    assert [p.name for p in api.operations()[0].parameters] == []  # it could not be sent


def test_the_arguments_of_an_operation_are_what_a_caller_gives() -> None:
    """One rule for the method signature, the README's calls and `specgen diff`."""
    text = Primitive("str")
    op = Operation(
        id="Chat_Create",
        group="chat",
        name="create",
        method="post",
        path="/chat/{id}",
        parameters=[
            Parameter("id", "path", text, required=True),
            Parameter("api-version", "query", text, client=True),
            Parameter("comp", "query", text, default="acl", constant=True),
            Parameter("stream", "query", Primitive("bool")),
            Parameter("x-trace", "header", text),
        ],
        stream_parameter="stream",
    )
    assert [p.name for p in op.arguments()] == ["id", "x-trace"]
    op.stream_parameter = "x-trace"  # a header is no flag that `stream` sets
    assert [p.name for p in op.arguments()] == ["id", "stream", "x-trace"]
