"""Swagger 2.0 → IR: ``body`` / ``formData`` parameters with ``consumes``, ``produces``,
``securityDefinitions``, ``host``/``basePath``/``schemes`` and ``x-ms-parameterized-host``."""

from __future__ import annotations

from typing import Any

from ..ir import FormField, HostParameter, Operation
from ..loader import Document
from .operations import content_kind, pick_content_type
from .reader import SEPARATORS, ParamTable, Reader

_JSON_FIRST = ("json", "multipart", "form", "binary", "text", "event-stream")
_BINARY_FIRST = ("binary", "text", "json")


class Swagger2Reader(Reader):
    def declare_schemas(self) -> None:
        definitions = self.root.get("definitions")
        if isinstance(definitions, dict):
            self.schemas.declare_all(definitions, self.doc, "/definitions")

    def read_parameters(
        self,
        op: Operation,
        raw: dict[str, Any],
        params: ParamTable,
        doc: Document,
    ) -> None:
        consumes = [str(c) for c in raw.get("consumes") or self.root.get("consumes") or []]
        form: list[tuple[dict[str, Any], Document]] = []
        for (location, _), (param, param_doc) in params.items():
            if location == "body":
                content_type = pick_content_type(consumes, _JSON_FIRST) or "application/json"
                kind = content_kind(content_type)
                op.body = self.request_body(
                    op,
                    "json" if kind in ("multipart", "form", "event-stream") else kind,
                    content_type,
                    param.get("schema", {}),
                    param_doc,
                    bool(param.get("required")),
                    str(param.get("description") or ""),
                    name=str(param["name"]),
                )
                op.body.client_name = str(param.get("x-ms-client-name") or "")
                for other in consumes:
                    if other != content_type and content_kind(other) in ("binary", "text"):
                        op.alternate_bodies.append(
                            self.request_body(
                                op,
                                content_kind(other),
                                other,
                                param.get("schema", {}),
                                param_doc,
                                False,
                                "",
                            )
                        )
            elif location == "formData":
                form.append((param, param_doc))
            elif location in ("path", "query", "header"):
                ir_param = self.parameter(op, param, param, param_doc)
                fmt = str(param.get("collectionFormat") or "csv")
                ir_param.explode = fmt == "multi"
                ir_param.separator = SEPARATORS.get(fmt, ",")
                op.parameters.append(ir_param)
        if form:
            has_file = any(p.get("type") == "file" for p, _ in form)
            multipart = has_file or any(content_kind(c) == "multipart" for c in consumes)
            content_type = (
                "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
            )
            body = self.request_body(
                op, "multipart" if multipart else "form", content_type, None, doc, True, ""
            )
            for param, param_doc in form:
                type_ = self.schemas.convert(param, param_doc, f"{op.id}/{param['name']}")
                body.form_fields.append(
                    FormField(
                        name=str(param["name"]),
                        type=type_,
                        required=bool(param.get("required")),
                        description=str(param.get("description") or ""),
                        is_file=type_.kind == "binary",
                        client_name=str(param.get("x-ms-client-name") or ""),
                    )
                )
            body.required = any(f.required for f in body.form_fields)
            op.body = body

    def read_responses(self, op: Operation, raw: dict[str, Any], doc: Document) -> None:
        produces = [str(c) for c in raw.get("produces") or self.root.get("produces") or []]
        for status, response in (raw.get("responses") or {}).items():
            response, response_doc, _ = self.spec.deref(response, doc)
            if not isinstance(response, dict):
                continue
            status = str(status)
            schema = response.get("schema")
            content_type = ""
            if schema is not None:
                # A file schema is answered in the binary media type `produces` lists.
                order = _BINARY_FIRST if self._is_file(schema, response_doc) else _JSON_FIRST
                fallback = (
                    "application/octet-stream" if order is _BINARY_FIRST else "application/json"
                )
                content_type = pick_content_type(produces, order) or fallback
                if order is _BINARY_FIRST and content_kind(content_type) != "binary":
                    content_type = fallback
            ir_response = self.response(
                op,
                status,
                str(response.get("description") or ""),
                content_type,
                schema,
                response_doc,
            )
            if isinstance(response.get("x-ms-error-response"), bool):
                ir_response.is_error = response["x-ms-error-response"]
            ir_response.headers = self.headers(
                response.get("headers"), response_doc, f"{op.id}/headers"
            )
            op.responses.append(ir_response)
        if any(content_kind(c) == "event-stream" for c in produces):
            op.streaming = True  # Swagger 2.0 cannot type the events: they share the JSON type
        self.mark_streaming(op)

    def _is_file(self, schema: Any, doc: Document) -> bool:
        target, _, _ = self.spec.deref(schema, doc)
        return isinstance(target, dict) and (
            target.get("type") == "file" or target.get("format") == "binary"
        )

    def read_host(self) -> None:
        base_path = str(self.root.get("basePath") or "").rstrip("/")
        schemes = self.root.get("schemes") or ["https"]
        scheme = "https" if "https" in schemes else str(schemes[0])
        if self.read_parameterized_host(scheme, base_path):
            return
        if self.root.get("host"):
            self.api.host = f"{scheme}://{self.root['host']}{base_path}"
        else:
            self.api.host = "{endpoint}" + base_path
            self.api.host_parameters.append(
                HostParameter(name="endpoint", description="The service's base URL.")
            )

    def read_security(self) -> None:
        definitions = self.root.get("securityDefinitions") or {}
        self.read_security_schemes(definitions, "/securityDefinitions")
