"""Sentinel and type aliases shared by the runtime and the generated code."""

from __future__ import annotations

import os
from typing import IO, Final, Literal, TypeAlias

__all__ = ["NOT_GIVEN", "FileInput", "NotGiven"]


class NotGiven:
    """Marks an argument the caller did not pass at all.

    Optional *and* nullable fields need three states: absent (omit from the
    request), ``None`` (send JSON null) and a value. ``None`` cannot mean
    "absent" there, so this falsy singleton does.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        # copy/pickle return the module singleton, so `is NOT_GIVEN` keeps working.
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

FileInput: TypeAlias = (
    str  # a filesystem path
    | os.PathLike[str]
    | bytes
    | IO[bytes]
    | tuple[str | None, bytes | IO[bytes]]  # (filename, content)
    | tuple[str | None, bytes | IO[bytes], str | None]  # (filename, content, content type)
)
