"""Exceptions that end a run with a message instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterable

from .ir import Diagnostic


class SpecError(Exception):
    """A spec that cannot be used.  ``diagnostics`` holds the errors (all of them, not just the
    first); ``warnings`` holds what was noticed on the way, for callers that want to show it."""

    def __init__(
        self, diagnostics: Iterable[Diagnostic], warnings: Iterable[Diagnostic] = ()
    ) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        self.warnings: list[Diagnostic] = list(warnings)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class ConfigError(Exception):
    """Bad ``[tool.specgen]`` configuration or command-line options."""


class GenerationError(Exception):
    """Output that cannot be produced or written (a refused path, invalid generated code)."""


# Exit statuses of the command line.  A bug in specgen has a status of its own: a script, or
# a test, can tell it from a spec that is refused with a message.
EXIT_BAD_INPUT = 1  # a bad spec, bad configuration or stale output
EXIT_USAGE = 2  # argparse's own status for bad arguments
EXIT_INTERNAL = 3  # an unexpected exception: a bug in specgen


def internal_error(exc: BaseException) -> str:
    """The one line printed for a generator bug, in a serial run or from a worker."""
    text = " ".join(str(exc).split())  # one line, whatever the exception says
    return (
        f"specgen: internal error: {type(exc).__name__}: {text}; please report it"
        " (rerun with --debug for the traceback)"
    )
