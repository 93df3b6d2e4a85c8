"""Imports are data: code that a view emits reports the names it uses; this module turns the
set into an import block in the order ruff's isort expects."""

from __future__ import annotations

from collections.abc import Iterable

# Where each standard-library name used by generated code comes from.
STDLIB = {
    "Awaitable": "collections.abc",
    "Callable": "collections.abc",
    "Mapping": "collections.abc",
    "date": "datetime",
    "datetime": "datetime",
    "cached_property": "functools",
    "IO": "typing",
    "TYPE_CHECKING": "typing",
    "Any": "typing",
    "Literal": "typing",
    "overload": "typing",
}
# Names the generated package's runtime exports.
RUNTIME = frozenset(
    {
        "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "NOT_GIVEN", "AsyncBinaryResponse", "AsyncClientBase",
        "AsyncPager", "AsyncPoller", "AsyncStream", "BinaryResponse", "FileInput", "NotGiven", "Pager",
        "Poller", "Stream", "SyncClientBase", "_auth", "_serde", "async_with_raw_response", "format_host", "parse_json",
        "with_raw_response",
    }
)  # fmt: skip


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


def import_block(
    used: Iterable[str],
    parent: str,
    model_names: Iterable[str] = (),
    modules: Iterable[str] = (),
    local: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """The import lines for ``used`` names: standard library, ``import`` of ``modules``
    (e.g. os), httpx, then the package's runtime, models and ``local`` (module, name) pairs.
    ``parent`` is the relative prefix of the package root ("." or "..")."""
    used = set(used)
    stdlib: dict[str, set[str]] = {}
    for name in used:
        if name in STDLIB:
            stdlib.setdefault(STDLIB[name], set()).add(name)
    lines = [f"import {module}" for module in sorted(modules)]
    lines += [
        f"from {module} import {', '.join(sorted(names, key=import_order))}"
        for module, names in sorted(stdlib.items())
    ]
    lines += ["", "import httpx", ""]
    runtime = sorted((n for n in used if n in RUNTIME), key=import_order)
    locals_: dict[str, set[str]] = {}
    if runtime:
        locals_[f"{parent}_runtime"] = set(runtime)
    models = sorted(set(model_names), key=import_order)
    if models:
        locals_[f"{parent}models"] = set(models)
    for module, name in local:
        locals_.setdefault(module, set()).add(name)
    for module in sorted(locals_, key=lambda m: m.lstrip(".")):
        lines.append(f"from {module} import {', '.join(sorted(locals_[module], key=import_order))}")
    return lines
