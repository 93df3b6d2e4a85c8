"""Every Swagger 2.0 / OpenAPI 3.0 spec of the shared Azure OpenAI corpus generates a package
that imports and passes ``mypy --strict``; the OpenAPI 3.1 one is refused cleanly."""

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

AZURE_OPENAI = CORPUS / "azure-openai"
OAS31 = AZURE_OPENAI / "service-2024-06-01-oas31.yaml"

if not AZURE_OPENAI.is_dir():
    if os.environ.get("CI"):
        pytest.fail(f"{AZURE_OPENAI} is missing: CI must provide the corpus", pytrace=False)
    pytest.skip(f"{AZURE_OPENAI} is missing", allow_module_level=True)

SPECS = sorted(
    [p for p in AZURE_OPENAI.glob("*.yaml") if p != OAS31]
    + [AZURE_OPENAI / "authoring-2023-05-15" / "azureopenai.json"]
)

# Imports the package and every module in it.
IMPORT_ALL = """\
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
"""


def _name(spec: Path) -> str:
    """authoring-2023-05-15/azureopenai.json -> authoring_2023_05_15_azureopenai"""
    return re.sub(r"\W+", "_", spec.relative_to(AZURE_OPENAI).with_suffix("").as_posix())


def _check(what: str, *argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> None:
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
        pytest.fail(f"{what} failed:\n{(done.stdout + done.stderr)[-8000:]}", pytrace=False)


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")  # shared: typeshed and httpx analysed once


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_spec_generates_a_typed_importable_package(
    spec: Path, tmp_path: Path, mypy_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _name(spec)
    out = tmp_path / "out"
    code = main(["generate", str(spec), "--output", str(out), "--package-name", package])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert (out / package / "py.typed").is_file()

    env = {**os.environ, "PYTHONPATH": str(out)}
    _check("import", sys.executable, "-c", IMPORT_ALL, package, cwd=tmp_path, env=env)
    _check(
        "mypy --strict",
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        mypy_cache,
        package,
        cwd=out,
    )


def test_openapi_31_is_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["generate", str(OAS31), "--output", str(out), "--package-name", "service"])
    stdout, err = capsys.readouterr()
    assert code == 1
    assert stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"{OAS31}:") and "not supported" in err
    assert not out.exists()
