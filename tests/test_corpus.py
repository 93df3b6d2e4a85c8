"""Every Swagger 2.0 / OpenAPI 3.0 spec of the shared Azure OpenAI corpus generates a package
that imports and passes ``mypy --strict`` (the OpenAPI 3.1 one: ``test_corpus_oas31.py``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_the_rust_meta_schema_check_agrees_with_the_python_validator() -> None:
    """The fast path answers "valid?" with jsonschema-rs and trusts it: on every corpus
    document, and on broken copies of each, it must agree with the Python validator whose
    errors the diagnostics are built from."""
    import copy

    from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31

    from generator.errors import SpecError
    from generator.loader import _family, _MetaSchemaCheck, load_spec

    checks = {
        "2.0": _MetaSchemaCheck(schema_v2),
        "3.0": _MetaSchemaCheck(schema_v30),
        "3.1": _MetaSchemaCheck(schema_v31),
    }
    assert all(check._rust is not None for check in checks.values()), "jsonschema-rs missing"
    specs = (
        sorted((CORPUS / "azure-sample").glob("*.yml"))
        + sorted((CORPUS / "azure-openai").glob("*.yaml"))
        + sorted((CORPUS / "oas31-sample").glob("*.yaml"))
    )

    def broken(data: dict[str, Any]) -> list[dict[str, Any]]:
        no_info = {k: v for k, v in data.items() if k != "info"}
        bad_path = copy.deepcopy(data)
        bad_path.setdefault("paths", {})["no-leading-slash"] = {}
        bad_extension = dict(data, info=dict(data.get("info") or {}, title=7))
        return [no_info, bad_path, bad_extension]

    disagree, refused, verdicts = [], [], set()
    for spec in specs:
        try:
            loaded_spec = load_spec(spec, validate=False)
        except SpecError as exc:  # refused before validation: nothing would be compared
            refused.append(f"{spec.name}: {exc}")
            continue
        check = checks[_family(loaded_spec.version)]
        for number, data in enumerate([loaded_spec.root.data, *broken(loaded_spec.root.data)]):
            python_valid = next(iter(check._python.iter_errors(data)), None) is None
            verdicts.add(python_valid)
            if check._rust.is_valid(data) != python_valid:
                disagree.append(f"{spec.name} #{number}")
    assert not refused, "corpus specs refused before validation:\n" + "\n".join(refused)
    assert not disagree, disagree
    assert verdicts == {True, False} and len(specs) > 100
