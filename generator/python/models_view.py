"""Template context for the ``models`` package: finished strings for every enum, model and
field, and the split of the models into modules.

A large API has thousands of models; defining them all costs seconds at import.  Each group
of models that refer to one another (a strongly connected component of the reference graph:
bases, field types, subclasses a discriminator dispatches to) is one private module, which
imports the modules it refers to at its top: the groups form a graph without cycles, so
plain imports work and every reference is an ordinary global, resolved once.  An enum used
by a single module is defined there, a shared one has its own module.  ``models/__init__``
imports a module when one of its names is first asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..ir import (
    MISSING,
    Api,
    DictType,
    Enum,
    EnumRef,
    Field,
    ListType,
    LiteralType,
    Model,
    ModelRef,
    Primitive,
    TypeExpr,
    UnionType,
)
from .imports import import_order, names_in
from .literals import docstring, py_literal
from .naming import snake
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
    member_map: str  # name of its value -> member map


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
    # How the class body spells the names its own text uses (``builtins.dict`` where a field
    # named ``dict`` hides the builtin).
    spell: dict[str, str] = field(default_factory=dict)


@dataclass
class ModelsModule:
    name: str = ""  # the module's file name without .py, e.g. _pet
    enums: list[EnumView] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    typing_names: list[str] = field(default_factory=list)
    datetime_names: list[str] = field(default_factory=list)
    uses_serde: bool = False
    uses_not_given: bool = False
    exported: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)


@dataclass
class ModelsPackage:
    """Which module of the package defines which classes.  A module's view is built when
    asked for (``module``): the shares of a large package are built in separate processes."""

    where: dict[str, str]  # every model and enum class name -> the module defining it
    groups: dict[str, tuple[list[str], list[str]]]  # module -> (enum names, model names)
    names: TypeNames
    homes: dict[str, str]  # ``where`` with open enums' value maps (``_homes``)
    by_name: dict[str, Model | Enum]

    def module(self, name: str) -> ModelsModule:
        enum_names, model_names = self.groups[name]
        enums = [self.by_name[n] for n in enum_names]
        models = [self.by_name[n] for n in model_names]
        return build_models_module(
            [e for e in enums if isinstance(e, Enum)],
            [m for m in models if isinstance(m, Model)],
            self.names,
            name,
            self.homes,
        )

    def exported(self, name: str) -> list[str]:
        """The classes module ``name`` defines (its ``__all__``)."""
        enum_names, model_names = self.groups[name]
        return sorted(enum_names + model_names)

    def weight(self, name: str) -> int:
        """About how much code module ``name`` is: its classes' fields and enum values."""
        return (
            sum(
                len(item.fields) if isinstance(item, Model) else len(item.values)
                for item in map(
                    self.by_name.__getitem__, [*self.groups[name][0], *self.groups[name][1]]
                )
            )
            + len(self.groups[name][0])
            + len(self.groups[name][1])
        )


def build_models_package(api: Api, names: TypeNames) -> ModelsPackage:
    groups = _groups(api, names)
    where = {name: module for module, (enums, models) in groups.items() for name in enums + models}
    return ModelsPackage(
        where=dict(sorted(where.items())),
        groups=groups,
        names=names,
        homes=_homes(where, names),
        by_name={m.py_name: m for m in api.models} | {e.py_name: e for e in api.enums},
    )


# The longest chain of modules that import one another.  Each import nests about ten frames
# of the import machinery: a chain of 200 bases, one module each, would exhaust Python's
# recursion limit.  Groups further than this from the end of their chain are merged in bands.
_IMPORT_DEPTH = 24


def _groups(api: Api, names: TypeNames) -> dict[str, tuple[list[str], list[str]]]:
    """Module name -> (enum names, model names) it defines, models in definition order."""
    refers = {m.id: _references(m, names) for m in api.models}
    graph = {k: [r for r in v if r in refers] for k, v in refers.items()}
    unit: dict[str, object] = {}  # model id -> what shares its module
    component: dict[str, str] = {}
    height: dict[str, int] = {}  # component -> the longest chain of components it imports
    for members in _components(graph):  # every component after those it refers to
        key = members[0]
        component.update(dict.fromkeys(members, key))
        below = {component[r] for m in members for r in graph[m]} - {key}
        height[key] = 1 + max((height[c] for c in below), default=-1)
        # A band's groups refer only to groups of lower height: bands import downwards.
        band = height[key] // _IMPORT_DEPTH
        unit.update(dict.fromkeys(members, key if band == 0 else band))
    taken: set[str] = set()
    module_of: dict[object, str] = {}
    for model in api.models:  # named after its first model in spec order
        if unit[model.id] not in module_of:
            module_of[unit[model.id]] = _module_name(model.py_name, taken)
    ordered = _ordered(api.models, names)
    groups: dict[str, tuple[list[str], list[str]]] = {}
    users: dict[str, set[str]] = {e.id: set() for e in api.enums}
    for model in ordered:
        module = module_of[unit[model.id]]
        groups.setdefault(module, ([], []))[1].append(model.py_name)
        for ref in refers[model.id]:
            if ref in users:
                users[ref].add(module)
    for enum in api.enums:
        homes = users[enum.id]
        module = next(iter(homes)) if len(homes) == 1 else _module_name(enum.py_name, taken)
        groups.setdefault(module, ([], []))[0].append(enum.py_name)
    return dict(sorted(groups.items()))


def _module_name(name: str, taken: set[str]) -> str:
    base = "_" + snake(name)
    module, n = base, 2
    while module in taken:
        module, n = f"{base}_{n}", n + 1
    taken.add(module)
    return module


def _references(model: Model, names: TypeNames) -> list[str]:
    """The ids of the models and enums a model's class needs: bases, the types of its fields
    (inherited ones too: its from_dict decodes them), subclasses it dispatches to."""
    found: dict[str, None] = dict.fromkeys(b for b in model.bases if b in names.models)
    for f in names.all_fields(model.id):
        _type_references(f.type, found)
    if model.additional is not None:
        _type_references(model.additional, found)
    if model.discriminator is not None:
        found.update(dict.fromkeys(model.discriminator.mapping.values()))
    for base_id in model.bases:  # a discriminator default names the base's enum
        if base_id in names.models:
            for f in names.all_fields(base_id):
                _type_references(f.type, found)
    found.pop(model.id, None)
    return [r for r in found if r in names.models or r in names.enums]


def _type_references(t: TypeExpr, found: dict[str, None]) -> None:
    if isinstance(t, (ModelRef, EnumRef)):
        found[t.id] = None
    elif isinstance(t, ListType):
        _type_references(t.item, found)
    elif isinstance(t, DictType):
        _type_references(t.value, found)
    elif isinstance(t, UnionType):
        for variant in t.variants:
            _type_references(variant, found)


def _components(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """Strongly connected components (Tarjan's algorithm, without recursion: a chain of
    thousands of models must not hit the recursion limit), members in graph order."""
    order = {node: i for i, node in enumerate(graph)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root, targets in graph.items():
        if root in index:
            continue
        work = [(root, iter(targets))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    yield sorted(members, key=order.__getitem__)


def build_models_module(
    enums: list[Enum],
    models: list[Model],
    names: TypeNames,
    name: str = "",
    where: dict[str, str] | None = None,
) -> ModelsModule:
    """One module of the package: ``models`` in definition order; ``where`` tells where
    the classes (and open enums' value maps) it refers to are defined (``_homes``)."""
    module = ModelsModule(name=name)
    names = replace(names, in_models=True)
    for enum in enums:
        module.enums.append(_enum_view(enum, names))
    for model in models:
        module.models.append(_model_view(model, names, set()))
    used = names_in(_code_of(module))
    module.uses_not_given = bool({"NOT_GIVEN", "NotGiven"} & used)
    module.uses_serde = "_serde" in used
    module.typing_names = sorted(n for n in ("Any", "ClassVar", "Literal") if n in used)
    module.datetime_names = sorted(n for n in ("date", "datetime") if n in used)
    module.exported = sorted([e.name for e in module.enums] + [m.name for m in module.models])
    module.imports = _imports(module, used) + _sibling_imports(module, used, where or {})
    return module


def _code_of(module: ModelsModule) -> Iterator[str]:
    """The code the template writes for the module's classes, as far as it names anything
    that must be imported (the template's own text included)."""
    for enum in module.enums:
        if enum.member_map:
            yield "_serde.value_map"
    for model in module.models:
        yield "Mapping Any ClassVar dataclass"
        yield " ".join(v for k, v in model.spell.items() if k != "field")
        yield model.bases
        yield from (f.declaration for f in model.own_fields)
        if not model.bases:
            spell = model.spell
            yield f"{spell['field']} {spell['dict']}[{spell['str']}, {model.additional}]"
        yield from (sub for _, sub in model.dispatch)
        for f in model.all_fields:
            yield f.decode
            yield from f.encode_lines
        yield (
            "_serde.unknown_members" if model.decode_additional == "v" else model.decode_additional
        )


def _homes(where: dict[str, str], names: TypeNames) -> dict[str, str]:
    """``where`` (class name -> module) with the value map of each open enum beside its
    enum: every name a module may import from a sibling.  Built once per package: a package
    of 2,500 modules would otherwise rebuild it 2,500 times."""
    homes = dict(where)
    for enum in names.enums.values():
        if enum.py_name in where:
            homes[names.member_map(enum)] = where[enum.py_name]
    return homes


def _sibling_imports(module: ModelsModule, used: set[str], homes: dict[str, str]) -> list[str]:
    """``from ._other import Name`` for the classes (and open enums' value maps) defined in
    other modules of the package."""
    wanted: dict[str, set[str]] = {}
    for name in used:
        home = homes.get(name)
        if home is not None and home != module.name:
            wanted.setdefault(home, set()).add(name)
    return [
        f"from .{home} import {', '.join(sorted(wanted[home], key=import_order))}"
        for home in sorted(wanted)
    ]


def _imports(module: ModelsModule, used: set[str]) -> list[str]:
    lines = []
    modules = [
        line
        for name, line in (
            ("_builtins", "import builtins as _builtins"),
            ("_dataclasses", "import dataclasses as _dataclasses"),
            ("_dt", "import datetime as _dt"),
        )
        if name in used
    ]
    lines += modules  # isort: plain imports first within the standard library
    if module.models:
        lines.append("from collections.abc import Mapping")
        lines.append(
            f"from dataclasses import {'dataclass, field' if 'field' in used else 'dataclass'}"
        )
    if module.datetime_names:
        lines.append(f"from datetime import {', '.join(module.datetime_names)}")
    if module.enums:
        lines.append("from enum import Enum")
    if module.typing_names:
        lines.append(f"from typing import {', '.join(module.typing_names)}")
    # A subclass may test an inherited member for NotGiven without declaring one itself.
    runtime = [name for name in ("NOT_GIVEN", "NotGiven") if name in used] + (
        ["_serde"] if module.uses_serde else []
    )
    if runtime:
        lines += ["", f"from .._runtime import {', '.join(runtime)}"]
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
        member_map=names.member_map(enum),  # decoding looks values up leniently
    )


# What a model's class body names after its fields are bound: a field so named hides it.
_SHADOWABLE = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "object", "date", "datetime"}
)
# Modules are imported under names no field takes (a field name never starts with "_").
_TEMPLATE_NAMES = {
    "str": "_builtins.str",
    "bool": "_builtins.bool",
    "dict": "_builtins.dict",
    "field": "_dataclasses.field",
    "classmethod": "_builtins.classmethod",
}


def _model_view(model: Model, names: TypeNames, used: set[str]) -> ModelView:
    bound = {f.py_name for f in model.fields} | {
        f.py_name
        for f in _inherited_fields(model, names)
        if f.name == _discriminator_of(model, names)
    }
    names = replace(names, shadowed=names.shadowed | (bound & _SHADOWABLE), builtins="_builtins.")
    spell = {name: _TEMPLATE_NAMES[name] if name in bound else name for name in _TEMPLATE_NAMES}
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
    decode_extra = "v" if model.additional is None else names.lenient(model.additional, "v")
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
        spell=spell,
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
    """Every member decodes leniently (a missing or mistyped member is kept as sent, a
    missing one reads None), so every annotation admits None; NotGiven stays for the request
    side, where an optional nullable member left out differs from one sent as null."""
    names.uses(f.type, used)
    nested = replace(names, to_dict_args="read_only=read_only")
    annotation = names.annotation(f.type)
    key = py_literal(f.name)
    value = f"self.{f.py_name}"
    decode = names.lenient(f.type, f"data.get({key})")
    if f.required:
        annotation = f"{annotation} | None"
        default = forced_default or _default_literal(f, names)
        encode = [f"data[{key}] = {nested.lenient_encode(f.type, value)}"]
    elif f.nullable:
        annotation = f"{annotation} | None | NotGiven"
        default = "NOT_GIVEN"
        encode = [
            f"if not isinstance({value}, NotGiven):",
            f"    data[{key}] = {nested.lenient_encode(f.type, value)}",
        ]
    else:
        annotation = f"{annotation} | None"
        default = forced_default or "None"
        encode = [
            f"if {value} is not None:",
            f"    data[{key}] = {nested.lenient_encode(f.type, value)}",
        ]
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
