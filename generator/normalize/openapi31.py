"""OpenAPI 3.1 → IR: read as 3.0 (the schema dialect differences live in ``schemas``), plus
``webhooks``: calls the service makes, whose payload models are generated for the receiving
side but which get no client methods."""

from __future__ import annotations

from ..ir import Operation
from .openapi3 import OpenApi3Reader
from .operations import HTTP_METHODS
from .prune import operation_types, refs_of
from .schemas import is_ref


class OpenApi31Reader(OpenApi3Reader):
    def declare_schemas(self) -> None:
        super().declare_schemas()
        self.declare_webhook_payloads()

    def declare_webhook_payloads(self) -> None:
        """Each webhook operation is read like a path's but never joins a group (no client
        method); the declarations its bodies, parameters and responses reach are kept, as
        named schemas are, so pruning does not drop them."""
        webhooks = self.root.get("webhooks")
        if not isinstance(webhooks, dict):
            return
        for name, item in webhooks.items():
            item, item_doc, _ = (
                self.spec.deref(item, self.doc) if is_ref(item) else (item, self.doc, None)
            )
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                raw = item.get(method)
                if not isinstance(raw, dict):
                    continue
                if not raw.get("operationId"):  # names its inline payloads after the webhook
                    raw = {**raw, "operationId": f"{name}Webhook"}
                pointer = f"/webhooks/{str(name).replace('~', '~0').replace('/', '~1')}"
                op = self.read_operation(
                    "", method, raw, item.get("parameters") or [], item_doc, f"{pointer}/{method}"
                )
                self._keep(op)

    def _keep(self, op: Operation) -> None:
        for type_ in operation_types([op]):
            self.schemas.named.update(refs_of(type_))
