"""Azure ``x-ms-*`` extensions, each honoured or safely ignored, each from a tiny inline spec.

Every spec below is generated once (``tests/batch.py``: one mypy run over all packages); each
test checks the IR and/or the generated package against the recording server, and that the
package passes ``mypy --strict``.

Honoured: x-ms-enum, x-ms-pageable, x-ms-long-running-operation(-options), x-ms-client-name
(properties, parameters, body parameters, schemas), x-ms-discriminator-value,
x-ms-parameter-location, x-ms-parameterized-host, x-ms-skip-url-encoding, x-ms-paths,
x-ms-mutability, x-ms-client-default, x-nullable, x-ms-error-response,
x-ms-client-request-id (IR flag; the uuid4 is the emission's part).
Ignored, the wire shape unchanged: x-ms-client-flatten (models stay nested),
x-ms-parameter-grouping (parameters stay separate arguments), x-ms-header-collection-prefix
(the header stays one string), x-ms-secret, x-ms-azure-resource, x-ms-odata, x-ms-external,
and any unknown ``x-`` key.
"""

from __future__ import annotations

import re
import textwrap
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from generator.ir import MISSING, Api, EnumRef, ModelRef, Operation, Parameter, Primitive
from tests.batch import Built, build_all
from tests.server import Reply, Server


def swagger(text: str, host: str = "host: example.com\nschemes: [http]\n") -> str:
    return 'swagger: "2.0"\ninfo: {title: T, version: "1"}\n' + host + textwrap.dedent(text)


SPECS: dict[str, str] = {
    "ext_enum": swagger("""
        paths:
          /things:
            get:
              operationId: Things_Get
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}
        definitions:
          Thing:
            type: object
            properties:
              color:
                type: string
                enum: [red, green]
                x-ms-enum:
                  name: Color
                  modelAsString: true
                  values:
                    - {value: red, name: Crimson, description: A red.}
                    - {value: green}
              size:
                type: string
                enum: [small, large]
                x-ms-enum: {name: Size, modelAsString: false}
        """),
    "ext_pageable": swagger("""
        paths:
          /items:
            get:
              operationId: Items_List
              x-ms-pageable: {nextLinkName: nextLink, itemName: items}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/ItemList'}}
          /single:
            get:
              operationId: Items_ListAll
              x-ms-pageable: {nextLinkName: null}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/ValueList'}}
        definitions:
          Item: {type: object, properties: {id: {type: string}}}
          ItemList:
            type: object
            properties:
              items: {type: array, items: {$ref: '#/definitions/Item'}}
              nextLink: {type: string}
          ValueList:
            type: object
            properties:
              value: {type: array, items: {$ref: '#/definitions/Item'}}
        """),
    "ext_lro": swagger("""
        paths:
          /jobs/{name}:
            put:
              operationId: Jobs_Create
              x-ms-long-running-operation: true
              x-ms-long-running-operation-options: {final-state-via: azure-async-operation}
              parameters:
                - {in: path, name: name, required: true, type: string}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Job'}}
                '201': {description: created, schema: {$ref: '#/definitions/Job'}}
            delete:
              operationId: Jobs_Delete
              x-ms-long-running-operation: true
              parameters:
                - {in: path, name: name, required: true, type: string}
              responses:
                '202': {description: accepted}
                '204': {description: gone}
        definitions:
          Job:
            type: object
            properties:
              name: {type: string}
              status: {type: string}
        """),
    "ext_client_name": swagger("""
        paths:
          /widgets:
            post:
              operationId: Widgets_Create
              parameters:
                - {in: query, name: $top, type: integer, x-ms-client-name: limit}
                - {in: header, name: x-ms-tag, type: string, x-ms-client-name: tagHeader}
                - in: body
                  name: parameters
                  x-ms-client-name: widget
                  required: true
                  schema: {$ref: '#/definitions/widget_resource'}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/widget_resource'}}
        definitions:
          widget_resource:
            x-ms-client-name: Widget
            type: object
            properties:
              properties_name: {type: string, x-ms-client-name: displayName}
        """),
    "ext_flatten": swagger("""
        paths:
          /vms:
            put:
              operationId: Vms_Put
              parameters:
                - {in: body, name: vm, required: true, schema: {$ref: '#/definitions/Vm'}}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Vm'}}
        definitions:
          Vm:
            type: object
            properties:
              name: {type: string}
              properties:
                x-ms-client-flatten: true
                $ref: '#/definitions/VmProperties'
          VmProperties:
            type: object
            properties:
              size: {type: string}
        """),
    "ext_discriminator": swagger("""
        paths:
          /pets:
            get:
              operationId: Pets_Get
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}
        definitions:
          Pet:
            type: object
            discriminator: kind
            required: [kind]
            properties:
              kind: {type: string}
          Cat:
            x-ms-discriminator-value: Microsoft.Cat
            allOf: [{$ref: '#/definitions/Pet'}]
            properties:
              lives: {type: integer}
        """),
    "ext_parameter_location": swagger("""
        paths:
          /subscriptions/{subscriptionId}/a:
            get:
              operationId: A_Get
              parameters:
                - $ref: '#/parameters/SubscriptionId'
                - $ref: '#/parameters/Format'
              responses: {'204': {description: none}}
          /subscriptions/{subscriptionId}/b:
            get:
              operationId: B_Get
              parameters:
                - $ref: '#/parameters/SubscriptionId'
                - $ref: '#/parameters/Format'
              responses: {'204': {description: none}}
        parameters:
          SubscriptionId:
            {in: path, name: subscriptionId, required: true, type: string, x-ms-parameter-location: client}
          Format:
            {in: query, name: format, required: true, type: string, enum: [json], x-ms-parameter-location: method}
        """),
    "ext_grouping": swagger("""
        paths:
          /search:
            get:
              operationId: Search_Run
              parameters:
                - {in: query, name: top, type: integer, x-ms-parameter-grouping: {name: search-options}}
                - {in: query, name: skip, type: integer, x-ms-parameter-grouping: {name: search-options}}
              responses: {'204': {description: none}}
        """),
    "ext_host": swagger(
        """
        x-ms-parameterized-host:
          hostTemplate: '{endpoint}'
          useSchemePrefix: false
          parameters:
            - $ref: '#/parameters/Endpoint'
        paths:
          /ping:
            get:
              operationId: Ping_Get
              responses: {'204': {description: none}}
        """,
        host="",
    ),
    "ext_skip_encoding": swagger("""
        paths:
          /blobs/{blobPath}:
            get:
              operationId: Blobs_Get
              parameters:
                - {in: path, name: blobPath, required: true, type: string, x-ms-skip-url-encoding: true}
                - {in: query, name: q, type: string}
              responses: {'204': {description: none}}
        """),
    "ext_paths": swagger("""
        paths:
          /queue:
            get:
              operationId: Queue_Get
              responses: {'204': {description: none}}
        x-ms-paths:
          /queue?comp=acl:
            get:
              operationId: Queue_GetAcl
              parameters:
                - {in: query, name: comp, required: true, type: string, enum: [acl]}
              responses: {'204': {description: none}}
          /queue?comp=list&restype=service:
            get:
              operationId: Queue_GetList
              responses: {'204': {description: none}}
        """),
    "ext_header_prefix": swagger("""
        paths:
          /meta:
            put:
              operationId: Meta_Set
              parameters:
                - {in: header, name: x-ms-meta, type: string, x-ms-header-collection-prefix: x-ms-meta-}
              responses:
                '200':
                  description: ok
                  headers:
                    x-ms-meta: {type: string, x-ms-header-collection-prefix: x-ms-meta-}
        """),
    "ext_mutability": swagger("""
        paths:
          /things:
            put:
              operationId: Things_Put
              parameters:
                - {in: body, name: thing, required: true, schema: {$ref: '#/definitions/Thing'}}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}
        definitions:
          Thing:
            type: object
            x-ms-azure-resource: true
            properties:
              id: {type: string, x-ms-mutability: [read]}
              etag: {type: string, x-ms-mutability: [read, create]}
              password: {type: string, x-ms-secret: true}
              name: {type: string}
        """),
    "ext_client_default": swagger("""
        paths:
          /a:
            get:
              operationId: A_Get
              parameters:
                - $ref: '#/parameters/ApiVersion'
              responses: {'204': {description: none}}
        parameters:
          ApiVersion:
            in: query
            name: api-version
            required: true
            type: string
            x-ms-parameter-location: client
            x-ms-client-default: '2024-01-01'
        """),
    "ext_nullable": swagger("""
        paths:
          /things:
            put:
              operationId: Things_Put
              parameters:
                - {in: body, name: thing, required: true, schema: {$ref: '#/definitions/Thing'}}
              responses:
                '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}
        definitions:
          Thing:
            type: object
            properties:
              note: {type: string, x-nullable: true}
              plain: {type: string}
        """),
    "ext_error_response": swagger("""
        paths:
          /things/{id}:
            head:
              operationId: Things_Exists
              parameters:
                - {in: path, name: id, required: true, type: string}
              responses:
                '204': {description: exists}
                '404': {description: missing, x-ms-error-response: false}
            get:
              operationId: Things_Get
              parameters:
                - {in: path, name: id, required: true, type: string}
              responses:
                '200': {description: ok, schema: {type: object}}
                '404':
                  description: missing
                  x-ms-error-response: true
                  schema: {$ref: '#/definitions/Error'}
        definitions:
          Error:
            type: object
            properties:
              code: {type: string}
              message: {type: string}
        """),
    "ext_ignored": swagger("""
        x-vendor-top: {anything: [1, 2]}
        paths:
          x-path-level: true
          /people:
            x-item-level: {a: b}
            get:
              operationId: People_List
              x-ms-odata: '#/definitions/Person'
              x-whatever: 42
              parameters:
                - {in: query, name: $filter, type: string, x-unknown-param: [x]}
              responses:
                '200':
                  description: ok
                  x-response-level: yes
                  schema: {$ref: '#/definitions/Person'}
        definitions:
          Person:
            type: object
            x-ms-external: true
            x-custom: {nested: {deep: true}}
            properties:
              name: {type: string, x-prop-level: 1}
        """),
    "ext_request_id": swagger("""
        paths:
          /ping:
            get:
              operationId: Ping_Get
              parameters:
                - {in: header, name: x-ms-client-request-id, type: string, x-ms-client-request-id: true}
              responses: {'204': {description: none}}
        """),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("extensions"), SPECS)


@pytest.fixture
def client_of(built: Built, server: Server) -> Iterator[Any]:
    """client_of(name, **options): a sync client of that package, talking to the server."""
    clients: list[Any] = []

    def make(name: str, **options: Any) -> Any:
        package = built.package(name)
        if "endpoint" not in options:
            options.setdefault("base_url", server.url)
        client = package.Client(**options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def operation(api: Api, operation_id: str) -> Operation:
    return next(op for op in api.operations() if op.id == operation_id)


def parameter(op: Operation, name: str) -> Parameter:
    return next(p for p in op.parameters if p.name == name)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_extension_spec_generates_a_typed_package(built: Built, name: str) -> None:
    built.assert_typed(name)
    built.package(name)


def test_x_ms_enum_names_values_and_openness(built: Built) -> None:
    api = built.api("ext_enum")
    color = next(e for e in api.enums if e.name == "Color")
    size = next(e for e in api.enums if e.name == "Size")
    assert color.open and not size.open
    assert [(v.value, v.py_name, v.description) for v in color.values] == [
        ("red", "CRIMSON", "A red."),
        ("green", "GREEN", ""),
    ]
    models = built.package("ext_enum").models
    thing = models.Thing.from_dict({"color": "red", "size": "large"})
    assert thing.color is models.Color.CRIMSON and thing.size is models.Size.LARGE
    assert models.Thing.from_dict({"color": "blue"}).color == "blue"  # open: kept as text
    assert thing.to_dict() == {"color": "red", "size": "large"}


def test_x_ms_pageable_follows_next_links(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("ext_pageable")
    paging = operation(api, "Items_List").paging
    assert paging is not None and (paging.item_name, paging.next_link_name) == (
        "items",
        "nextLink",
    )
    single = operation(api, "Items_ListAll").paging
    assert single is not None and (single.item_name, single.next_link_name) == ("value", None)
    client = client_of("ext_pageable")
    server.on("GET", "/items", Reply(200, {"items": [{"id": "a"}], "nextLink": server.url + "/p2"}))
    server.on("GET", "/p2", Reply(200, {"items": [{"id": "b"}]}))
    assert [item.id for item in client.items.list()] == ["a", "b"]
    server.on("GET", "/single", Reply(200, {"value": [{"id": "c"}], "nextLink": "/ignored"}))
    assert [item.id for item in client.items.list_all()] == ["c"]
    assert [r.path for r in server.requests] == ["/items", "/p2", "/single"]


def test_x_ms_long_running_operation_polls(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("ext_lro")
    create = operation(api, "Jobs_Create")
    assert create.long_running is not None
    assert create.long_running.final_state_via == "azure-async-operation"
    assert create.py_name == "begin_create"
    delete = operation(api, "Jobs_Delete")
    assert delete.long_running is not None and delete.long_running.final_state_via == ""
    client = client_of("ext_lro")
    monitor = server.url + "/monitor/1"
    server.on(
        "PUT",
        "/jobs/j1",
        Reply(
            201,
            {"name": "j1", "status": "Running"},
            {"Azure-AsyncOperation": monitor, "Retry-After": "0"},
        ),
    )
    server.on("GET", "/monitor/1", Reply(200, {"name": "j1", "status": "Succeeded"}))
    server.on("GET", "/jobs/j1", Reply(200, {"name": "j1", "status": "Original"}))
    job = client.jobs.begin_create("j1").result()
    # final-state-via: azure-async-operation: the result is the status monitor's answer
    assert (job.name, job.status) == ("j1", "Succeeded")
    assert [(r.method, r.path) for r in server.requests][:2] == [
        ("PUT", "/jobs/j1"),
        ("GET", "/monitor/1"),
    ]
    assert ("GET", "/jobs/j1") not in [(r.method, r.path) for r in server.requests]


def test_x_ms_client_name_renames_without_touching_the_wire(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("ext_client_name")
    model = api.models[0]
    assert (model.name, model.py_name) == ("widget_resource", "Widget")
    assert model.fields[0].py_name == "display_name"
    op = operation(api, "Widgets_Create")
    assert [(p.name, p.py_name) for p in op.parameters] == [
        ("$top", "limit"),
        ("x-ms-tag", "tag_header"),
    ]
    assert op.body is not None and op.body.py_name == "widget"
    package = built.package("ext_client_name")
    client = client_of("ext_client_name")
    server.replies.append(Reply(200, {"properties_name": "w"}))
    result = client.widgets.create(
        widget=package.models.Widget(display_name="w"), limit=3, tag_header="t"
    )
    assert result.display_name == "w"
    request = server.requests[0]
    assert request.query == {"$top": ["3"]}
    assert request.headers["x-ms-tag"] == "t"
    assert request.json() == {"properties_name": "w"}


def test_x_ms_client_flatten_is_ignored_and_the_wire_stays_nested(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("ext_flatten")
    vm = next(m for m in api.models if m.name == "Vm")
    assert [f.name for f in vm.fields] == ["name", "properties"]
    assert vm.fields[1].type == ModelRef("VmProperties")
    models = built.package("ext_flatten").models
    client = client_of("ext_flatten")
    server.replies.append(Reply(200, {"name": "v", "properties": {"size": "L"}}))
    result = client.vms.put(vm=models.Vm(name="v", properties=models.VmProperties(size="L")))
    assert result.properties.size == "L"
    assert server.requests[0].json() == {"name": "v", "properties": {"size": "L"}}


def test_x_ms_discriminator_value_selects_the_subclass(built: Built) -> None:
    api = built.api("ext_discriminator")
    pet = next(m for m in api.models if m.name == "Pet")
    assert pet.discriminator is not None
    assert pet.discriminator.mapping == {"Microsoft.Cat": "Cat"}
    models = built.package("ext_discriminator").models
    cat = models.Pet.from_dict({"kind": "Microsoft.Cat", "lives": 9})
    assert isinstance(cat, models.Cat) and cat.lives == 9
    assert cat.to_dict() == {"kind": "Microsoft.Cat", "lives": 9}


def test_x_ms_parameter_location(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("ext_parameter_location")
    assert [p.name for p in api.client_parameters] == ["subscriptionId"]
    op = operation(api, "A_Get")
    assert parameter(op, "subscriptionId").client
    # `method` keeps a parameter every operation shares with one value out of the client
    assert not parameter(op, "format").client
    client = client_of("ext_parameter_location", subscription_id="sub-1")
    client.a.get(format="json")
    assert server.requests[0].raw_path == "/subscriptions/sub-1/a?format=json"


def test_x_ms_parameter_grouping_is_ignored(built: Built, server: Server, client_of: Any) -> None:
    op = operation(built.api("ext_grouping"), "Search_Run")
    assert [(p.name, p.py_name, p.required) for p in op.parameters] == [
        ("top", "top", False),
        ("skip", "skip", False),
    ]
    client_of("ext_grouping").search.run(top=2, skip=4)
    assert server.requests[0].query == {"top": ["2"], "skip": ["4"]}


def test_x_ms_parameterized_host_with_a_dangling_ref(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("ext_host")
    assert api.host == "{endpoint}"
    assert [(p.name, p.type) for p in api.host_parameters] == [("endpoint", Primitive("str"))]
    warnings = [d.format() for d in api.diagnostics]
    assert any(
        re.search(r"spec\.yaml:\d+: warning: \$ref '#/parameters/Endpoint' not found", w)
        for w in warnings
    ), warnings
    client_of("ext_host", endpoint=server.url).ping.get()
    assert server.requests[0].path == "/ping"


def test_x_ms_skip_url_encoding(built: Built, server: Server, client_of: Any) -> None:
    op = operation(built.api("ext_skip_encoding"), "Blobs_Get")
    assert parameter(op, "blobPath").skip_url_encoding
    assert not parameter(op, "q").skip_url_encoding
    client_of("ext_skip_encoding").blobs.get("dir/sub dir/file.txt")
    assert server.requests[0].path == "/blobs/dir/sub%20dir/file.txt"  # the slashes stay


def test_x_ms_paths_query_keys_become_fixed_parameters(built: Built) -> None:
    api = built.api("ext_paths")
    plain, acl, listing = (
        operation(api, i) for i in ("Queue_Get", "Queue_GetAcl", "Queue_GetList")
    )
    assert plain.path == acl.path == listing.path == "/queue"
    assert [(p.name, p.default, p.constant, p.required) for p in acl.parameters] == [
        ("comp", "acl", True, True)
    ]
    assert [(p.name, p.default, p.constant) for p in listing.parameters] == [
        ("comp", "list", True),
        ("restype", "service", True),
    ]
    assert not plain.parameters
    # no collision with the operation of `paths`: three methods on one group
    assert sorted(op.py_name for op in api.operations()) == ["get", "get_acl", "get_list"]
    assert not api.client_parameters  # a fixed value is no client setting


def test_x_ms_paths_fixed_parameters_are_sent_with_every_call(
    built: Built, server: Server, client_of: Any
) -> None:
    client = client_of("ext_paths")
    client.queue.get_list()
    client.queue.get_acl()
    client.queue.get()
    assert [r.raw_path for r in server.requests] == [
        "/queue?comp=list&restype=service",
        "/queue?comp=acl",
        "/queue",
    ]


def test_x_ms_header_collection_prefix_is_ignored(
    built: Built, server: Server, client_of: Any
) -> None:
    op = operation(built.api("ext_header_prefix"), "Meta_Set")
    assert parameter(op, "x-ms-meta").type == Primitive("str")
    client_of("ext_header_prefix").meta.set(x_ms_meta="a=b")
    assert server.requests[0].headers["x-ms-meta"] == "a=b"


def test_x_ms_mutability_read_only_is_never_sent(
    built: Built, server: Server, client_of: Any
) -> None:
    thing = next(m for m in built.api("ext_mutability").models if m.name == "Thing")
    assert [(f.name, f.read_only) for f in thing.fields] == [
        ("id", True),
        ("etag", False),
        ("password", False),
        ("name", False),
    ]
    models = built.package("ext_mutability").models
    client = client_of("ext_mutability")
    server.replies.append(Reply(200, {"id": "/x/1", "etag": "e", "name": "n"}))
    result = client.things.put(thing=models.Thing(id="/x/1", etag="e", password="p", name="n"))
    assert result.id == "/x/1"  # decoded from the service ...
    assert server.requests[0].json() == {"etag": "e", "password": "p", "name": "n"}  # not sent


def test_x_ms_client_default(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("ext_client_default")
    assert [(p.name, p.default) for p in api.client_parameters] == [("api-version", "2024-01-01")]
    client_of("ext_client_default").a.get()
    assert server.requests[0].query == {"api-version": ["2024-01-01"]}


def test_x_nullable_keeps_null_apart_from_absent(built: Built) -> None:
    thing = next(m for m in built.api("ext_nullable").models if m.name == "Thing")
    assert [(f.name, f.nullable) for f in thing.fields] == [("note", True), ("plain", False)]
    models = built.package("ext_nullable").models
    assert models.Thing(note=None).to_dict() == {"note": None}
    assert models.Thing().to_dict() == {}
    assert models.Thing.from_dict({"note": None}).note is None


def test_x_ms_error_response(built: Built, server: Server, client_of: Any) -> None:
    api = built.api("ext_error_response")
    exists = operation(api, "Things_Exists")
    assert [(r.status, r.is_error) for r in exists.responses] == [("204", False), ("404", False)]
    get = operation(api, "Things_Get")
    assert [(r.status, r.is_error) for r in get.responses] == [("200", False), ("404", True)]
    package = built.package("ext_error_response")
    server.replies.append(Reply(404, {"code": "NotFound", "message": "no such thing"}))
    with pytest.raises(package.NotFoundError) as caught:
        client_of("ext_error_response").things.get("x")
    assert caught.value.error.code == "NotFound"


def test_unknown_and_informational_extensions_are_ignored(
    built: Built, server: Server, client_of: Any
) -> None:
    api = built.api("ext_ignored")
    assert [op.id for op in api.operations()] == ["People_List"]
    person = next(m for m in api.models if m.name == "Person")
    assert [f.name for f in person.fields] == ["name"]
    server.replies.append(Reply(200, {"name": "Ada"}))
    assert client_of("ext_ignored").people.list(filter="name eq 'Ada'").name == "Ada"


def test_x_ms_client_request_id_is_flagged_and_optional(built: Built) -> None:
    op = operation(built.api("ext_request_id"), "Ping_Get")
    param = parameter(op, "x-ms-client-request-id")
    assert param.client_request_id and not param.required and param.default is MISSING


def test_x_ms_client_request_id_sends_a_fresh_uuid(
    built: Built, server: Server, client_of: Any
) -> None:
    client = client_of("ext_request_id")
    client.ping.get()
    client.ping.get()
    client.ping.get(x_ms_client_request_id="mine")
    sent = [r.headers.get("x-ms-client-request-id", "") for r in server.requests]
    assert sent[2] == "mine"
    assert uuid.UUID(sent[0]).version == 4 and uuid.UUID(sent[1]).version == 4
    assert sent[0] != sent[1]


def test_enum_ref_types_stay_declarations(built: Built) -> None:
    """x-ms-enum with a name is one shared declaration (no per-use copies)."""
    thing = next(m for m in built.api("ext_enum").models if m.name == "Thing")
    assert all(isinstance(f.type, EnumRef) for f in thing.fields)
