"""The refine pass: every Python identifier of the generated package is made here, once.

Rules (documented in the README):
- classes (models, enums, operation groups) are PascalCase; fields, parameters, methods and
  group attributes snake_case; enum members UPPER_SNAKE_CASE;
- a name that is a Python keyword, or would clash with a name the generated code itself uses
  (parameters: ``self``, ``timeout``, ``str``, …; model fields: only ``to_dict``,
  ``from_dict`` and ``additional_properties``), gets a trailing ``_`` (``import_``); a model
  field named like a builtin keeps its name (``file.bytes``);
- a body member passed as a keyword argument whose name is taken by a parameter of the
  operation or a per-call option takes the suffix ``_body`` (``timeout_body``);
- a name that starts with a digit gets a prefix for its kind (``Model2Fa``, ``VALUE_1``);
- names that still collide after that take ``_2``, ``_3``… (classes: ``2``, ``3``…) in spec order;
- ``x-ms-client-name`` wins over the wire name where the spec gives it.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable

from ..ir import Api, Enum, Field, Model, ModelRef, Operation, Parameter

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

# A model's own members: a field so named takes the suffix.  Every other legal, non-keyword
# wire name is the attribute as it is (``file.bytes``, ``response.object``): where a field
# hides a builtin or an import from its class body, the generated code writes the qualified
# name (``builtins.bytes``).
RESERVED_MEMBERS = frozenset({"to_dict", "from_dict", "additional_properties"})
# Names the generated code uses itself, per scope.
_CODE_NAMES = frozenset(
    {
        # builtins and typing names that generated annotations and bodies refer to
        "str", "int", "float", "bool", "bytes", "list", "dict", "object", "datetime", "date",
        "Any", "Literal", "Mapping", "NotGiven", "NOT_GIVEN", "None", "self", "cls",
        "field", "classmethod", "staticmethod", "property", "frozenset", "ClassVar", "dataclass",
    }
)  # fmt: skip
RESERVED_PARAMETERS = RESERVED_MEMBERS | _CODE_NAMES | frozenset(
    {
        "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "response",
        "stream", "files", "json", "content", "path_params", "query", "headers", "_serde", "_auth", "fetch",
    }
)  # fmt: skip
RESERVED_CLIENT_ATTRIBUTES = frozenset(
    {"close", "aclose", "base_url", "api_key", "token_provider", "timeout", "max_retries", "http_client",
     "default_headers", "default_query", "user_agent", "with_raw_response"}
)  # fmt: skip
# What an operations class (or the client) body reads besides its methods: a method so named
# would rebind it (``@overload`` after a method called ``overload``).
RESERVED_METHODS = frozenset(
    {
        "overload", "cached_property", "property", "classmethod", "staticmethod",
        "with_raw_response", "async_with_raw_response", "Literal", "Mapping", "Any", "httpx",
        "NOT_GIVEN", "NotGiven", "Stream", "AsyncStream", "Client", "AsyncClient",
        "TYPE_CHECKING", "parse_json", "_serde", "_auth", "self", "cls",
    }
)  # fmt: skip
RESERVED_CLASSES = frozenset(
    {
        "Any", "Literal", "Mapping", "Enum", "NotGiven", "NOT_GIVEN", "dataclass", "field",
        "datetime", "date", "Client", "AsyncClient", "FileInput", "Sequence", "IO", "Iterator",
        "AsyncIterator", "Stream", "AsyncStream", "httpx", "Pager", "AsyncPager", "Poller",
        "AsyncPoller", "BinaryResponse", "AsyncBinaryResponse", "RawResponse", "TYPE_CHECKING",
        "overload", "cached_property", "Callable", "Awaitable", "ClassVar", "os", "parse_json",
    }
    # a class named like a builtin (ConnectionError, Exception, …) would hide it from the module
) | frozenset(name for name in dir(builtins) if not name.startswith("_"))  # fmt: skip


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def snake(text: str) -> str:
    """snake_case; a name that already is snake_case stays as written (``b64_json``)."""
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", text):
        return text
    return "_".join(w.lower() for w in words(text))


def pascal(text: str) -> str:
    return "".join(
        w[:1].upper() + w[1:].lower() if w.isupper() and len(w) > 1 else w[:1].upper() + w[1:]
        for w in words(text)
    )


def upper_snake(text: str) -> str:
    return "_".join(w.upper() for w in words(text))


def safe_identifier(
    name: str, fallback: str, reserved: Iterable[str] = (), digit_prefix: str = ""
) -> str:
    """``name`` made a legal identifier that avoids keywords and ``reserved``."""
    name = name or fallback
    if name[0].isdigit():
        name = (digit_prefix or fallback + "_") + name
    if keyword.iskeyword(name) or name in reserved:
        name += "_"
    return name


class _Taken:
    """Hands out unique names within one scope, in the order asked."""

    def __init__(self, taken: Iterable[str] = (), sep: str = "_") -> None:
        self.taken = set(taken)
        self.sep = sep

    def claim(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate in self.taken:
            candidate = f"{name}{self.sep}{counter}"
            counter += 1
        self.taken.add(candidate)
        return candidate


# A group attribute also names its module file: file systems refuse names over 255 bytes.
MAX_MODULE_NAME = 64


def _capped(name: str) -> str:
    return name[:MAX_MODULE_NAME].rstrip("_") if len(name) > MAX_MODULE_NAME else name


def class_name(name: str, kind: str, taken: _Taken) -> str:
    base = pascal(name) or kind
    if base[0].isdigit():
        base = kind + base
    if base in RESERVED_CLASSES:
        base += kind
    return taken.claim(base)


def refine(api: Api, rename: dict[str, str] | None = None) -> Api:
    """Fill every ``py_name`` of the IR (in place) and return it.  ``rename`` maps an
    operationId, schema name or tag to the Python name to use instead of the derived one."""
    rename = rename or {}
    classes = _Taken(RESERVED_CLASSES, sep="")
    for enum in api.enums:
        enum.py_name = (
            classes.claim(rename[enum.name])
            if enum.name in rename
            else class_name(enum.name, "Enum", classes)
        )
        _name_members(enum)
    models = {m.id: m for m in api.models}
    for model in api.models:
        model.py_name = (
            classes.claim(rename[model.name])
            if model.name in rename
            else class_name(model.client_name or model.name, "Model", classes)
        )
    done: set[str] = set()
    for model in api.models:
        _name_fields(model, models, done)
    _name_client(api, classes, rename, models)
    return api


def _name_members(enum: Enum) -> None:
    taken = _Taken()
    for value in enum.values:
        raw = value.name or (str(value.value) if not isinstance(value.value, str) else value.value)
        name = upper_snake(raw)
        if isinstance(value.value, (int, float)) and not value.name:
            name = "VALUE_" + str(value.value).replace("-", "MINUS_").replace(".", "_")
        if not name:
            name = "EMPTY" if value.value == "" else "VALUE"
        if name[0].isdigit():
            name = "VALUE_" + name
        value.py_name = taken.claim(name)


def _name_fields(model: Model, models: dict[str, Model], done: set[str]) -> None:
    if model.id in done:
        return
    done.add(model.id)
    inherited: dict[str, str] = {}
    for base_id in model.bases:
        base = models.get(base_id)
        if base is None:
            continue
        _name_fields(base, models, done)
        for f in _all_fields(base, models):
            inherited.setdefault(f.name, f.py_name)
    taken = _Taken(set(inherited.values()) | RESERVED_MEMBERS)
    for f in model.fields:
        if f.name in inherited:
            f.py_name = inherited[f.name]
            continue
        wanted = snake(f.client_name or f.name)
        f.py_name = taken.claim(
            safe_identifier(wanted, "unnamed", RESERVED_MEMBERS, digit_prefix="field_")
        )


def _all_fields(model: Model, models: dict[str, Model]) -> list[Field]:
    result: list[Field] = []
    for base_id in model.bases:
        if base_id in models:
            result.extend(_all_fields(models[base_id], models))
    result.extend(model.fields)
    return result


def _name_client(
    api: Api, classes: _Taken, rename: dict[str, str], models: dict[str, Model]
) -> None:
    client_taken = _Taken(RESERVED_CLIENT_ATTRIBUTES | RESERVED_PARAMETERS)
    for host_param in api.host_parameters:
        host_param.py_name = client_taken.claim(
            safe_identifier(snake(host_param.name), "endpoint", RESERVED_PARAMETERS, "param_")
        )
    for param in api.client_parameters:
        param.py_name = client_taken.claim(
            safe_identifier(
                snake(param.client_name or param.name), "param", RESERVED_PARAMETERS, "param_"
            )
        )
    _name_credentials(api, client_taken)
    client_names = {(p.location, p.name): p.py_name for p in api.client_parameters}
    group_attrs = _Taken(
        RESERVED_CLIENT_ATTRIBUTES
        | {p.py_name for p in api.host_parameters}
        | set(client_names.values())
    )
    for group in api.groups:
        if group.name:
            group.py_name = group_attrs.claim(
                rename.get(group.name)
                or safe_identifier(
                    _capped(snake(group.name)), "operations", RESERVED_METHODS, "group_"
                )
            )
            group.py_class = classes.claim(
                pascal(group.name) + "Operations" if pascal(group.name) else "Operations"
            )
            if group.py_class[0].isdigit():
                group.py_class = "Group" + group.py_class
        methods = _Taken((group_attrs.taken if not group.name else set()) | {"with_raw_response"})
        for op in group.operations:
            wanted = rename.get(op.id) or safe_identifier(
                snake(op.name) or snake(op.id), "call", RESERVED_METHODS, "op_"
            )
            if op.long_running is not None and op.paging is None:
                wanted = f"begin_{wanted.rstrip('_')}"  # Azure SDK convention for pollers
            op.py_name = methods.claim(wanted)
            if any(r.kind == "binary" and r.status.startswith("2") for r in op.responses):
                op.py_streamed_name = methods.claim(f"{op.py_name.rstrip('_')}_streamed")
            _name_parameters(op, client_names)
            _name_body_members(op, models)


# What the client's constructor body reads besides its arguments.
_CONSTRUCTOR_NAMES = frozenset({"os", "httpx", "format_host", "super"})


def _name_credentials(api: Api, taken: _Taken) -> None:
    """The constructor arguments of each security scheme.  One key or fixed bearer token is
    ``api_key``, one HTTP basic scheme ``username`` / ``password``, and every OAuth2 / OpenID
    Connect scheme shares ``token_provider``.  When two schemes would take the same argument,
    each is named after its scheme: ``ApiKeyQuery`` → ``api_key_query`` (a key or token),
    ``admin_username`` / ``admin_password`` (basic)."""
    keys = [s for s in api.security if s.kind in ("api_key", "bearer")]
    basics = [s for s in api.security if s.kind == "basic"]
    free = _Taken(taken.taken - {"api_key"})  # kept for keys: a named key may take it
    reserved = RESERVED_PARAMETERS | _CONSTRUCTOR_NAMES
    for scheme in api.security:
        own = snake(scheme.name) or "auth"
        if scheme.kind == "oauth2":
            scheme.py_names = ["token_provider"]
        elif scheme.kind in ("api_key", "bearer"):
            scheme.py_names = [
                (
                    "api_key"
                    if len(keys) == 1
                    else free.claim(safe_identifier(own, "key", reserved, "key_"))
                )
            ]
        elif scheme.kind == "basic":
            prefix = "" if len(basics) == 1 else f"{own}_"
            scheme.py_names = [
                free.claim(safe_identifier(f"{prefix}{part}", part, reserved, "auth_"))
                for part in ("username", "password")
            ]
    taken.taken |= free.taken


def _name_parameters(op: Operation, client_names: dict[tuple[str, str], str]) -> None:
    taken = _Taken(RESERVED_PARAMETERS)
    local = [p for p in op.parameters if not p.client]
    plain: dict[str, list[Parameter]] = {}
    for p in local:
        plain.setdefault(snake(p.client_name or p.name), []).append(p)
    for p in op.parameters:
        if p.client:
            p.py_name = client_names.get((p.location, p.name), snake(p.name))
            continue
        base = snake(p.client_name or p.name)
        if len(plain.get(base, [])) > 1:  # the same name in two locations: id_path, id_query
            base = f"{base}_{p.location}"
        p.py_name = taken.claim(safe_identifier(base, "param", RESERVED_PARAMETERS, "param_"))
    if op.body is not None:
        if op.body.kind in ("multipart", "form"):
            for form_field in op.body.form_fields:
                form_field.py_name = taken.claim(
                    safe_identifier(
                        snake(form_field.client_name or form_field.name),
                        "field",
                        RESERVED_PARAMETERS,
                        "field_",
                    )
                )
        op.body.py_name = taken.claim(
            safe_identifier(
                snake(op.body.client_name or op.body.name) or "body", "body", RESERVED_PARAMETERS
            )
        )


def body_members(op: Operation, models: dict[str, Model]) -> list[Field]:
    """The members of a JSON object body that become keyword arguments: every member the
    client may send (inherited ones too), save the flag the ``stream`` argument sets.  A body
    that is not one plain model (an array, a union, a scalar, a polymorphic base whose
    subclasses add members) stays one ``body`` argument: no members."""
    body = op.body
    if body is None or body.kind != "json" or not isinstance(body.type, ModelRef):
        return []
    model = models.get(body.type.id)
    if model is None or _polymorphic(model, models):
        return []
    by_wire: dict[str, Field] = {}
    for f in _all_fields(model, models):
        by_wire.setdefault(f.name, f)  # a redeclared member keeps its base's place and type
    skip = op.stream_parameter if op.streaming else ""
    return [f for f in by_wire.values() if not f.read_only and f.name != skip]


def _polymorphic(
    model: Model, models: dict[str, Model], seen: frozenset[str] = frozenset()
) -> bool:
    if model.discriminator is not None:
        return True
    seen = seen | {model.id}
    return any(
        _polymorphic(models[b], models, seen) for b in model.bases if b in models and b not in seen
    )


def _name_body_members(op: Operation, models: dict[str, Model]) -> None:
    """A member whose name a parameter of the operation or a per-call option already takes
    gets the suffix ``_body`` (``timeout_body``); a keyword gets ``_``."""
    members = body_members(op, models)
    if op.body is None or not members:
        return
    taken = _Taken(
        RESERVED_PARAMETERS | {p.py_name for p in op.parameters} | {op.body.py_name, "body"}
    )
    for f in members:
        name = snake(f.client_name or f.name) or "member"
        if name[0].isdigit():
            name = "member_" + name
        if keyword.iskeyword(name):
            name += "_"
        elif name in taken.taken:
            name += "_body"
        op.body.py_members[f.name] = taken.claim(name)
