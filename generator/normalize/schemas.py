"""JSON Schema (Swagger 2.0, OpenAPI 3.0 and 3.1 dialects) → IR type expressions and
declarations.

Named schemas (reached through ``$ref``) become declarations keyed by their canonical ref id,
so every use of ``#/definitions/Error`` maps to one ``Model``; inline object schemas become
models named after where they sit (``Parent/property``, ``Parent/property/item``).  Models are
registered before their fields are read, which is what makes recursive schemas terminate.
"""

from __future__ import annotations

import re
from typing import Any

from ..ir import (
    MISSING,
    AnyType,
    Binary,
    Diagnostic,
    DictType,
    Discriminator,
    Enum,
    EnumRef,
    EnumValue,
    Field,
    ListType,
    LiteralType,
    Model,
    ModelRef,
    Primitive,
    TypeExpr,
    UnionType,
)
from ..loader import Document, Spec

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# OpenAPI 3.1 keywords next to a ``$ref`` that constrain the value: the reference is then one
# part of an ``allOf`` with them.  Any other sibling (description, examples, a nullable type
# list) annotates the reference.
_REF_CONSTRAINTS = (
    "properties",
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "discriminator",
)
# contentEncoding values that make a string base64 data (decoded to bytes).
_BASE64 = ("base64", "base64url")
# Keys that make a schema an object with its own declaration rather than an alias.
_MODEL_KEYS = ("properties", "allOf", "discriminator")


def is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def ref_name(canonical_id: str) -> str:
    """The name of the schema a canonical ref id points at: the last JSON-pointer segment
    (``a.yaml#/definitions/X`` → ``X``), or for a whole file its name without the extension
    (``schemas/Pet.yaml#`` → ``Pet``)."""
    file, _, pointer = canonical_id.partition("#")
    if pointer:
        last = pointer.rsplit("/", 1)[-1]
        return last.replace("~1", "/").replace("~0", "~") or "Model"
    stem = file.rsplit("/", 1)[-1]
    return _SCHEMA_FILE_SUFFIX.sub("", stem) or "Model"


_SCHEMA_FILE_SUFFIX = re.compile(r"\.(?:ya?ml|json)$", re.IGNORECASE)


def schema_type_name(schema: dict[str, Any]) -> str | None:
    """The schema's ``type`` as one string (OpenAPI 3.1 lists are reduced to their non-null entry)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        return rest[0] if len(rest) == 1 and isinstance(rest[0], str) else None
    return kind if isinstance(kind, str) else None


def is_nullable(schema: Any) -> bool:
    """``nullable`` / ``x-nullable``, or OpenAPI 3.1's ways: ``type: [X, "null"]``,
    ``const: null``, a ``{type: "null"}`` member of a ``oneOf`` / ``anyOf``."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    members = [
        m for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list) for m in schema[key]
    ]
    return bool(
        schema.get("nullable")
        or schema.get("x-nullable")
        or (isinstance(kind, list) and "null" in kind)
        or ("const" in schema and schema["const"] is None)
        or any(isinstance(m, dict) and m.get("type") == "null" for m in members)
    )


def pointer_of(data: Any, node: Any) -> str:
    """The JSON pointer of ``node`` (found by identity) in a document's data, or "" -- for the
    location of a warning, so it is only ever searched when one is made."""
    stack: list[tuple[Any, str]] = [(data, "")]
    seen: set[int] = set()
    while stack:
        current, pointer = stack.pop()
        if current is node:
            return pointer
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, dict):
            items: Any = current.items()
        elif isinstance(current, list):
            items = enumerate(current)
        else:
            continue
        for key, value in items:
            if isinstance(value, (dict, list)):
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                stack.append((value, f"{pointer}/{escaped}"))
    return ""


class SchemaConverter:
    """Converts schemas of one spec, accumulating the models and enums they declare."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self._by_ref: dict[str, TypeExpr] = {}
        self._resolving: set[str] = set()
        self._ids: set[str] = set()
        self._shared_enums: dict[str, str] = {}  # x-ms-enum name -> enum id
        self._file_names: dict[str, str] = {}  # whole-file ref id -> the section entry's name
        self.named: set[str] = set()  # declarations of named schemas (kept even when unused)
        self.warnings: list[Diagnostic] = []
        self.oas31 = spec.version.startswith("3.1")

    # ------------------------------------------------------------------ entry points

    def convert(self, node: Any, doc: Document, hint: str) -> TypeExpr:
        """The type of ``node``; ``hint`` names any declaration an inline schema needs."""
        if is_ref(node):
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if self.oas31 and any(k in siblings for k in _REF_CONSTRAINTS):
                # 3.1: `$ref` + constraints is the referenced schema and them, both
                return self._convert_inline(
                    {"allOf": [{"$ref": node["$ref"]}, siblings]}, doc, hint
                )
            return self.convert_ref(node, doc)
        if not isinstance(node, dict):
            return AnyType()
        return self._convert_inline(node, doc, hint)

    def convert_ref(self, node: dict[str, Any], doc: Document) -> TypeExpr:
        target, target_doc, cid = self.spec.deref(node, doc)
        if cid is None:
            return self.convert(target, target_doc, "Model")
        if cid in self._by_ref:
            return self._by_ref[cid]
        name = self._file_names.get(cid) or ref_name(cid)
        if not isinstance(target, dict):
            return AnyType()
        if self._declares_model(target, named=True):
            model_id = self._unique_id(name)
            self._by_ref[cid] = ModelRef(model_id)
            self.named.add(model_id)
            self._build_model(target, target_doc, model_id, name, cid.partition("#")[2])
            return self._by_ref[cid]
        if cid in self._resolving:  # an alias chain that loops through arrays or maps
            return AnyType()
        self._resolving.add(cid)
        try:
            result = self._convert_inline(target, target_doc, name, named=True)
        finally:
            self._resolving.discard(cid)
        self._by_ref[cid] = result
        if isinstance(result, (ModelRef, EnumRef)):
            self.named.add(result.id)
        return result

    def declare_all(self, section: dict[str, Any], doc: Document, pointer: str) -> None:
        """Declare every schema of a ``definitions`` / ``components.schemas`` section, in order,
        so that subclasses that nothing references still join their base's discriminator.
        An entry that points at a whole file names that file's model, however it is reached
        first (``Audit: {$ref: ./audit-trail.json}`` → ``Audit``)."""
        for name, entry in section.items():
            if is_ref(entry):
                cid = self.spec.deref(entry, doc)[2]
                if cid is not None and cid.endswith("#"):
                    self._file_names.setdefault(cid, str(name))
        for name in section:
            escaped = str(name).replace("~", "~0").replace("/", "~1")
            self.convert({"$ref": f"#{pointer}/{escaped}"}, doc, str(name))

    def finish(self) -> None:
        """Fill discriminator mappings once every model is known."""
        for model in self.models.values():
            if model.discriminator is None:
                continue
            mapping = model.discriminator.mapping
            mapped = set(mapping.values())
            for sub in self.models.values():
                if sub.id == model.id or not self._inherits(sub, model.id):
                    continue
                if sub.id in mapped:  # an explicit mapping names the subclass's value
                    if sub.discriminator_value is None:
                        sub.discriminator_value = next(v for v, i in mapping.items() if i == sub.id)
                    continue
                mapping.setdefault(sub.discriminator_value or sub.name, sub.id)

    # ------------------------------------------------------------------ schema kinds

    def _declares_model(self, schema: dict[str, Any], named: bool = False) -> bool:
        """Objects with properties, bases or a discriminator.  A named schema that is only
        ``allOf: [$ref]`` is a subclass of its own; inline, it is the referenced type."""
        if "enum" in schema or schema_type_name(schema) == "array":
            return False
        if _is_tagged_union(schema):  # its members are the models; it is their union
            return False
        if any(key in schema for key in _MODEL_KEYS):
            return named or not self._is_plain_alias(schema)
        return False

    @staticmethod
    def _is_plain_alias(schema: dict[str, Any]) -> bool:
        """``allOf: [$ref]`` with nothing of its own is the referenced type (OpenAPI 3.0's way to
        hang ``nullable`` or a description on a reference)."""
        parts = schema.get("allOf")
        return (
            isinstance(parts, list)
            and len(parts) == 1
            and "properties" not in schema
            and "discriminator" not in schema
            and "additionalProperties" not in schema
        )

    def _convert_inline(
        self, schema: dict[str, Any], doc: Document, hint: str, named: bool = False
    ) -> TypeExpr:
        if "dependentSchemas" in schema:
            self._warn(
                schema,
                doc,
                "/dependentSchemas",
                f"{hint}: dependentSchemas has no Python equivalent; typed as Any",
            )
            return AnyType()
        for key in ("if", "then", "else"):
            if key in schema:
                self._warn(
                    schema,
                    doc,
                    f"/{key}",
                    f"{hint}: if/then/else has no Python equivalent; the value is typed by "
                    "the rest of the schema",
                )
                break
        if self._is_plain_alias(schema):
            return self.convert(schema["allOf"][0], doc, hint)
        if "const" in schema:
            return self._convert_const(schema, doc, hint)
        kinds = schema.get("type")
        if isinstance(kinds, list) and len([k for k in kinds if k != "null"]) > 1:
            # `type: [string, integer]`: one variant per type, the rest of the schema shared
            rest = {k: v for k, v in schema.items() if k not in ("if", "then", "else")}
            return self._convert_union(
                [{**rest, "type": k} for k in kinds if k != "null"], doc, hint
            )
        if "enum" in schema and isinstance(schema["enum"], list):
            return self._convert_enum(schema, doc, hint)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and "properties" not in schema:
                return self._convert_union(schema[key], doc, hint, schema.get("discriminator"))
        if self._declares_model(schema):
            model_id = self._unique_id(hint)
            self._build_model(schema, doc, model_id, hint)
            return ModelRef(model_id)
        kind = schema_type_name(schema)
        fmt = str(schema.get("format", ""))
        if "prefixItems" in schema:
            return self._convert_tuple(schema, doc, hint)
        if kind == "array" or (kind is None and "items" in schema):
            return ListType(self.convert(schema.get("items", {}), doc, f"{hint}/item"))
        if kind in (None, "object"):
            extra = self._extra(schema, doc, hint)
            if kind == "object" or extra is not None or "additionalProperties" in schema:
                return DictType(extra or AnyType())
        if kind == "file" or (kind == "string" and fmt == "binary"):
            return Binary()
        if kind in (None, "string") and str(schema.get("contentEncoding", "")) in _BASE64:
            return Primitive("str", "byte")  # 3.1's spelling of `format: byte`
        if kind in (None, "string") and "contentMediaType" in schema:
            return Binary()  # 3.1's spelling of `format: binary`: raw content of that type
        if kind in _PRIMITIVES:
            return Primitive(_PRIMITIVES[kind], fmt)
        return AnyType()

    def _extra(self, schema: dict[str, Any], doc: Document, hint: str) -> TypeExpr | None:
        """The type of the values of keys the schema does not name: ``additionalProperties``,
        else 3.1's ``unevaluatedProperties``, else the union of ``patternProperties``'s values;
        AnyType when one is given as ``true`` or ``{}``, None when there is none."""
        for key in ("additionalProperties", "unevaluatedProperties"):
            extra = schema.get(key)
            if isinstance(extra, dict) and extra:
                return self.convert(extra, doc, f"{hint}/value")
            if key in schema and extra is not False:
                return AnyType()
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict) and patterns:
            return self._convert_union(list(patterns.values()), doc, f"{hint}/value")
        return None

    def _convert_const(self, schema: dict[str, Any], doc: Document, hint: str) -> TypeExpr:
        """``const``: a literal of its one value; null only makes the value nullable."""
        value = schema["const"]
        if value is None:
            return AnyType()
        if not _is_scalar(value):
            self._warn(
                schema,
                doc,
                "/const",
                f"{hint}: a const object or array has no Python literal; typed as Any",
            )
            return AnyType()
        return LiteralType(value)

    def _convert_tuple(self, schema: dict[str, Any], doc: Document, hint: str) -> TypeExpr:
        """``prefixItems`` (a tuple): a list of the union of its item types -- a Python tuple
        would need its own encoding -- with a warning that the positions are not kept."""
        parts = list(schema["prefixItems"]) if isinstance(schema["prefixItems"], list) else []
        items = schema.get("items")
        if isinstance(items, dict):
            parts.append(items)
        self._warn(
            schema,
            doc,
            "/prefixItems",
            f"{hint}: prefixItems (a tuple) is typed as a list of the union of its item types",
        )
        return ListType(self._convert_union(parts, doc, f"{hint}/item") if parts else AnyType())

    def _warn(self, schema: dict[str, Any], doc: Document, suffix: str, message: str) -> None:
        self.warnings.append(
            self.spec.diagnostic(
                doc, pointer_of(doc.data, schema) + suffix, message, severity="warning"
            )
        )

    def _convert_union(
        self, options: list[Any], doc: Document, hint: str, explicit: Any = None
    ) -> TypeExpr:
        """``explicit``: the ``discriminator`` object written beside a ``oneOf``."""
        variants: list[TypeExpr] = []
        for index, option in enumerate(options):
            if isinstance(option, dict) and (
                option.get("type") == "null" or ("const" in option and option["const"] is None)
            ):
                continue
            variant = self.convert(option, doc, f"{hint}/option{index + 1}")
            if variant not in variants:
                variants.append(variant)
        if not variants:
            return AnyType()
        if len(variants) == 1:
            return variants[0]
        disc = self._explicit_discriminator(explicit, options, variants, doc)
        return UnionType(tuple(variants), discriminator=disc or self._const_discriminator(variants))

    def _explicit_discriminator(
        self, explicit: Any, options: list[Any], variants: list[TypeExpr], doc: Document
    ) -> Discriminator | None:
        """A ``discriminator`` beside a ``oneOf`` of refs: its ``mapping``, and for a member
        the mapping does not name, the member's schema name (OpenAPI's implicit value)."""
        if not isinstance(explicit, dict) or not isinstance(explicit.get("propertyName"), str):
            return None
        if not all(isinstance(v, ModelRef) for v in variants):
            return None
        mapping = self._mapping(explicit, doc)
        for option in options:
            if is_ref(option):
                target = self.convert_ref(option, doc)
                if isinstance(target, ModelRef) and target.id not in mapping.values():
                    mapping[ref_name(option["$ref"])] = target.id
        return Discriminator(explicit["propertyName"], mapping)

    def _const_discriminator(self, variants: list[TypeExpr]) -> Discriminator | None:
        """The property every variant model fixes to a ``const`` string of its own (the 3.1
        way to tag the members of a ``oneOf``): the union is decoded by dispatch on it."""
        models = [v for v in variants if isinstance(v, ModelRef)]
        if len(models) != len(variants):
            return None
        tags = [
            {
                f.name: f.type.value
                for f in self._fields_of(model.id)
                if isinstance(f.type, LiteralType) and isinstance(f.type.value, str)
            }
            for model in models
        ]
        for name in tags[0]:
            values = [tag.get(name) for tag in tags]
            if None not in values and len(set(values)) == len(values):
                return Discriminator(name, {str(v): m.id for v, m in zip(values, models)})
        return None

    def _convert_enum(self, schema: dict[str, Any], doc: Document, hint: str) -> TypeExpr:
        raw_values = [v for v in schema["enum"] if v is not None]
        if not all(_is_scalar(v) for v in raw_values):  # `enum: [red, {a: 1}]`
            self.warnings.append(
                self.spec.diagnostic(
                    doc,
                    pointer_of(doc.data, schema) + "/enum",
                    f"{hint}: enum values that are objects or arrays are ignored",
                    severity="warning",
                )
            )
            raw_values = [v for v in raw_values if _is_scalar(v)]
        kind = schema_type_name(schema) or _infer_kind(raw_values)
        base = _PRIMITIVES.get(kind or "string", "str")
        if not all(_fits(v, base) for v in raw_values):  # `type: integer, enum: [Primary]`
            inferred = _infer_kind(raw_values) or "string"
            self.warnings.append(
                self.spec.diagnostic(
                    doc,
                    pointer_of(doc.data, schema) + "/enum",
                    f"{hint}: enum values {_preview(raw_values)} are not all of type "
                    f"{kind}; typed as {inferred}",
                    severity="warning",
                )
            )
            base = _PRIMITIVES.get(inferred, "str")
        if not raw_values:
            return Primitive(base, str(schema.get("format", "")))
        if base == "bool":
            if len(set(raw_values)) == 1:
                return LiteralType(raw_values[0])
            return Primitive("bool")
        raw_options = schema.get("x-ms-enum")
        options: dict[str, Any] = raw_options if isinstance(raw_options, dict) else {}
        shared_name = str(options.get("name") or "")
        if shared_name in self._shared_enums:  # x-ms-enum names are shared by every use
            return EnumRef(self._shared_enums[shared_name])
        name = shared_name or hint
        enum_id = self._unique_id(name)
        if shared_name:
            self._shared_enums[shared_name] = enum_id
            self.named.add(enum_id)
        listed = options.get("values")
        documented = {
            _enum_key(v["value"]): v
            for v in (listed if isinstance(listed, list) else [])
            if isinstance(v, dict) and _is_scalar(v.get("value"))
        }
        values: list[EnumValue] = []
        seen: set[Any] = set()
        for raw in raw_values:
            key = _enum_key(raw)
            if key in seen:
                continue
            seen.add(key)
            doc_entry = documented.get(key, {})
            values.append(
                EnumValue(
                    value=_coerce(raw, base),
                    name=str(doc_entry.get("name") or ""),
                    description=str(doc_entry.get("description") or ""),
                )
            )
        # Closed only where x-ms-enum says so; a plain enum stays open so that a value the
        # service adds later still decodes (forward compatibility).
        is_open = bool(options.get("modelAsString", False)) if options else True
        self.enums[enum_id] = Enum(
            id=enum_id,
            name=name,
            base=base,
            values=values,
            open=is_open,
            description=str(schema.get("description") or ""),
        )
        return EnumRef(enum_id)

    def _build_model(
        self, schema: dict[str, Any], doc: Document, model_id: str, name: str, pointer: str = ""
    ) -> None:
        model = Model(
            id=model_id, name=name, fields=[], description=str(schema.get("description") or "")
        )
        self.models[model_id] = model  # before the fields: recursion ends here
        properties: dict[str, Any] = {}
        required: set[str] = set()
        self._collect(schema, doc, model, properties, required, top=True)
        known = set(properties) | {f.name for b in model.bases for f in self._fields_of(b)}
        for missing in sorted(required - known):
            self.warnings.append(
                self.spec.diagnostic(
                    doc,
                    f"{pointer}/required" if pointer else "",
                    f"{name}: required property {missing!r} is not defined; it is ignored",
                    severity="warning",
                )
            )
        for prop_name, prop_schema in properties.items():
            model.fields.append(self._field(model.name, str(prop_name), prop_schema, doc, required))
        extra = self._extra(schema, doc, name)
        if extra is not None and extra != AnyType():
            model.additional = extra
        disc = schema.get("discriminator")
        if isinstance(disc, str):
            model.discriminator = Discriminator(disc, {})
        elif isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            model.discriminator = Discriminator(disc["propertyName"], self._mapping(disc, doc))
        value = schema.get("x-ms-discriminator-value")
        if value is not None:
            model.discriminator_value = str(value)
        model.client_name = str(schema.get("x-ms-client-name") or "")

    def _mapping(self, discriminator: dict[str, Any], doc: Document) -> dict[str, str]:
        """A discriminator's ``mapping``: value -> model id (values naming no model are left out)."""
        mapping: dict[str, str] = {}
        for value, ref in (discriminator.get("mapping") or {}).items():
            target = self.convert(*self._mapped(ref, doc), str(value)) if ref else None
            if isinstance(target, ModelRef):
                mapping[str(value)] = target.id
        return mapping

    def _mapped(self, ref: Any, doc: Document) -> tuple[Any, Document]:
        """A discriminator mapping value as a ref and the document it is relative to.  OpenAPI
        3 allows a schema name (``dog: Dog``) as well as a ref: a name is an entry of the
        root's ``components/schemas``, wherever the mapping is written."""
        if not isinstance(ref, str):
            return None, doc
        schemas = (self.spec.root.data.get("components") or {}).get("schemas")
        if "/" not in ref and "#" not in ref and isinstance(schemas, dict) and ref in schemas:
            return {"$ref": "#/components/schemas/" + ref.replace("~", "~0")}, self.spec.root
        return {"$ref": ref}, doc

    def _collect(
        self,
        schema: dict[str, Any],
        doc: Document,
        model: Model,
        properties: dict[str, Any],
        required: set[str],
        top: bool,
    ) -> None:
        """Gather ``allOf`` bases and merged properties; inline parts merge, refs inherit."""
        for part in schema.get("allOf") or []:
            if is_ref(part):
                base = self.convert_ref(part, doc)
                if (
                    isinstance(base, ModelRef)
                    and base.id != model.id
                    and base.id not in model.bases
                ):
                    model.bases.append(base.id)
            elif isinstance(part, dict):
                self._collect(part, doc, model, properties, required, top=False)
        props = schema.get("properties")
        if isinstance(props, dict):
            properties.update(props)
        req = schema.get("required")
        if isinstance(req, list):
            required.update(str(r) for r in req)
        if not top and model.additional is None:
            extra = self._extra(schema, doc, model.name)
            if extra is not None and extra != AnyType():
                model.additional = extra

    def _field(
        self, parent: str, name: str, schema: Any, doc: Document, required: set[str]
    ) -> Field:
        target = schema
        if is_ref(schema):
            target, _, _ = self.spec.deref(schema, doc)
        own = schema if isinstance(schema, dict) else {}
        tgt = target if isinstance(target, dict) else {}
        default = own.get("default", MISSING) if "default" in own else MISSING
        type_ = self.convert(schema, doc, f"{parent}/{name}")
        if isinstance(type_, LiteralType) and default is MISSING and "const" in {**tgt, **own}:
            default = type_.value  # a const needs no argument
        return Field(
            name=name,
            type=type_,
            required=name in required,
            nullable=is_nullable(own) or is_nullable(tgt),
            read_only=any(bool(d.get("readOnly")) or _read_only_mutability(d) for d in (own, tgt)),
            default=default,
            description=str(own.get("description") or ""),
            client_name=str(own.get("x-ms-client-name") or ""),
        )

    # ------------------------------------------------------------------ helpers

    def _fields_of(self, model_id: str) -> list[Field]:
        """A model's fields with its bases' (as far as they are built)."""
        model = self.models.get(model_id)
        if model is None:
            return []
        return [f for base in model.bases for f in self._fields_of(base)] + model.fields

    def _inherits(self, model: Model, base_id: str) -> bool:
        pending, seen = list(model.bases), set()
        while pending:
            current = pending.pop()
            if current == base_id:
                return True
            if current not in seen and current in self.models:
                seen.add(current)
                pending.extend(self.models[current].bases)
        return False

    def _unique_id(self, name: str) -> str:
        """Models and enums share one namespace (they become classes of one module)."""
        candidate, counter = name, 2
        while candidate in self._ids:
            candidate = f"{name}{counter}"
            counter += 1
        self._ids.add(candidate)
        return candidate


def _is_tagged_union(schema: dict[str, Any]) -> bool:
    """A ``oneOf`` / ``anyOf`` with a ``discriminator`` and no properties of its own."""
    return (
        any(isinstance(schema.get(key), list) for key in ("oneOf", "anyOf"))
        and "discriminator" in schema
        and "properties" not in schema
        and "allOf" not in schema
    )


def _infer_kind(values: list[Any]) -> str | None:
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


def _read_only_mutability(schema: dict[str, Any]) -> bool:
    """``x-ms-mutability`` that allows reading only (``[read]``, in any spelling of the list):
    the property is never sent."""
    mutability = schema.get("x-ms-mutability")
    return (
        isinstance(mutability, list)
        and "read" in mutability
        and not {"create", "update"} & set(map(str, mutability))
    )


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _fits(value: Any, base: str) -> bool:
    """Whether an enum value is (or reads as) a value of the enum's declared base type."""
    if base == "str":
        return not isinstance(value, (bool, dict, list))
    if base == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    try:
        number = float(value)
    except ValueError:
        return False
    return base == "float" or number.is_integer()


def _preview(values: list[Any]) -> str:
    text = repr(values[:3])
    return text[:-1] + ", …]" if len(values) > 3 else text


def _enum_key(value: Any) -> Any:
    return (type(value).__name__, value) if isinstance(value, bool) else value


def _coerce(value: Any, base: str) -> Any:
    if base == "str":
        return value if isinstance(value, str) else str(value)
    if base == "int" and isinstance(value, (int, float, str)):
        try:
            return int(value)
        except ValueError:
            return value
    if base == "float" and isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            return value
    return value
