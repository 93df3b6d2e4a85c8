"""Validation of a loaded spec, inline or in a forked child beside the rest of the pipeline.

Validation is the largest single cost of a generation (importing openapi-spec-validator
alone takes about 0.2 s) and nothing downstream needs its answer until the output is about
to be written.  On Linux with a spare core, ``generate`` forks a child first thing; it loads
and validates the spec while the parent loads it, builds the IR, renders and formats; the
parent then waits for the child's verdict before anything is written or cached.  Errors and
warnings are the ones an inline run gives, in the same order: the child sends them back
pickled through a pipe.  Workers of a pool of jobs (``pool``) validate inline: every core
already runs a job.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from pathlib import Path
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


def preload_validator() -> None:
    """Import the validator now: children forked afterwards share it instead of each
    importing it (about 0.2 s apiece)."""
    if can_fork():
        import jsonschema_path  # noqa: F401
        import openapi_spec_validator  # noqa: F401


class Validation:
    """A spec's validation: ``start`` it, ``attach`` the loaded spec, ``finish`` it before
    using the output.  A forked child loads the spec itself (the parent's copy is not ready
    when it starts): it imports the validator while the parent imports and loads."""

    def __init__(self, spec_path: Path, profile: Profile) -> None:
        self._path = spec_path
        self._profile = profile
        self._spec: Spec | None = None
        self._known = 0  # the loader's warnings; validation's come after
        self._child: tuple[int, int] | None = None  # (pid, read end of the pipe)
        self._outcome: tuple[list[Diagnostic], list[Diagnostic]] | None = None
        self._loaded: Spec | None = None  # what a child validates without loading (if set)

    @classmethod
    def start(cls, spec_path: Path, profile: Profile, *, background: bool) -> Validation:
        validation = cls(spec_path, profile)
        if background and can_fork():
            validation._fork()
        return validation

    @classmethod
    def start_loaded(cls, spec: Spec, profile: Profile) -> Validation:
        """Validation of a spec this process has loaded already: a forked child validates
        the parent's copy instead of loading its own (``specgen diff``, which reads two specs
        one after the other, keeps the cores for validating)."""
        validation = cls(spec.root.path, profile)
        if can_fork():
            validation._loaded = spec
            validation._fork()
        validation.attach(spec)
        return validation

    def attach(self, spec: Spec) -> None:
        """The parent's loaded spec: validated now, unless a child is at it."""
        self._spec, self._known = spec, len(spec.warnings)
        if self._child is None:
            self._outcome = self._run_here()

    def finish(self, api: Api | None = None) -> None:
        """Wait for the verdict: raise SpecError with every error, or add the warnings to
        ``spec.warnings`` (and to ``api.diagnostics``, where an inline run puts them)."""
        spec = self._spec
        if spec is None:  # the parent could not load it: its own error says why
            if self._child is not None:
                self._receive()
            return
        if self._outcome is None:
            with self._profile.stage("validate (wait)"):
                self._outcome = self._receive() or self._run_here()
        errors, warnings = self._outcome
        if spec.warnings[self._known :] != warnings:  # a child's warnings: put them in place
            spec.warnings[self._known :] = warnings
            if api is not None:
                api.diagnostics[self._known : self._known] = warnings
        if errors:
            raise SpecError(errors, spec.warnings)

    # --- inline

    def _run_here(self) -> tuple[list[Diagnostic], list[Diagnostic]]:
        assert self._spec is not None
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
                quiet = os.open(os.devnull, os.O_WRONLY)  # all it says goes through the pipe
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
                payload = pickle.dumps(self._validate_in_child(), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)
        os.close(write_end)
        self._child = (pid, read_end)

    def _validate_in_child(self) -> tuple[Any, float]:
        from .loader import load_spec

        started = time.perf_counter()
        try:
            spec = self._loaded or load_spec(self._path, validate=False)
            known = len(spec.warnings)
            outcome: Any = (spec._validate(), spec.warnings[known:])
        except BaseException:  # noqa: BLE001 -- the parent reports or validates inline
            outcome = None
        return outcome, time.perf_counter() - started

    def _receive(self) -> tuple[list[Diagnostic], list[Diagnostic]] | None:
        """The child's outcome, or None if it has none (it died, or could not load)."""
        assert self._child is not None
        pid, read_end = self._child
        self._child = None
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        try:
            outcome, seconds = pickle.loads(payload)
        except Exception:  # noqa: BLE001 -- the child died (killed, out of memory)
            return None
        if outcome is None:
            return None
        self._profile.stages["validate"] = seconds  # load and check, beside the parent
        errors, warnings = outcome
        return list(errors), list(warnings)
