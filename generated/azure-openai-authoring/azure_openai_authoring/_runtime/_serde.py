"""Conversion helpers called by the generated ``from_dict`` / ``to_dict`` code."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from ._types import NOT_GIVEN

__all__ = [
    "b64_or_value",
    "b64_out",
    "b64decode",
    "b64encode",
    "date_or_value",
    "date_out",
    "datetime_or_value",
    "datetime_out",
    "decode_union",
    "dict_out",
    "enum_dict",
    "enum_list",
    "format_date",
    "format_datetime",
    "from_unixtime",
    "has_content_type",
    "join",
    "json_body",
    "json_members",
    "list_out",
    "model_dict",
    "model_dict_out",
    "model_list",
    "model_list_out",
    "model_out",
    "new_request_id",
    "open_enum",
    "parse_date",
    "parse_datetime",
    "request_json",
    "to_json",
    "to_jsonable",
    "to_unixtime",
    "unixtime_or_value",
    "unixtime_out",
    "unknown_members",
    "with_stream_flag",
]

# datetime.UTC is 3.11+; runtime must import on 3.10.
_UTC = dt.timezone.utc  # noqa: UP017, RUF100
_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")

# datetime.fromisoformat() only accepts `Z` and arbitrary fractions from 3.11 on,
# and servers emit 7 fractional digits (.NET), so parse RFC 3339 by hand.
_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?"
)


def parse_datetime(value: str) -> dt.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time; a missing offset means UTC."""
    m = _DATETIME_RE.fullmatch(value.strip())
    if m is None:
        raise ValueError(f"invalid date-time: {value!r}")
    year, month, day, hour, minute, second = (int(g or 0) for g in m.groups()[:6])
    micro = int((m[7] or "").ljust(6, "0")[:6])  # >6 digits are truncated
    tz = _UTC
    if m[9]:
        offset = dt.timedelta(hours=int(m[10]), minutes=int(m[11]))
        tz = dt.timezone(-offset if m[9] == "-" else offset)
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


def format_datetime(value: dt.datetime) -> str:
    """RFC 3339 with an explicit offset (`Z` for UTC); naive values are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.strip())


def format_date(value: dt.date) -> str:
    if isinstance(value, dt.datetime):  # a datetime is a date; keep only the date
        value = value.date()
    return value.isoformat()


def from_unixtime(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, _UTC)  # positional: measurably faster than tz=


def to_unixtime(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    return int(value.timestamp())


def b64decode(value: str) -> bytes:
    """Decode standard or URL-safe base64, with or without padding."""
    text = value.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 data: {exc}") from None


def b64encode(value: bytes, *, urlsafe: bool = False) -> str:
    """Standard padded base64, or unpadded URL-safe base64 (format: base64url)."""
    if urlsafe:
        return base64.urlsafe_b64encode(value).decode("ascii").rstrip("=")
    return base64.b64encode(value).decode("ascii")


def datetime_or_value(value: Any) -> Any:
    """A model member's date-time: parsed from a string, any other value kept as sent."""
    return parse_datetime(value) if isinstance(value, str) else value


def unixtime_or_value(value: Any) -> Any:
    """A model member's unix time: converted from a number, any other value kept as sent."""
    kind = type(value)  # JSON numbers are exactly int or float (a bool is neither here)
    if kind is int or kind is float:
        return dt.datetime.fromtimestamp(value, _UTC)  # inlined: one call per timestamp
    return value


def date_or_value(value: Any) -> Any:
    """A model member's date: parsed from a string, any other value kept as sent."""
    return parse_date(value) if isinstance(value, str) else value


def b64_or_value(value: Any) -> Any:
    """A model member's base64 data: decoded from a string, any other value kept as sent."""
    return b64decode(value) if isinstance(value, str) else value


class _Decodes(Protocol):
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any: ...


# A model member that is a list or a map of models or enum values: decoded where it has the
# declared JSON shape, item by item, and kept as received where it does not (as the
# ``*_or_value`` functions above for one value).


def model_list(value: Any, cls: type[_Decodes]) -> Any:
    if not isinstance(value, list):
        return value
    return [cls.from_dict(x) if isinstance(x, dict) else x for x in value]


def model_dict(value: Any, cls: type[_Decodes]) -> Any:
    if not isinstance(value, dict):
        return value
    return {k: cls.from_dict(x) if isinstance(x, dict) else x for k, x in value.items()}


def enum_list(value: Any, members: Mapping[Any, Any], shape: type | tuple[type, ...]) -> Any:
    """``members``: the enum's ``value_map``; ``shape``: the JSON type(s) of its values."""
    if not isinstance(value, list):
        return value
    return [members.get(x, x) if isinstance(x, shape) else x for x in value]


def enum_dict(value: Any, members: Mapping[Any, Any], shape: type | tuple[type, ...]) -> Any:
    if not isinstance(value, dict):
        return value
    return {k: members.get(x, x) if isinstance(x, shape) else x for k, x in value.items()}


# A model member written back (``to_dict``): converted where it holds what its type says, and
# written as it is where decoding kept a value of another type (the lenient decoders above).


def datetime_out(value: Any) -> Any:
    return format_datetime(value) if isinstance(value, dt.datetime) else value


def date_out(value: Any) -> Any:
    return format_date(value) if isinstance(value, dt.date) else value


def unixtime_out(value: Any) -> Any:
    return to_unixtime(value) if isinstance(value, dt.datetime) else value


def b64_out(value: Any) -> Any:
    return b64encode(bytes(value)) if isinstance(value, (bytes, bytearray)) else value


def model_out(value: Any, *, read_only: bool = True) -> Any:
    to_dict = getattr(value, "to_dict", None)
    return value if to_dict is None else to_dict(read_only=read_only)


def model_list_out(value: Any, *, read_only: bool = True) -> Any:
    if not isinstance(value, list):
        return value
    return [model_out(item, read_only=read_only) for item in value]


def model_dict_out(value: Any, *, read_only: bool = True) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: model_out(item, read_only=read_only) for key, item in value.items()}


def list_out(value: Any, encode: Callable[[Any], Any]) -> Any:
    return [encode(item) for item in value] if isinstance(value, list) else value


def dict_out(value: Any, encode: Callable[[Any], Any]) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: encode(item) for key, item in value.items()}


def open_enum(enum_cls: type[_E], value: _T) -> _E | _T:
    """The member for `value`, or `value` itself when the server sent a new one.

    Open enums (x-ms-enum modelAsString) may grow server-side; an unknown value
    must not break decoding of the whole response.
    """
    try:  # the value map: a dict lookup, several times faster than calling the Enum
        member: _E | None = enum_cls._value2member_map_.get(value)  # type: ignore[assignment]
    except TypeError:  # an unhashable value (a list, an object) is no member
        return value
    return value if member is None else member


def value_map(enum_cls: type[_E]) -> dict[Any, Any]:
    """An enum's members by wire value: models decode with ``map.get(v, v)``, a dict lookup
    where ``open_enum`` costs a call per value (a value it does not hold is kept as sent:
    typed Any, as every decoded JSON value)."""
    return {member.value: member for member in enum_cls}


def to_jsonable(value: object) -> str | list[str]:
    """Wire form of a query/header/form/path value: str, or list[str] for arrays."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_scalar_to_str(item) for item in value]
    return _scalar_to_str(value)


def _scalar_to_str(value: object) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return b64encode(bytes(value))
    return str(value)


def decode_union(value: Any, *options: tuple[tuple[type, ...], Callable[[Any], Any]]) -> Any:
    """Decode a oneOf/anyOf value: the first option whose JSON shape matches and whose
    decoder accepts the value wins; a value no option takes is kept as sent.  Models compete
    for a JSON object by how many of its keys they declare, so the most specific one wins
    (a verbose transcription is not read as the plain one it extends)."""
    if isinstance(value, dict):
        keys = value.keys()
        options = tuple(sorted(options, key=lambda option: -len(keys & _declared_keys(option[1]))))
    for shapes, decode in options:
        if shapes and not isinstance(value, shapes):
            continue
        if isinstance(value, bool) and bool not in shapes and object not in shapes:
            continue  # JSON true is not the integer 1
        try:
            return decode(value)
        except (KeyError, TypeError, ValueError):
            continue
    return value


def decode_tagged(
    value: Any,
    tag: str,
    members: dict[str, Callable[[Any], Any]],
    *options: tuple[tuple[type, ...], Callable[[Any], Any]],
) -> Any:
    """Decode a oneOf whose member models each fix the property ``tag`` to a value of their
    own: the member that value names decodes it; a value without a known tag is decoded as
    any union is."""
    if isinstance(value, dict):
        decode = members.get(value.get(tag))  # type: ignore[arg-type]
        if decode is not None:
            return decode(value)
    return decode_union(value, *options)


def _declared_keys(decode: Callable[[Any], Any]) -> frozenset[str]:
    """The wire names a generated model declares (its ``_KEYS``), for ``Model.from_dict``."""
    owner = getattr(decode, "__self__", None)
    keys: object = getattr(owner, "_KEYS", None)
    return keys if isinstance(keys, frozenset) else frozenset()


def to_json(value: Any) -> Any:
    """JSON data for a value of a union type (models, dates, bytes and lists of them)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (bytes, bytearray)):
        return b64encode(bytes(value))
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def join(values: object, separator: str) -> str | None:
    """A non-exploded array parameter (csv, ssv, pipes…): one string, or None when unset."""
    if values is None:
        return None
    items = to_jsonable(values)
    return separator.join(items) if isinstance(items, list) else items


def json_body(body: Any) -> Any:
    """The JSON of a request body given as a generated model or a mapping (None: no body);
    a mapping may hold models at any depth."""
    if body is None:
        return NOT_GIVEN
    if hasattr(body, "to_dict"):
        return body.to_dict(read_only=False)  # what only the service sets is never sent
    return request_json(body)


def json_members(
    body: Any, members: dict[str, Any], required: tuple[str, ...] = (), optional: bool = False
) -> Any:
    """The JSON of a body given member by member (``members``: wire name -> argument, NOT_GIVEN
    where not passed) or whole as ``body``; one way or the other, not both.  No member and no
    body: no body at all where the spec makes it ``optional``."""
    given = {key: request_json(value) for key, value in members.items() if value is not NOT_GIVEN}
    if body is not None:
        if given:
            raise TypeError(
                "pass the request body either as body= or as keyword arguments, not both "
                f"(body= given with {', '.join(sorted(given))})"
            )
        return json_body(body)
    if not given and optional:
        return NOT_GIVEN
    missing = [key for key in required if key not in given]
    if missing:
        raise TypeError(f"missing required body member(s): {', '.join(missing)}")
    return given


_AS_IS = frozenset({str, int, float, bool, type(None)})


def request_json(value: Any) -> Any:
    """JSON data for a value a caller passes: generated models (as in a request: read-only
    members left out), plain mappings and sequences of them mixed at any depth, dates,
    bytes and enums.  Exact types are tested first: JSON's own types are nearly every value,
    and an ABC isinstance (Mapping) costs several times a type lookup."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {key: request_json(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [request_json(item) for item in value]
    if hasattr(value, "to_dict"):
        return value.to_dict(read_only=False)
    if isinstance(value, (str, int, float)):  # str and int enums: JSON writes their value
        return value
    if isinstance(value, Mapping):
        return {key: request_json(item) for key, item in value.items()}
    return to_json(value)


def with_stream_flag(body: Any, stream: bool) -> Any:
    """A JSON body that asks for server-sent events when ``stream`` is true (an unset body
    becomes one that holds only the flag)."""
    if not stream:
        return body
    return {**(body if isinstance(body, dict) else {}), "stream": True}


def has_content_type(response: Any, content_type: str) -> bool:
    """Whether an httpx response carries ``content_type`` (parameters ignored), for operations
    that answer one status in several media types (JSON or text)."""
    actual = str(response.headers.get("content-type", "")).split(";", 1)[0].strip().lower()
    return actual == content_type.split(";", 1)[0].strip().lower()


def unknown_members(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The members of ``data`` a model does not declare (kept, and written back).  Most
    objects have none: a key-set comparison finds that without building anything."""
    if data.keys() <= known:
        return {}
    return {key: value for key, value in data.items() if key not in known}


def new_request_id() -> str:
    """A fresh client request id (x-ms-client-request-id) for a call that was given none."""
    import uuid

    return str(uuid.uuid4())
