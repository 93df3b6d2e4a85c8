"""Format generated Python with black (its ``format_str`` skips black's slow AST
equivalence check; the templates' output is parsed by black anyway)."""

from __future__ import annotations

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from ..errors import GenerationError

_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=100)


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=_MODE)
    except InvalidInput as exc:  # a template bug: never hide invalid output
        raise GenerationError(f"{path}: generated code is not valid Python: {exc}") from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {
        path: format_python(path, text) if path.endswith(".py") else text
        for path, text in files.items()
    }
