"""A JSON object body's members are keyword arguments; model attributes keep their wire names;
responses decode as leniently as the official SDKs do.

The specs below are generated once with one ``mypy --strict`` run (``tests/batch.py``); a
second mypy run checks code written against the packages: calls it must accept, and calls it
must reject (a wrong type, a missing required member, an unknown argument, both ways at once).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.batch import Built, build_all
from tests.helpers import ROOT
from tests.server import Reply, Server

INFERENCE = ROOT / "generated" / "azure-openai-inference"

MEMBERS = """
openapi: 3.0.3
info: {title: Members, version: "1"}
servers: [{url: "http://example.com"}]
paths:
  /things/{id}:
    post:
      operationId: Things_Create
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: name, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /optional:
    post:
      operationId: Things_Touch
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Touch"}
      responses:
        "204": {description: done}
  /form:
    post:
      operationId: Things_Form
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string}
                size: {type: integer}
                when: {type: integer, format: unixtime}
                attachment: {type: string, format: binary}
      responses:
        "204": {description: done}
  /batch:
    post:
      operationId: Things_Batch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items: {$ref: "#/components/schemas/Part"}
      responses:
        "204": {description: done}
components:
  schemas:
    Part:
      type: object
      required: [key]
      properties:
        key: {type: string}
        tags:
          type: object
          additionalProperties: {$ref: "#/components/schemas/Part"}
    Touch:
      type: object
      required: [reason]
      properties:
        reason: {type: string}
    Thing:
      type: object
      required: [label, parts]
      properties:
        label: {type: string, description: What the thing is called.}
        parts:
          type: array
          items: {$ref: "#/components/schemas/Part"}
        count: {type: integer}
        note: {type: string, nullable: true}
        when: {type: integer, format: unixtime}
        main: {$ref: "#/components/schemas/Part"}
        id: {type: string}
        name: {type: string}
        timeout: {type: number}
        class: {type: string}
        created: {type: string, readOnly: true}
"""

NAMES = """
openapi: 3.0.3
info: {title: Names, version: "1"}
servers: [{url: "http://example.com"}]
paths:
  /file:
    get:
      operationId: File_Get
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/File"}
components:
  schemas:
    File:
      type: object
      required: [bytes, object]
      properties:
        object: {type: string}
        bytes: {type: integer}
        str: {type: string}
        dict: {type: object, additionalProperties: {type: string}}
        field: {type: string}
        classmethod: {type: string}
        date: {type: string, format: date}
        datetime: {type: string, format: date-time}
        data: {type: string, format: byte}
        born: {type: string, format: date}
        seen: {type: string, format: date-time}
        labels: {type: object, additionalProperties: {type: string}}
        to_dict: {type: string}
        from: {type: string}
    Base:
      type: object
      properties:
        note: {type: string, nullable: true}
    Derived:  # its own module: its to_dict tests the inherited `note` for NotGiven
      allOf:
        - {$ref: "#/components/schemas/Base"}
        - type: object
          properties:
            extra: {type: string}
"""

LENIENT = """
openapi: 3.0.3
info: {title: Lenient, version: "1"}
servers: [{url: "http://example.com"}]
paths:
  /answer:
    get:
      operationId: Answer_Get
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Answer"}
  /pets:
    get:
      operationId: Pets_List
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Color:
      type: string
      enum: [red, blue]
      x-ms-enum: {name: Color, modelAsString: false}
    Message:
      type: object
      required: [role, refusal]
      properties:
        role: {type: string}
        refusal: {type: string}
    Answer:
      type: object
      required: [id, created, message, choices, color, count]
      properties:
        id: {type: string}
        created: {type: string, format: date-time}
        message: {$ref: "#/components/schemas/Message"}
        choices:
          type: array
          items: {$ref: "#/components/schemas/Message"}
        color: {$ref: "#/components/schemas/Color"}
        count: {type: integer}
        maybe: {type: string, nullable: true}
        palette:
          type: array
          items: {$ref: "#/components/schemas/Color"}
        by_name:
          type: object
          additionalProperties: {$ref: "#/components/schemas/Message"}
        color_of:
          type: object
          additionalProperties: {$ref: "#/components/schemas/Color"}
    Pet:
      type: object
      required: [kind]
      discriminator:
        propertyName: kind
        mapping: {cat: "#/components/schemas/Cat"}
      properties:
        kind: {type: string}
        name: {type: string}
    Cat:
      allOf:
        - {$ref: "#/components/schemas/Pet"}
        - type: object
          properties:
            lives: {type: integer}
"""

SPECS = {"members_pkg": MEMBERS, "names_pkg": NAMES, "lenient_pkg": LENIENT}

# Code a user writes against the packages; mypy must accept it.
ACCEPTED = """
from members_pkg import Client
from members_pkg.models import Part
from azure_openai_inference import Client as Inference

client = Client(base_url="http://127.0.0.1:1")
client.things.create("t1", label="x", parts=[Part(key="a"), {"key": "b", "tags": {"c": Part(key="c")}}])
client.things.create("t1", body={"label": "x", "parts": []}, name="q")
client.things.create("t1", label="x", parts=[], note=None, count=3, id_body="i", timeout_body=1.5)
client.things.touch()
client.things.touch(reason="r")
client.things.batch(body=[Part(key="a")])
client.things.form(title="t", size=3)
chat = Inference(endpoint="http://127.0.0.1:1", api_key="k")
chat.chat_completions.create(
    "gpt-35-turbo", messages=[{"role": "user", "content": "Hi"}], temperature=0.2
)
"""

# Each line must be rejected by mypy (the line numbers are checked one by one).
REJECTED = [
    'client.things.form(title="t", size="3")',  # a wrong form field type
    'client.things.create("t1", label=1, parts=[])',  # a wrong type
    'client.things.create("t1", parts=[])',  # a missing required member
    'client.things.create("t1", label="x", parts=[], colour="red")',  # an unknown argument
    'client.things.create("t1", label="x", parts=[], body={"label": "x"})',  # both at once
    'client.things.create("t1", label="x", parts=[], note=1)',  # a wrong optional type
    'client.things.create("t1", label="x", parts=["p"])',  # a wrong nested type
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("members"), SPECS)


@pytest.fixture(scope="module")
def user_code_errors(built: Built) -> tuple[list[str], list[str]]:
    """mypy --strict over the accepted and the rejected user code: (accepted's error lines,
    rejected's)."""
    for name in SPECS:
        built.api(name)
    folder = built.folder / "user"
    folder.mkdir(exist_ok=True)
    (folder / "accepted.py").write_text(textwrap.dedent(ACCEPTED), encoding="utf-8")
    head = "from members_pkg import Client\n\nclient = Client(base_url='http://127.0.0.1:1')\n"
    (folder / "rejected.py").write_text(head + "\n".join(REJECTED) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(built.folder / ".mypy_cache"),
            "accepted.py",
            "rejected.py",
        ],
        env={
            **os.environ,
            "MYPYPATH": os.pathsep.join([*(str(built.folder / n) for n in SPECS), str(INFERENCE)]),
        },
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    lines = [line for line in (done.stdout + done.stderr).splitlines() if ": error:" in line]
    return (
        [line for line in lines if line.startswith("accepted.py")],
        [line for line in lines if line.startswith("rejected.py")],
    )


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


# --------------------------------------------------------------------------- body members


def test_the_packages_type_check(built: Built) -> None:
    for name in SPECS:
        built.assert_typed(name)


def test_members_are_sent_with_models_and_mappings_mixed_at_any_depth(
    built: Built, server: Server, client_of: Any
) -> None:
    models = built.package("members_pkg").models
    client = client_of("members_pkg")
    server.replies.append(Reply(200, {"label": "x", "parts": []}))
    when = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    client.things.create(
        "t1",
        name="q",
        label="x",
        parts=[
            models.Part(key="a", tags={"n": models.Part(key="n")}),
            {"key": "b", "tags": {"m": models.Part(key="m", tags={"z": models.Part(key="z")})}},
        ],
        main={"key": "main", "tags": {"deep": models.Part(key="deep")}},
        note=None,
        when=when,
        class_="c",
        id_body="body-id",
        name_body="body-name",
        timeout_body=2.5,
    )
    request = server.requests[0]
    assert request.path == "/things/t1"
    assert request.query == {"name": ["q"]}
    assert request.json() == {
        "label": "x",
        "parts": [
            {"key": "a", "tags": {"n": {"key": "n"}}},
            {"key": "b", "tags": {"m": {"key": "m", "tags": {"z": {"key": "z"}}}}},
        ],
        "main": {"key": "main", "tags": {"deep": {"key": "deep"}}},
        "note": None,
        "when": int(when.timestamp()),
        "class": "c",
        "id": "body-id",
        "name": "body-name",
        "timeout": 2.5,
    }


def test_members_not_passed_are_not_sent(server: Server, client_of: Any) -> None:
    client = client_of("members_pkg")
    server.replies.append(Reply(200, {"label": "x", "parts": []}))
    client.things.create("t1", label="x", parts=[])
    assert server.requests[0].json() == {"label": "x", "parts": []}


def test_a_member_named_like_a_parameter_or_an_option_takes_the_body_suffix(built: Built) -> None:
    op = next(op for op in built.api("members_pkg").operations() if op.id == "Things_Create")
    assert op.body is not None
    assert op.body.py_members == {
        "label": "label",
        "parts": "parts",
        "count": "count",
        "note": "note",
        "when": "when",
        "main": "main",
        "id": "id_body",
        "name": "name_body",
        "timeout": "timeout_body",
        "class": "class_",
    }  # the read-only `created` is never sent: no argument


def test_body_stays_the_alternative_and_both_at_once_is_a_type_error(
    built: Built, server: Server, client_of: Any
) -> None:
    models = built.package("members_pkg").models
    client = client_of("members_pkg")
    server.replies.append(Reply(200, {"label": "x", "parts": []}))
    client.things.create("t1", body={"label": "y", "parts": [models.Part(key="p")]})
    assert server.requests[0].json() == {"label": "y", "parts": [{"key": "p"}]}
    with pytest.raises(TypeError, match="not both"):
        client.things.create("t1", body={"label": "y", "parts": []}, label="x")
    with pytest.raises(TypeError, match="missing required body member.*parts"):
        client.things.create("t1", label="x")
    assert len(server.requests) == 1  # neither mistake reached the wire


def test_an_optional_body_without_members_is_not_sent(server: Server, client_of: Any) -> None:
    client = client_of("members_pkg")
    client.things.touch()
    client.things.touch(reason="r")
    assert [r.body for r in server.requests] == [b"", b'{"reason":"r"}']


def test_optional_form_fields_are_not_sent_by_default(server: Server, client_of: Any) -> None:
    client = client_of("members_pkg")
    client.things.form(title="t")
    when = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    client.things.form(title="u", size=3, when=when, attachment=("a.txt", b"hi"))
    first, second = (r.multipart() for r in server.requests)
    assert [(p.name, p.data) for p in first] == [("title", b"t")]
    assert [(p.name, p.filename, p.data) for p in second] == [
        ("title", None, b"u"),
        ("size", None, b"3"),
        ("when", None, str(int(when.timestamp())).encode()),
        ("attachment", "a.txt", b"hi"),
    ]


def test_an_array_body_stays_one_argument(built: Built, server: Server, client_of: Any) -> None:
    models = built.package("members_pkg").models
    client_of("members_pkg").things.batch(body=[models.Part(key="a"), models.Part(key="b")])
    assert server.requests[0].json() == [{"key": "a"}, {"key": "b"}]
    op = next(op for op in built.api("members_pkg").operations() if op.id == "Things_Batch")
    assert op.body is not None and op.body.py_members == {}


def test_mypy_accepts_member_calls_and_the_sdk_style_chat_call(
    user_code_errors: tuple[list[str], list[str]],
) -> None:
    accepted, _ = user_code_errors
    assert not accepted, "\n".join(accepted)


def test_mypy_rejects_wrong_types_missing_members_unknown_arguments_and_both_ways(
    user_code_errors: tuple[list[str], list[str]],
) -> None:
    _, rejected = user_code_errors
    first = 4  # the line of REJECTED[0] in rejected.py
    flagged = {int(line.split(":")[1]) for line in rejected}
    missed = [call for i, call in enumerate(REJECTED) if first + i not in flagged]
    assert not missed, f"mypy accepted: {missed}\n" + "\n".join(rejected)


def test_the_sdk_style_chat_call_runs(server: Server) -> None:
    from tests.helpers import import_generated

    inference = import_generated(INFERENCE, "azure_openai_inference")
    reply = {
        "id": "c1",
        "object": "chat.completion",
        "created": 1708081695,
        "model": "gpt-35-turbo",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Hello"},
            }
        ],
    }
    server.replies.append(Reply(200, reply))
    with inference.Client(base_url=server.url + "/openai", api_key="k") as client:
        result = client.chat_completions.create(
            "gpt-35-turbo", messages=[{"role": "user", "content": "Hi"}], temperature=0.2
        )
    assert result.choices[0].message.content == "Hello"
    request = server.requests[0]
    assert request.path == "/openai/deployments/gpt-35-turbo/chat/completions"
    assert request.json() == {"messages": [{"role": "user", "content": "Hi"}], "temperature": 0.2}


def test_a_streamed_chat_call_sends_its_members_and_the_flag(server: Server) -> None:
    from tests.helpers import import_generated

    inference = import_generated(INFERENCE, "azure_openai_inference")
    server.replies.append(Reply(200, b"data: [DONE]\n\n", content_type="text/event-stream"))
    with inference.Client(base_url=server.url + "/openai", api_key="k") as client:
        assert (
            list(
                client.chat_completions.create(
                    "d", messages=[{"role": "user", "content": "Hi"}], stream=True
                )
            )
            == []
        )
    assert server.requests[0].json() == {
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": True,
    }


# --------------------------------------------------------------------------- wire names


def test_attributes_are_the_wire_names(built: Built) -> None:
    model = next(m for m in built.api("names_pkg").models if m.name == "File")
    assert [f.py_name for f in model.fields] == [
        "object",
        "bytes",
        "str",
        "dict",
        "field",
        "classmethod",
        "date",
        "datetime",
        "data",
        "born",
        "seen",
        "labels",
        "to_dict_",
        "from_",
    ]


def test_members_named_like_builtins_decode_and_encode(built: Built) -> None:
    models = built.package("names_pkg").models
    wire = {
        "object": "file",
        "bytes": 140,
        "str": "s",
        "dict": {"a": "b"},
        "field": "f",
        "classmethod": "c",
        "date": "2024-01-02",
        "datetime": "2024-01-02T03:04:05Z",
        "data": "aGk=",
        "born": "2020-05-06",
        "seen": "2020-05-06T07:08:09Z",
        "labels": {"x": "y"},
        "to_dict": "t",
        "from": "w",
    }
    file = models.File.from_dict(wire)
    assert (file.object, file.bytes, file.str, file.dict, file.field) == (
        "file",
        140,
        "s",
        {"a": "b"},
        "f",
    )
    assert (file.classmethod, file.to_dict_, file.from_) == ("c", "t", "w")
    assert (file.date, file.born) == (dt.date(2024, 1, 2), dt.date(2020, 5, 6))
    assert file.seen == dt.datetime(2020, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert file.data == b"hi"
    assert file.to_dict() == wire
    assert models.File(object="o", bytes=1).additional_properties == {}
    assert models.Derived(extra="e").to_dict() == {"extra": "e"}  # `note` not given: not sent
    assert models.Derived.from_dict({"extra": "e"}).note is None  # absent: None


# --------------------------------------------------------------------------- lenient decoding


def test_missing_and_null_required_members_read_none(
    built: Built, client_of: Any, server: Server
) -> None:
    server.replies.append(
        Reply(200, {"id": "a1", "message": {"role": "assistant"}, "choices": [None], "count": None})
    )
    answer = client_of("lenient_pkg").answer.get()
    assert (answer.id, answer.created, answer.color, answer.count) == ("a1", None, None, None)
    assert (answer.message.role, answer.message.refusal) == ("assistant", None)
    assert answer.choices == [None]
    assert answer.maybe is None  # absent: None, not NOT_GIVEN


def test_values_of_an_unexpected_json_type_are_kept_as_received(
    built: Built, client_of: Any, server: Server
) -> None:
    m = built.package("lenient_pkg").models
    wire = {
        "id": 7,
        "created": 1700000000,
        "message": "gone",
        "choices": {"not": "a list"},
        "color": "green",
        "count": "3",
    }
    server.replies.append(Reply(200, wire))
    answer = client_of("lenient_pkg").answer.get()
    assert (answer.id, answer.created, answer.message) == (7, 1700000000, "gone")
    assert (answer.choices, answer.color, answer.count) == ({"not": "a list"}, "green", "3")
    # written back as received (an absent nullable member reads None, and is written as null)
    assert answer.to_dict() == wire | {"maybe": None}
    server.replies.append(Reply(200, {"color": "red", "choices": [{"role": "a"}, 3]}))
    answer = client_of("lenient_pkg").answer.get()
    assert answer.color is m.Color.RED
    assert answer.choices[0].role == "a" and answer.choices[1] == 3
    # lists and maps of enum values and models: decoded item by item, the odd ones kept
    shapes = {"palette": ["blue", "green", 4], "by_name": {"a": {"role": "r"}, "b": [1]}}
    server.replies.append(Reply(200, shapes | {"color_of": {"x": "red", "y": "pink", "z": 1}}))
    answer = client_of("lenient_pkg").answer.get()
    assert answer.palette == [m.Color.BLUE, "green", 4] and answer.palette[0] is m.Color.BLUE
    assert answer.by_name["a"] == m.Message(role="r", refusal=None) and answer.by_name["b"] == [1]
    assert answer.color_of == {"x": m.Color.RED, "y": "pink", "z": 1}
    mixed = {"choices": [{"role": "a", "refusal": None}, 3], "by_name": {"a": {"role": "r"}}}
    server.replies.append(Reply(200, mixed | {"created": 5, "message": ["m"]}))
    written = client_of("lenient_pkg").answer.get().to_dict()
    assert {k: written[k] for k in ("choices", "created", "message")} == {
        "choices": [{"role": "a", "refusal": None}, 3],
        "created": 5,
        "message": ["m"],
    }
    assert written["by_name"] == {"a": {"role": "r", "refusal": None}}
    server.replies.append(Reply(200, {"palette": "blue", "by_name": 3, "color_of": [1]}))
    answer = client_of("lenient_pkg").answer.get()
    assert (answer.palette, answer.by_name, answer.color_of) == ("blue", 3, [1])


def test_an_unknown_discriminator_value_decodes_as_the_base(
    built: Built, client_of: Any, server: Server
) -> None:
    m = built.package("lenient_pkg").models
    server.replies.append(
        Reply(200, [{"kind": "cat", "lives": 9}, {"kind": "dog", "name": "Rex", "barks": True}])
    )
    cat, dog = client_of("lenient_pkg").pets.list()
    assert type(cat) is m.Cat and cat.lives == 9
    assert type(dog) is m.Pet
    assert (dog.kind, dog.name, dog.additional_properties) == ("dog", "Rex", {"barks": True})


@pytest.mark.parametrize("body", [b'"a string"', b"[1, 2]", b"<html>proxy</html>"])
def test_a_top_level_shape_that_cannot_be_the_model_is_a_validation_error(
    built: Built, client_of: Any, server: Server, body: bytes
) -> None:
    pkg = built.package("lenient_pkg")
    server.replies.append(Reply(200, body, content_type="application/json"))
    with pytest.raises(pkg.ApiResponseValidationError):
        client_of("lenient_pkg").answer.get()


def test_response_fields_admit_none_in_their_annotations(built: Built) -> None:
    source = (Path(built.folder) / "lenient_pkg" / "lenient_pkg" / "models").glob("_*.py")
    text = "\n".join(p.read_text(encoding="utf-8") for p in source)
    assert "    refusal: str | None\n" in text
    assert "    maybe: str | None | NotGiven = NOT_GIVEN\n" in text


# --------------------------------------------------------------------------- docstrings


def test_docstrings_document_every_argument_the_result_and_the_errors(built: Built) -> None:
    built.package("members_pkg")
    things = importlib.import_module("members_pkg.operations.things")
    doc = things.ThingsOperations.create.__doc__
    assert doc is not None
    args = doc.split("Args:")[1].split("Returns:")[0]
    documented = [line.strip().split(":")[0] for line in args.strip().splitlines()]
    assert documented[:-1] == [
        "id",
        "label",
        "parts",
        "count",
        "note",
        "when",
        "main",
        "id_body",
        "name_body",
        "timeout_body",
        "class_",
        "name",
        "body",
    ]
    assert "label: What the thing is called." in args  # the member's description
    assert "id: The 'id' path parameter." in args  # a fallback where the spec has none
    returns = doc.split("Returns:")[1].split("Raises:")[0]
    assert returns.strip() == "Thing."
    raises = doc.split("Raises:")[1]
    for error in ("ApiError", "ApiConnectionError", "ApiResponseValidationError"):
        assert f"    {error}: " in raises
    async_doc = things.AsyncThingsOperations.create.__doc__
    assert async_doc == doc
