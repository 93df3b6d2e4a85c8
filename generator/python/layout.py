"""Black's layout for the over-long lines the templates produce, without running black.

Three shapes cover nearly all of them: an import (one name per line), a line that ends in a
bracket (its contents on one indented line, or one item per line with a trailing comma), and
a keyword argument holding a conditional expression (parenthesized, split before ``if`` and
``else``).  ``fit`` returns None for anything else; the caller then asks black itself.
Every generated file of the seed and corpus specs is checked against black in the tests.
"""

from __future__ import annotations

LINE_LENGTH = 100
_OPEN = {"(": ")", "[": "]", "{": "}"}
_SPLIT_FIRST = (" if ", " else ", " lambda ", " or ", " and ", " not in ", " in ", " | ")


def fit(line: str) -> list[str] | None:
    """``line`` laid out within LINE_LENGTH as black lays it out, or None if unknown."""
    if len(line) <= LINE_LENGTH:
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    text = line.strip()
    if text.startswith("from ") and " import " in text and "(" not in text:
        head, names = text.split(" import ", 1)
        items = [f"{indent}    {name.strip()}," for name in names.split(",")]
        return [f"{indent}{head} import ("] + items + [f"{indent})"]
    parts = _split_top_level(text, (",",))
    if len(parts) == 2 and not parts[1] and parts[0][:1] in "\"'" and parts[0][-1:] in "\"'":
        return [line]  # a lone string: black cannot break it either
    if text.startswith(") -> ") and text.endswith((":", ": ...")):
        return _return_annotation(indent, text)
    conditional = _conditional_keyword(indent, text)
    if conditional is not None:
        return conditional
    return _bracket_split(indent, text)


def _return_annotation(indent: str, text: str) -> list[str] | None:
    """``) -> A | B:`` → the annotation in its own parentheses, as black writes it."""
    end = ": ..." if text.endswith(": ...") else ":"
    annotation = text[len(") -> ") : len(text) - len(end)]
    inner = indent + "    " + annotation
    if len(inner) > LINE_LENGTH:
        return None
    return [f"{indent}) -> (", inner, f"{indent}){end}"]


def _conditional_keyword(indent: str, text: str) -> list[str] | None:
    """``name=A if C else B,`` → ``name=(`` / body / ``),`` (black's parenthesized form)."""
    name, _, value = text.partition("=")
    if not name.isidentifier() or not text.endswith(",") or value.startswith("="):
        return None
    value = value[:-1]
    parts = _split_top_level(value, (" if ", " else "))
    if len(parts) != 3:
        return None
    inner = indent + "    "
    if len(inner) + len(value) <= LINE_LENGTH:
        body = [inner + value]
    else:
        body = [inner + parts[0], f"{inner}if {parts[1]}", f"{inner}else {parts[2]}"]
        if any(len(b) > LINE_LENGTH for b in body) or any(" if " in p for p in parts):
            return None
    return [f"{indent}{name}=("] + body + [f"{indent}),"]


def _bracket_split(indent: str, text: str) -> list[str] | None:
    """A line ending in a bracket (optionally followed by ``,`` or ``:``)."""
    tail = text[-1] if text[-1] in ",:" else ""
    core = text[: len(text) - len(tail)]
    if not core or core[-1] not in _OPEN.values():
        return None
    opening = _matching_open(core)
    if opening is None:
        return None
    head, body, close = core[: opening + 1], core[opening + 1 : -1], core[-1]
    if any(len(_split_top_level(head, (word,))) > 1 for word in _SPLIT_FIRST):
        return None  # black splits at these (or parenthesizes them) before any bracket
    if len(_split_top_level(body, (" for ",))) > 1:  # a comprehension: split at its clauses
        inner = indent + "    "
        if len(inner) + len(body) <= LINE_LENGTH:
            return [indent + head, inner + body, indent + close + tail]
        clauses = _split_top_level(body, (" for ", " if "))
        if len(clauses) != 2 or len(inner) + max(len(c) + 4 for c in clauses) > LINE_LENGTH:
            return None
        return [
            indent + head,
            inner + clauses[0],
            f"{inner}for {clauses[1]}",
            indent + close + tail,
        ]
    if len(indent) + len(head) > LINE_LENGTH or not body.strip():
        return None
    inner = indent + "    "
    items = _split_top_level(body, (",",))
    # A call's arguments stay on one line when they fit; a display ([...], {...}, a tuple)
    # with several elements is split one element per line, as black does.
    before = head[:-1].rstrip()
    display = not before or not (before[-1].isalnum() or before[-1] in "_)]")
    hug = not (display and len(items) > 1)
    if hug and len(inner) + len(body) <= LINE_LENGTH and not body.rstrip().endswith(","):
        return [indent + head, inner + body, indent + close + tail]
    lines = [indent + head]
    for item in (i.strip() for i in items):
        if not item:
            continue
        laid = fit(f"{inner}{item},")
        if laid is None:
            return None
        lines.extend(laid)
    return lines + [indent + close + tail]


def _matching_open(core: str) -> int | None:
    """Index of the bracket that the last character of ``core`` closes."""
    depth, quote = 0, ""
    for index in range(len(core) - 1, -1, -1):
        char = core[index]
        if quote:
            if char == quote and (index == 0 or core[index - 1] != "\\"):
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in _OPEN.values():
            depth += 1
        elif char in _OPEN:
            depth -= 1
            if depth == 0:
                return index
    return None


def _split_top_level(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split at separators outside brackets and strings (``if``/``else`` in order)."""
    parts: list[str] = []
    depth, quote, start, index, wanted = 0, "", 0, 0, 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _OPEN:
            depth += 1
        elif char in _OPEN.values():
            depth -= 1
        elif depth == 0:
            separator = separators[min(wanted, len(separators) - 1)]
            if text.startswith(separator, index):
                parts.append(text[start:index])
                index += len(separator)
                start = index
                wanted += 1
                continue
        index += 1
    parts.append(text[start:])
    return parts
