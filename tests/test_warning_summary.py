"""Warnings of one kind in one spec print as one line (``--verbose`` lists them all), in job
order whether jobs run one after another or at once; the project's own specs print none."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import pool
from tests.helpers import ROOT
from tests.projects import Run, project, specgen

# Three missing example files (one kind), a duplicate operationId twice (another kind).
SPEC = """\
swagger: "2.0"
info: {{title: Service {n}, version: "1"}}
host: example.com
paths:
  /a:
    get:
      operationId: Things_Get
      x-ms-examples:
        One: {{$ref: ./examples/one.json}}
        Two: {{$ref: ./examples/two.json}}
      responses: {{"200": {{description: ok}}}}
  /b:
    get:
      operationId: Things_Get
      responses: {{"200": {{description: ok}}}}
  /c:
    get:
      operationId: Things_Get
      x-ms-examples:
        Three: {{$ref: ./examples/three.json}}
      responses: {{"200": {{description: ok}}}}
"""
QUIET = """\
swagger: "2.0"
info: {{title: Service {n}, version: "1"}}
host: example.com
paths:
  /a:
    get:
      operationId: Things_Get
      responses: {{"200": {{description: ok}}}}
"""

# Where each warning of SPEC is, as `--verbose` lists them.
MISSING = [
    (9, "example file not found: $ref './examples/one.json'"),
    (10, "example file not found: $ref './examples/two.json'"),
    (20, "example file not found: $ref './examples/three.json'"),
]
DUPLICATES = [
    (14, "duplicate operationId 'Things_Get'"),
    (18, "duplicate operationId 'Things_Get'"),
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECGEN_CACHE", raising=False)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every worker pool started (none: the jobs ran one after another)."""
    started: list[int] = []
    real = pool.ProcessPoolExecutor

    def recording(workers: int, **options: Any) -> Any:
        started.append(workers)
        return real(workers, **options)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", recording)
    return started


def listed(spec: str, warnings: list[tuple[int, str]]) -> list[str]:
    return [f"{spec}:{line}: warning: {message}" for line, message in warnings]


def summary(spec: str) -> list[str]:
    """SPEC's warnings as printed without --verbose: each kind at its first location."""
    return [
        f"{spec}:9: warning: {MISSING[0][1]} (and 2 more like it; --verbose lists them)",
        f"{spec}:14: warning: {DUPLICATES[0][1]} (and 1 more like it; --verbose lists them)",
    ]


def test_warnings_of_one_kind_print_as_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path, [SPEC])
    spec = "specs/s1.yaml"
    run = specgen(folder, capsys, monkeypatch, "validate", spec)
    assert (run.code, run.err.splitlines()) == (0, summary(spec))
    run = specgen(folder, capsys, monkeypatch, "generate", "-j", "1")
    assert (run.code, run.err.splitlines()) == (0, summary(spec))
    # check regenerates in memory, and says what generate said
    (folder / "out" / "c1" / "README.md").write_text("edited\n", encoding="utf-8")
    run = specgen(folder, capsys, monkeypatch, "check", "-j", "1")
    assert (run.code, run.err.splitlines()) == (1, summary(spec))


@pytest.mark.parametrize("command", ["validate", "generate", "check"])
def test_verbose_lists_every_warning(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = project(tmp_path, [SPEC])
    spec = "specs/s1.yaml"
    every = listed(spec, sorted(MISSING + DUPLICATES))
    argv = [command, spec] if command == "validate" else [command, "-j", "1"]
    run = specgen(folder, capsys, monkeypatch, *argv, "--verbose")
    assert sorted(run.err.splitlines()) == sorted(every)
    assert [line for line in run.err.splitlines() if "example" in line] == listed(spec, MISSING)


def test_a_parallel_run_prints_the_summary_of_a_serial_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    specs = [SPEC, QUIET, SPEC, SPEC]
    runs: dict[tuple[str, bool], Run] = {}
    for jobs in ("1", "3"):
        for verbose in (False, True):
            folder = project(tmp_path / f"{jobs}{verbose}", specs)
            argv = ["generate", "-j", jobs] + ["-v"] * verbose
            runs[jobs, verbose] = specgen(folder, capsys, monkeypatch, *argv)
    assert pools == [3, 3]
    for verbose in (False, True):
        serial, parallel = runs["1", verbose], runs["3", verbose]
        assert serial.code == parallel.code == 0
        assert (parallel.out, parallel.err) == (serial.out, serial.err)
    assert runs["3", False].err.splitlines() == [
        line for n in (1, 3, 4) for line in summary(f"specs/s{n}.yaml")
    ]
    # --verbose: every warning, spec after spec in job order
    specs_named = [line.split(":")[0] for line in runs["3", True].err.splitlines()]
    assert specs_named == [f"specs/s{n}.yaml" for n in (1, 3, 4) for _ in range(5)]


def test_the_projects_own_specs_generate_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make generate` on a fresh clone: the project's configuration and specs/, nothing
    cached, nothing generated yet."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    run = specgen(tmp_path, capsys, monkeypatch, "generate")
    assert run.code == 0
    assert run.err == ""
    assert [line.split(" -> ")[0] for line in run.out.splitlines()] == [
        "specs/azure-openai-authoring-2023-05-15.yaml",
        "specs/azure-openai-inference-2024-02-01.yaml",
    ]


def test_a_job_whose_spec_comes_without_its_example_files_does_not_look_for_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path, [SPEC])
    run = specgen(folder, capsys, monkeypatch, "generate", "--verbose")
    assert set(listed("specs/s1.yaml", MISSING)) <= set(run.err.splitlines())
    config = folder / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + "example-files = false\n", "utf-8")
    monkeypatch.setenv("SPECGEN_CACHE", "off")  # the output is the same: the cache would skip
    run = specgen(folder, capsys, monkeypatch, "generate", "--verbose")
    assert run.code == 0
    assert run.err.splitlines() == listed("specs/s1.yaml", DUPLICATES)  # the rest still said


def test_example_files_is_true_or_false(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path, [SPEC])
    config = folder / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'example-files = "no"\n', "utf-8")
    run = specgen(folder, capsys, monkeypatch, "generate")
    assert run.code == 1
    assert run.err == (
        "pyproject.toml: tool.specgen.jobs[0]: 'example-files' must be true or false, not 'no'\n"
    )
