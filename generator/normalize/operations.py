"""What Swagger 2.0 and OpenAPI 3.0 operations have in common once read: grouping, the
operation's name within its group, client-level parameters, content-type kinds."""

from __future__ import annotations

import re
from collections import OrderedDict

from ..ir import MISSING, Operation, OperationGroup, Parameter

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(text: str) -> list[str]:
    """Split an identifier-ish text into words at case changes and punctuation:
    ``microsoftAzureFilesList`` → microsoft, Azure, Files, List; ``Fine-tunes:`` → Fine, tunes."""
    return _WORD.findall(text)


def content_kind(content_type: str) -> str:
    """json, multipart, form, event-stream, text or binary."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("application/json", "text/json") or media.endswith("+json"):
        return "json"
    if media == "multipart/form-data":
        return "multipart"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media == "text/event-stream":
        return "event-stream"
    if media.startswith("text/"):
        return "text"
    return "binary"


def is_wildcard(content_type: str) -> bool:
    """``*/*``, ``application/*``: the schema, not the media type, says what the body is."""
    return content_type.split(";", 1)[0].strip().endswith("/*")


def pick_content_type(content_types: list[str], order: tuple[str, ...]) -> str | None:
    """The first content type whose kind comes earliest in ``order``."""
    for kind in order:
        for content_type in content_types:
            if content_kind(content_type) == kind:
                return content_type
    return content_types[0] if content_types else None


def assign_groups(operations: list[tuple[Operation, list[str]]]) -> list[OperationGroup]:
    """Group operations by their first tag, else by the ``Group_`` prefix of their
    operationId; name each within its group without the group's words and without a
    leading run of words that every operationId shares (``microsoftAzure…``)."""
    shared = _shared_prefix([op.id for op, _ in operations if "_" not in op.id])
    groups: OrderedDict[str, OperationGroup] = OrderedDict()
    for op, tags in operations:
        prefix, underscore, rest = op.id.partition("_")
        if tags:
            op.group = tags[0]
        elif underscore and prefix:
            op.group = prefix
        else:
            op.group = ""
        if underscore and prefix and rest:
            op.name = rest
        else:
            op.name = _strip_words(op.id, shared, op.group)
        groups.setdefault(op.group, OperationGroup(name=op.group, operations=[])).operations.append(
            op
        )
    return list(groups.values())


def _shared_prefix(ids: list[str]) -> list[str]:
    if len(ids) < 2:
        return []
    split = [words(i) for i in ids]
    prefix: list[str] = []
    for column in zip(*split):
        if len(set(column)) != 1:
            break
        prefix.append(column[0])
    # Never consume a whole operationId.
    while prefix and any(len(w) <= len(prefix) for w in split):
        prefix.pop()
    return prefix


def _strip_words(operation_id: str, shared: list[str], group: str) -> str:
    parts = words(operation_id)
    if not parts:
        return operation_id
    if shared and parts[: len(shared)] == shared:
        parts = parts[len(shared) :]
    # The group's words may be spelled as fewer words in the id (tag "Fine-Tunes", id "Finetunes…").
    group_key = "".join(words(group)).lower()
    spelled = ""
    for index, word in enumerate(parts[:-1]):
        spelled += word.lower()
        if spelled == group_key:
            parts = parts[index + 1 :]
            break
        if len(spelled) >= len(group_key):
            break
    return "".join(p[:1].upper() + p[1:] for p in parts)


def hoist_client_parameters(
    operations: list[Operation], pinned: set[int] | None = None
) -> list[Parameter]:
    """Client-level parameters: those marked ``x-ms-parameter-location: client`` and those
    that every operation takes with one stated value (``api-version``), unless one of them is
    marked ``x-ms-parameter-location: method`` (``id()`` in ``pinned``) or is a fixed value.
    Operations keep them, flagged ``client``, so a call reads them from its client."""
    pinned = pinned or set()
    hoisted: OrderedDict[tuple[str, str], Parameter] = OrderedDict()
    for op in operations:
        for param in op.parameters:
            if param.client:
                hoisted.setdefault((param.location, param.name), param)
    if len(operations) >= 2:
        first = operations[0]
        for param in first.parameters:
            key = (param.location, param.name)
            if key in hoisted or param.location not in ("query", "header"):
                continue
            shared = [_find(op, key) for op in operations]
            if any(p is None or id(p) in pinned or p.constant for p in shared):
                continue
            values = {
                repr(v) for p in shared if p is not None and (v := _stated_value(p)) is not MISSING
            }
            if len(values) != 1:
                continue
            value = next(
                _stated_value(p)
                for p in shared
                if p is not None and _stated_value(p) is not MISSING
            )
            for p in shared:
                if p is not None:
                    p.client = True
                    p.default = value
            hoisted[key] = param
    client_params = list(hoisted.values())
    return client_params


def _find(op: Operation, key: tuple[str, str]) -> Parameter | None:
    for param in op.parameters:
        if (param.location, param.name) == key:
            return param
    return None


def _stated_value(param: Parameter) -> object:
    """The value a parameter states: its default (readers set a one-value enum's value as
    its default, since it is the only legal one)."""
    return param.default
