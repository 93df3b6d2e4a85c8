"""The committed packages under generated/ are clean code (``mypy --strict``, ``ruff check``)
and real distributions: each installs with pip (not editable), ships ``py.typed`` and imports.

The tools run as subprocesses with the generated project folder as working folder, as a user
of that project would run them; their caches go to tmp (a cache left inside generated/ would
make ``specgen check`` report stray files)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Job, load_jobs
from generator.writer import read_tree
from tests.helpers import ROOT

JOBS = load_jobs(ROOT / "pyproject.toml")

# Imports the package and every module in it; prints where the package was found.
IMPORT_ALL = """\
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
print(package.__file__)
"""


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test with its output unless it exits 0."""
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, argv))} (in {cwd}) exited {done.returncode}:\n"
            f"{done.stdout[-6000:]}{done.stderr[-6000:]}",
            pytrace=False,
        )
    return done.stdout


@pytest.fixture(scope="module", params=JOBS, ids=[job.package_name for job in JOBS])
def job(request: pytest.FixtureRequest) -> Job:
    job: Job = request.param
    if not (job.output / job.package_name / "__init__.py").is_file():
        pytest.fail(f"{job.output} has no package {job.package_name}: run `specgen generate`")
    return job


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")  # shared: typeshed and httpx analysed once


@pytest.fixture(scope="module")
def installed(job: Job, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the project folder pip built from, the --target folder it installed into).

    setuptools builds inside the project folder, so pip builds from a copy: generated/ stays
    exactly as committed."""
    work = tmp_path_factory.mktemp(f"install-{job.package_name}")
    source = work / "source"
    shutil.copytree(job.output, source, ignore=shutil.ignore_patterns("__pycache__"))
    site = work / "site"
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--no-deps",
        "--target",
        site,
        source,
        cwd=work,
    )
    return source, site


def test_mypy_strict(job: Job, mypy_cache: Path) -> None:
    run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        mypy_cache,
        job.package_name,
        cwd=job.output,
    )


def test_ruff_check(job: Job) -> None:
    run(sys.executable, "-m", "ruff", "check", "--no-cache", job.package_name, cwd=job.output)


def test_installed_package_has_py_typed_and_imports(
    job: Job, installed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, site = installed
    package = site / job.package_name
    assert (package / "py.typed").is_file(), "py.typed is not installed"
    distribution = re.sub(r"[-_.]+", "_", job.distribution).lower()
    assert [p.name for p in site.glob("*.dist-info")] == [
        f"{distribution}-{job.package_version}.dist-info"
    ]
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = run(sys.executable, "-c", IMPORT_ALL, job.package_name, cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(package), where


def test_building_leaves_nothing_specgen_check_would_flag(
    job: Job, installed: tuple[Path, Path]
) -> None:
    """The README says `pip install .` in the project folder; what the build leaves there
    (build/, *.egg-info) must not make `specgen check` call the output stale."""
    source, _ = installed
    left = sorted(set(read_tree(source)) - set(read_tree(job.output)))
    assert not left, f"`specgen check` would report {len(left)} files the build left: {left[:3]}"
