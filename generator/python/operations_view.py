"""Template context for operation groups and the client: signatures, request arguments and
response decoding as finished strings.

An operation is rendered in one of four shapes: a plain call, a call that can stream
server-sent events (typed overloads on ``stream``), a pager (``x-ms-pageable``) or a poller
(``x-ms-long-running-operation``); a binary download also gets a ``…_streamed`` twin.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ir import (
    MISSING,
    Api,
    Binary,
    DictType,
    HostParameter,
    ListType,
    ModelRef,
    Operation,
    OperationGroup,
    Parameter,
    Primitive,
    RequestBody,
    Response,
    TypeExpr,
)
from .auth_view import AuthView, build_auth_view, operation_security
from .imports import import_block, import_order, names_in
from .literals import docstring, py_literal
from .naming import body_members
from .types import TypeNames


@dataclass
class ArgView:
    name: str
    signature: str  # "name: annotation" or "name: annotation = default"
    doc: str


@dataclass
class StreamView:
    """The SSE twin of a call: ``stream=True`` returns typed events."""

    chunk: str  # annotation of one event
    decode: str  # callable from an event's JSON data to ``chunk``
    request_arg: str  # how the flag reaches the wire ("" when the server decides)


@dataclass
class PagerView:
    item: str  # annotation of one item
    decode: str  # callable from an item's JSON to ``item``
    item_name: str  # Python literal
    next_link_name: str  # Python literal or None


@dataclass
class PollerView:
    final_state_via: str  # Python literal or None
    decode: str  # callable from the final JSON, or "None"


@dataclass
class OperationView:
    name: str
    doc: str
    positional: list[ArgView]
    keyword: list[ArgView]  # the implementation's keyword-only arguments
    returns: str  # the plain call's annotation (for a poller: the final result's)
    request_args: list[str]  # "keyword=expression" lines of the _request call
    result_lines: list[str]  # statements after the call; `response` holds the httpx.Response
    stream: StreamView | None = None
    pager: PagerView | None = None
    poller: PollerView | None = None
    streamed_name: str = ""  # name of the streamed-download twin of a binary response
    method: str = ""  # HTTP method literal (for pollers)
    security: str = ""  # the operation's own security requirement (literal), "" for the API's
    # The keyword-only arguments of each typed overload (none: the signature is the only one):
    # a JSON body's members one by one, or the whole body as ``body``.
    variants: list[list[ArgView]] = field(default_factory=list)


@dataclass
class GroupView:
    attribute: str
    class_name: str
    module: str
    doc: str
    operations: list[OperationView]
    imports: list[str]  # the module's import lines
    used: set[str]  # names its code needs (for modules that host the group's methods)
    model_names: list[str]  # imported for annotations (type checkers) only
    lazy_models: bool  # whether its code reaches models through `_models.`


@dataclass
class ClientParamView:
    name: str
    signature: str
    doc: str
    wire: str
    env: str = ""  # Python literal of the environment variable it falls back to
    default: str = ""  # Python literal of its default value, "" when it has none


@dataclass
class ClientView:
    host_template: str  # Python literal
    host_params: list[ClientParamView]
    client_params: list[ClientParamView]
    auth: AuthView
    groups: list[GroupView] = field(default_factory=list)
    root_group: GroupView | None = None


def build_client_view(api: Api, names: TypeNames, env: dict[str, str] | None = None) -> ClientView:
    env = env or {}
    view = ClientView(
        host_template=py_literal(api.host),
        host_params=[_host_param(p, env) for p in api.host_parameters],
        client_params=[_client_param(p, names, env) for p in api.client_parameters],
        auth=build_auth_view(api, env),
    )
    for group in api.groups:
        group_view = build_group_view(group, names, api.security_requirement)
        if group.name:
            view.groups.append(group_view)
        else:
            view.root_group = group_view
    return view


def _host_param(p: HostParameter, env: dict[str, str]) -> ClientParamView:
    default = "None" if p.default is MISSING else py_literal(str(p.default))
    return ClientParamView(
        name=p.py_name,
        signature=f"{p.py_name}: str | None = {default}",
        doc=docstring(p.description),
        wire=py_literal(p.name),
        env=py_literal(env[p.py_name]) if p.py_name in env else "",
    )


def _client_param(p: Parameter, names: TypeNames, env: dict[str, str]) -> ClientParamView:
    annotation = names.annotation(p.type)
    if p.default is MISSING:
        signature = f"{p.py_name}: {annotation}"
    else:
        signature = f"{p.py_name}: {annotation} = {py_literal(p.default)}"
    default = "" if p.default is MISSING else py_literal(p.default)
    return ClientParamView(
        p.py_name, signature, docstring(p.description), py_literal(p.name), default=default
    )


def build_group_view(
    group: OperationGroup, names: TypeNames, api_security: list[list[str]] | None = None
) -> GroupView:
    used: set[str] = {"Mapping", "NOT_GIVEN", "NotGiven", "TYPE_CHECKING", "cached_property"}
    # A method named like a builtin (`list`) hides it from the annotations in the class body.
    shadowed = _SHADOWABLE & {op.py_name for op in group.operations}
    # Code reaches the models through the package (`_models.Pet.from_dict`): a model is
    # loaded when a response needs it, not when the client is imported.
    names = replace(names, shadowed=frozenset(shadowed), qualifier="_models.")
    operations = [_operation_view(op, names, used, api_security) for op in group.operations]
    written = [a.signature for op in operations for a in op.positional + op.keyword]
    written += [a.signature for op in operations for v in op.variants for a in v]
    for op in operations:
        written += [op.returns, *op.result_lines]
        written += [op.stream.chunk] if op.stream else []
        written += [op.pager.item] if op.pager else []
    if any("builtins." in text for text in written):
        used.add("builtins")
    if operations:
        used.update({"with_raw_response", "async_with_raw_response"})
    # `uses` names what decoding needs; whether this module calls _serde is in its expressions.
    used.discard("_serde")
    if any("_serde." in line for op in operations for line in _code(op)):
        used.add("_serde")
    declared = {m.py_name for m in names.models.values()} | {
        e.py_name for e in names.enums.values()
    }
    code = [line for op in operations for line in _code(op)]
    # What is still named bare is named in annotations only: imported for type checkers.
    model_names = sorted(declared & names_in(written + code), key=import_order)
    lazy = any("_models." in line for line in code)
    return GroupView(
        attribute=group.py_name,
        class_name=group.py_class,
        module=group.py_name,
        doc=docstring(f"Operations of the {group.name!r} group." if group.name else "Operations."),
        operations=operations,
        imports=import_block(
            used,
            "..",
            model_names,
            ["builtins"] if "builtins" in used else [],
            lazy_models=lazy,
            type_checking=[(".._client", "AsyncClient"), (".._client", "Client")],
        ),
        used=used,
        model_names=model_names,
        lazy_models=lazy,
    )


_SHADOWABLE = frozenset({"list", "dict"})


def _code(op: OperationView) -> list[str]:
    lines = op.request_args + op.result_lines
    for part in (op.stream, op.pager, op.poller):
        if part is not None:
            lines += [part.decode]
    return lines


def _operation_view(
    op: Operation, names: TypeNames, used: set[str], api_security: list[list[str]] | None
) -> OperationView:
    positional: list[ArgView] = []
    required_kw: list[ArgView] = []
    optional_kw: list[ArgView] = []
    path_args: list[str] = []
    raw_path: list[str] = []
    query_args: list[str] = []
    header_args: list[str] = []
    for p in op.parameters:
        if op.sets_stream(p):
            continue  # the `stream` argument of a streaming call sets it
        wire = py_literal(p.name)
        if p.client:
            expr = f"self._client.{p.py_name}"
        elif p.constant:  # fixed by the path (x-ms-paths): always sent, never asked for
            expr = py_literal(p.default)
        else:
            names.uses(p.type, used)
            arg = _arg(
                p.py_name,
                names.annotation(p.type),
                p.required,
                p.description or f"The {p.name!r} {p.location} parameter.",
            )
            target = (
                positional if p.location == "path" else required_kw if p.required else optional_kw
            )
            target.append(arg)
            expr = _param_expr(p, names)
            if p.client_request_id:  # one fresh id per call, the same for all its retries
                used.add("_serde")
                expr = f"{p.py_name} or _serde.new_request_id()"
        if p.location == "path":
            path_args.append(f"{wire}: {expr}")
            if p.skip_url_encoding:
                raw_path.append(wire)
        elif p.location == "query":
            query_args.append(f"{wire}: {expr}")
        elif p.location == "header":
            header_args.append(f"{wire}: {expr}")
    stream = _stream_view(op, names, used)
    if stream is not None and op.stream_parameter and stream.request_arg.startswith("query:"):
        query_args.append(stream.request_arg.removeprefix("query:"))
    request_args = [py_literal(op.method.upper()), py_literal(op.path)]
    if path_args:
        request_args.append("path_params={" + ", ".join(path_args) + "}")
    if raw_path:
        trailing = "," if len(raw_path) == 1 else ""  # a one-element tuple needs its comma
        request_args.append(f"raw_path_params=({', '.join(raw_path)}{trailing})")
    if query_args:
        request_args.append("query={" + ", ".join(query_args) + "}")
    if header_args:
        request_args.append("headers={" + ", ".join(header_args) + "}")
    members: _Members | None = None
    if op.body is not None and op.body.py_members:
        members = _members(op, names, used)
        body_args = [f"json={members.expression}"]
    elif op.body is not None:
        body_args = _body_args(op.body, names, used, required_kw, optional_kw)
    if op.body is not None:
        if stream is not None and stream.request_arg == "body" and body_args[0].startswith("json="):
            body_args[0] = (
                f"json=_serde.with_stream_flag({body_args[0].removeprefix('json=')}, stream)"
            )
        request_args += body_args
    success = [
        r
        for r in op.responses
        if r.status.startswith("2") or (r.status == "default" and not _has_success(op))
    ]
    plain = [r for r in success if r.kind != "event-stream"] or [
        r for r in success if r.kind == "event-stream"
    ]
    accept = ", ".join(dict.fromkeys(r.content_type for r in plain if r.content_type))
    if stream is not None:
        request_args.append(
            f'accept="text/event-stream" if stream else {py_literal(accept or "*/*")}'
        )
    elif accept:
        request_args.append(f"accept={py_literal(accept)}")
    error = next((r for r in op.responses if r.is_error and isinstance(r.type, ModelRef)), None)
    error_doc = ""
    if error is not None and isinstance(error.type, ModelRef):
        error_model = names.models[error.type.id].py_name
        error_doc = f" (.error holds the decoded {error_model})"
        used.add(error_model)
        request_args.append(f"error_decoder={names.qualifier}{error_model}.from_dict")
    security = operation_security(op, api_security)
    if security:
        request_args.append(f"security={security}")
    returns, result_lines = _result(plain, names, used)
    keyword = required_kw + optional_kw
    variants: list[list[ArgView]] = []
    documented = positional + required_kw + optional_kw
    if members is not None:
        used.add("overload")
        keyword = required_kw + members.implementation + optional_kw
        variants = [
            required_kw + members.required + members.optional + optional_kw,
            required_kw + [members.body] + optional_kw,
        ]
        documented = positional + required_kw + members.required + members.optional
        documented += optional_kw + [members.body]
    view = OperationView(
        name=op.py_name,
        doc="",
        positional=positional,
        keyword=keyword,
        variants=variants,
        returns=returns,
        request_args=request_args,
        result_lines=result_lines,
        stream=stream,
        method=py_literal(op.method.upper()),
        security=security,
    )
    if op.paging is not None:
        view.pager = _pager_view(op, plain, names, used)
    if op.long_running is not None and view.pager is None:
        view.poller = _poller_view(op, plain, names, used)
    if any(r.kind == "binary" for r in plain) and op.py_streamed_name:
        view.streamed_name = op.py_streamed_name
        used.update({"BinaryResponse", "AsyncBinaryResponse"})
    view.doc = _operation_doc(op, documented, _returns_doc(view, plain), error_doc)
    return view


def _stream_view(op: Operation, names: TypeNames, used: set[str]) -> StreamView | None:
    if not op.streaming or op.stream_type is None:
        return None
    names.uses(op.stream_type, used)
    used.update({"Stream", "AsyncStream", "Literal", "overload"})
    if op.stream_parameter and any(p.name == op.stream_parameter for p in op.parameters):
        request_arg = f"query:{py_literal(op.stream_parameter)}: True if stream else None"
    elif op.stream_parameter:
        request_arg = "body"
        used.add("_serde")
    else:
        request_arg = ""
    return StreamView(
        chunk=names.annotation(op.stream_type),
        decode=decoder_callable(op.stream_type, names),
        request_arg=request_arg,
    )


def _pager_view(
    op: Operation, plain: list[Response], names: TypeNames, used: set[str]
) -> PagerView | None:
    """Items are the list under ``item_name`` of the page model; without one, no pager."""
    assert op.paging is not None
    page = next((r.type for r in plain if isinstance(r.type, ModelRef)), None)
    if page is None:
        return None
    model_fields = {f.name: f for f in names.all_fields(page.id)}
    items = model_fields.get(op.paging.item_name)
    if items is None or not isinstance(items.type, ListType):
        return None
    names.uses(items.type.item, used)
    used.update({"Pager", "AsyncPager"})
    next_link = op.paging.next_link_name
    return PagerView(
        item=names.annotation(items.type.item),
        decode=decoder_callable(items.type.item, names),
        item_name=py_literal(op.paging.item_name),
        next_link_name=py_literal(next_link) if next_link else "None",
    )


def _poller_view(
    op: Operation, plain: list[Response], names: TypeNames, used: set[str]
) -> PollerView:
    assert op.long_running is not None
    used.update({"Poller", "AsyncPoller"})
    final = next((r.type for r in plain if r.type is not None and r.kind == "json"), None)
    via = op.long_running.final_state_via
    return PollerView(
        final_state_via=py_literal(via) if via else "None",
        decode=decoder_callable(final, names) if final is not None else "None",
    )


def decoder_callable(t: TypeExpr, names: TypeNames) -> str:
    """A callable that decodes one JSON value into ``t``."""
    if isinstance(t, ModelRef):
        return f"{names.qualifier}{names.models[t.id].py_name}.from_dict"
    return f"lambda v: {names.decode(t, 'v')}"


def _body_args(
    body: RequestBody,
    names: TypeNames,
    used: set[str],
    required_kw: list[ArgView],
    optional_kw: list[ArgView],
) -> list[str]:
    """Arguments for the request body; the body's own arguments join the keyword lists."""
    if body.kind in ("multipart", "form"):
        files: list[str] = []
        data: list[str] = []
        for form_field in body.form_fields:
            names.uses(form_field.type, used)
            name = form_field.py_name
            if form_field.is_file:
                used.add("FileInput")
                annotation, expr = "FileInput", name
            else:
                annotation = names.annotation(form_field.type)
                expr = _wire_value(form_field.type, name, False, names)
                if expr != name and not form_field.required:
                    expr = f"{name} if isinstance({name}, NotGiven) else {expr}"
            doc = docstring(form_field.description) or f"The {form_field.name!r} form field."
            # An optional field is "not sent" by default, as a JSON body's optional members.
            arg = (
                ArgView(name, f"{name}: {annotation}", doc)
                if form_field.required
                else ArgView(name, f"{name}: {annotation} | NotGiven = NOT_GIVEN", doc)
            )
            (required_kw if form_field.required else optional_kw).append(arg)
            (files if form_field.is_file else data).append(f"{py_literal(form_field.name)}: {expr}")
        args = []
        if files:
            args.append("files={" + ", ".join(files) + "}")
        if data:
            args.append("data={" + ", ".join(data) + "}")
        if body.kind == "multipart":  # multipart even when no file is given
            args.append('content_type="multipart/form-data"')
        return args
    annotation, expr = _body_expr(body.type, body.py_name, body.kind, names, used)
    arg = _arg(body.py_name, annotation, body.required, body.description or "The request body.")
    (required_kw if body.required else optional_kw).append(arg)
    if not body.required and body.kind == "json" and not expr.startswith("_serde.json_body("):
        expr = f"NOT_GIVEN if {body.py_name} is None else {expr}"
    elif not body.required and body.kind == "text":  # left out: no body, not None.encode()
        expr = f"None if {body.py_name} is None else {expr}"
    if body.kind == "json":
        return [f"json={expr}"]
    return [f"content={expr}", f"content_type={py_literal(body.content_type)}"]


@dataclass
class _Members:
    """A JSON object body taken member by member, or whole as ``body``."""

    required: list[ArgView]  # the members' overload: required members...
    optional: list[ArgView]  # ...and optional ones, "not sent" by default
    body: ArgView  # the whole body's overload
    implementation: list[ArgView]  # the implementation accepts both
    expression: str  # the JSON the call sends


def _members(op: Operation, names: TypeNames, used: set[str]) -> _Members:
    body = op.body
    assert body is not None
    model_type = body.type
    assert isinstance(model_type, ModelRef)
    model = names.models[model_type.id].py_name
    used.update({"NOT_GIVEN", "NotGiven", "Mapping", "Any", "_serde", model})
    required: list[ArgView] = []
    optional: list[ArgView] = []
    implementation: list[ArgView] = []
    entries: list[str] = []
    members = body_members(op, names.models)  # the ones refine named in body.py_members
    for f in members:
        name = body.py_members[f.name]
        names.uses_argument(f.type, used)
        annotation = names.argument(f.type) + (" | None" if f.nullable else "")
        doc = docstring(f.description) or f"The body's {f.name!r} member."
        if f.required:
            required.append(ArgView(name, f"{name}: {annotation}", doc))
        else:
            optional.append(ArgView(name, f"{name}: {annotation} | NotGiven = NOT_GIVEN", doc))
        implementation.append(ArgView(name, f"{name}: {annotation} | NotGiven = NOT_GIVEN", doc))
        value = name
        if _has_unixtime(f.type):  # the one wire form a value does not tell by itself
            value = f"{name} if isinstance({name}, NotGiven) else {names.encode(f.type, name, f.nullable)}"
        entries.append(f"{py_literal(f.name)}: {value}")
    annotation = f"{model} | Mapping[str, Any]"
    body_doc = "The whole request body, instead of its members as keyword arguments."
    body_arg = ArgView(
        body.py_name,
        (
            f"{body.py_name}: {annotation}"
            if body.required
            else f"{body.py_name}: {annotation} | None = None"
        ),
        body_doc,
    )
    implementation.append(
        ArgView(body.py_name, f"{body.py_name}: {annotation} | None = None", body_doc)
    )
    required_names = [py_literal(f.name) for f in members if f.required]
    wanted = ", ".join(required_names)
    trailing = "," if len(required_names) == 1 else ""  # a tuple of one
    expression = f"_serde.json_members({body.py_name}, {{{', '.join(entries)}}}"
    if wanted:
        expression += f", required=({wanted}{trailing})"
    if not body.required:
        expression += ", optional=True"
    return _Members(required, optional, body_arg, implementation, expression + ")")


def _has_unixtime(t: TypeExpr) -> bool:
    if isinstance(t, Primitive):
        return t.format == "unixtime"
    if isinstance(t, ListType):
        return _has_unixtime(t.item)
    if isinstance(t, DictType):
        return _has_unixtime(t.value)
    return False


def _has_success(op: Operation) -> bool:
    return any(r.status.startswith("2") for r in op.responses)


def _arg(name: str, annotation: str, required: bool, description: str) -> ArgView:
    signature = f"{name}: {annotation}" if required else f"{name}: {annotation} | None = None"
    return ArgView(name, signature, docstring(description))


def _param_expr(p: Parameter, names: TypeNames) -> str:
    if p.type.kind == "list" and not p.explode:
        return f"_serde.join({p.py_name}, {py_literal(p.separator)})"
    return _wire_value(p.type, p.py_name, not p.required, names)


def _wire_value(type_: TypeExpr, name: str, optional: bool, names: TypeNames) -> str:
    """A query, header or form value: the runtime writes dates, datetimes, bytes and enums in
    their wire form itself; only what it cannot know (unixtime, models) is encoded here."""
    if isinstance(type_, Primitive) and type_.format != "unixtime":
        return name
    return names.encode(type_, name, optional)


def _body_expr(
    type_: TypeExpr | None, name: str, kind: str, names: TypeNames, used: set[str]
) -> tuple[str, str]:
    if kind == "binary" or isinstance(type_, Binary):
        used.add("IO")
        return "bytes | IO[bytes]", name
    if kind == "text":
        return "str", f'{name}.encode("utf-8")'
    if isinstance(type_, ModelRef):
        model = names.models[type_.id].py_name
        used.update({model, "Any", "_serde"})
        return f"{model} | Mapping[str, Any]", f"_serde.json_body({name})"
    if type_ is None:
        used.add("Any")
        return "Any", name
    names.uses(type_, used)
    return names.annotation(type_), names.encode(type_, name)


def _result(success: list[Response], names: TypeNames, used: set[str]) -> tuple[str, list[str]]:
    """The return annotation and the statements that decode ``response``: by status, and
    within one status by content type (a JSON answer or a text one, say)."""
    by_status: dict[str, list[Response]] = {}
    for r in success:
        by_status.setdefault(r.status, []).append(r)
    if not by_status:
        return "None", []
    branches = [
        (status, *_status_result(variants, "result", names, used))
        for status, variants in by_status.items()
    ]
    annotations = list(dict.fromkeys(a for _, anns, _ in branches for a in anns))
    if len({tuple(s) for _, _, s in branches}) == 1:
        return " | ".join(annotations), branches[0][2]
    # One method declares each typed local once: a local per status, so that two statuses
    # decoding an Any-typed body do not redefine `result`.
    branches = [
        (status, *_status_result(variants, f"result_{status.lower()}", names, used))
        for status, variants in by_status.items()
    ]
    lines: list[str] = []
    for status, _, statements in branches[:-1]:
        if status.isdigit():
            lines.append(f"if response.status_code == {int(status)}:")
            lines.extend("    " + s for s in statements or ["return None"])
    lines.extend(branches[-1][2] or ["return None"])
    return " | ".join(annotations), lines


def _status_result(
    variants: list[Response], local: str, names: TypeNames, used: set[str]
) -> tuple[list[str], list[str]]:
    """The annotations and statements of one status: the first variant (JSON where there is
    one) is the fallback; the others are recognised by their content type."""
    decoded = [_decode_response(r, local, names, used) for r in variants]
    statements: list[str] = []
    for r, (_, variant_lines) in zip(variants[1:], decoded[1:]):
        if r.kind in ("text", "binary") and variant_lines:
            used.add("_serde")
            statements.append(
                f"if _serde.has_content_type(response, {py_literal(r.content_type)}):"
            )
            statements.extend("    " + line for line in variant_lines)
    statements.extend(decoded[0][1])
    return [a for a, _ in decoded], statements


def _decode_response(
    r: Response, local: str, names: TypeNames, used: set[str]
) -> tuple[str, list[str]]:
    if r.kind == "binary":
        return "bytes", ["return response.content"]
    if r.kind == "text":
        return "str", ["return response.text"]
    if r.kind in ("json", "event-stream") and r.type is not None:
        names.uses(r.type, used)
        used.add("parse_json")
        annotation = names.annotation(r.type)
        decode = decoder_callable(r.type, names)
        if decode.startswith("lambda"):  # typed Any: the annotation goes on a local
            return annotation, [
                f"{local}: {annotation} = parse_json(response, {decode})",
                f"return {local}",
            ]
        return annotation, [f"return parse_json(response, {decode})"]
    return "None", []


def _returns_doc(view: OperationView, plain: list[Response]) -> str:
    """What the call returns, in the words of the spec's success response where it has any."""
    # "OK" or "Success" say nothing the annotation does not
    said = next((r.description for r in plain if len(r.description.split()) > 2), "")
    if view.pager is not None:
        returns = f"A pager of {view.pager.item}: the items of every page, fetched as iterated."
    elif view.poller is not None:
        returns = f"A poller of {view.returns}: result() waits for the operation to finish."
    elif view.stream is not None:
        returns = f"{view.returns}; with stream=True, an iterator of {view.stream.chunk} events."
    else:
        returns = f"{view.returns}."
    return f"{returns} {docstring(said)}".strip() if said else returns


def _operation_doc(op: Operation, args: list[ArgView], returns: str, error_doc: str) -> str:
    """Summary and description, then every argument, the result and the errors; arg docs are
    already escaped."""
    parts = [p for p in (op.summary, op.description if op.description != op.summary else "") if p]
    head = docstring("\n\n".join(parts) or f"{op.method.upper()} {op.path}")
    documented = list(args)
    if op.streaming and op.stream_type is not None:
        documented.append(ArgView("stream", "", "Return the answer as server-sent events."))
    documented.append(
        ArgView(
            "extra_headers, extra_query, extra_body, timeout, max_retries",
            "",
            "Per-call options: sent besides the arguments, or overriding the client's settings.",
        )
    )
    lines = "\n".join(f"    {a.name}: " + " ".join(a.doc.split()) for a in documented)
    raises = "\n".join(
        [
            f"    ApiError: the service answered with an error status{error_doc}; a subclass"
            + " per status (BadRequestError, AuthenticationError, NotFoundError,"
            + " RateLimitError, InternalServerError, ...).",
            "    ApiConnectionError: the service could not be reached (ApiTimeoutError: it"
            + " did not answer in time).",
            "    ApiResponseValidationError: a success answer that is not JSON, or not of the"
            + " shape described.",
        ]
    )
    return f"{head}\n\nArgs:\n{lines}\n\nReturns:\n    {returns}\n\nRaises:\n{raises}"
