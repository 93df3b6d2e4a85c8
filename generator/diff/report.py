"""The changes as text (a terminal, a CI log), markdown (a pull request, CHANGELOG.md) and
JSON (tools).  Breaking changes come first; within each part, changes keep the order of the
comparison (the client, operations, models, enums)."""

from __future__ import annotations

import json
from collections import Counter

from .compare import Change

# The subject of each kind, singular and plural, for the one-line summary.
_SUBJECTS = {
    "operation": "operations",
    "parameter": "parameters",
    "request": "requests",
    "response": "responses",
    "streaming": "streaming",
    "model": "models",
    "field": "fields",
    "enum-value": "enum values",
    "enum": "enums",
    "host": "hosts",
    "host-parameter": "host parameters",
    "client-parameter": "client parameters",
    "security-scheme": "security schemes",
}


def _phrase(kind: str, count: int) -> str:
    """``field-removed`` x 2 -> ``2 fields removed``."""
    subject = max((s for s in _SUBJECTS if kind.startswith(s + "-")), key=len)
    rest = kind[len(subject) + 1 :].replace("-", " ")
    noun = _SUBJECTS[subject] if count > 1 else subject.replace("-", " ")
    if subject == "streaming":
        return f"streaming {rest} ({count} operation{'s' if count > 1 else ''})"
    return f"{count} {noun} {rest}"


def summary(changes: list[Change]) -> str:
    """``3 operations added, 1 field removed (breaking)``, breaking kinds first."""
    if not changes:
        return "no changes to the Python API"
    counts = Counter((not c.breaking, c.kind) for c in changes)
    parts = []
    for (harmless, kind), count in sorted(counts.items(), key=lambda item: item[0][0]):
        parts.append(_phrase(kind, count) + ("" if harmless else " (breaking)"))
    return ", ".join(parts)


def _parts(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    return [(title, part) for title, part in (("Breaking", breaking), ("Other", other)) if part]


def text(changes: list[Change], old: str, new: str) -> str:
    lines = [f"{old} -> {new}: {summary(changes)}"]
    for title, part in _parts(changes):
        lines.append("")
        lines.append(f"{title} changes ({len(part)}):")
        width = max(len(c.kind) for c in part)
        lines += [f"  {c.kind:<{width}}  {c.message}" for c in part]
    return "\n".join(lines) + "\n"


def markdown(changes: list[Change], old: str, new: str, heading: str = "##") -> str:
    lines = [f"{heading} API changes: `{old}` → `{new}`", "", summary(changes) + "."]
    for title, part in _parts(changes):
        lines += ["", f"{heading}# {title} changes", ""]
        for c in part:
            where = " ".join(f"`{x}`" for x in (c.http, c.python) if x)
            lines.append(f"- **{c.kind}** {where}: {_escape(c.message)}")
    return "\n".join(lines) + "\n"


def _escape(message: str) -> str:
    """Markdown would read ``_`` and ``*`` in names as emphasis."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in message)


def as_json(changes: list[Change], old: str, new: str) -> str:
    data = {
        "old": old,
        "new": new,
        "breaking": sum(c.breaking for c in changes),
        "changes": [
            {
                "kind": c.kind,
                "breaking": c.breaking,
                "http": c.http,
                "python": c.python,
                "message": c.message,
            }
            for c in changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
