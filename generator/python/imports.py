"""Imports are data: code that a view emits reports the names it uses; this module turns the
set into an import block in the order ruff's isort expects."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Where each standard-library name used by generated code comes from.
STDLIB = {
    "Awaitable": "collections.abc",
    "Callable": "collections.abc",
    "Mapping": "collections.abc",
    "Sequence": "collections.abc",
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


_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


def names_in(code: Iterable[str]) -> set[str]:
    """The names that code refers to (not attributes, nor words inside string literals)."""
    return {name for text in code for name in _NAME.findall(_STRING.sub("", text))}


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
    *,
    lazy_models: bool = False,
    type_checking: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """The import lines for ``used`` names: standard library, ``import`` of ``modules``
    (e.g. os), httpx, then the package's runtime and ``local`` (module, name) pairs.
    ``parent`` is the relative prefix of the package root ("." or "..").  Code reaches the
    models through the package (``lazy_models``: ``_models.Pet``, each model loaded on first
    use); ``model_names``, named in annotations only, are imported for type checkers, with
    the (module, name) pairs of ``type_checking``."""
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
    if lazy_models:
        lines.append(f"from {parent} import models as _models")
    for module, name in local:
        locals_.setdefault(module, set()).add(name)
    for module in sorted(locals_, key=lambda m: m.lstrip(".")):
        lines.append(f"from {module} import {', '.join(sorted(locals_[module], key=import_order))}")
    checked: dict[str, set[str]] = {}
    if model_names:
        checked[f"{parent}models"] = set(model_names)
    for module, name in type_checking:
        checked.setdefault(module, set()).add(name)
    if checked:
        lines += ["", "if TYPE_CHECKING:"]
    for module in sorted(checked, key=lambda m: m.lstrip(".")):
        names = ", ".join(sorted(checked[module], key=import_order))
        lines.append(f"    from {module} import {names}")
    return lines
