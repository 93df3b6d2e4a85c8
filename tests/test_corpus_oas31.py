"""The OpenAPI 3.1 specs of the shared corpus generate packages that import (every module) and
pass ``mypy --strict`` -- one mypy run for all of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import CORPUS

pytestmark = pytest.mark.corpus

SPECS = [
    CORPUS / "oas31-sample" / "baseline_openapi_3.1.yaml",
    CORPUS / "oas31-sample" / "3.1_specific.openapi.yaml",
    CORPUS / "azure-openai" / "service-2024-06-01-oas31.yaml",
]

if not all(spec.is_file() for spec in SPECS):
    if os.environ.get("CI"):
        pytest.fail("the OpenAPI 3.1 corpus specs are missing: CI must provide them", pytrace=False)
    pytest.skip("the OpenAPI 3.1 corpus specs are missing", allow_module_level=True)

# Imports the package and every module in it.
IMPORT_ALL = """\
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
"""


def _name(spec: Path) -> str:
    """3.1_specific.openapi.yaml -> oas31_3_1_specific_openapi"""
    return "oas31_" + re.sub(r"\W+", "_", spec.stem).strip("_").lower()


def _run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> str:
    """The command's output if it failed, else ""."""
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return "" if done.returncode == 0 else (done.stdout + done.stderr)[-8000:]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Every spec generated into one folder, and the mypy output of one run over all of them
    (by package)."""
    folder = tmp_path_factory.mktemp("oas31-corpus")
    for spec in SPECS:
        code = main(
            ["generate", str(spec), "--output", str(folder / _name(spec)), "-p", _name(spec)]
        )
        assert code == 0, spec
    env = {
        **os.environ,
        "MYPYPATH": os.pathsep.join(str(folder / _name(spec)) for spec in SPECS),
    }
    packages = [arg for spec in SPECS for arg in ("-p", _name(spec))]
    output = _run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        folder / ".mypy_cache",
        *packages,
        cwd=folder,
        env=env,
    )
    by_package = {
        _name(spec): "\n".join(line for line in output.splitlines() if _name(spec) in line)
        for spec in SPECS
    }
    if output and not any(by_package.values()):  # a failure no package explains
        by_package = {name: output for name in by_package}
    return folder, by_package


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_31_spec_generates_a_typed_importable_package(
    spec: Path, generated: tuple[Path, dict[str, str]]
) -> None:
    folder, mypy = generated
    package = _name(spec)
    project = folder / package
    assert (project / package / "py.typed").is_file()
    env = {**os.environ, "PYTHONPATH": str(project)}
    failed = _run(sys.executable, "-c", IMPORT_ALL, package, cwd=folder, env=env)
    assert not failed, f"import failed:\n{failed}"
    assert not mypy[package], f"mypy --strict:\n{mypy[package]}"
