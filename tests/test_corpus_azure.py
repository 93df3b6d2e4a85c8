"""Every spec of the shared Azure sample (120 real Swagger 2.0 specs) generates a package that
imports and passes ``mypy --strict``.

One result per spec, but the work is shared to keep the module fast: the specs are generated
in parallel into one folder (a distinct package name each), then one process imports every
package and one mypy run checks them all; each spec's test reads its own part of the results.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.corpus_check import import_and_type_check
from tests.helpers import CORPUS

pytestmark = pytest.mark.corpus

AZURE_SAMPLE = CORPUS / "azure-sample"

if not AZURE_SAMPLE.is_dir():
    if os.environ.get("CI"):
        pytest.fail(f"{AZURE_SAMPLE} is missing: CI must provide the corpus", pytrace=False)
    pytest.skip(f"{AZURE_SAMPLE} is missing", allow_module_level=True)

SPECS = sorted(p for p in AZURE_SAMPLE.iterdir() if p.suffix in (".yml", ".yaml", ".json"))


def package_name(spec: Path) -> str:
    """microsoft-azure-acr-api.yml -> az_microsoft_azure_acr_api"""
    return "az_" + re.sub(r"\W+", "_", spec.stem).lower().strip("_")


@dataclass
class Generated:
    error: str = ""  # why generation failed ("" if it did not)
    warnings: list[str] = field(default_factory=list)


def _generate(spec: Path, projects: Path) -> Generated:
    """Generate one spec (in a worker process) as the CLI would, without printing."""
    from generator.config import Job
    from generator.errors import SpecError
    from generator.pipeline import generate_files
    from generator.writer import write_tree

    package = package_name(spec)
    try:
        api, files = generate_files(Job(spec=spec, output=projects / package, package_name=package))
        write_tree(files, projects / package)
    except SpecError as exc:
        return Generated(error=f"spec error:\n{exc}")
    except Exception as exc:  # noqa: BLE001 -- reported as this spec's failure
        return Generated(error=f"internal error: {type(exc).__name__}: {exc}")
    return Generated(warnings=[d.format() for d in api.diagnostics])


@dataclass
class CorpusRun:
    projects: Path
    generated: dict[str, Generated]
    import_failures: dict[str, str]
    mypy_errors: dict[str, list[str]]
    mypy_failure: str  # mypy output that no package explains (a crash, a bad option)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    projects = tmp_path_factory.mktemp("azure-sample")
    names = [package_name(spec) for spec in SPECS]
    assert len(set(names)) == len(names), "package names must be distinct"
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_generate, SPECS, [projects] * len(SPECS)))
    generated = dict(zip(names, results, strict=True))
    ok = [name for name in names if not generated[name].error]

    checked = import_and_type_check(projects, ok, tmp_path_factory.mktemp("mypy-cache"))
    return CorpusRun(
        projects, generated, checked.import_failures, checked.mypy_errors, checked.failure
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_spec_generates_a_typed_importable_package(spec: Path, corpus_run: CorpusRun) -> None:
    package = package_name(spec)
    generated = corpus_run.generated[package]
    if generated.error:
        pytest.fail(f"{spec.name}: generation failed: {generated.error}", pytrace=False)
    assert (corpus_run.projects / package / package / "py.typed").is_file()
    for warning in generated.warnings:  # every warning says where: FILE:LINE or FILE#/pointer
        assert re.match(r".+?(:\d+|#/.*?): warning: ", warning), warning
    if package in corpus_run.import_failures:
        pytest.fail(
            f"{spec.name}: import failed:\n{corpus_run.import_failures[package]}", pytrace=False
        )
    if corpus_run.mypy_failure:
        pytest.fail(f"mypy failed:\n{corpus_run.mypy_failure[-4000:]}", pytrace=False)
    errors = [line for line in corpus_run.mypy_errors.get(package, []) if ": error:" in line]
    if errors:
        shown = "\n".join(corpus_run.mypy_errors[package][:20])
        pytest.fail(f"{spec.name}: mypy --strict: {len(errors)} errors:\n{shown}", pytrace=False)
