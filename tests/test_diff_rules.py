"""Every rule of the diff's rule table (generator/diff/rules.py), each on a small inline spec
changed in one place; and the README's copy of the table in step with the module."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import Change, compare
from generator.diff.rules import RULES
from generator.ir import Api
from generator.loader import load_spec
from generator.pipeline import Profile, _to_ir
from tests.helpers import ROOT

BASE = """
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers:
  - url: "https://{region}.example.com/v1"
    variables: {region: {default: eu}}
security: [{key: []}]
paths:
  /pets:
    get:
      operationId: Pets_List
      tags: [pets]
      parameters:
        - {$ref: "#/components/parameters/ApiVersion"}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
    post:
      operationId: Pets_Create
      tags: [pets]
      parameters:
        - {$ref: "#/components/parameters/ApiVersion"}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /pets/{petId}/photos/{photoId}:
    get:
      operationId: Pets_GetPhoto
      tags: [pets]
      parameters:
        - {$ref: "#/components/parameters/ApiVersion"}
        - {name: petId, in: path, required: true, schema: {type: string}}
        - {name: photoId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
components:
  parameters:
    ApiVersion:
      {name: api-version, in: query, required: true, schema: {type: string, default: "2024-01-01"}}
  securitySchemes:
    key: {type: apiKey, in: header, name: api-key}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer}
        kind: {$ref: "#/components/schemas/Kind"}
        mood: {$ref: "#/components/schemas/Mood"}
        owner: {$ref: "#/components/schemas/Owner"}
    Owner:
      type: object
      properties:
        email: {type: string}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
        color: {$ref: "#/components/schemas/Color"}
    Kind:
      type: string
      enum: [cat, dog]
      x-ms-enum: {name: Kind, modelAsString: false}
    Mood:
      type: string
      enum: [calm, wild]
      x-ms-enum: {name: Mood, modelAsString: true}
    Color:
      type: string
      enum: [red, blue]
      x-ms-enum: {name: Color, modelAsString: false}
"""

Spec = dict[str, Any]
Edit = Callable[[Spec], None]


def api_of(tmp_path: Path, spec: Spec, name: str) -> Api:
    """The refined IR of ``spec`` (normalize and refine; validation is not the point here)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return _to_ir(load_spec(path, validate=False), Profile(), None)


def changes_of(tmp_path: Path, edit: Edit, before: Edit | None = None) -> list[Change]:
    base = yaml.safe_load(BASE)
    if before is not None:
        before(base)
    changed = copy.deepcopy(base)
    edit(changed)
    return compare(api_of(tmp_path, base, "old"), api_of(tmp_path, changed, "new"))


# --------------------------------------------------------------------------- edits


def schema(spec: Spec, name: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"][name]
    return result


def prop(spec: Spec, model: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = schema(spec, model)["properties"][name]
    return result


def op(spec: Spec, path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][path][method]
    return result


def every_op(spec: Spec) -> list[dict[str, Any]]:
    return [o for item in spec["paths"].values() for o in item.values()]


PHOTO = "/pets/{petId}/photos/{photoId}"


def param(spec: Spec, name: str) -> dict[str, Any]:
    return next(p for p in op(spec, "/pets", "get")["parameters"] if p.get("name") == name)


def set_(target: Callable[[Spec], dict[str, Any]], **values: Any) -> Edit:
    return lambda spec: target(spec).update(values)


def require(model: str, name: str, required: bool = True) -> Edit:
    def edit(spec: Spec) -> None:
        names = schema(spec, model).setdefault("required", [])
        if required:
            names.append(name)
        else:
            names.remove(name)

    return edit


def add_prop(model: str, name: str, value: dict[str, Any], required: bool = False) -> Edit:
    def edit(spec: Spec) -> None:
        schema(spec, model)["properties"][name] = value
        if required:
            schema(spec, model).setdefault("required", []).append(name)

    return edit


def del_prop(model: str, name: str) -> Edit:
    return lambda spec: schema(spec, model)["properties"].pop(name) and None


def enum_values(name: str, values: list[Any]) -> Edit:
    return lambda spec: schema(spec, name).update(enum=values)


def model_as_string(name: str, value: bool) -> Edit:
    return lambda spec: schema(spec, name)["x-ms-enum"].update(modelAsString=value)


def all_of(*edits: Edit) -> Edit:
    def edit(spec: Spec) -> None:
        for e in edits:
            e(spec)

    return edit


def with_base(spec: Spec) -> None:
    spec["components"]["schemas"]["Animal"] = {
        "type": "object",
        "properties": {"legs": {"type": "integer"}},
    }
    pet = schema(spec, "Pet")
    spec["components"]["schemas"]["Pet"] = {"allOf": [{"$ref": "#/components/schemas/Animal"}, pet]}


def without_base(spec: Spec) -> None:
    spec["components"]["schemas"]["Pet"] = schema(spec, "Pet")["allOf"][1]


def rename_path(spec: Spec) -> None:
    spec["paths"]["/pets/{petId}/pictures/{photoId}"] = spec["paths"].pop(PHOTO)


def swap_path_params(spec: Spec) -> None:
    params = op(spec, PHOTO, "get")["parameters"]
    params[1], params[2] = params[2], params[1]


def add_toys(spec: Spec) -> None:
    spec["paths"]["/toys"] = {
        "get": {
            "operationId": "Toys_List",
            "tags": ["toys"],
            "responses": {"204": {"description": "none"}},
        }
    }


def stream_pets(spec: Spec) -> None:
    content = op(spec, "/pets", "post")["responses"]["201"]["content"]
    content["text/event-stream"] = {"schema": {"$ref": "#/components/schemas/Pet"}}


def create_returns(value: dict[str, Any]) -> Edit:
    def edit(spec: Spec) -> None:
        op(spec, "/pets", "post")["responses"]["201"]["content"]["application/json"] = {
            "schema": value
        }

    return edit


def unstream_pets(spec: Spec) -> None:
    op(spec, "/pets", "post")["responses"]["201"]["content"].pop("text/event-stream")


PET = {"$ref": "#/components/schemas/Pet"}
OWNER = {"$ref": "#/components/schemas/Owner"}


def api_version(default: str | None, name: str = "api-version") -> Edit:
    def edit(spec: Spec) -> None:
        if default is None:
            for o in every_op(spec):
                o["parameters"] = [p for p in o["parameters"] if "$ref" not in p]
        else:
            spec["components"]["parameters"]["ApiVersion"]["schema"]["default"] = default

    return edit


def client_param(required_default: str | None) -> Edit:
    """A header every operation takes: hoisted with a stated value, or marked client-level."""

    def edit(spec: Spec) -> None:
        value: dict[str, Any] = {"name": "x-tenant", "in": "header", "required": True}
        if required_default is None:
            value.update({"schema": {"type": "string"}, "x-ms-parameter-location": "client"})
        else:
            value["schema"] = {"type": "string", "default": required_default}
        for o in every_op(spec):
            o["parameters"].append(dict(value))

    return edit


def servers(url: str, **variables: dict[str, Any]) -> Edit:
    return lambda spec: spec.update(servers=[{"url": url, "variables": variables}])


def schemes(**defined: dict[str, Any]) -> Edit:
    def edit(spec: Spec) -> None:
        spec["components"]["securitySchemes"] = defined
        spec["security"] = [{name: []} for name in defined]

    return edit


KEY = {"type": "apiKey", "in": "header", "name": "api-key"}
OAUTH = {
    "type": "oauth2",
    "flows": {"clientCredentials": {"tokenUrl": "https://login.example.com/token", "scopes": {}}},
}

# (id, edit of the base before, edit for the new spec, kind, the rule's condition, breaking)
BREAKS, SAFE = True, False
CASES: list[tuple[str, Edit | None, Edit, str, str, bool]] = [
    ("op-added", None, add_toys, "operation-added", "", SAFE),
    ("op-removed", None, lambda s: s["paths"]["/pets"].pop("get") and None, "operation-removed", "", BREAKS),
    ("op-renamed", None, set_(lambda s: op(s, "/pets", "get"), operationId="Pets_ListAll"),
     "operation-renamed", "", BREAKS),
    ("op-path", None, rename_path, "operation-path-changed", "", SAFE),
    ("op-deprecated", None, set_(lambda s: op(s, "/pets", "get"), deprecated=True),
     "operation-deprecated", "", SAFE),
    ("op-paging", None, set_(lambda s: op(s, "/pets", "get"), **{"x-ms-pageable": {}}),
     "operation-paging-changed", "", BREAKS),
    ("op-lro", None,
     set_(lambda s: op(s, "/pets", "post"), **{"x-ms-long-running-operation": True}),
     "operation-long-running-changed", "", BREAKS),
    ("param-added-required", None,
     lambda s: op(s, "/pets", "get")["parameters"].append(
         {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}),
     "parameter-added", "required", BREAKS),
    ("param-added-optional", None,
     lambda s: op(s, "/pets", "get")["parameters"].append(
         {"name": "owner", "in": "query", "schema": {"type": "string"}}),
     "parameter-added", "optional", SAFE),
    ("param-removed", None,
     lambda s: op(s, "/pets", "get")["parameters"].remove(param(s, "limit")),
     "parameter-removed", "", BREAKS),
    ("param-required", None, set_(lambda s: param(s, "limit"), required=True),
     "parameter-made-required", "", BREAKS),
    ("param-optional", set_(lambda s: param(s, "limit"), required=True),
     set_(lambda s: param(s, "limit"), required=False), "parameter-made-optional", "", SAFE),
    ("param-widened", None, set_(lambda s: param(s, "limit"), schema={"type": "number"}),
     "parameter-type-changed", "widened", SAFE),
    ("param-narrowed", None, set_(lambda s: param(s, "limit"), schema={"type": "string"}),
     "parameter-type-changed", "narrowed or different", BREAKS),
    ("param-moved", None, set_(lambda s: param(s, "limit"), **{"in": "header"}),
     "parameter-moved", "", SAFE),
    ("param-reordered", None, swap_path_params, "parameter-reordered", "", BREAKS),
    ("request-content-type", None,
     lambda s: op(s, "/pets", "post")["requestBody"].update(
         content={"application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}),
     "request-content-type-changed", "", SAFE),
    ("response-narrowed", create_returns({"oneOf": [PET, OWNER]}), create_returns(PET),
     "response-type-changed", "narrowed", SAFE),
    ("response-widened-to-union", None, create_returns({"oneOf": [PET, OWNER]}),
     "response-type-changed", "widened or different", BREAKS),
    ("response-content-type", None,
     lambda s: op(s, PHOTO, "get")["responses"]["200"].update(
         content={"image/png": {"schema": {"type": "string", "format": "binary"}}}),
     "response-content-type-changed", "", SAFE),
    ("streaming-added", None, stream_pets, "streaming-added", "", SAFE),
    ("streaming-removed", stream_pets, unstream_pets, "streaming-removed", "", BREAKS),
    ("model-added", None, all_of(
        lambda s: s["components"]["schemas"].update(Toy={"type": "object", "properties": {}}),
        add_prop("Pet", "toy", {"$ref": "#/components/schemas/Toy"})), "model-added", "", SAFE),
    ("model-removed", None, all_of(
        del_prop("Pet", "owner"), lambda s: s["components"]["schemas"].pop("Owner") and None),
     "model-removed", "", BREAKS),
    ("model-base-added", None, with_base, "model-base-added", "", SAFE),
    ("model-base-removed", with_base, without_base, "model-base-removed", "", BREAKS),
    ("field-added-request-required", None, add_prop("NewPet", "size", {"type": "integer"}, True),
     "field-added", "request, required", BREAKS),
    ("field-added-request-optional", None, add_prop("NewPet", "size", {"type": "integer"}),
     "field-added", "request, optional", SAFE),
    ("field-added-response", None, add_prop("Pet", "size", {"type": "integer"}, True),
     "field-added", "response", SAFE),
    ("field-removed", None, del_prop("Pet", "age"), "field-removed", "", BREAKS),
    ("field-request-widened", None,
     add_prop("NewPet", "tag", {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
     "field-type-changed", "request, widened", SAFE),
    ("field-request-narrowed", None, add_prop("NewPet", "tag", {"type": "integer"}),
     "field-type-changed", "request, narrowed or different", BREAKS),
    ("field-response-narrowed", add_prop("Pet", "age", {"type": "number"}),
     add_prop("Pet", "age", {"type": "integer"}), "field-type-changed", "response, narrowed", SAFE),
    ("field-response-widened", None, add_prop("Pet", "age", {"type": "number"}),
     "field-type-changed", "response, widened or different", BREAKS),
    ("field-required-request", None, require("NewPet", "tag"), "field-made-required", "request", BREAKS),
    ("field-required-response", None, require("Pet", "age"), "field-made-required", "response", SAFE),
    ("field-optional-request", None, require("NewPet", "name", False),
     "field-made-optional", "request", SAFE),
    ("field-optional-response", None, require("Pet", "name", False),
     "field-made-optional", "response", BREAKS),
    ("field-nullable-request", None, set_(lambda s: prop(s, "NewPet", "tag"), nullable=True),
     "field-made-nullable", "request", SAFE),
    ("field-nullable-response", None, set_(lambda s: prop(s, "Pet", "age"), nullable=True),
     "field-made-nullable", "response", BREAKS),
    ("field-non-nullable-request", set_(lambda s: prop(s, "NewPet", "tag"), nullable=True),
     set_(lambda s: prop(s, "NewPet", "tag"), nullable=False),
     "field-made-non-nullable", "request", BREAKS),
    ("field-non-nullable-response", set_(lambda s: prop(s, "Pet", "age"), nullable=True),
     set_(lambda s: prop(s, "Pet", "age"), nullable=False),
     "field-made-non-nullable", "response", SAFE),
    ("enum-added", None, all_of(
        lambda s: s["components"]["schemas"].update(
            Size={"type": "string", "enum": ["s", "m"], "x-ms-enum": {"name": "Size"}}),
        add_prop("Pet", "size", {"$ref": "#/components/schemas/Size"})), "enum-added", "", SAFE),
    ("enum-removed", None, all_of(
        del_prop("Pet", "mood"), lambda s: s["components"]["schemas"].pop("Mood") and None),
     "enum-removed", "", BREAKS),
    ("enum-value-added-request", None, enum_values("Color", ["red", "blue", "green"]),
     "enum-value-added", "request", SAFE),
    ("enum-value-added-open", None, enum_values("Mood", ["calm", "wild", "sleepy"]),
     "enum-value-added", "response, open enum", SAFE),
    ("enum-value-added-closed", None, enum_values("Kind", ["cat", "dog", "bird"]),
     "enum-value-added", "response, closed enum", BREAKS),
    ("enum-value-removed", None, enum_values("Color", ["red"]), "enum-value-removed", "", BREAKS),
    ("enum-value-renamed", None,
     lambda s: schema(s, "Kind")["x-ms-enum"].update(
         values=[{"value": "cat", "name": "Feline"}, {"value": "dog"}]),
     "enum-value-renamed", "", BREAKS),
    ("enum-opened-request", None, model_as_string("Color", True), "enum-opened", "request", SAFE),
    ("enum-opened-response", None, model_as_string("Kind", True), "enum-opened", "response", BREAKS),
    ("enum-closed-request", model_as_string("Color", True), model_as_string("Color", False),
     "enum-closed", "request", BREAKS),
    ("enum-closed-response", model_as_string("Kind", True), model_as_string("Kind", False),
     "enum-closed", "response", SAFE),
    ("host-changed", None, servers("https://{region}.example.com/v2", region={"default": "eu"}),
     "host-changed", "", SAFE),
    ("host-param-required", None,
     servers("https://{region}.example.com/{tenant}", region={"default": "eu"}, tenant={}),
     "host-parameter-added", "required", BREAKS),
    ("host-param-default", None,
     servers("https://{region}.example.com/{tenant}", region={"default": "eu"},
             tenant={"default": "t"}),
     "host-parameter-added", "with default", SAFE),
    ("host-param-removed", None, servers("https://eu.example.com/v1"),
     "host-parameter-removed", "", BREAKS),
    ("client-param-required", None, client_param(None), "client-parameter-added", "required", BREAKS),
    ("client-param-default", None, client_param("t1"), "client-parameter-added", "with default", SAFE),
    ("client-param-removed", None, api_version(None), "client-parameter-removed", "", BREAKS),
    ("api-version-default", None, api_version("2024-06-01"),
     "client-parameter-default-changed", "", SAFE),
    ("scheme-added", None, schemes(key=KEY, aad=OAUTH), "security-scheme-added", "", SAFE),
    ("scheme-removed", None, schemes(aad=OAUTH), "security-scheme-removed", "", BREAKS),
    ("scheme-changed", None, schemes(key={"type": "apiKey", "in": "query", "name": "key"}),
     "security-scheme-changed", "", SAFE),
]  # fmt: skip


@pytest.mark.parametrize(
    "before, edit, kind, when, breaking", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule(
    tmp_path: Path, before: Edit | None, edit: Edit, kind: str, when: str, breaking: bool
) -> None:
    changes = changes_of(tmp_path, edit, before)
    found = [c for c in changes if c.kind == kind]
    assert found, changes
    assert found[0].when == when, found
    assert found[0].breaking is breaking, found


def test_every_rule_has_a_case() -> None:
    assert {(c[3], c[4]) for c in CASES} == {(r.kind, r.when) for r in RULES}
    assert len(CASES) == len(RULES)


def test_an_unchanged_spec_has_no_changes(tmp_path: Path) -> None:
    assert changes_of(tmp_path, lambda s: None) == []


def test_a_base_travels_on_the_side_of_its_subclasses(tmp_path: Path) -> None:
    """Animal is reached only as Pet's base, and Pet only in responses: a required field
    added to Animal is read, never built, so nothing breaks."""
    changes = changes_of(tmp_path, add_prop("Animal", "tail", {"type": "string"}, True), with_base)
    assert {(c.python, c.breaking) for c in changes} == {
        ("Animal.tail", False),
        ("Pet.tail", False),
    }


def test_renamed_wording_of_the_same_surface_is_no_change(tmp_path: Path) -> None:
    """A path parameter renamed on the wire only, a security scheme renamed, a schema moved
    under another key with the same class name: the Python surface is the same."""

    def reword(spec: Spec) -> None:
        spec["paths"]["/pets/{petId}/photos/{photo}"] = spec["paths"].pop(PHOTO)
        op(spec, "/pets/{petId}/photos/{photo}", "get")["parameters"][2].update(
            {"name": "photo", "x-ms-client-name": "photoId"}
        )
        spec["components"]["securitySchemes"] = {"ApiKeyAuth": KEY}
        spec["security"] = [{"ApiKeyAuth": []}]

    kinds = {c.kind for c in changes_of(tmp_path, reword)}
    assert kinds == {"parameter-moved"}  # the wire name of photoId, which is not breaking


def test_readme_table_matches_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- diff-rules -->")[1]
    rows = re.findall(r"^\| `([a-z-]+)` \| ([^|]*) \| (yes|no) \|", section, re.MULTILINE)
    table = [(kind, when.strip(), breaking == "yes") for kind, when, breaking in rows]
    assert table == [(r.kind, r.when, r.breaking) for r in RULES]
