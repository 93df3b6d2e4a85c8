"""Generate many small inline specs at once and type-check them with ONE mypy run.

``build_all`` writes each spec, generates its package (a distinct name each) into one folder,
then runs a single ``mypy --strict`` over every package, so that a test module with twenty
cases pays for mypy's start-up (typeshed, httpx) once.  Each case's test then asks for its own
part: ``built.api(name)``, ``built.package(name)``, ``built.assert_typed(name)``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from generator.config import Job
from generator.ir import Api
from generator.pipeline import write_job
from tests.helpers import import_generated, write_spec


@dataclass
class Built:
    folder: Path
    apis: dict[str, Api] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # generation failures
    mypy: dict[str, list[str]] = field(default_factory=dict)  # mypy lines per package
    mypy_other: str = ""  # mypy output no package explains (a crash)
    modules: dict[str, ModuleType] = field(default_factory=dict)

    def api(self, name: str) -> Api:
        if name in self.errors:
            pytest.fail(f"{name}: generation failed:\n{self.errors[name]}", pytrace=False)
        return self.apis[name]

    def package(self, name: str) -> ModuleType:
        """The generated package, imported once (so its classes are the client's own)."""
        self.api(name)
        if name not in self.modules:
            self.modules[name] = import_generated(self.folder / name, name)
        return self.modules[name]

    def assert_typed(self, name: str) -> None:
        self.api(name)
        assert not self.mypy_other, self.mypy_other
        errors = [line for line in self.mypy.get(name, []) if ": error:" in line]
        assert not errors, "mypy --strict:\n" + "\n".join(self.mypy[name][:30])


def build_all(
    folder: Path,
    specs: dict[str, str],
    *,
    mypy: bool = True,
    env: dict[str, dict[str, str]] | None = None,
) -> Built:
    """Generate every ``name: spec text`` (the name is the package name) and type-check them.
    ``env``: a package's environment fallbacks (``[tool.specgen.jobs.env]``), by name."""
    built = Built(folder)
    for name, text in specs.items():
        spec = write_spec(folder / "specs" / name, text)
        try:
            job = Job(spec=spec, output=folder / name, package_name=name)
            job.env = (env or {}).get(name, {})
            built.apis[name] = write_job(job)
        except Exception as exc:  # noqa: BLE001 -- reported by the case's own test
            built.errors[name] = f"{type(exc).__name__}: {exc}"
    typed = [name for name in specs if name in built.apis]
    if not mypy or not typed:
        return built
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            *(arg for name in typed for arg in ("-p", name)),
        ],
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(folder / n) for n in typed)},
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    other: list[str] = []
    for line in (done.stdout + done.stderr).splitlines():
        owner = next((p for p in Path(line.split(":", 1)[0]).parts if p in built.apis), None)
        if owner is not None:
            built.mypy.setdefault(owner, []).append(line)
        elif line.strip():
            other.append(line)
    if done.returncode not in (0, 1) or other:
        built.mypy_other = "\n".join(other) or f"mypy exited {done.returncode}"
    return built
