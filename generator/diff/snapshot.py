"""The IR back from its JSON view (``ir.json``, written by ``write-ir``): the previous
generation's API, compared with a fresh one by ``package-version = "auto"`` and ``check``.

Decoding follows the IR's own type hints, so a field added to an IR dataclass needs nothing
here: a snapshot written before it existed simply takes the field's default, and a key the IR
no longer has is ignored.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING as NO_DEFAULT
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .. import ir
from ..errors import GenerationError

# Type expressions carry their ``kind``: the dataclass to decode a union member into.
_TYPE_KINDS: dict[str, type] = {
    f.default: cls  # type: ignore[misc]
    for cls in typing.get_args(ir.TypeExpr)
    for f in fields(cls)
    if f.name == "kind"
}


def read_snapshot(path: Path) -> ir.Api | None:
    """The API an ``ir.json`` holds; None when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return parse_snapshot(text, path)


def parse_snapshot(text: str, path: Path) -> ir.Api:
    """The API of an ``ir.json``'s ``text`` (read from ``path``, which errors name)."""
    try:
        return from_jsonable(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GenerationError(f"{path}: not an IR snapshot specgen can read: {exc}") from None


def from_jsonable(data: dict[str, Any]) -> ir.Api:
    api = _decode(ir.Api, data)
    assert isinstance(api, ir.Api)
    return api


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(ir))


def _decode(hint: Any, value: Any) -> Any:
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        if all(is_dataclass(a) for a in options) and len(options) > 1:
            return _decode(_TYPE_KINDS[value["kind"]], value)
        return _decode(options[0], value)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_decode(item, v) for v in value]
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v) for v in value)
    if origin is dict:
        _, item = typing.get_args(hint)
        return {k: _decode(item, v) for k, v in value.items()}
    if isinstance(hint, type) and is_dataclass(hint):
        hints = _hints(hint)
        kwargs = {}
        for f in fields(hint):
            if f.name in value:
                kwargs[f.name] = _decode(hints[f.name], value[f.name])
            elif f.default is NO_DEFAULT and f.default_factory is NO_DEFAULT:
                raise KeyError(f"{hint.__name__}.{f.name}")
        return hint(**kwargs)
    return value
