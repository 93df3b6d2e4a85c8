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
        return repr(value)  # repr escapes quotes, backslashes, controls and U+2028
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
            + "}"
        )
    return repr(str(value))


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
    lines = [line.rstrip() for line in text.strip().split("\n")]
    text = "\n".join(lines)
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text


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
