"""The walk over a spec's paths shared by both formats; the format readers fill in the hooks
that differ (parameter schemas, request bodies, responses, host, security)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from ..errors import SpecError
from ..ir import (
    MISSING,
    Api,
    EnumRef,
    Field,
    Header,
    HostParameter,
    LiteralType,
    LongRunning,
    ModelRef,
    Operation,
    Paging,
    Parameter,
    Primitive,
    RequestBody,
    Response,
    TypeExpr,
)
from ..loader import Document, Spec
from .operations import (
    HTTP_METHODS,
    assign_groups,
    content_kind,
    hoist_client_parameters,
    is_wildcard,
    words,
)
from .prune import prune_unused
from .schemas import SchemaConverter, is_nullable, is_ref
from .security import read_requirement, read_scheme

# An operation's parameter objects by (location, name), with the file each was read from.
ParamTable = dict[tuple[str, str], tuple[dict[str, Any], Document]]

# How Swagger's collectionFormat and OpenAPI's style join array values.
SEPARATORS = {
    "csv": ",",
    "ssv": " ",
    "tsv": "\t",
    "pipes": "|",
    "form": ",",
    "spaceDelimited": " ",
    "pipeDelimited": "|",
}


class Reader:
    """Reads one spec into an ``Api``.  Subclasses: ``Swagger2Reader``, ``OpenApi3Reader``."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.doc: Document = spec.root
        self.root: dict[str, Any] = spec.root.data
        self.schemas = SchemaConverter(spec)
        self.api = Api(title="", version="")
        # ids of parameters marked ``x-ms-parameter-location: method``: never hoisted
        self.method_parameters: set[int] = set()

    # ------------------------------------------------------------------ the walk

    def read(self) -> Api:
        info = self.root.get("info") or {}
        self.api.title = str(info.get("title") or "")
        self.api.version = str(info.get("version") or "")
        self.api.description = str(info.get("description") or "")
        self.api.summary = str(info.get("summary") or "")
        license_ = info.get("license")
        if isinstance(license_, dict):
            self.api.license = str(license_.get("identifier") or license_.get("name") or "")
        self.api.spec_version = self.spec.version
        self.read_host()
        self.read_security()
        self.api.security_requirement = self.read_requirement(self.root.get("security"), "")
        self.declare_schemas()
        collected: list[tuple[Operation, list[str]]] = []
        seen_ids: dict[str, int] = {}
        for paths_key in ("paths", "x-ms-paths"):
            paths = self.root.get(paths_key) or {}
            if not isinstance(paths, dict):
                continue
            for path, item in paths.items():
                if str(path).startswith("x-"):  # an extension of the Paths Object
                    continue
                pointer = f"/{paths_key}/{_escape(str(path))}"
                # x-ms-paths keys may carry a query string: fixed parameters of every call
                path, _, fixed_query = str(path).partition("?")
                item, item_doc, _ = (
                    self.spec.deref(item, self.doc) if is_ref(item) else (item, self.doc, None)
                )
                if not isinstance(item, dict):
                    continue
                shared = item.get("parameters") or []
                for method in HTTP_METHODS:
                    raw = item.get(method)
                    if not isinstance(raw, dict):
                        continue
                    op = self.read_operation(
                        str(path), method, raw, shared, item_doc, f"{pointer}/{method}"
                    )
                    if fixed_query:
                        _add_fixed_query(op, fixed_query)
                    count = seen_ids.get(op.id, 0)
                    seen_ids[op.id] = count + 1
                    if count:  # duplicate operationIds stay apart
                        self.warn(
                            f"{pointer}/{method}/operationId", f"duplicate operationId {op.id!r}"
                        )
                        op.id = f"{op.id}{count + 1}"
                    tags = [str(t) for t in raw.get("tags") or [] if isinstance(t, (str, int))]
                    collected.append((op, tags))
        self.api.groups = assign_groups(collected)
        self.api.client_parameters = hoist_client_parameters(
            [op for op, _ in collected], pinned=self.method_parameters
        )
        self._plain_client_parameters()
        self.schemas.finish()
        self.api.models = list(self.schemas.models.values())
        self.api.enums = list(self.schemas.enums.values())
        prune_unused(self.api, keep=self.schemas.named)
        self.api.diagnostics[:0] = self.spec.warnings + self.schemas.warnings
        return self.api

    def _plain_client_parameters(self) -> None:
        """A client-level parameter is a setting (``api_version="2024-02-01"``): an inline enum
        of its one value would only be noise, so it is typed by the enum's base type."""
        for op in self.api.operations():
            for param in op.parameters:
                if param.client and isinstance(param.type, EnumRef):
                    param.type = Primitive(self.schemas.enums[param.type.id].base)

    def read_operation(
        self,
        path: str,
        method: str,
        raw: dict[str, Any],
        shared: list[Any],
        doc: Document,
        pointer: str,
    ) -> Operation:
        operation_id = str(raw.get("operationId") or "") or _derived_id(method, path)
        op = Operation(
            id=operation_id,
            group="",
            name="",
            method=method,
            path=path,
            summary=str(raw.get("summary") or ""),
            description=str(raw.get("description") or ""),
            deprecated=bool(raw.get("deprecated")),
        )
        params: ParamTable = {}
        for entry in list(shared) + list(raw.get("parameters") or []):
            param, param_doc = self.deref_object(entry, doc)
            if isinstance(param, dict) and "name" in param and "in" in param:
                params[(str(param["in"]), str(param["name"]))] = (param, param_doc)
        self.read_parameters(op, raw, params, doc)
        self.read_responses(op, raw, doc)
        op.security = self.read_requirement(raw.get("security"), pointer)
        self.read_azure_behaviour(op, raw)
        self.check_path_parameters(op, pointer)
        return op

    def read_azure_behaviour(self, op: Operation, raw: dict[str, Any]) -> None:
        """``x-ms-pageable`` and ``x-ms-long-running-operation`` (same keys in both formats)."""
        pageable = raw.get("x-ms-pageable")
        if isinstance(pageable, dict):
            next_link = pageable.get("nextLinkName", "nextLink")
            op.paging = Paging(
                item_name=str(pageable.get("itemName") or "value"),
                next_link_name=str(next_link) if next_link else None,
            )
        if raw.get("x-ms-long-running-operation") is True:
            options = raw.get("x-ms-long-running-operation-options")
            final = options.get("final-state-via") if isinstance(options, dict) else None
            op.long_running = LongRunning(final_state_via=str(final or ""))

    def read_parameters(
        self,
        op: Operation,
        raw: dict[str, Any],
        params: ParamTable,
        doc: Document,
    ) -> None:
        raise NotImplementedError

    def read_responses(self, op: Operation, raw: dict[str, Any], doc: Document) -> None:
        raise NotImplementedError

    def read_host(self) -> None:
        raise NotImplementedError

    def read_security(self) -> None:
        """The security schemes: ``read_security_schemes`` with the format's section."""
        raise NotImplementedError

    def read_security_schemes(self, section: Any, pointer: str) -> None:
        if not isinstance(section, dict):
            return
        for name, raw in section.items():
            raw, _, _ = self.spec.deref(raw, self.doc) if is_ref(raw) else (raw, self.doc, None)
            if isinstance(raw, dict):
                scheme = read_scheme(str(name), raw, f"{pointer}/{_escape(str(name))}", self.warn)
                if scheme is not None:
                    self.api.security.append(scheme)

    def read_requirement(self, raw: Any, pointer: str) -> list[list[str]] | None:
        known = {s.name for s in self.api.security}
        return read_requirement(raw, known, f"{pointer}/security", self.warn)

    def read_parameterized_host(self, scheme: str, base_path: str) -> bool:
        """``x-ms-parameterized-host`` (either format): the host template and its parameters.
        False when the spec has none."""
        template = self.root.get("x-ms-parameterized-host")
        if not isinstance(template, dict) or not template.get("hostTemplate"):
            return False
        prefix = f"{scheme}://" if template.get("useSchemePrefix", True) else ""
        self.api.host = f"{prefix}{template['hostTemplate']}{base_path}"
        variables = re.findall(r"\{([^{}]+)\}", str(template["hostTemplate"]))
        for entry in template.get("parameters") or []:
            host_param = self._host_parameter(entry, variables)
            if host_param is not None and all(
                p.name != host_param.name for p in self.api.host_parameters
            ):
                self.api.host_parameters.append(host_param)
        for name in variables:  # a variable no parameter declares is still a parameter
            if all(p.name != name for p in self.api.host_parameters):
                self.api.host_parameters.append(HostParameter(name=name))
        return True

    def _host_parameter(self, entry: Any, variables: list[str]) -> HostParameter | None:
        """One ``x-ms-parameterized-host`` parameter.  A dangling ref (the loader warned about
        it) becomes a plain string parameter named after the ref: the template variable that
        matches its last segment, ignoring case (``#/parameters/Endpoint`` → ``endpoint``)."""
        try:
            param, _, _ = self.spec.deref(entry, self.doc)
        except SpecError:
            last = str(entry.get("$ref", "")).rsplit("/", 1)[-1] if isinstance(entry, dict) else ""
            if not last:
                return None
            name = next(
                (v for v in variables if v.lower() == last.lower()), last[:1].lower() + last[1:]
            )
            return HostParameter(name=name)
        if not isinstance(param, dict) or "name" not in param:
            return None
        schema: dict[str, Any] = param["schema"] if isinstance(param.get("schema"), dict) else param
        return HostParameter(
            name=str(param["name"]),
            description=str(param.get("description") or ""),
            default=param.get(
                "x-ms-client-default", param.get("default", schema.get("default", MISSING))
            ),
            type=Primitive("str", str(schema.get("format") or "")),
        )

    def declare_schemas(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ shared pieces

    def parameter(
        self, op: Operation, param: dict[str, Any], schema: Any, doc: Document
    ) -> Parameter:
        """An IR parameter from a parameter object and the schema that types it."""
        location = str(param["in"])
        type_ = self.schemas.convert(schema, doc, f"{op.id}/{param['name']}")
        schema_dict = self.spec.deref(schema, doc)[0] if is_ref(schema) else schema
        schema_dict = schema_dict if isinstance(schema_dict, dict) else {}
        default = param.get(
            "x-ms-client-default", param.get("default", schema_dict.get("default", MISSING))
        )
        if default is MISSING and isinstance(type_, LiteralType) and "const" in schema_dict:
            default = type_.value  # a 3.1 `const`: its one legal value
        if default is MISSING:
            default = self._single_enum_value(schema_dict, type_)
        request_id = location == "header" and param.get("x-ms-client-request-id") is True
        result = Parameter(
            name=str(param["name"]),
            location=location,
            type=type_,
            # a request id the caller leaves out is made up by the call
            required=(bool(param.get("required")) or location == "path") and not request_id,
            nullable=bool(param.get("x-nullable")) or is_nullable(schema_dict),
            default=default,
            description=str(param.get("description") or schema_dict.get("description") or ""),
            client=param.get("x-ms-parameter-location") == "client",
            skip_url_encoding=bool(param.get("x-ms-skip-url-encoding")),
            client_name=str(param.get("x-ms-client-name") or ""),
            client_request_id=request_id,
            example=json_example(param, schema_dict),
        )
        if result.required and isinstance(type_, LiteralType) and "const" in schema_dict:
            result.constant = True  # its one legal value is sent with every call
        if param.get("x-ms-parameter-location") == "method":
            self.method_parameters.add(id(result))
        return result

    def _single_enum_value(self, schema: dict[str, Any], type_: TypeExpr) -> Any:
        values = [v for v in schema.get("enum") or [] if v is not None]
        if len(values) == 1 and isinstance(type_, EnumRef):
            return values[0]
        return MISSING

    def response(
        self,
        op: Operation,
        status: str,
        description: str,
        content_type: str,
        schema: Any,
        doc: Document,
    ) -> Response:
        kind = (
            content_kind(content_type)
            if content_type
            else ("json" if schema is not None else "none")
        )
        type_: TypeExpr | None = None
        if schema is not None:
            suffix = "" if status.startswith("2") and not op.responses else status
            type_ = self.schemas.convert(schema, doc, f"{op.id}/response{suffix}")
            if type_.kind == "binary":
                kind = "binary"
            elif is_wildcard(content_type):  # `produces: [*/*]` with a JSON schema
                kind = "json"
        is_error = status == "default" or status[:1] in ("4", "5")
        return Response(
            status=status,
            description=description,
            content_type=content_type,
            kind=kind,
            type=type_,
            is_error=is_error,
        )

    def headers(self, raw_headers: Any, doc: Document, hint: str) -> list[Header]:
        result: list[Header] = []
        for name, header in (raw_headers or {}).items():
            header, header_doc = self.deref_object(header, doc)
            if not isinstance(header, dict):
                continue
            schema = header.get("schema", header)
            result.append(
                Header(
                    name=str(name),
                    type=self.schemas.convert(schema, header_doc, f"{hint}/{name}"),
                    description=str(header.get("description") or ""),
                )
            )
        return result

    def mark_streaming(self, op: Operation) -> None:
        """An operation streams when a success response is an event stream, or when a boolean
        ``stream`` flag in its query or JSON body asks for one.  Each event carries the event
        stream's declared type, else the JSON response's."""
        for param in op.parameters:
            if param.name == "stream" and param.type == Primitive("bool"):
                op.stream_parameter = param.name
        body_type = op.body.type if op.body is not None and op.body.kind == "json" else None
        if isinstance(body_type, ModelRef) and any(
            f.name == "stream" for f in self._all_fields(body_type.id)
        ):
            op.stream_parameter = "stream"
        success = [r for r in op.responses if r.status.startswith("2")]
        events = [r for r in success if r.kind == "event-stream"]
        op.streaming = op.streaming or bool(events) or bool(op.stream_parameter)
        if op.streaming:
            declared = next((r.type for r in events if r.type is not None), None)
            op.stream_type = declared or next(
                (r.type for r in success if r.kind == "json" and r.type is not None), None
            )

    def _all_fields(self, model_id: str) -> list[Field]:
        model = self.schemas.models.get(model_id)
        if model is None:
            return []
        return [f for base in model.bases for f in self._all_fields(base)] + model.fields

    def check_path_parameters(self, op: Operation, pointer: str) -> None:
        """Path template and path parameters must agree; where they do not, warn and reconcile
        so the operation can still be called: a parameter that differs from its variable only
        in case renames the variable; a variable nothing declares becomes a required string
        parameter; a parameter the path does not name is dropped (it could not be sent).
        Host template variables (``x-ms-parameterized-host``) are not the path's business."""
        host_names = {p.name for p in self.api.host_parameters}
        declared = [p for p in op.parameters if p.location == "path" and p.name not in host_names]
        in_path = list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", op.path)))
        missing = [name for name in in_path if name not in {p.name for p in declared}]
        for param in [p for p in declared if p.name not in in_path]:
            match = next((n for n in missing if n.lower() == param.name.lower()), None)
            if match is not None:
                self.warn(
                    pointer,
                    f"path parameter {param.name!r} is written {{{match}}} in the path "
                    f"{op.path!r}; matched ignoring case",
                )
                op.path = op.path.replace(f"{{{match}}}", f"{{{param.name}}}")
                missing.remove(match)
                continue
            self.warn(
                pointer,
                f"path parameter {param.name!r} does not appear in the path {op.path!r}; "
                "it is ignored",
            )
            op.parameters.remove(param)
        for name in missing:
            if name in host_names:
                continue
            self.warn(
                pointer,
                f"the path names {{{name}}} but no path parameter declares it; "
                "it is taken as a required string",
            )
            op.parameters.append(
                Parameter(name=name, location="path", type=Primitive("str"), required=True)
            )

    def request_body(
        self,
        op: Operation,
        kind: str,
        content_type: str,
        schema: Any,
        doc: Document,
        required: bool,
        description: str,
        name: str = "body",
    ) -> RequestBody:
        type_ = (
            self.schemas.convert(schema, doc, f"{op.id}/request") if schema is not None else None
        )
        if is_wildcard(content_type) and kind not in ("multipart", "form"):
            # `consumes: [*/*]`: the schema says what is sent, and the request says it exactly
            binary = type_ is None or type_.kind == "binary"
            kind = "binary" if binary else "json"
            content_type = "application/octet-stream" if binary else "application/json"
        schema_dict = self.spec.deref(schema, doc)[0] if is_ref(schema) else schema
        return RequestBody(
            content_type=content_type,
            kind=kind,
            type=type_,
            required=required,
            description=description,
            name=name,
            example=json_example({}, schema_dict if isinstance(schema_dict, dict) else {}),
        )

    def deref_object(self, node: Any, doc: Document) -> tuple[Any, Document]:
        """A parameter, request body, response or header object through its ``$ref``; in
        OpenAPI 3.1 the reference's own ``summary`` / ``description`` override the target's."""
        target, target_doc, _ = self.spec.deref(node, doc)
        if is_ref(node) and self.spec.version.startswith("3.1") and isinstance(target, dict):
            overrides = {k: node[k] for k in ("summary", "description") if k in node}
            target = {**target, **overrides} if overrides else target
        return target, target_doc

    def warn(self, pointer: str, message: str) -> None:
        self.api.diagnostics.append(
            self.spec.diagnostic(self.doc, pointer, message, severity="warning")
        )


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _add_fixed_query(op: Operation, query: str) -> None:
    """The query string of an ``x-ms-paths`` key (``/queue?comp=acl``): fixed query parameters
    sent with every call.  A query parameter the operation declares under the same name (often
    a one-value enum) takes the fixed value."""
    for name, value in parse_qsl(query, keep_blank_values=True):
        declared = next(
            (p for p in op.parameters if p.location == "query" and p.name == name), None
        )
        if declared is None:
            declared = Parameter(name=name, location="query", type=Primitive("str"))
            op.parameters.append(declared)
        declared.constant, declared.required, declared.default = True, True, value
        declared.client = False


def _derived_id(method: str, path: str) -> str:
    """An operationId for an operation that has none: ``get /files/{id}`` → ``get_files_id``…
    made of the method and the path's words."""
    return method + "".join(w[:1].upper() + w[1:] for w in words(path))


def json_example(node: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The example a parameter or media object gives (``example``, Swagger's ``x-example``,
    the first of OpenAPI's ``examples``), else its schema's; MISSING when none is plain JSON
    (YAML dates and the like are no wire values)."""
    examples = node.get("examples")
    first = next(iter(examples.values()), None) if isinstance(examples, dict) else None
    for candidate in (
        node.get("example", MISSING),
        node.get("x-example", MISSING),
        first.get("value", MISSING) if isinstance(first, dict) else MISSING,
        schema.get("example", MISSING),
    ):
        if candidate is MISSING:
            continue
        try:
            json.dumps(candidate, allow_nan=False)
        except (TypeError, ValueError):
            continue
        return candidate
    return MISSING
