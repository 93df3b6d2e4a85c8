"""Upgrade an OpenAPI 3.0 document to OpenAPI 3.1, mechanically, for the benchmark's large 3.1
spec (no published spec of that size is written in 3.1).

Only what 3.1 changed is rewritten; everything else is kept as it is:

- ``openapi: 3.0.x`` becomes ``openapi: 3.1.0``;
- in every Schema Object (components, parameters, headers, media types, and the schemas
  nested in those through properties, items, additionalProperties, allOf/anyOf/oneOf, not):
  - ``nullable: true`` becomes ``"null"`` in the type (``type: [T, "null"]``; ``null`` is
    added to an ``enum`` too); a schema without a ``type`` (a ``$ref``, an ``allOf``) becomes
    ``anyOf: [schema, {type: "null"}]``; ``nullable: false`` is dropped;
  - ``example: X`` becomes ``examples: [X]`` (Media Type and Parameter Objects keep their
    ``example``, which 3.1 still has);
  - boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the numeric bound they qualify;
  - ``format: binary`` becomes ``contentMediaType: application/octet-stream`` and
    ``format: byte`` becomes ``contentEncoding: base64``.

Run as ``python benchmarks/upgrade31.py SOURCE.json TARGET.json``: the result is written as
JSON indented by two spaces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# Keywords whose value is a schema, a list of schemas, or a map of name to schema.
_ONE = ("items", "not", "additionalProperties")
_MANY = ("allOf", "anyOf", "oneOf")
_MAP = ("properties",)
# Values that are example data, never a place where a schema can be found.
_DATA = ("example", "examples")


def upgrade(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.1 copy of the 3.0 ``document`` (the input is left as it was)."""
    result = _document_node(document)
    result["openapi"] = "3.1.0"
    return result


def _document_node(node: Any) -> Any:
    """Walk the document outside schemas: a ``schema`` value is a schema, and so is every
    value of ``components.schemas``."""
    if isinstance(node, list):
        return [_document_node(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "schema" and isinstance(value, dict):
            result[key] = upgrade_schema(value)
        elif key == "schemas" and isinstance(value, dict):
            result[key] = {name: upgrade_schema(schema) for name, schema in value.items()}
        elif key in _DATA or key.startswith("x-"):
            result[key] = value
        else:
            result[key] = _document_node(value)
    return result


def upgrade_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """One Schema Object in 3.1 terms, with the schemas nested in it."""
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ONE and isinstance(value, dict):
            result[key] = upgrade_schema(value)
        elif key in _MANY and isinstance(value, list):
            result[key] = [upgrade_schema(item) for item in value]
        elif key in _MAP and isinstance(value, dict):
            result[key] = {name: upgrade_schema(item) for name, item in value.items()}
        elif key == "example":
            result["examples"] = [value]
        else:
            result[key] = value
    _exclusive_bound(result, "exclusiveMinimum", "minimum")
    _exclusive_bound(result, "exclusiveMaximum", "maximum")
    content = {"binary": ("contentMediaType", "application/octet-stream")}
    content["byte"] = ("contentEncoding", "base64")
    if result.get("format") in content:
        keyword, value = content[result.pop("format")]
        result[keyword] = value
    if result.pop("nullable", False) is True:
        return _nullable(result)
    return result


def _exclusive_bound(schema: dict[str, Any], exclusive: str, bound: str) -> None:
    """3.0's ``exclusiveMinimum: true`` qualifies ``minimum``; 3.1's is the bound itself."""
    flag = schema.get(exclusive)
    if not isinstance(flag, bool):
        return
    del schema[exclusive]
    if flag and bound in schema:
        schema[exclusive] = schema.pop(bound)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def main(source: Path, target: Path) -> None:
    document = json.loads(source.read_text(encoding="utf-8"))
    text = json.dumps(upgrade(document), indent=2, ensure_ascii=False) + "\n"
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python benchmarks/upgrade31.py SOURCE.json TARGET.json")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
