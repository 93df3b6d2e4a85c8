"""Normalize a loaded spec (Swagger 2.0, OpenAPI 3.0 or 3.1) into the IR."""

from __future__ import annotations

from ..ir import Api
from ..loader import Spec
from .openapi3 import OpenApi3Reader
from .openapi31 import OpenApi31Reader
from .swagger2 import Swagger2Reader


def build_api(spec: Spec) -> Api:
    if spec.version.startswith("2"):
        return Swagger2Reader(spec).read()
    if spec.version.startswith("3.1"):
        return OpenApi31Reader(spec).read()
    return OpenApi3Reader(spec).read()


__all__ = ["build_api"]
