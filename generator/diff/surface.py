"""The Python surface of a refined IR: what code written against the generated client can
touch, in the terms the comparison needs.

Everything is keyed by the names the refine pass gave (``py_name``): two specs that word
the same thing differently (Swagger 2.0 and OpenAPI 3.x, a schema moved into another file)
give the same surface.  Type expressions become *shapes*, hashable tuples that name models
and enums by their Python class, so that equal annotations compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..ir import (
    AnyType,
    Api,
    Binary,
    DictType,
    EnumRef,
    ListType,
    LiteralType,
    Model,
    ModelRef,
    Operation,
    Primitive,
    Response,
    TypeExpr,
    UnionType,
)
from ..python.naming import body_members

# A type as the generated annotation reads it: ("prim", "str"), ("model", "File"),
# ("enum", "Purpose", "str"), ("list", shape), ("dict", shape), ("union", frozenset),
# ("literal", "'a'", "str"), ("any",) and ("none",) for "no value".
Shape = tuple[Any, ...]
NONE: Shape = ("none",)
_FORMATS = {"date-time": "datetime", "unixtime": "datetime", "date": "date", "byte": "bytes"}
REQUEST, RESPONSE = "request", "response"
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Arg:
    """One argument of a generated method: a parameter, a form member or the body."""

    name: str  # the Python argument
    wire: str
    location: str  # path, query, header, cookie, form (a multipart part), member (of a JSON
    # body, as a keyword argument), body (the whole body)
    type: Shape
    required: bool


@dataclass
class Call:
    """One generated method and the HTTP operation behind it."""

    http: str  # "POST /files"
    python: str  # "client.files.upload"
    args: dict[str, Arg]
    positional: list[str]  # path parameters, in the order the method takes them
    returns: Shape
    response_content_types: tuple[str, ...]
    request_content_type: str
    stream_events: Shape | None
    paging: bool
    long_running: bool
    deprecated: bool


@dataclass(frozen=True)
class FieldSurface:
    name: str
    wire: str
    type: Shape
    required: bool
    nullable: bool


@dataclass
class ModelSurface:
    name: str
    fields: dict[str, FieldSurface]  # inherited ones included: a reader sees them all
    bases: list[str]


@dataclass
class EnumSurface:
    name: str
    base: str
    open: bool
    members: dict[Any, str]  # wire value -> member name


@dataclass
class SchemeSurface:
    name: str
    kind: str
    location: str
    parameter: str
    arguments: tuple[str, ...]


@dataclass
class ClientArg:
    name: str
    wire: str
    type: Shape
    default: Any  # MISSING when the constructor requires it


@dataclass
class Surface:
    title: str
    version: str
    host: str
    host_parameters: dict[str, ClientArg]
    client_parameters: dict[str, ClientArg]
    schemes: dict[tuple[str, ...], SchemeSurface]  # by the constructor arguments they take
    calls: dict[str, Call]  # by HTTP key: method and path with its parameters unnamed
    models: dict[str, ModelSurface]
    enums: dict[str, EnumSurface]
    # Which side of the wire each model and enum travels on (both when unused: a class
    # nothing refers to may be built or read by user code either way).
    sides: dict[str, set[str]] = field(default_factory=dict)

    def side_of(self, name: str) -> set[str]:
        return self.sides.get(name) or {REQUEST, RESPONSE}


def http_key(method: str, path: str) -> str:
    """``get /files/{}``: paths that differ only in how they name a parameter are one."""
    return f"{method.upper()} {_PATH_PARAMETER.sub('{}', path)}"


def surface(api: Api) -> Surface:
    shapes = _Shapes(api)
    calls: dict[str, Call] = {}
    for group in api.groups:
        for op in group.operations:
            python = (
                f"client.{group.py_name}.{op.py_name}" if group.name else f"client.{op.py_name}"
            )
            key = http_key(op.method, op.path)
            while key in calls:  # the same path twice (x-ms-paths): tell them apart by name
                key += f" {python}"
            calls[key] = _call(op, python, shapes)
    by_id = {m.id: m for m in api.models}
    return Surface(
        title=api.title,
        version=api.version,
        host=api.host,
        host_parameters={
            p.py_name: ClientArg(p.py_name, p.name, shapes.of(p.type), p.default)
            for p in api.host_parameters
        },
        client_parameters={
            p.py_name: ClientArg(p.py_name, p.name, shapes.of(p.type), p.default)
            for p in api.client_parameters
        },
        schemes=_schemes(api),
        calls=calls,
        models={m.py_name: _model(m, by_id, shapes) for m in api.models},
        enums={
            e.py_name: EnumSurface(
                e.py_name, e.base, e.open, {v.value: v.py_name for v in e.values}
            )
            for e in api.enums
        },
        sides=_sides(api),
    )


def _schemes(api: Api) -> dict[tuple[str, ...], SchemeSurface]:
    """Schemes as the constructor takes them: two specs that name a scheme differently
    (``ApiKeyAuth``, ``apiKey``) but take the same ``api_key`` argument agree."""
    found: dict[tuple[str, ...], SchemeSurface] = {}
    for s in api.security:
        arguments = tuple(s.py_names)
        found.setdefault(
            arguments, SchemeSurface(s.name, s.kind, s.location, s.parameter, arguments)
        )
    return found


class _Shapes:
    def __init__(self, api: Api) -> None:
        self.by_id = {m.id: m for m in api.models}
        self.models = {m.id: m.py_name for m in api.models}
        self.enums = {e.id: (e.py_name, e.base) for e in api.enums}

    def of(self, t: TypeExpr | None) -> Shape:
        if t is None:
            return NONE
        if isinstance(t, Primitive):
            return ("prim", _FORMATS.get(t.format, t.name))
        if isinstance(t, Binary):
            return ("prim", "bytes")
        if isinstance(t, ListType):
            return ("list", self.of(t.item))
        if isinstance(t, DictType):
            return ("dict", self.of(t.value))
        if isinstance(t, UnionType):
            return union([self.of(v) for v in t.variants])
        if isinstance(t, ModelRef):
            return ("model", self.models[t.id])
        if isinstance(t, EnumRef):
            return ("enum", *self.enums[t.id])
        if isinstance(t, LiteralType):
            return ("literal", repr(t.value), type(t.value).__name__)
        assert isinstance(t, AnyType)
        return ("any",)


def union(shapes: list[Shape]) -> Shape:
    flat: set[Shape] = set()
    for s in shapes:
        flat |= s[1] if s[0] == "union" else {s}
    if len(flat) == 1:
        return next(iter(flat))
    return ("union", frozenset(flat))


def _call(op: Operation, python: str, shapes: _Shapes) -> Call:
    args: dict[str, Arg] = {}
    positional: list[str] = []
    for p in op.arguments():
        args[p.py_name] = Arg(p.py_name, p.name, p.location, shapes.of(p.type), p.required)
        if p.location == "path":
            positional.append(p.py_name)
    body = op.body
    if body is not None and body.kind in ("multipart", "form"):
        for f in body.form_fields:
            kind = ("prim", "bytes") if f.is_file else shapes.of(f.type)
            args[f.py_name] = Arg(f.py_name, f.name, "form", kind, f.required)
    elif body is not None:
        binary = body.kind == "binary" or isinstance(body.type, Binary)
        if binary or body.kind == "text":
            body_shape: Shape = ("prim", "bytes" if binary else "str")
        else:
            body_shape = shapes.of(body.type)
        # A JSON object body's members are keyword arguments; the whole body is then the
        # other way to call, never required.
        for member in body_members(op, shapes.by_id) if body.py_members else []:
            name = body.py_members[member.name]
            kind = shapes.of(member.type)
            kind = union([kind, NONE]) if member.nullable else kind
            args[name] = Arg(name, member.name, "member", kind, member.required)
        required = body.required and not body.py_members
        args[body.py_name] = Arg(body.py_name, body.name, "body", body_shape, required)
    success = [
        r
        for r in op.responses
        if r.status.startswith("2")
        or (r.status == "default" and not any(x.status.startswith("2") for x in op.responses))
    ]
    plain = [r for r in success if r.kind != "event-stream"] or [
        r for r in success if r.kind == "event-stream"
    ]
    return Call(
        http=f"{op.method.upper()} {op.path}",
        python=python,
        args=args,
        positional=positional,
        returns=union([_returned(r, shapes) for r in plain]) if plain else NONE,
        response_content_types=tuple(sorted({r.content_type for r in success if r.content_type})),
        request_content_type=body.content_type if body is not None else "",
        stream_events=shapes.of(op.stream_type) if op.streaming and op.stream_type else None,
        paging=op.paging is not None,
        long_running=op.long_running is not None,
        deprecated=op.deprecated,
    )


def _returned(r: Response, shapes: _Shapes) -> Shape:
    if r.kind == "binary":
        return ("prim", "bytes")
    if r.kind == "text":
        return ("prim", "str")
    if r.kind in ("json", "event-stream") and r.type is not None:
        return shapes.of(r.type)
    return NONE


def _model(model: Model, by_id: dict[str, Model], shapes: _Shapes) -> ModelSurface:
    found: dict[str, FieldSurface] = {}
    for m in _lineage(model, by_id, set()):
        for f in m.fields:
            found.setdefault(
                f.py_name,
                FieldSurface(f.py_name, f.name, shapes.of(f.type), f.required, f.nullable),
            )
    return ModelSurface(
        model.py_name,
        found,
        [by_id[b].py_name for b in model.bases if b in by_id],
    )


def _lineage(model: Model, by_id: dict[str, Model], seen: set[str]) -> list[Model]:
    """The model, then its bases (nearest first): a redeclared field keeps the subclass's."""
    if model.id in seen:
        return []
    seen.add(model.id)
    found = [model]
    for base in model.bases:
        if base in by_id:
            found += _lineage(by_id[base], by_id, seen)
    return found


def _sides(api: Api) -> dict[str, set[str]]:
    """For every model and enum (by Python name), the sides of the wire it travels on."""
    by_id = {m.id: m for m in api.models}
    subclasses: dict[str, list[str]] = {}
    for m in api.models:
        for b in m.bases:
            subclasses.setdefault(b, []).append(m.id)
    names = {m.id: m.py_name for m in api.models} | {e.id: e.py_name for e in api.enums}
    sides: dict[str, set[str]] = {}

    def walk(t: TypeExpr | None, side: str) -> None:
        stack = [t]
        while stack:
            item = stack.pop()
            if isinstance(item, (ModelRef, EnumRef)):
                if side in sides.setdefault(names[item.id], set()):
                    continue
                sides[names[item.id]].add(side)
                if isinstance(item, ModelRef):
                    model = by_id[item.id]
                    stack += [f.type for f in model.fields] + [model.additional]
                    # a base's fields are part of the model; a subclass may stand for it
                    stack += [ModelRef(i) for i in model.bases + subclasses.get(item.id, [])]
            elif isinstance(item, ListType):
                stack.append(item.item)
            elif isinstance(item, DictType):
                stack.append(item.value)
            elif isinstance(item, UnionType):
                stack += list(item.variants)

    for p in api.client_parameters:
        walk(p.type, REQUEST)
    for op in api.operations():
        for p in op.parameters:
            walk(p.type, REQUEST)
        for body in ([op.body] if op.body else []) + op.alternate_bodies:
            walk(body.type, REQUEST)
            for f in body.form_fields:
                walk(f.type, REQUEST)
        for r in op.responses:
            walk(r.type, RESPONSE)
        walk(op.stream_type, RESPONSE)
    return sides
