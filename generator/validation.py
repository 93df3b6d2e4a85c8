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

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SpecError
from .forking import Child, ChildDied, can_fork

if TYPE_CHECKING:
    from .ir import Api, Diagnostic
    from .loader import Spec
    from .profile import Profile

__all__ = ["Validation", "can_fork"]


class Validation:
    """A spec's validation: ``start`` it, ``attach`` the loaded spec, ``finish`` it before
    using the output.  A forked child loads the spec itself (the parent's copy is not ready
    when it starts): it imports the validator while the parent imports and loads."""

    def __init__(self, spec_path: Path, profile: Profile) -> None:
        self._path = spec_path
        self._profile = profile
        self._spec: Spec | None = None
        self._known = 0  # the loader's warnings; validation's come after
        self._child: Child[tuple[Any, float]] | None = None
        self._outcome: tuple[list[Diagnostic], list[Diagnostic]] | None = None

    @classmethod
    def start(cls, spec_path: Path, profile: Profile, *, background: bool) -> Validation:
        validation = cls(spec_path, profile)
        if background and can_fork():
            validation._child = Child.start(validation._validate_in_child)
        return validation

    @property
    def in_background(self) -> bool:
        """Whether a child validates: the parent then has a core to spare for other work."""
        return self._child is not None

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

    def _validate_in_child(self) -> tuple[Any, float]:
        from .loader import load_spec

        started = time.perf_counter()
        try:
            spec = load_spec(self._path, validate=False)
            known = len(spec.warnings)
            outcome: Any = (spec._validate(), spec.warnings[known:])
        except BaseException:  # noqa: BLE001 -- the parent reports or validates inline
            outcome = None
        return outcome, time.perf_counter() - started

    def _receive(self) -> tuple[list[Diagnostic], list[Diagnostic]] | None:
        """The child's outcome, or None if it has none (it died, or could not load)."""
        assert self._child is not None
        child, self._child = self._child, None
        try:
            outcome, seconds = child.result()
        except ChildDied:
            return None
        if outcome is None:
            return None
        self._profile.stages["validate"] = seconds  # load and check, beside the parent
        errors, warnings = outcome
        return list(errors), list(warnings)
