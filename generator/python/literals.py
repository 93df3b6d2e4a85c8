"""The escaping filters: every string that comes from the spec reaches generated code through
one of these, chosen by the context it lands in, so no description, enum value, default or
name can break out of its literal, docstring or comment."""

from __future__ import annotations

import math
import re
from typing import Any

# Characters that may not appear raw inside a docstring: all C0/C1 controls but \n and \t,
# the line and paragraph separators, and the backslash (escaped first).
_UNSAFE_IN_DOCSTRING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def py_literal(value: Any) -> str:
    """A Python expression that evaluates to ``value`` (JSON data)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
            + "}"
        )
    return repr(str(value))


def string_literal(text: str) -> str:
    """A string literal as black writes it: escapes as ``repr`` makes them (quotes,
    backslashes, controls, U+2028 and other non-printables), in double quotes unless single
    quotes need fewer backslashes."""
    body = repr(text)[1:-1]  # repr's own quoting: ' unless the text has ' and no "
    if repr(text)[0] == '"':  # repr chose " (the text has ' and no "): black keeps it
        return f'"{body}"'
    double = body.replace("\\'", "'").replace('"', '\\"')
    single = body
    if double.count("\\") > single.count("\\"):
        return f"'{single}'"
    return f'"{double}"'


def docstring(text: str) -> str:
    """Text safe to place between triple double quotes of a regular string literal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\")
    text = _UNSAFE_IN_DOCSTRING.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    text = text.replace('"""', '\\"\\"\\"')
    text = "\n".join(_dedented(text.strip().split("\n")))
    # A last quote would run into the closing quotes; it may already be escaped (the end of
    # an escaped triple quote), and escaping it twice would turn its backslash into text.
    body = text[:-1]
    if text.endswith('"') and (len(body) - len(body.rstrip("\\"))) % 2 == 0:
        text = body + '\\"'
    return text


def _dedented(lines: list[str]) -> list[str]:
    """Lines after the first lose their common indentation (tabs expanded as black does),
    so the docstring reads the same once indented where it stands."""
    lines = [_expand_leading_tabs(line).rstrip() for line in lines]
    rest = [line for line in lines[1:] if line]
    margin = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
    return [lines[0].strip()] + [line[margin:] for line in lines[1:]]


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped == line:
        return line
    return line[: len(line) - len(stripped)].expandtabs() + stripped


def comment(text: str) -> str:
    """Text safe for one ``#`` comment line."""
    return " ".join(_UNSAFE_IN_DOCSTRING.sub(" ", text).split())


def docblock(text: str, indent: int) -> str:
    """An escaped docstring (see ``docstring``) with its quotes, continuation lines indented
    to ``indent`` columns and, when it spans lines, the closing quotes on a line of their own."""
    if "\n" not in text:
        return f'"""{text}"""'
    pad = " " * indent
    first, *rest = text.split("\n")
    body = "\n".join(pad + line if line else "" for line in rest)
    return f'"""{first}\n{body}\n{pad}"""'
