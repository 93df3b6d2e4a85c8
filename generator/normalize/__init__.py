"""Normalize a loaded spec (Swagger 2.0 or OpenAPI 3.0) into the IR."""

from __future__ import annotations

from ..ir import Api
from ..loader import Spec
from .openapi3 import OpenApi3Reader
from .swagger2 import Swagger2Reader


def build_api(spec: Spec) -> Api:
    reader = Swagger2Reader(spec) if spec.version.startswith("2") else OpenApi3Reader(spec)
    return reader.read()


__all__ = ["build_api"]
