"""Black's layout for the over-long lines the templates produce, without running black.

The shapes: an import (one name per line); a line that ends in a bracket (its contents on one
indented line, or one item per line with a trailing comma; a lone item gets none); a
conditional expression, as a keyword argument, a dict's value or the value of an assignment
(parenthesized, split before ``if`` and ``else``, each part laid out again); an annotated
assignment or a parameter (the value in parentheses when the line up to ``= (`` fits, else
the annotation in parentheses, split before ``|``); an assignment or ``return`` of a name,
string or call chain (split at its last bracket, else in black's optional parentheses); a
block header (a class split at its bases, a def at its parameters).  Black's own last resort
is kept: a line it has nothing to split at stays over-long.  ``fit`` returns None for
anything else; the caller then asks black itself, one line at a time.  Every generated file
of the seed and corpus specs is checked against black in the tests.
"""

from __future__ import annotations

import re
from functools import lru_cache

LINE_LENGTH = 100
# A Python string literal (prefixes need no matching: they do not change where it ends).
_TRIPLE_DOUBLE = r'"""(?:[^"\\]|\\.|"(?!""))*"""'
_TRIPLE_SINGLE = r"'''(?:[^'\\]|\\.|'(?!''))*'''"
STRING_LITERAL = (
    rf"(?:{_TRIPLE_DOUBLE}|{_TRIPLE_SINGLE}" r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
)
_LONE_STRING = re.compile(r"[rRbBuUfF]{0,2}" + STRING_LITERAL + ",?", re.DOTALL)
_LONE_NAME = re.compile(r"[A-Za-z_][\w.]*,?")
# A dict item of two plain strings (the lazy models' name -> module table): black's stable
# style has nowhere to break it.
_STRING_PAIR = re.compile(STRING_LITERAL + ": " + STRING_LITERAL + ",?", re.DOTALL)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
_SPLIT_FIRST = (" if ", " else ", " lambda ", " or ", " and ", " not in ", " in ", " | ")


def fit(line: str) -> list[str] | None:
    """``line`` laid out within LINE_LENGTH as black lays it out, or None if unknown."""
    if len(line) <= LINE_LENGTH:
        return [line]
    laid = _fit_once(line)
    return None if laid is None else list(laid)


@lru_cache(maxsize=65536)
def _fit_once(line: str) -> tuple[str, ...] | None:
    """``fit``, memoized: generated code repeats its long lines (sync and async twins, the
    same field in many models), and the parts of a split line are laid out again."""
    laid = _layout(line)
    return None if laid is None else tuple(laid)


def _layout(line: str) -> list[str] | None:
    indent = line[: len(line) - len(line.lstrip(" "))]
    text = line.strip()
    if text.startswith("from ") and " import " in text and "(" not in text:
        head, names = text.split(" import ", 1)
        items = [f"{indent}    {name.strip()}," for name in names.split(",")]
        return [f"{indent}{head} import ("] + items + [f"{indent})"]
    if _LONE_STRING.fullmatch(text) or _LONE_NAME.fullmatch(text) or _STRING_PAIR.fullmatch(text):
        return [line]  # a lone string, name or string pair: black cannot break it either
    if text.startswith(") -> ") and text.endswith((":", ": ...")):
        return _return_annotation(indent, text)
    if text.startswith(("class ", "def ", "async def ")) and text.endswith(":"):
        return _block_header(indent, text)
    if text.endswith(","):
        parameter = _parameter(indent, text)
        if parameter is not None:
            return parameter
    if text.startswith("return "):
        return _wrapped_value(indent, "return", text[len("return ") :])
    conditional = _conditional_keyword(indent, text)
    if conditional is not None:
        return conditional
    assignment = _assignment(indent, text)
    if assignment is not None:
        return assignment
    laid = _bracket_split(indent, text)
    if laid is None and _one_trailer(text):  # black's last resort: the head stays long
        laid = _bracket_split(indent, text, long_head=True)
    return laid


# What may lead the one call: a lambda's parameters, the ``else`` of a split conditional,
# a dict comprehension's key (black sees no place to split in any).
_LEADING_WORD = re.compile(r"lambda [\w, ]*: |else |[A-Za-z_]\w*: ")


def _one_trailer(text: str) -> bool:
    """``name.attr(...)`` and no other bracket outside it: no other place to split at."""
    outline = _strip_brackets(_LEADING_WORD.sub("", text.rstrip(","), count=1))
    return _ATOM_CHAIN.fullmatch(outline) is not None and sum(map(outline.count, "([{")) == 1


def _return_annotation(indent: str, text: str) -> list[str] | None:
    """``) -> A | B:`` → the annotation in its own parentheses, as black writes it."""
    end = ": ..." if text.endswith(": ...") else ":"
    annotation = text[len(") -> ") : len(text) - len(end)]
    if annotation.isidentifier():  # one name: in parentheses if it then fits, else as is
        if len(indent) + 4 + len(annotation) > LINE_LENGTH:
            return [indent + text]
        return [f"{indent}) -> (", f"{indent}    {annotation}", f"{indent}){end}"]
    if not _has_top_level(annotation, (" | ",)):  # no union: black splits its brackets
        return None
    body = _union_lines(indent + "    ", annotation)
    return None if body is None else [f"{indent}) -> ("] + body + [f"{indent}){end}"]


def _union_lines(inner: str, annotation: str) -> list[str] | None:
    """An annotation on one line if it fits, else one member per line after the first, each
    led by ``|`` (black's delimiter split), a member too long for its line split inside its
    own brackets in turn; None if ``annotation`` is no union."""
    if len(inner) + len(annotation) <= LINE_LENGTH:
        return [inner + annotation]
    first, *others = _split_top_level(annotation, (" | ",))
    if not others:
        return None
    lines: list[str] = []
    for lead, member in [("", first), *(("| ", other) for other in others)]:
        laid = _member_lines(inner, lead, member)
        if laid is None:
            return None
        lines.extend(laid)
    return lines


def _member_lines(inner: str, lead: str, member: str) -> list[str] | None:
    """One member of a split union: as it is if it fits or is a lone name (nothing to split
    at), else ``list[`` / its contents / ``]``."""
    if len(inner) + len(lead) + len(member) <= LINE_LENGTH or _LONE_NAME.fullmatch(member):
        return [inner + lead + member]
    if member[-1:] != "]":
        return None
    start = _matching_open(member)
    if start is None or not _LONE_NAME.fullmatch(member[:start]):
        return None
    body = _subscript_lines(inner + "    ", member[start + 1 : -1])
    if body is None:
        return None
    return [inner + lead + member[: start + 1], *body, inner + "]"]


def _subscript_lines(inner: str, contents: str) -> list[str] | None:
    """A subscript's contents on their own lines: on one if they fit, else one argument per
    line with a trailing comma (``dict[`` / ``str,`` / ``Value,`` / ``]``), else a union."""
    if len(inner) + len(contents) <= LINE_LENGTH or _LONE_NAME.fullmatch(contents):
        return [inner + contents]
    arguments = _split_top_level(contents, (", ",))
    if len(arguments) == 1:
        return _union_lines(inner, contents)
    lines: list[str] = []
    for argument in arguments:
        laid = _member_lines(inner, "", argument)
        if laid is None:
            return None
        lines.extend(laid[:-1] + [laid[-1] + ","])
    return lines


def _conditional_keyword(indent: str, text: str) -> list[str] | None:
    """``name=A if C else B,`` or a dict's ``"key": A if C else B,`` → ``name=(`` / body /
    ``),`` (black's parenthesized form)."""
    if not text.endswith(","):
        return None
    key = _DICT_KEY.match(text)
    if key is not None:
        lead, value = key.group(), text[key.end() : -1]
    else:
        name, _, value = text[:-1].partition("=")
        if not name.isidentifier() or value.startswith("="):
            return None
        lead = name + "="
    body = _conditional_body(indent + "    ", value)
    return None if body is None else [f"{indent}{lead}("] + body + [f"{indent}),"]


_DICT_KEY = re.compile(r'"(?:[^"\\]|\\.)*": ')


def _conditional_body(inner: str, value: str) -> list[str] | None:
    """A conditional expression inside parentheses: one line if it fits, else split before
    ``if`` and ``else`` with each part laid out in turn; None if ``value`` is not one."""
    parts = _split_top_level(value, (" if ", " else "))
    if len(parts) != 3:
        return None
    if len(inner) + len(value) <= LINE_LENGTH:
        return [inner + value]
    lines: list[str] = []
    for keyword, part in zip(("", "if ", "else "), parts):
        laid = fit(inner + keyword + part)
        if laid is None:
            return None
        lines.extend(laid)
    return lines


def _assignment(indent: str, text: str) -> list[str] | None:
    """``target = A if C else B`` and annotated assignments (``name: A | B = value``)."""
    sides = _split_top_level(text, (" = ",))
    if len(sides) > 2 or text.endswith(","):  # not a parameter (``name: A | B,``)
        return None
    target, value = sides[0], sides[1] if len(sides) == 2 else None
    name, colon, annotation = target.partition(": ")
    annotated = bool(colon) and name.isidentifier()
    if value is None:
        return _annotation_split(indent, name, annotation, "") if annotated else None
    inner = indent + "    "
    head = f"{indent}{target} = ("
    conditional = _conditional_body(inner, value)
    if conditional is not None:
        return [head] + conditional + [indent + ")"] if len(head) <= LINE_LENGTH else None
    if not annotated:
        return _wrapped_value(indent, target, value)
    if value[-1:] in _CLOSE:  # split inside the value's own last bracket if it can
        laid = _bracket_split(indent, text)
        if laid is not None:
            return laid
    if len(head) > LINE_LENGTH:  # black parenthesizes the annotation instead
        return _annotation_split(indent, name, annotation, f" = {value}")
    if len(inner) + len(value) <= LINE_LENGTH:  # else the value in optional parentheses
        return [head, inner + value, indent + ")"]
    return _wrapped_value(indent, target, value)  # laid out inside them


def _wrapped_value(indent: str, target: str, value: str) -> list[str] | None:
    """``target = value`` (or ``return value``, with ``target`` "return") for a value black
    finds no operator to split at: a name, a string, or a call or attribute chain."""
    if not _is_atom_chain(value):
        return None
    lead = "return " if target == "return" else f"{target} = "
    inner = indent + "    "
    head, close = f"{indent}{lead}(", indent + ")"
    if value[-1] not in _CLOSE:  # no bracket: black's optional parentheses, if they help
        alone = value.isidentifier() or _LONE_STRING.fullmatch(value) is not None
        if alone and len(inner) + len(value) > LINE_LENGTH:
            return [indent + lead + value]  # nothing to split, parentheses would not fit
        return [head, inner + value, close]
    # Black first splits at the value's own last bracket ...
    own = _bracket_split(indent, lead + value, long_head=True)
    if own is None:
        return None
    if len(own[0]) <= LINE_LENGTH:
        return own
    # ... and if that line is too long, takes its optional parentheses instead: always
    # when the target has brackets of its own, else only if every line then fits.
    wrapped = fit(inner + value)
    if wrapped is None:
        return None
    fits = all(len(line) <= LINE_LENGTH for line in [head, *wrapped])
    if (target != "return" and target[-1:] in _CLOSE) or fits:
        return [head, *wrapped, close]
    return own


# A name or a string, then only attribute lookups, calls and subscripts.
_ATOM_CHAIN = re.compile(r"(?:[A-Za-z_][\w.]*|" + STRING_LITERAL + r")[\w.()\[\]]*", re.DOTALL)


def _is_atom_chain(value: str) -> bool:
    """Whether ``value`` has nothing black could split at outside its brackets."""
    return _ATOM_CHAIN.fullmatch(_strip_brackets(value)) is not None


def _strip_brackets(text: str) -> str:
    """``text`` with the contents of its brackets removed (``f(a, b)[c]`` → ``f()[]``)."""
    kept, depth, last = [], 0, 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if depth == 0:
            kept.append(text[last : match.start()])
        if token in _OPEN:
            if depth == 0:
                kept.append(token)
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            if depth == 0:
                kept.append(token)
        elif depth == 0:
            kept.append(token)  # a string literal at the top level
        last = match.end()
    if depth == 0:
        kept.append(text[last:])
    return "".join(kept)


def _parameter(indent: str, text: str) -> list[str] | None:
    """A parameter of an exploded signature, ``name: A | B = default,`` → ``name: (`` / the
    annotation (split before ``|`` if it must be) / ``) = default,``."""
    name, colon, rest = text[:-1].partition(": ")
    if not colon or not name.isidentifier():
        return None
    sides = _split_top_level(rest, (" = ",))
    if len(sides) > 2 or len(_split_top_level(sides[0], (" | ",))) < 2:
        return None
    default = f" = {sides[1]}" if len(sides) == 2 else ""
    inner = indent + "    "
    closing = f"{indent}){default},"
    body = _union_lines(inner, sides[0])
    if body is None or len(closing) > LINE_LENGTH or len(indent) + len(name) + 3 > LINE_LENGTH:
        return None
    return [f"{indent}{name}: ("] + body + [closing]


def _block_header(indent: str, text: str) -> list[str] | None:
    """``class Name(Bases):`` and ``def name(params) -> R:``, split at their first bracket
    as black does (the head may stay over-long: black has nothing better)."""
    opening = text.find("(")
    if opening < 0:
        return [indent + text] if text.startswith("class ") else None
    close = _matching_close(text, opening)
    if close is None:
        return None
    head, body, tail = text[: opening + 1], text[opening + 1 : close], text[close:]
    inner = indent + "    "
    if not body:
        return None
    if head.startswith("class "):
        if tail != "):":
            return None
        items = _split_top_level(body, (",",))
        if len(inner) + len(body) <= LINE_LENGTH:
            return [indent + head, inner + body, indent + tail]
    else:
        if not tail.startswith(") -> "):
            return None
        items = _split_top_level(body, (",",))
        if len(items) == 1:  # black adds a comma to a lone parameter
            body += ","
            items = [body[:-1]]
        elif len(inner) + len(body) <= LINE_LENGTH:
            return [indent + head, inner + body] + (fit(indent + tail) or [])
    lines = [indent + head]
    for item in (i.strip() for i in items):
        laid = fit(f"{inner}{item},")
        if laid is None:
            return None
        lines.extend(laid)
    closing = fit(indent + tail) if not head.startswith("class ") else [indent + tail]
    return None if closing is None else lines + closing


def _matching_close(text: str, opening: int) -> int | None:
    """Index of the bracket that closes the one at ``opening``."""
    depth = 0
    for match in _NESTING.finditer(text, opening):
        token = match.group()
        if token in _OPEN:
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            if depth == 0:
                return match.start()
    return None


def _annotation_split(indent: str, name: str, annotation: str, rest: str) -> list[str] | None:
    """``name: (`` / the annotation (split before ``|`` if it must be) / ``) = value``."""
    inner = indent + "    "
    opening, close = f"{indent}{name}: (", ")"
    if annotation[-1:] in _CLOSE:  # ``list[A | B]``: its own bracket, not parentheses
        start = _matching_open(annotation)
        if start is None:
            return None
        opening = f"{indent}{name}: {annotation[: start + 1]}"
        annotation, close = annotation[start + 1 : -1], annotation[-1]
    closing = f"{indent}{close}{rest}"
    body = _union_lines(inner, annotation)
    if body is None or len(closing) > LINE_LENGTH or len(opening) > LINE_LENGTH:
        return None
    return [opening] + body + [closing]


def _bracket_split(indent: str, text: str, long_head: bool = False) -> list[str] | None:
    """A line ending in a bracket (optionally followed by ``,`` or ``:``); the line up to
    the bracket may be over-long only if ``long_head`` (black's last resort)."""
    tail = text[-1] if text[-1] in ",:" else ""
    core = text[: len(text) - len(tail)]
    if not core or core[-1] not in _CLOSE:
        return None
    opening = _matching_open(core)
    if opening is None:
        return None
    head, body, close = core[: opening + 1], core[opening + 1 : -1], core[-1]
    value_head = _split_top_level(head, (" = ",))[-1]  # an annotation is black's own atom
    if _has_top_level(value_head, _SPLIT_FIRST):
        return None  # black splits at these (or parenthesizes them) before any bracket
    inner = indent + "    "
    if head == "(" and close == ")":  # a parenthesized conditional: split it, no comma
        conditional = _conditional_body(inner, body)
        if conditional is not None:
            return [indent + head] + conditional + [indent + close + tail]
    if (len(indent) + len(head) > LINE_LENGTH and not long_head) or not body.strip():
        return None
    if len(_split_top_level(body, (" for ",))) > 1:  # a comprehension: split at its clauses
        if len(inner) + len(body) <= LINE_LENGTH:
            return [indent + head, inner + body, indent + close + tail]
        clauses = _split_top_level(body, (" for ", " if "))
        if len(clauses) != 2:
            return None
        element, loop = fit(inner + clauses[0]), fit(f"{inner}for {clauses[1]}")
        if element is None or loop is None:
            return None
        return [indent + head, *element, *loop, indent + close + tail]
    items = _split_top_level(body, (",",))
    # A call's arguments stay on one line when they fit; a display ([...], {...}, a tuple)
    # with several elements is split one element per line, as black does.
    before = head[:-1].rstrip()
    display = not before or not (before[-1].isalnum() or before[-1] in "_)]")
    hug = not (display and len(items) > 1)
    if hug and len(inner) + len(body) <= LINE_LENGTH and not body.rstrip().endswith(","):
        return [indent + head, inner + body, indent + close + tail]
    if len(items) == 1:
        # One item and no comma of its own: black splits it in turn and adds no comma
        laid = fit(inner + body.strip())
        return None if laid is None else [indent + head, *laid, indent + close + tail]
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
        elif char in _CLOSE:
            depth += 1
        elif char in _OPEN:
            depth -= 1
            if depth == 0:
                return index
    return None


# What hides a separator: a bracket (and all up to its match) or a string literal.
_NESTING = re.compile(STRING_LITERAL + r"|[()\[\]{}]", re.DOTALL)


def _split_top_level(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split at separators outside brackets and strings (``if``/``else`` in order): the
    stretches at depth 0 are found with one regex scan, the separators with ``str.find``."""
    parts: list[str] = []
    last = 0
    for begin, end in _top_level_spans(text):
        while True:
            separator = separators[min(len(parts), len(separators) - 1)]
            found = text.find(separator, max(begin, last), end)
            if found < 0:
                break
            parts.append(text[last:found])
            last = found + len(separator)
    parts.append(text[last:])
    return parts


def _has_top_level(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` stands outside brackets and strings."""
    return any(
        text.find(word, begin, end) >= 0 for begin, end in _top_level_spans(text) for word in words
    )


@lru_cache(maxsize=4096)
def _top_level_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The stretches of ``text`` outside brackets and string literals (the same text is
    searched for several separators in turn)."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if token in _OPEN:
            if depth == 0:
                spans.append((start, match.start()))
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            if depth == 0:
                start = match.end()
        elif depth == 0:  # a string literal at the top level
            spans.append((start, match.start()))
            start = match.end()
    if depth == 0:
        spans.append((start, len(text)))
    return tuple(spans)
