"""Validation of a loaded spec, inline or in a forked child beside the rest of the pipeline.

Validation is the largest single cost of a generation (importing openapi-spec-validator
alone takes about 0.15 s) and nothing downstream needs its answer until the output is about
to be written.  On Linux with a spare core, ``generate`` forks a child that validates while
the parent builds the IR, renders and formats; the parent then waits for the child's verdict
before anything is written or cached.  Errors and warnings are the ones an inline run gives,
in the same order: the child sends them back pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from .errors import SpecError

if TYPE_CHECKING:
    from .ir import Api, Diagnostic
    from .loader import Spec
    from .pipeline import Profile


def can_fork() -> bool:
    """Forking is cheap and safe here: Linux (not macOS, whose system libraries may not
    survive a fork), more than one core, and no other thread that could hold a lock the
    child needs (pytest's servers, an embedding application)."""
    return (
        sys.platform == "linux"
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and os.environ.get("SPECGEN_PARALLEL", "on") != "off"
    )


class Validation:
    """A spec's validation: ``start`` it, then ``finish`` it before using the output."""

    def __init__(self, spec: Spec, profile: Profile) -> None:
        self._spec = spec
        self._profile = profile
        self._known = len(spec.warnings)  # the loader's warnings; validation's come after
        self._child: tuple[int, int] | None = None  # (pid, read end of the pipe)
        self._outcome: tuple[list[Diagnostic], list[Diagnostic]] | None = None

    @classmethod
    def start(cls, spec: Spec, profile: Profile, *, background: bool) -> Validation:
        validation = cls(spec, profile)
        if background and can_fork():
            validation._fork()
        if validation._child is None:
            validation._outcome = validation._run_here()
        return validation

    def finish(self, api: Api | None = None) -> None:
        """Wait for the verdict: raise SpecError with every error, or add the warnings to
        ``spec.warnings`` (and to ``api.diagnostics``, where an inline run puts them)."""
        if self._outcome is None:
            with self._profile.stage("validate (wait)"):
                self._outcome = self._collect()
        errors, warnings = self._outcome
        spec = self._spec
        if spec.warnings[self._known :] != warnings:  # a child's warnings: put them in place
            spec.warnings[self._known :] = warnings
            if api is not None:
                api.diagnostics[self._known : self._known] = warnings
        if errors:
            raise SpecError(errors, spec.warnings)

    # --- inline

    def _run_here(self) -> tuple[list[Diagnostic], list[Diagnostic]]:
        with self._profile.stage("validate"):
            errors = self._spec._validate()
        return errors, self._spec.warnings[self._known :]

    # --- in a child

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child's copy of unwritten output could be written twice
        pid = os.fork()
        if pid == 0:  # the child: validate, send the outcome, leave without cleanup
            try:
                os.close(read_end)
                started = time.perf_counter()
                try:
                    errors = self._spec._validate()
                    outcome: Any = (errors, self._spec.warnings[self._known :])
                except BaseException:  # noqa: BLE001 -- the parent validates inline instead
                    outcome = None
                seconds = time.perf_counter() - started
                payload = pickle.dumps((outcome, seconds), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)
        os.close(write_end)
        self._child = (pid, read_end)

    def _collect(self) -> tuple[list[Diagnostic], list[Diagnostic]]:
        assert self._child is not None
        pid, read_end = self._child
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        try:
            outcome, seconds = pickle.loads(payload)
        except Exception:  # noqa: BLE001 -- the child died (killed, out of memory)
            outcome, seconds = None, 0.0
        if outcome is None:
            return self._run_here()
        self._profile.stages["validate"] = seconds  # its own time, spent beside the parent's
        errors, warnings = outcome
        return list(errors), list(warnings)
