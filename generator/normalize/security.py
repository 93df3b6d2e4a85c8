"""Security schemes and requirements, for both formats: Swagger 2.0 ``securityDefinitions``
(``apiKey``, ``basic``, ``oauth2``) and OpenAPI 3.x ``components.securitySchemes`` (``apiKey``,
``http`` basic / bearer, ``oauth2``, ``openIdConnect``); ``security`` reads the same in both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ir import SecurityScheme

Warn = Callable[[str, str], None]  # (pointer, message)

_LOCATIONS = ("header", "query", "cookie")


def read_scheme(name: str, raw: dict[str, Any], pointer: str, warn: Warn) -> SecurityScheme | None:
    """The IR scheme of one definition; None (with a warning) for one no client can send."""
    kind = raw.get("type")
    description = str(raw.get("description") or "")
    if kind == "apiKey":
        location = str(raw.get("in") or "header")
        if location not in _LOCATIONS:
            warn(f"{pointer}/in", f"API key location {location!r} is not supported; ignored")
            return None
        return SecurityScheme(
            name=name,
            kind="api_key",
            parameter=str(raw.get("name") or "api-key"),
            location=location,
            description=description,
        )
    if kind == "basic":  # Swagger 2.0
        return SecurityScheme(name=name, kind="basic", description=description)
    if kind == "http":
        http_scheme = str(raw.get("scheme") or "").lower()  # case-insensitive (RFC 7235)
        if http_scheme in ("basic", "bearer"):
            return SecurityScheme(name=name, kind=http_scheme, description=description)
        warn(f"{pointer}/scheme", f"HTTP auth scheme {http_scheme!r} is not supported; ignored")
        return None
    if kind in ("oauth2", "openIdConnect"):
        scopes: list[str] = [str(s) for s in raw.get("scopes") or {}]  # Swagger 2.0
        for flow in (raw.get("flows") or {}).values():  # OpenAPI 3.x
            if isinstance(flow, dict):
                scopes += [str(s) for s in flow.get("scopes") or {} if str(s) not in scopes]
        return SecurityScheme(name=name, kind="oauth2", scopes=scopes, description=description)
    warn(f"{pointer}/type", f"security scheme type {kind!r} is not supported; ignored")
    return None


def read_requirement(raw: Any, known: set[str], pointer: str, warn: Warn) -> list[list[str]] | None:
    """A ``security`` list: alternatives, each the scheme names used together.  None when it
    is absent; ``[]`` (no credential) for ``security: []``.  A scheme the spec does not define
    (or that was ignored) is dropped with a warning, and so is an alternative left empty by
    that: an empty alternative would wrongly mean "no credential needed"."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        warn(pointer, "security must be a list of requirements; ignored")
        return None
    alternatives: list[list[str]] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            warn(f"{pointer}/{index}", "a security requirement must be a mapping; ignored")
            continue
        names = [str(n) for n in entry]
        unknown = [n for n in names if n not in known]
        for name in unknown:
            warn(
                f"{pointer}/{index}",
                f"security scheme {name!r} is not defined (or not supported); ignored",
            )
        if unknown and len(unknown) == len(names):
            continue
        alternatives.append([n for n in names if n in known])
    return alternatives if alternatives or not raw else None
