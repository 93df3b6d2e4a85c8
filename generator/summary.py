"""A spec's warnings as the command line prints them: one line per kind of warning.

Forty missing example files are one fact about a spec, not forty: each kind of warning is
printed once, at its first location, with a count of the others (``--verbose`` lists them
all).  Two warnings are of one kind when their messages differ only in what names the place
or the thing: messages quote such values (``{name!r}``) or brace path parameters, and a
schema's warning starts with the name of the schema (``Pet.tags: ...``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .ir import Diagnostic

# What varies between warnings of one kind: a quoted value, a {path parameter}, a leading
# ``Name.member:`` of the schema warned about.
_VARYING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\{[^{}]*\}|^[\w.\[\]-]+(?=: )""")


def kind(diagnostic: Diagnostic) -> str:
    """The message with what varies between warnings of one kind masked."""
    return f"{diagnostic.severity}: {_VARYING.sub('…', diagnostic.message)}"


def warning_lines(diagnostics: Sequence[Diagnostic], verbose: bool = False) -> list[str]:
    """What to print for ``diagnostics`` (one spec's), in the order each kind first appears:
    every one with ``verbose``, else one line per kind."""
    if verbose:
        return [d.format() for d in diagnostics]
    kinds: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        kinds.setdefault(kind(diagnostic), []).append(diagnostic)
    lines = []
    for first, *others in kinds.values():
        more = f" (and {len(others)} more like it; --verbose lists them)" if others else ""
        lines.append(first.format() + more)
    return lines
