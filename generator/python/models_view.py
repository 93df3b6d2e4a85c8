"""Template context for ``models.py``: finished strings for every enum, model and field."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ir import MISSING, Api, Enum, EnumRef, Field, LiteralType, Model, Primitive
from .literals import docstring, py_literal
from .types import TypeNames


@dataclass
class MemberView:
    name: str
    literal: str
    doc: str


@dataclass
class EnumView:
    name: str
    base: str
    doc: str
    members: list[MemberView]
    member_map: str  # name of its value -> member map ("" for a closed enum)


@dataclass
class FieldView:
    name: str
    wire: str  # the wire name as a Python string literal
    declaration: str  # "name: annotation = default"
    doc: str
    decode: str  # expression reading it from `data`
    encode_lines: list[str]  # statements writing it into `data` (none for read-only fields)


@dataclass
class ModelView:
    name: str
    bases: str
    doc: str
    own_fields: list[FieldView]
    all_fields: list[FieldView]
    keys: str  # the wire names it declares, as a frozenset literal body
    dispatch: list[tuple[str, str]]  # (discriminator value literal, subclass name)
    discriminator: str  # wire name literal of the discriminating property
    additional: str  # annotation of additional_properties values
    decode_additional: str


@dataclass
class ModelsModule:
    enums: list[EnumView] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    typing_names: list[str] = field(default_factory=list)
    datetime_names: list[str] = field(default_factory=list)
    uses_serde: bool = False
    uses_not_given: bool = False
    exported: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)


def build_models_module(api: Api, names: TypeNames) -> ModelsModule:
    module = ModelsModule()
    used: set[str] = {"Any"}
    names = replace(names, in_models=True)
    for enum in api.enums:
        module.enums.append(_enum_view(enum, names))
    for model in _ordered(api.models, names):
        module.models.append(_model_view(model, names, used))
    module.uses_not_given = any(
        "NOT_GIVEN" in f.declaration for m in module.models for f in m.own_fields
    )
    module.uses_serde = (
        bool(module.models)
        or "_serde" in used
        or any(e.member_map for e in module.enums)
        or any("_serde." in f.decode for m in module.models for f in m.all_fields)
    )
    module.typing_names = sorted(
        n for n in ("Any", "ClassVar", "Literal") if n in used | {"ClassVar"}
    )
    module.datetime_names = sorted(n for n in ("date", "datetime") if n in used)
    module.exported = sorted([e.name for e in module.enums] + [m.name for m in module.models])
    module.imports = _imports(module)
    return module


def _imports(module: ModelsModule) -> list[str]:
    lines = ["from collections.abc import Mapping", "from dataclasses import dataclass, field"]
    if module.datetime_names:
        lines.append(f"from datetime import {', '.join(module.datetime_names)}")
    if module.enums:
        lines.append("from enum import Enum")
    lines.append(f"from typing import {', '.join(module.typing_names)}")
    runtime = (["NOT_GIVEN", "NotGiven"] if module.uses_not_given else []) + (
        ["_serde"] if module.uses_serde else []
    )
    if runtime:
        lines += ["", f"from ._runtime import {', '.join(runtime)}"]
    return lines


def _ordered(models: list[Model], names: TypeNames) -> list[Model]:
    """Spec order, but every base class before its subclasses."""
    done: dict[str, Model] = {}

    def visit(model: Model) -> None:
        if model.id in done:
            return
        done[model.id] = model  # marked first: a cycle of bases cannot recurse forever
        for base_id in model.bases:
            if base_id in names.models:
                visit(names.models[base_id])
        done.pop(model.id)
        done[model.id] = model

    for model in models:
        visit(model)
    return list(done.values())


def _enum_view(enum: Enum, names: TypeNames) -> EnumView:
    return EnumView(
        name=enum.py_name,
        base=enum.base,
        doc=docstring(enum.description or f"Values of {enum.name}."),
        members=[
            MemberView(v.py_name, py_literal(v.value), docstring(v.description))
            for v in enum.values
        ],
        member_map=names.member_map(enum) if enum.open else "",
    )


def _model_view(model: Model, names: TypeNames, used: set[str]) -> ModelView:
    inherited = _inherited_fields(model, names)
    by_wire = {f.name: f for f in inherited}
    # A member redeclared by a subclass keeps its base's type (a dataclass field may not
    # narrow it incompatibly); the subclass contributes its description.
    own_ir = [
        (
            replace(by_wire[f.name], description=f.description or by_wire[f.name].description)
            if f.name in by_wire
            else f
        )
        for f in model.fields
    ]
    own_names = {f.name for f in own_ir}
    all_ir = [f for f in inherited if f.name not in own_names] + own_ir
    own = [_field_view(f, names, used, _discriminator_default(model, f, names)) for f in own_ir]
    # A subclass fixes its discriminator property to its own value.
    disc_value = model.discriminator_value or model.name
    for base_field in inherited:
        if base_field.name not in own_names and _discriminator_of(model, names) == base_field.name:
            own.append(
                _field_view(
                    base_field, names, used, _discriminator_literal(base_field, disc_value, names)
                )
            )
            own_names.add(base_field.name)
    all_views = [_field_view(f, names, used, "") for f in all_ir]
    dispatch: list[tuple[str, str]] = []
    disc = ""
    if model.discriminator is not None:
        disc = py_literal(model.discriminator.property)
        dispatch = [
            (py_literal(value), names.models[sub_id].py_name)
            for value, sub_id in sorted(model.discriminator.mapping.items())
            if sub_id in names.models and sub_id != model.id
        ]
    additional = names.annotation(model.additional) if model.additional is not None else "Any"
    if model.additional is not None:
        names.uses(model.additional, used)
    decode_extra = "v" if model.additional is None else names.decode(model.additional, "v")
    return ModelView(
        name=model.py_name,
        bases=", ".join(names.models[b].py_name for b in model.bases if b in names.models),
        doc=docstring(model.description or f"{model.name}."),
        own_fields=own,
        all_fields=all_views,
        keys=", ".join(py_literal(f.name) for f in all_ir),
        dispatch=dispatch,
        discriminator=disc,
        additional=additional,
        decode_additional=decode_extra,
    )


def _inherited_fields(model: Model, names: TypeNames) -> list[Field]:
    result: list[Field] = []
    seen: set[str] = set()
    for base_id in model.bases:
        base = names.models.get(base_id)
        if base is None:
            continue
        for f in _inherited_fields(base, names) + base.fields:
            if f.name not in seen:
                seen.add(f.name)
                result.append(f)
    return result


def _discriminator_of(model: Model, names: TypeNames) -> str | None:
    for base_id in model.bases:
        base = names.models.get(base_id)
        if base is None:
            continue
        if base.discriminator is not None:
            return base.discriminator.property
        found = _discriminator_of(base, names)
        if found:
            return found
    return None


def _discriminator_default(model: Model, f: Field, names: TypeNames) -> str:
    if _discriminator_of(model, names) == f.name and (model.discriminator_value or model.bases):
        return _discriminator_literal(f, model.discriminator_value or model.name, names)
    return ""


def _discriminator_literal(f: Field, value: str, names: TypeNames) -> str:
    if isinstance(f.type, EnumRef):
        enum = names.enums[f.type.id]
        for member in enum.values:
            if member.value == value:
                return f"{enum.py_name}.{member.py_name}"
        if not enum.open:
            return ""
    return py_literal(value)


def _field_view(f: Field, names: TypeNames, used: set[str], forced_default: str) -> FieldView:
    names.uses(f.type, used)
    nested = replace(names, to_dict_args="read_only=read_only")
    annotation = names.annotation(f.type)
    key = py_literal(f.name)
    source = f"data[{key}]"
    value = f"self.{f.py_name}"
    if f.required:
        if f.nullable:
            annotation = f"{annotation} | None"
        decode = names.decode(f.type, source, f.nullable)
        default = forced_default or _default_literal(f, names)
        encode = [f"data[{key}] = {nested.encode(f.type, value, f.nullable)}"]
    elif f.nullable:
        annotation = f"{annotation} | None | NotGiven"
        default = "NOT_GIVEN"
        inner = names.decode(f.type, source, True)
        decode = (
            f"data.get({key}, NOT_GIVEN)"
            if inner == source
            else f"({inner}) if {key} in data else NOT_GIVEN"
        )
        encode = [
            f"if not isinstance({value}, NotGiven):",
            f"    data[{key}] = {nested.encode(f.type, value, True)}",
        ]
    else:
        annotation = f"{annotation} | None"
        default = forced_default or "None"
        # One lookup per member: the value is bound to `v` as it is tested.
        inner = names.decode(f.type, "v")
        decode = (
            f"data.get({key})"
            if inner == "v"
            else f"{inner} if (v := data.get({key})) is not None else None"
        )
        encode = [f"if {value} is not None:", f"    data[{key}] = {nested.encode(f.type, value)}"]
    if f.read_only:  # sent by the service only: written back, but never into a request
        if f.required:  # one unconditional line (nullable or not)
            encode = ["if read_only:", f"    {encode[0]}"]
        else:
            encode = [f"if read_only and {encode[0][3:]}", f"    {encode[1].strip()}"]
    declaration = f"{f.py_name}: {annotation}" + (f" = {default}" if default else "")
    return FieldView(
        name=f.py_name,
        wire=key,
        declaration=declaration,
        doc=docstring(f.description),
        decode=decode,
        encode_lines=encode,
    )


def _default_literal(f: Field, names: TypeNames) -> str:
    """The spec's default as a Python default, for scalar defaults of required fields."""
    if (
        f.default is MISSING
        or isinstance(f.default, (list, dict))
        or f.default is None
        and not f.nullable
    ):
        return ""
    if isinstance(f.type, EnumRef):
        return _discriminator_literal(f, f.default, names) if isinstance(f.default, str) else ""
    if isinstance(f.type, LiteralType) or (
        isinstance(f.type, Primitive)
        and not f.type.format in ("date-time", "date", "unixtime", "byte")
    ):
        return py_literal(f.default)
    return ""
