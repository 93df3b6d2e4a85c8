"""Template context for operation groups and the client: signatures, request arguments and
response decoding as finished strings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import (
    MISSING,
    Api,
    Binary,
    HostParameter,
    ModelRef,
    Operation,
    OperationGroup,
    Parameter,
    RequestBody,
    Response,
    TypeExpr,
)
from .literals import docstring, py_literal
from .types import TypeNames


@dataclass
class ArgView:
    name: str
    signature: str  # "name: annotation" or "name: annotation = default"
    doc: str


@dataclass
class OperationView:
    name: str
    doc: str
    positional: list[ArgView]
    keyword: list[ArgView]
    returns: str
    request_args: list[str]  # "keyword=expression" lines of the _request call
    result_lines: list[str]  # statements after the call; `response` holds the httpx.Response
    error_model: str


@dataclass
class GroupView:
    attribute: str
    class_name: str
    module: str
    doc: str
    operations: list[OperationView]
    imports: list[str]  # the module's import lines
    used: set[str]  # names its code needs (for modules that host the group's methods)
    model_names: list[str]


@dataclass
class ClientParamView:
    name: str
    signature: str
    doc: str
    wire: str


@dataclass
class ClientView:
    host_template: str  # Python literal
    host_params: list[ClientParamView]
    client_params: list[ClientParamView]
    api_key_header: str  # Python literal, or "" when the spec has no api-key scheme
    bearer: bool
    scopes: str  # Python literal list
    groups: list[GroupView] = field(default_factory=list)
    root_group: GroupView | None = None


def build_client_view(api: Api, names: TypeNames) -> ClientView:
    api_key = next(
        (s for s in api.security if s.kind == "api_key" and s.location == "header"), None
    )
    bearer = next((s for s in api.security if s.kind == "bearer"), None)
    view = ClientView(
        host_template=py_literal(api.host),
        host_params=[_host_param(p) for p in api.host_parameters],
        client_params=[_client_param(p, names) for p in api.client_parameters],
        api_key_header=py_literal(api_key.header) if api_key else "",
        bearer=bearer is not None,
        scopes=py_literal(bearer.scopes if bearer else []),
    )
    for group in api.groups:
        group_view = build_group_view(group, names)
        if group.name:
            view.groups.append(group_view)
        else:
            view.root_group = group_view
    return view


def _host_param(p: HostParameter) -> ClientParamView:
    default = "None" if p.default is MISSING else py_literal(str(p.default))
    return ClientParamView(
        name=p.py_name,
        signature=f"{p.py_name}: str | None = {default}",
        doc=docstring(p.description),
        wire=py_literal(p.name),
    )


def _client_param(p: Parameter, names: TypeNames) -> ClientParamView:
    annotation = names.annotation(p.type)
    if p.default is MISSING:
        signature = f"{p.py_name}: {annotation}"
    else:
        signature = f"{p.py_name}: {annotation} = {py_literal(p.default)}"
    return ClientParamView(p.py_name, signature, docstring(p.description), py_literal(p.name))


def build_group_view(group: OperationGroup, names: TypeNames) -> GroupView:
    used: set[str] = set()
    operations = [_operation_view(op, names, used) for op in group.operations]
    # `uses` names what decoding needs; whether this module calls _serde is in its expressions.
    used.discard("_serde")
    if any("_serde." in line for op in operations for line in op.request_args + op.result_lines):
        used.add("_serde")
    model_names = sorted(
        (
            n
            for n in used
            if n
            in {m.py_name for m in names.models.values()}
            | {e.py_name for e in names.enums.values()}
        ),
        key=import_order,
    )
    return GroupView(
        attribute=group.py_name,
        class_name=group.py_class,
        module=group.py_name,
        doc=docstring(f"Operations of the {group.name!r} group." if group.name else "Operations."),
        operations=operations,
        imports=import_lines(used, model_names, ".."),
        used=used,
        model_names=model_names,
    )


def import_lines(
    used: set[str],
    model_names: list[str],
    parent: str,
    abc: tuple[str, ...] = ("Mapping",),
    runtime: tuple[str, ...] = (),
    type_checking: bool = True,
    operations: bool = True,
) -> list[str]:
    """The import block of a module that holds operations, from the names its code uses."""
    typing = sorted(n for n in ("IO", "Any", "Literal") if n in used) + (
        ["TYPE_CHECKING"] if type_checking else []
    )
    runtime_names = (
        {*runtime}
        | ({"NOT_GIVEN", "NotGiven"} if operations else set())
        | {n for n in ("FileInput", "_serde") if n in used}
    )
    lines = [f"from collections.abc import {', '.join(sorted(abc))}"]
    dates = sorted(n for n in ("date", "datetime") if n in used)
    if dates:
        lines.append(f"from datetime import {', '.join(dates)}")
    if typing:
        lines.append(f"from typing import {', '.join(sorted(typing, key=import_order))}")
    lines += ["", "import httpx", ""]
    lines.append(
        f"from {parent}_runtime import {', '.join(sorted(runtime_names, key=import_order))}"
    )
    if model_names:
        lines.append(f"from {parent}models import {', '.join(model_names)}")
    return lines


def import_order(name: str) -> tuple[int, str]:
    """isort's order of imported names (ruff's too): CONSTANTS, then Classes, then the rest,
    each ignoring case."""
    return (_kind_rank(name), name.lower())


def export_order(name: str) -> tuple[int, str]:
    """ruff's order of ``__all__`` (RUF022): the same groups, each case-sensitive."""
    return (_kind_rank(name), name)


def _kind_rank(name: str) -> int:
    if name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _operation_view(op: Operation, names: TypeNames, used: set[str]) -> OperationView:
    positional: list[ArgView] = []
    required_kw: list[ArgView] = []
    optional_kw: list[ArgView] = []
    path_args: list[str] = []
    raw_path: list[str] = []
    query_args: list[str] = []
    header_args: list[str] = []
    for p in op.parameters:
        wire = py_literal(p.name)
        if p.client:
            expr = f"self._client.{p.py_name}"
        else:
            names.uses(p.type, used)
            arg = _arg(p.py_name, names.annotation(p.type), p.required, p.description)
            (
                positional if p.location == "path" else required_kw if p.required else optional_kw
            ).append(arg)
            expr = _param_expr(p, names)
        if p.location == "path":
            path_args.append(f"{wire}: {expr}")
            if p.skip_url_encoding:
                raw_path.append(wire)
        elif p.location == "query":
            query_args.append(f"{wire}: {expr}")
        elif p.location == "header":
            header_args.append(f"{wire}: {expr}")
    request_args = [py_literal(op.method.upper()), py_literal(op.path)]
    if path_args:
        request_args.append("path_params={" + ", ".join(path_args) + "}")
    if raw_path:
        request_args.append("raw_path_params=(" + ", ".join(raw_path) + ",)")
    if query_args:
        request_args.append("query={" + ", ".join(query_args) + "}")
    if header_args:
        request_args.append("headers={" + ", ".join(header_args) + "}")
    if op.body is not None:
        request_args += _body_args(op.body, names, used, required_kw, optional_kw)
    success = [
        r
        for r in op.responses
        if r.status.startswith("2") or (r.status == "default" and not _has_success(op))
    ]
    accept = next((r.content_type for r in success if r.content_type), "")
    if accept:
        request_args.append(f"accept={py_literal(accept)}")
    error = next((r for r in op.responses if r.is_error and isinstance(r.type, ModelRef)), None)
    error_model = (
        names.models[error.type.id].py_name if error and isinstance(error.type, ModelRef) else ""
    )
    if error_model:
        used.add(error_model)
        request_args.append(f"error_decoder={error_model}.from_dict")
    returns, result_lines = _result(success, names, used)
    return OperationView(
        name=op.py_name,
        doc=_operation_doc(op, positional + required_kw + optional_kw),
        positional=positional,
        keyword=required_kw + optional_kw,
        returns=returns,
        request_args=request_args,
        result_lines=result_lines,
        error_model=error_model,
    )


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
            if form_field.is_file:
                used.add("FileInput")
                annotation, expr = "FileInput", form_field.py_name
            else:
                annotation = names.annotation(form_field.type)
                expr = names.encode(form_field.type, form_field.py_name, not form_field.required)
            arg = _arg(form_field.py_name, annotation, form_field.required, form_field.description)
            (required_kw if form_field.required else optional_kw).append(arg)
            (files if form_field.is_file else data).append(f"{py_literal(form_field.name)}: {expr}")
        args = []
        if files:
            args.append("files={" + ", ".join(files) + "}")
        if data:
            args.append("data={" + ", ".join(data) + "}")
        return args
    annotation, expr = _body_expr(body.type, body.py_name, body.kind, names, used)
    arg = _arg(body.py_name, annotation, body.required, body.description)
    (required_kw if body.required else optional_kw).append(arg)
    if not body.required:
        expr = f"NOT_GIVEN if {body.py_name} is None else {expr}"
    if body.kind == "json":
        return [f"json={expr}"]
    return [f"content={expr}", f"content_type={py_literal(body.content_type)}"]


def _has_success(op: Operation) -> bool:
    return any(r.status.startswith("2") for r in op.responses)


def _arg(name: str, annotation: str, required: bool, description: str) -> ArgView:
    signature = f"{name}: {annotation}" if required else f"{name}: {annotation} | None = None"
    return ArgView(name, signature, docstring(description))


def _param_expr(p: Parameter, names: TypeNames) -> str:
    if p.type.kind == "list" and not p.explode:
        return f"_serde.join({p.py_name}, {py_literal(p.separator)})"
    return names.encode(p.type, p.py_name, not p.required)


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
        used.update({model, "Any"})
        return (
            f"{model} | Mapping[str, Any]",
            f"{name}.to_dict() if isinstance({name}, {model}) else dict({name})",
        )
    if type_ is None:
        used.add("Any")
        return "Any", name
    names.uses(type_, used)
    return names.annotation(type_), names.encode(type_, name)


def _result(success: list[Response], names: TypeNames, used: set[str]) -> tuple[str, list[str]]:
    """The return annotation and the statements that decode ``response``."""
    branches = [(r.status, *_decode_response(r, names, used)) for r in success]
    if not branches:
        return "None", []
    annotations = list(dict.fromkeys(a for _, a, _ in branches))
    if len({tuple(s) for _, _, s in branches}) == 1:
        return annotations[0], branches[0][2]
    lines: list[str] = []
    for status, _, statements in branches[:-1]:
        if status.isdigit():
            lines.append(f"if response.status_code == {int(status)}:")
            lines.extend("    " + s for s in statements or ["return None"])
    lines.extend(branches[-1][2] or ["return None"])
    return " | ".join(annotations), lines


def _decode_response(r: Response, names: TypeNames, used: set[str]) -> tuple[str, list[str]]:
    if r.kind == "binary":
        return "bytes", ["return response.content"]
    if r.kind == "text":
        return "str", ["return response.text"]
    if r.kind in ("json", "event-stream") and r.type is not None:
        names.uses(r.type, used)
        annotation = names.annotation(r.type)
        decoded = names.decode(r.type, "response.json()")
        if decoded == "response.json()" or decoded.startswith("_serde.decode_union("):  # typed Any
            return annotation, [f"result: {annotation} = {decoded}", "return result"]
        return annotation, [f"return {decoded}"]
    return "None", []


def _operation_doc(op: Operation, args: list[ArgView]) -> str:
    """Summary, description and an Args section; arg docs are already escaped."""
    parts = [p for p in (op.summary, op.description if op.description != op.summary else "") if p]
    head = docstring("\n\n".join(parts) or f"{op.method.upper()} {op.path}")
    documented = [a for a in args if a.doc]
    if not documented:
        return head
    lines = "\n".join(f"    {a.name}: " + " ".join(a.doc.split()) for a in documented)
    return f"{head}\n\nArgs:\n{lines}"
