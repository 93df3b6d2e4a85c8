"""The intermediate representation: one model of an API for Swagger 2.0 and OpenAPI 3.0 / 3.1.

Everything after normalization reads only these classes; nothing here knows Swagger, OpenAPI
or Python syntax.  Names in the IR are the spec's own (wire names, schema names, tags); the
refine pass (``naming``) fills the ``py_*`` attributes that the templates print.

Type expressions (``TypeExpr``) are kept apart from declarations (``Model``, ``Enum``):
fields, parameters and bodies hold a type expression that may *refer* to a declaration by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# --------------------------------------------------------------------------- type expressions


@dataclass(frozen=True)
class Primitive:
    """A JSON scalar: ``name`` is one of str, int, float, bool; ``format`` refines it
    (date-time, date, time, unixtime, byte, int32, int64, float, double, uuid, url, …)."""

    name: str
    format: str = ""
    kind: str = "primitive"


@dataclass(frozen=True)
class Binary:
    """Raw bytes on the wire (``format: binary`` / ``type: file``)."""

    kind: str = "binary"


@dataclass(frozen=True)
class AnyType:
    """Any JSON value (schema without ``type``, free-form object values)."""

    kind: str = "any"


@dataclass(frozen=True)
class ListType:
    item: TypeExpr
    kind: str = "list"


@dataclass(frozen=True)
class DictType:
    """A JSON object with arbitrary keys whose values share one type."""

    value: TypeExpr
    kind: str = "dict"


@dataclass(frozen=True)
class UnionType:
    """``oneOf`` / ``anyOf``: one of several types (tried in order when decoding), or chosen
    by ``discriminator`` when every variant is a model that fixes one property to a value of
    its own (OpenAPI 3.1 ``const``)."""

    variants: tuple[TypeExpr, ...]
    kind: str = "union"
    discriminator: Discriminator | None = field(default=None, hash=False)


@dataclass(frozen=True)
class ModelRef:
    """A reference to a ``Model`` declared in ``Api.models`` by its id."""

    id: str
    kind: str = "model"


@dataclass(frozen=True)
class EnumRef:
    """A reference to an ``Enum`` declared in ``Api.enums`` by its id."""

    id: str
    kind: str = "enum"


@dataclass(frozen=True)
class LiteralType:
    """A single constant value (a one-value enum that is a constant, e.g. a boolean)."""

    value: Any
    kind: str = "literal"


TypeExpr = (
    Primitive
    | Binary
    | AnyType
    | ListType
    | DictType
    | UnionType
    | ModelRef
    | EnumRef
    | LiteralType
)


class _Missing:
    """Marks "the spec gives no default" (distinct from a default of null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# --------------------------------------------------------------------------- declarations


@dataclass
class EnumValue:
    value: Any  # str, int, float or bool as on the wire
    name: str = ""  # x-ms-enum values[].name, or "" (derived from the value)
    description: str = ""
    py_name: str = ""


@dataclass
class Enum:
    id: str  # unique, stable (e.g. "Purpose" for x-ms-enum name, "File.status" for inline)
    name: str  # the name the spec gives (x-ms-enum name, schema name or parent+property)
    base: str  # "str", "int", "float" or "bool"
    values: list[EnumValue]
    open: bool = False  # x-ms-enum modelAsString: true — unknown values are accepted and kept
    description: str = ""
    py_name: str = ""


@dataclass
class Field:
    name: str  # the wire name
    type: TypeExpr
    required: bool = False
    nullable: bool = False  # null is a legal value (differs from absent)
    read_only: bool = False  # sent by the server only, never serialized
    default: Any = MISSING
    description: str = ""
    client_name: str = ""  # x-ms-client-name
    py_name: str = ""


@dataclass
class Discriminator:
    property: str  # the wire name of the discriminating property
    mapping: dict[str, str]  # discriminator value -> model id


@dataclass
class Model:
    id: str  # unique, stable: the schema's pointer-derived name or Parent+Property for inline
    name: str
    fields: list[Field]  # own fields only; inherited ones live on the bases
    bases: list[str] = field(default_factory=list)  # model ids (allOf with $ref)
    description: str = ""
    additional: TypeExpr | None = None  # additionalProperties type; None = kept as Any
    discriminator: Discriminator | None = None
    discriminator_value: str | None = None  # the value that selects this model on its base
    client_name: str = ""  # x-ms-client-name on the schema: the class name to use
    py_name: str = ""


# --------------------------------------------------------------------------- operations


@dataclass
class Parameter:
    name: str  # the wire name
    location: str  # path, query, header, cookie
    type: TypeExpr
    required: bool = False
    nullable: bool = False
    default: Any = MISSING
    description: str = ""
    client: bool = False  # a client-level parameter: taken from the client, not the call
    skip_url_encoding: bool = False
    explode: bool = False  # arrays repeat the key (?a=1&a=2) instead of joining with commas
    separator: str = ","  # join character for non-exploded arrays
    client_name: str = ""
    # A fixed value (``default``), sent with every call and never an argument: the query
    # string of an ``x-ms-paths`` key (``/queue?comp=acl``).
    constant: bool = False
    # ``x-ms-client-request-id``: a header the call fills with a fresh uuid4 when the caller
    # gives none (so retries of one call share it).
    client_request_id: bool = False
    example: Any = MISSING  # the spec's example value (JSON), for documentation
    py_name: str = ""


@dataclass
class FormField:
    """A part of a multipart/form-data or urlencoded body."""

    name: str
    type: TypeExpr
    required: bool = False
    description: str = ""
    is_file: bool = False
    client_name: str = ""  # x-ms-client-name
    py_name: str = ""


@dataclass
class RequestBody:
    content_type: str
    kind: str  # json, multipart, form, binary, text
    type: TypeExpr | None  # for json/binary/text
    form_fields: list[FormField] = field(default_factory=list)  # for multipart/form
    required: bool = False
    description: str = ""
    name: str = "body"  # Swagger 2.0 body parameter name
    client_name: str = ""  # x-ms-client-name of the Swagger 2.0 body parameter
    example: Any = MISSING  # the spec's example body (JSON), for documentation
    py_name: str = ""
    # A JSON object body's members taken as keyword arguments: wire name -> argument name
    # (empty: the body is one argument).
    py_members: dict[str, str] = field(default_factory=dict)


@dataclass
class Header:
    name: str
    type: TypeExpr
    description: str = ""


@dataclass
class Response:
    status: str  # "200", "2XX" or "default"; one Response per status and content type
    description: str = ""
    content_type: str = ""  # "" when the response has no body
    kind: str = "none"  # json, binary, text, event-stream, none
    type: TypeExpr | None = None
    headers: list[Header] = field(default_factory=list)
    is_error: bool = False  # default / 4xx / 5xx / x-ms-error-response


@dataclass
class Paging:
    """``x-ms-pageable``: items live under ``item_name``; the next page's URL under
    ``next_link_name`` (None: the list is one page)."""

    item_name: str = "value"
    next_link_name: str | None = "nextLink"


@dataclass
class LongRunning:
    """``x-ms-long-running-operation``: the call starts work that is polled to completion."""

    final_state_via: str = ""  # azure-async-operation, location, original-uri, operation-location


@dataclass
class Operation:
    id: str  # operationId (or one derived from method and path)
    group: str  # tag or operationId prefix; "" for ungrouped
    name: str  # the operation's name within its group, as the spec words it
    method: str  # lower-case HTTP method
    path: str
    summary: str = ""
    description: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    body: RequestBody | None = None
    alternate_bodies: list[RequestBody] = field(default_factory=list)  # other content types
    responses: list[Response] = field(default_factory=list)
    deprecated: bool = False
    streaming: bool = False  # some success response is text/event-stream
    stream_parameter: str = ""  # wire name of a body/query flag that switches streaming on
    stream_type: TypeExpr | None = None  # each event's data; None: the JSON response's type
    paging: Paging | None = None
    long_running: LongRunning | None = None
    # The operation's own ``security``: alternatives, each the schemes sent together ([]:
    # no credential at all); None: the API's requirement applies.
    security: list[list[str]] | None = None
    py_name: str = ""
    py_streamed_name: str = ""  # the twin that streams a binary download

    def sets_stream(self, p: Parameter) -> bool:
        """Whether ``p`` is the query flag that a streaming call's ``stream`` argument sets."""
        return p.name == self.stream_parameter and p.location == "query"

    def arguments(self) -> list[Parameter]:
        """The parameters a caller gives: neither the client's nor fixed by the path
        (x-ms-paths), nor the query flag that ``stream`` sets."""
        return [
            p
            for p in self.parameters
            if not p.client and not p.constant and not self.sets_stream(p)
        ]


@dataclass
class OperationGroup:
    name: str  # the spec's wording (tag or prefix)
    operations: list[Operation]
    description: str = ""
    py_name: str = ""  # attribute on the client: client.<py_name>
    py_class: str = ""  # class name of the group


@dataclass
class HostParameter:
    name: str
    description: str = ""
    default: Any = MISSING
    type: TypeExpr = field(default_factory=lambda: Primitive("str"))
    py_name: str = ""


@dataclass
class SecurityScheme:
    """A way the API authenticates (``securityDefinitions`` / ``components.securitySchemes``)."""

    name: str  # the scheme's key: what security requirements name
    kind: str  # api_key, bearer (a fixed HTTP bearer token), basic, oauth2 (OAuth2 / OpenID)
    parameter: str = ""  # api_key: the header, query parameter or cookie that carries the key
    location: str = "header"  # api_key: header, query or cookie
    scopes: list[str] = field(default_factory=list)
    description: str = ""
    py_names: list[str] = field(default_factory=list)  # the client's constructor arguments


@dataclass
class Diagnostic:
    """A problem found while reading the spec: where it is and what is wrong."""

    file: str
    pointer: str
    message: str
    line: int | None = None
    severity: str = "warning"  # warning or error

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}#{self.pointer}"
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.message}"


@dataclass
class Api:
    title: str
    version: str
    spec_version: str = ""  # the document's format version: "2.0", "3.0.1", …
    description: str = ""
    summary: str = ""  # OpenAPI 3.1 info.summary
    license: str = ""  # info.license: its SPDX identifier (3.1), else its name
    host: str = ""  # URL template, e.g. "{endpoint}/openai" or "https://example.com/v1"
    host_parameters: list[HostParameter] = field(default_factory=list)
    security: list[SecurityScheme] = field(default_factory=list)
    # The top-level ``security`` requirement (alternatives of schemes sent together); None when
    # the spec states none: then every credential given is sent.
    security_requirement: list[list[str]] | None = None
    client_parameters: list[Parameter] = field(default_factory=list)  # api-version and friends
    models: list[Model] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    groups: list[OperationGroup] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def model(self, model_id: str) -> Model:
        return next(m for m in self.models if m.id == model_id)

    def enum(self, enum_id: str) -> Enum:
        return next(e for e in self.enums if e.id == enum_id)

    def operations(self) -> list[Operation]:
        return [op for group in self.groups for op in group.operations]


# --------------------------------------------------------------------------- JSON view


def to_jsonable(value: Any) -> Any:
    """The IR as plain JSON data (for ``specgen ir``); MISSING becomes absent."""
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if item is MISSING:
                continue
            out[f.name] = to_jsonable(item)
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
