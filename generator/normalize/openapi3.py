"""OpenAPI 3.0 → IR: ``requestBody`` and response ``content`` maps, parameter ``schema`` /
``style`` / ``explode``, ``servers`` with variables, ``components.securitySchemes``."""

from __future__ import annotations

import re
from typing import Any

from ..ir import MISSING, FormField, HostParameter, Operation
from ..loader import Document
from .operations import content_kind, pick_content_type
from .reader import SEPARATORS, ParamTable, Reader, json_example
from .schemas import is_ref

_BODY_ORDER = ("json", "multipart", "form", "binary", "text", "event-stream")
_RESPONSE_ORDER = ("json", "binary", "text", "event-stream", "multipart", "form")


class OpenApi3Reader(Reader):
    def declare_schemas(self) -> None:
        schemas = (self.root.get("components") or {}).get("schemas")
        if isinstance(schemas, dict):
            self.schemas.declare_all(schemas, self.doc, "/components/schemas")

    def read_parameters(
        self,
        op: Operation,
        raw: dict[str, Any],
        params: ParamTable,
        doc: Document,
    ) -> None:
        for (location, _), (param, param_doc) in params.items():
            if location not in ("path", "query", "header"):
                continue
            schema = param.get("schema")
            if schema is None:  # content-typed parameters carry their schema in `content`
                media = next(iter((param.get("content") or {}).values()), None)
                schema = media.get("schema", {}) if isinstance(media, dict) else {}
            ir_param = self.parameter(op, param, schema, param_doc)
            style = str(param.get("style") or ("form" if location == "query" else "simple"))
            ir_param.explode = bool(param.get("explode", style == "form"))
            ir_param.separator = SEPARATORS.get(style, ",")
            op.parameters.append(ir_param)
        body, body_doc = (
            self.deref_object(raw["requestBody"], doc) if "requestBody" in raw else (None, doc)
        )
        if isinstance(body, dict):
            self._read_body(op, body, body_doc)
            # The Swagger 2.0 body parameter's name, as converters keep it (swagger2openapi
            # --rbname, OpenAPI Generator): the body argument is named as in the 2.0 edition.
            name = raw.get("x-codegen-request-body-name") or body.get("x-codegen-request-body-name")
            if isinstance(name, str) and name:
                for ir_body in [op.body, *op.alternate_bodies]:
                    if ir_body is not None:
                        ir_body.name = name

    def _read_body(self, op: Operation, body: dict[str, Any], doc: Document) -> None:
        content = body.get("content") or {}
        chosen = pick_content_type(list(content), _BODY_ORDER)
        for content_type, media in content.items():
            if not isinstance(media, dict):
                continue
            kind = content_kind(content_type)
            if kind == "event-stream":
                kind = "text"
            ir_body = self.request_body(
                op,
                kind,
                content_type,
                None if kind in ("multipart", "form") else media.get("schema", {}),
                doc,
                bool(body.get("required")),
                str(body.get("description") or ""),
            )
            media_example = json_example(media, {})
            if media_example is not MISSING:
                ir_body.example = media_example
            if kind in ("multipart", "form"):
                self._read_form(op, ir_body.form_fields, media.get("schema") or {}, doc)
            if content_type == chosen:
                op.body = ir_body
            else:
                op.alternate_bodies.append(ir_body)

    def _read_form(
        self, op: Operation, fields: list[FormField], schema: Any, doc: Document
    ) -> None:
        """Multipart / urlencoded parts are the properties of the body's object schema."""
        schema, doc, _ = self.spec.deref(schema, doc) if is_ref(schema) else (schema, doc, None)
        if not isinstance(schema, dict):
            return
        required = set(schema.get("required") or [])
        for part in schema.get("allOf") or []:
            self._read_form(op, fields, part, doc)
        for name, prop in (schema.get("properties") or {}).items():
            type_ = self.schemas.convert(prop, doc, f"{op.id}/{name}")
            description = prop.get("description", "") if isinstance(prop, dict) else ""
            fields.append(
                FormField(
                    name=str(name),
                    type=type_,
                    required=name in required,
                    description=str(description or ""),
                    is_file=type_.kind == "binary",
                )
            )

    def read_responses(self, op: Operation, raw: dict[str, Any], doc: Document) -> None:
        """One IR response per status and content type (JSON first, so it is the default)."""
        for status, response in (raw.get("responses") or {}).items():
            response, response_doc = self.deref_object(response, doc)
            if not isinstance(response, dict):
                continue
            content = response.get("content") or {}
            ordered = sorted(content, key=lambda c: _RESPONSE_ORDER.index(content_kind(c)))
            headers = self.headers(response.get("headers"), response_doc, f"{op.id}/headers")
            for content_type in ordered or [""]:
                media = content.get(content_type) if content_type else None
                schema = media.get("schema", {}) if isinstance(media, dict) else None
                ir_response = self.response(
                    op,
                    str(status),
                    str(response.get("description") or ""),
                    content_type,
                    schema,
                    response_doc,
                )
                if isinstance(response.get("x-ms-error-response"), bool):
                    ir_response.is_error = response["x-ms-error-response"]
                ir_response.headers = headers
                op.responses.append(ir_response)
        self.mark_streaming(op)

    def read_host(self) -> None:
        schemes = self.root.get("x-swagger-schemes") or ["https"]  # a relabelled 2.0 document
        if self.read_parameterized_host("https" if "https" in schemes else str(schemes[0]), ""):
            return
        servers = self.root.get("servers") or [{}]
        server = servers[0] if isinstance(servers[0], dict) else {}
        url = str(server.get("url") or "")
        if not re.match(
            r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^\{", url
        ):  # relative: the user names the host
            url = "{endpoint}" + ("" if url in ("", "/") else url.rstrip("/"))
            self.api.host_parameters.append(
                HostParameter(name="endpoint", description="The service's base URL.")
            )
        self.api.host = url
        for name, variable in (server.get("variables") or {}).items():
            variable = variable if isinstance(variable, dict) else {}
            self.api.host_parameters.append(
                HostParameter(
                    name=str(name),
                    description=str(variable.get("description") or ""),
                    default=variable.get("default", MISSING),
                )
            )

    def read_security(self) -> None:
        schemes = (self.root.get("components") or {}).get("securitySchemes") or {}
        self.read_security_schemes(schemes, "/components/securitySchemes")
