"""Drop inline declarations nothing refers to (named schemas stay: users may want them)."""

from __future__ import annotations

from collections.abc import Iterator

from ..ir import (
    Api,
    DictType,
    EnumRef,
    ListType,
    Model,
    ModelRef,
    Operation,
    TypeExpr,
    UnionType,
)


def prune_unused(api: Api, keep: set[str]) -> None:
    models = {m.id: m for m in api.models}
    reached: set[str] = set()
    pending: list[TypeExpr] = list(_operation_types(api))
    pending += [ModelRef(i) if i in models else EnumRef(i) for i in keep]
    while pending:
        for ref_id in refs_of(pending.pop()):
            if ref_id in reached:
                continue
            reached.add(ref_id)
            model = models.get(ref_id)
            if model is not None:
                pending.extend(_model_types(model))
    api.models = [m for m in api.models if m.id in reached]
    api.enums = [e for e in api.enums if e.id in reached]


def _operation_types(api: Api) -> Iterator[TypeExpr]:
    yield from operation_types(api.operations())
    for param in api.client_parameters:
        yield param.type


def operation_types(operations: list[Operation]) -> Iterator[TypeExpr]:
    """Every type the operations' parameters, bodies, responses and headers use."""
    for op in operations:
        for param in op.parameters:
            yield param.type
        for body in ([op.body] if op.body else []) + op.alternate_bodies:
            if body.type is not None:
                yield body.type
            for form_field in body.form_fields:
                yield form_field.type
        for response in op.responses:
            if response.type is not None:
                yield response.type
            for header in response.headers:
                yield header.type


def _model_types(model: Model) -> Iterator[TypeExpr]:
    """Everything a model needs: its fields, bases and discriminated subclasses."""
    for f in model.fields:
        yield f.type
    if model.additional is not None:
        yield model.additional
    yield from (ModelRef(base) for base in model.bases)
    if model.discriminator is not None:
        yield from (ModelRef(sub) for sub in model.discriminator.mapping.values())


def refs_of(t: TypeExpr) -> Iterator[str]:
    if isinstance(t, (ModelRef, EnumRef)):
        yield t.id
    elif isinstance(t, ListType):
        yield from refs_of(t.item)
    elif isinstance(t, DictType):
        yield from refs_of(t.value)
    elif isinstance(t, UnionType):
        for variant in t.variants:
            yield from refs_of(variant)
