"""Generated Python is black-formatted without running black over whole files.

The templates emit black's own layout (double quotes, magic trailing commas on every
exploded bracket, black's blank lines), so black leaves their output as it is; a test holds
every generated file of the seed and corpus specs to ``black(text) == text``.  Lines longer
than black's limit are laid out by ``layout.fit`` as black would; the few shapes it does not
know are handed to black one line at a time, in the smallest snippet that compiles (a block
header with a body, an item in a bracket of its kind), memoized, so black is imported only
when a spec produces such a line.  Running black over a 4,000-line module costs about a
second (over a 2.5 MB spec's 7 MB of models, 90 s); this costs a few milliseconds.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from ..errors import GenerationError
from ..forking import in_shares, shares
from .layout import STRING_LITERAL, fit

LINE_LENGTH = 100
_INDENT = 4


def format_python(
    path: str, source: str, *, last_resort: Callable[[str, str], str] | None = None
) -> str:
    """``source`` with every over-long line laid out by black; invalid code is an error.
    The template output is checked once, before layout: the layout only breaks lines at
    brackets and operators (and black's own output is valid), so it cannot make it invalid."""
    _check_compiles(path, source)
    lines = source.split("\n")
    if any(len(line) > LINE_LENGTH for line in lines):
        source = "\n".join(_wrap_long_lines(path, lines, last_resort))
    return source


# Where a top-level statement starts after black's two blank lines.
_TOP_LEVEL_BREAK = re.compile(r"\n\n\n(?=\S)")


def _check_compiles(path: str, source: str) -> None:
    """Compiled, not parsed to an AST: the same check at less than half the cost; and in
    top-level pieces, which together cost about half of one large module (compiling is
    worse than linear in a module's size).  A piece that does not compile alone (a break
    inside a string) sends the whole file to the compiler, which then names the line."""
    pieces = _TOP_LEVEL_BREAK.split(source) if len(source) > 100_000 else [source]
    try:
        for piece in pieces:
            compile(piece, path, "exec", dont_inherit=True)
        return
    except SyntaxError:
        pass
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:  # a template bug: never hide invalid output
        raise GenerationError(f"{path}:{exc.lineno}: generated code is not valid Python: {exc.msg}")


def format_files(files: dict[str, str], *, workers: int = 1) -> dict[str, str]:
    """Every Python file of ``files`` formatted, in their order.  With ``workers`` > 1 and
    enough to do, forked children format shares of the files beside this process (a
    2.5 MB spec renders 11 MB of Python in 2,500 modules: checking and laying it out is
    a core's second and a half)."""
    python = [path for path in files if path.endswith(".py")]
    size = sum(len(files[path]) for path in python)
    parts = shares(python, lambda path: len(files[path]), workers if size >= _PARALLEL_FROM else 1)
    formatted = in_shares(partial(_format_share, files), parts)
    return {path: formatted.get(path, text) for path, text in files.items()}


# Below this many characters of Python a fork costs more than it saves.
_PARALLEL_FROM = 2_000_000


def _format_share(files: dict[str, str], paths: list[str]) -> dict[str, str]:
    return {path: format_python(path, files[path]) for path in paths}


def black_format(path: str, source: str) -> str:
    """Black over a whole file (for tests, and as the reference the layout must match)."""
    black, mode, invalid = _black()
    try:
        return str(black.format_str(source, mode=black.Mode(**mode)))
    except invalid as exc:
        raise GenerationError(f"{path}: generated code is not valid Python: {exc}") from exc


def format_snippet(code: str) -> str:
    """A short piece of code (a README example) in black's layout: laid out as a module's
    lines are, and by black as a whole where a line has a shape the layout does not know
    (the piece is short: that costs milliseconds)."""
    return format_python("<example>", code, last_resort=black_format)


def _wrap_long_lines(
    path: str, lines: list[str], last_resort: Callable[[str, str], str] | None = None
) -> list[str]:
    """Each over-long line is one statement, one item of an exploded bracket (a line ending
    in a comma), a block header (``class``/``def`` ending in ``:``), a decorator or the
    return-annotation tail of an exploded signature; black lays out the ones ``fit`` does
    not know in a snippet that gives them the same indentation and context, so its decisions
    are the ones it would make in the whole file.  A long line that is none of these (none
    of the templates' is) sends the whole file through black, as a last resort."""
    in_strings = _string_lines("\n".join(lines))
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if len(line) <= LINE_LENGTH or number in in_strings:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        wrapped = fit(line) or _black_unit(path, line.strip(), indent)
        if wrapped is None:
            return (last_resort or _black_whole_file)(path, "\n".join(lines)).split("\n")
        out.extend(wrapped)
    return out


def _black_whole_file(path: str, source: str) -> str:
    """The last resort for a line of unknown shape (kept apart so tests can prove that no
    corpus file reaches it)."""
    return black_format(path, source)


# Comments and string literals, matched left to right so that a quote inside one never
# starts another.
_LITERALS = re.compile(r"#[^\n]*|" + STRING_LITERAL, re.DOTALL)


def _string_lines(source: str) -> set[int]:
    """Line numbers a multi-line string literal covers (docstrings): black leaves them alone.
    Its first line counts when nothing else is on it, its later lines always.  (A one-line
    string alone on its line needs no entry: ``fit`` leaves such a line as it is.)"""
    covered: set[int] = set()
    line, counted = 1, 0  # the line number at offset ``counted``: counted on as we go
    for match in _LITERALS.finditer(source):
        text = match.group()
        if text[0] == "#" or "\n" not in text:
            continue
        line += source.count("\n", counted, match.start())
        start, counted = line, match.start()
        end = start + text.count("\n")
        line_start = source.rfind("\n", 0, match.start()) + 1
        line_end = source.find("\n", match.end())
        alone = (
            not source[line_start : match.start()].strip()
            and not source[match.end() : None if line_end < 0 else line_end].strip()
        )
        covered.update(range(start if alone else start + 1, end + 1))
    return covered


# Where black is given a line that does not compile alone: (snippet, lines of black's answer
# to drop before and after the line's own, whether the line is indented one level in it).
# An item of an exploded list stands in a bracket of its own kind (a call's arguments, a
# signature's parameters, a dict's or a list's elements); a block header gets a body, a
# decorator a function, a signature's tail its head; ``return`` and ``await`` a function.
_Context = tuple[str, int, int, bool]
_ITEM_CONTEXTS: tuple[_Context, ...] = (
    ("f(\n    {line}\n)\n", 1, 1, True),
    ("def f(\n    {line}\n): ...\n", 1, 1, True),
    ("x = {{\n    {line}\n}}\n", 1, 1, True),
    ("x = [\n    {line}\n]\n", 1, 1, True),
)
_DECORATOR: _Context = ("{line}\ndef f():\n    pass\n", 0, 2, False)
_TAIL: _Context = ("def f(\n    x,\n{line}\n    pass\n", 2, 1, False)
_STUB_TAIL: _Context = ("def f(\n    x,\n{line}\n", 2, 0, False)
_HEADER: _Context = ("{line}\n    pass\n", 0, 1, False)
_STATEMENT_CONTEXTS: tuple[_Context, ...] = (
    ("{line}\n", 0, 0, False),
    ("async def f():\n    {line}\n", 1, 0, True),
)


def _contexts(statement: str) -> tuple[_Context, ...]:
    if statement.endswith(","):
        return _ITEM_CONTEXTS
    if statement.startswith("@"):
        return (_DECORATOR,)
    if statement.startswith(")"):
        return (_TAIL if statement.endswith(":") else _STUB_TAIL,)
    if statement.endswith(":"):
        return (_HEADER,)
    return _STATEMENT_CONTEXTS


def _black_unit(path: str, statement: str, indent: int) -> list[str] | None:
    """Black's layout of one over-long line at ``indent``; None if no snippet compiles."""
    laid = _black_snippet(statement, indent)
    if isinstance(laid, str):
        raise GenerationError(f"{path}: generated code is not valid Python: {laid}")
    return None if laid is None else [" " * indent + line if line else line for line in laid]


@lru_cache(maxsize=16384)
def _black_snippet(statement: str, indent: int) -> tuple[str, ...] | str | None:
    """Black's lines for ``statement`` (unindented), memoized: generated code repeats lines
    (sync and async twins, the same parameter in many operations).  A string is black's
    complaint; None means no snippet compiles."""
    black, mode, invalid = _black()
    found = next((c for c in _contexts(statement) if _parses(c[0].format(line=statement))), None)
    if found is None:
        return None
    template, before, after, nested = found
    width = LINE_LENGTH - indent + (_INDENT if nested else 0)
    try:
        formatted = black.format_str(
            template.format(line=statement), mode=black.Mode(**{**mode, "line_length": width})
        )
    except invalid as exc:
        return str(exc)
    result = str(formatted).rstrip("\n").split("\n")
    result = result[before : len(result) - after]
    if nested:
        result = textwrap.dedent("\n".join(result)).split("\n")
    return tuple(result)


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
