"""Generated Python is black-formatted without running black over whole files.

The templates emit black's own layout (double quotes, magic trailing commas on every
exploded bracket, black's blank lines), so black leaves their output as it is; a test holds
every generated file of the seed and corpus specs to ``black(text) == text``.  Lines longer
than black's limit are laid out by ``layout.fit`` as black would; the few shapes it does not
know are handed to black one statement at a time, so black is imported only when a spec
produces such a line.  Running
black over a 4,000-line module costs about a second; this costs a few milliseconds.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import Any

from ..errors import GenerationError
from .layout import STRING_LITERAL, fit

LINE_LENGTH = 100
_INDENT = 4


def format_python(path: str, source: str) -> str:
    """``source`` with every over-long line laid out by black; invalid code is an error.
    The template output is checked once, before layout: the layout only breaks lines at
    brackets and operators (and black's own output is valid), so it cannot make it invalid."""
    try:  # compiled, not parsed to an AST: the same check at less than half the cost
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:  # a template bug: never hide invalid output
        raise GenerationError(f"{path}:{exc.lineno}: generated code is not valid Python: {exc.msg}")
    lines = source.split("\n")
    if any(len(line) > LINE_LENGTH for line in lines):
        source = "\n".join(_wrap_long_lines(path, lines))
    return source


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {
        path: format_python(path, text) if path.endswith(".py") else text
        for path, text in files.items()
    }


def black_format(path: str, source: str) -> str:
    """Black over a whole file (for tests, and as the reference the layout must match)."""
    black, mode, invalid = _black()
    try:
        return str(black.format_str(source, mode=black.Mode(**mode)))
    except invalid as exc:
        raise GenerationError(f"{path}: generated code is not valid Python: {exc}") from exc


def _wrap_long_lines(path: str, lines: list[str]) -> list[str]:
    """Each over-long line is one statement, or one item of an exploded bracket (a line
    ending in a comma); black lays it out in a snippet that gives it the same indentation
    and context, so its decisions are the ones it would make in the whole file.  A long line
    that is neither (none of the templates' should be) sends the whole file through black."""
    in_strings = _string_lines("\n".join(lines))
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if len(line) <= LINE_LENGTH or number in in_strings:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        wrapped = fit(line) or _black_statement(path, line.strip(), indent)
        if wrapped is None:
            return black_format(path, "\n".join(lines)).split("\n")
        out.extend(wrapped)
    return out


# Comments and string literals, matched left to right so that a quote inside one never
# starts another.
_LITERALS = re.compile(r"#[^\n]*|" + STRING_LITERAL, re.DOTALL)


def _string_lines(source: str) -> set[int]:
    """Line numbers a multi-line string literal covers (docstrings): black leaves them alone.
    Its first line counts when nothing else is on it, its later lines always.  (A one-line
    string alone on its line needs no entry: ``fit`` leaves such a line as it is.)"""
    covered: set[int] = set()
    for match in _LITERALS.finditer(source):
        text = match.group()
        if text[0] == "#" or "\n" not in text:
            continue
        start = source.count("\n", 0, match.start()) + 1
        end = start + text.count("\n")
        line_start = source.rfind("\n", 0, match.start()) + 1
        line_end = source.find("\n", match.end())
        alone = (
            not source[line_start : match.start()].strip()
            and not source[match.end() : None if line_end < 0 else line_end].strip()
        )
        covered.update(range(start if alone else start + 1, end + 1))
    return covered


# Brackets an item of an exploded list can stand in: a call's arguments, a signature's
# parameters, a dict's or a list's elements.
_ITEM_CONTEXTS = (
    "f(\n{item}\n)\n",
    "def f(\n{item}\n): ...\n",
    "x = {{\n{item}\n}}\n",
    "x = [\n{item}\n]\n",
)


def _black_statement(path: str, statement: str, indent: int) -> list[str] | None:
    black, mode, invalid = _black()
    snippet, depth = statement + "\n", 0
    if statement.endswith(","):  # an item: give it an exploded bracket of its own kind
        item = " " * _INDENT + statement
        snippet = next(
            (c.format(item=item) for c in _ITEM_CONTEXTS if _parses(c.format(item=item))), snippet
        )
        depth = 1
    if not _parses(snippet):
        return None
    width = LINE_LENGTH - indent + depth * _INDENT
    try:
        formatted = str(
            black.format_str(snippet, mode=black.Mode(**{**mode, "line_length": width}))
        )
    except invalid as exc:
        raise GenerationError(f"{path}: generated code is not valid Python: {exc}") from exc
    result = formatted.rstrip("\n").split("\n")
    if depth:
        result = textwrap.dedent("\n".join(result[1:-1])).split("\n")
    return [" " * indent + line if line else line for line in result]


def _parses(snippet: str) -> bool:
    try:
        compile(snippet, "<snippet>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


@lru_cache(maxsize=1)
def _black() -> tuple[Any, dict[str, Any], type[Exception]]:
    import black  # imported on demand: most specs never need it
    from black.mode import TargetVersion
    from black.parsing import InvalidInput

    mode = {"target_versions": {TargetVersion.PY310}, "line_length": LINE_LENGTH}
    return black, mode, InvalidInput
