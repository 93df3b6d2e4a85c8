"""Every OpenAPI 3.0 spec of the shared Twilio sample generates a package that imports and
passes ``mypy --strict``.

The Twilio specs are large, form-encoded and full of long parameter lists and names.  One
result per spec, but the work is shared: the specs are generated into one folder (a distinct
package name each), then one process imports every package and one mypy run checks them all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.corpus_check import import_and_type_check
from tests.helpers import CORPUS

pytestmark = pytest.mark.corpus

TWILIO = CORPUS / "oas3-sample" / "twilio"

if not TWILIO.is_dir():
    if os.environ.get("CI"):
        pytest.fail(f"{TWILIO} is missing: CI must provide the corpus", pytrace=False)
    pytest.skip(f"{TWILIO} is missing", allow_module_level=True)

SPECS = sorted(TWILIO.glob("*.json"))


def package_name(spec: Path) -> str:
    """twilio_content_v1.json -> oas3_twilio_content_v1"""
    return "oas3_" + re.sub(r"\W+", "_", spec.stem).lower().strip("_")


@dataclass
class CorpusRun:
    projects: Path
    errors: dict[str, str]  # generation failures
    warnings: dict[str, list[str]]
    import_failures: dict[str, str]
    mypy_errors: dict[str, list[str]]
    mypy_failure: str  # mypy output that no package explains (a crash, a bad option)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    from generator.config import Job
    from generator.errors import SpecError
    from generator.pipeline import write_job

    projects = tmp_path_factory.mktemp("oas3-sample")
    errors: dict[str, str] = {}
    warnings: dict[str, list[str]] = {}
    for spec in SPECS:
        name = package_name(spec)
        try:
            api = write_job(Job(spec=spec, output=projects / name, package_name=name))
        except SpecError as exc:
            errors[name] = f"spec error:\n{exc}"
            continue
        warnings[name] = [d.format() for d in api.diagnostics]
    ok = [package_name(spec) for spec in SPECS if package_name(spec) not in errors]

    checked = import_and_type_check(projects, ok, tmp_path_factory.mktemp("mypy-cache"))
    return CorpusRun(
        projects, errors, warnings, checked.import_failures, checked.mypy_errors, checked.failure
    )


def test_the_sample_is_there() -> None:
    assert len(SPECS) == 10, [spec.name for spec in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_spec_generates_a_typed_importable_package(spec: Path, corpus_run: CorpusRun) -> None:
    package = package_name(spec)
    if package in corpus_run.errors:
        pytest.fail(f"{spec.name}: generation failed: {corpus_run.errors[package]}", pytrace=False)
    assert (corpus_run.projects / package / package / "py.typed").is_file()
    for warning in corpus_run.warnings[package]:  # every warning says where
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
