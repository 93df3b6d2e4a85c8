"""Many configured jobs at once (``--jobs N``): a pool of worker processes says and writes
exactly what a serial run does, in job order, with every guarantee of the serial run kept.
The core count is pinned, never measured; nothing is timed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import pool
from generator.cli import main
from tests.projects import project, specgen

SPEC = """\
swagger: "2.0"
info: {{title: Service {n}, version: "1"}}
host: example.com
paths:
  /things{n}/{{id}}:
    get:
      operationId: Things_Get{n}
      parameters:
        - {{name: id, in: path, required: true, type: string}}
      responses:
        "200": {{description: ok, schema: {{$ref: "#/definitions/Thing{n}"}}}}
definitions:
  Thing{n}:
    type: object
    properties:
      name: {{type: string}}
      size: {{type: integer}}
"""
WARNS = SPEC.replace('swagger: "2.0"', "swagger: 2.0")  # a number: a warning, not an error
INVALID = SPEC.replace('"#/definitions/Thing{n}"', '"#/definitions/Gone"')


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECGEN_CACHE", raising=False)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every worker pool started (none: the jobs ran one after another here)."""
    started: list[int] = []
    real = pool.ProcessPoolExecutor

    def recording(workers: int, **options: Any) -> Any:
        # The tests that watch what workers do (through a monkeypatch they inherit) hold
        # only for forked workers: a thread left running would make them spawned.
        assert options["mp_context"].get_start_method() == "fork"
        started.append(workers)
        return real(workers, **options)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", recording)
    return started


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


SIX = [SPEC, SPEC, WARNS, SPEC, SPEC, SPEC]


def test_a_parallel_run_says_and_writes_what_a_serial_run_does(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    serial = specgen(project(tmp_path / "a", SIX), capsys, monkeypatch, "generate", "--jobs", "1")
    assert pools == []
    parallel = specgen(project(tmp_path / "b", SIX), capsys, monkeypatch, "generate", "-j", "3")
    assert pools == [3]
    assert serial.code == parallel.code == 0
    assert parallel.out == serial.out
    assert parallel.err == serial.err
    assert "s3.yaml" in parallel.err and "warning" in parallel.err
    lines = parallel.out.splitlines()
    assert [line.split(" -> ")[0] for line in lines] == [f"specs/s{n}.yaml" for n in range(1, 7)]
    assert tree(tmp_path / "b" / "out") == tree(tmp_path / "a" / "out")
    assert len({path.split("/")[0] for path in tree(tmp_path / "b" / "out")}) == 6

    # Nothing changed: every job is known up to date from hashes, no pool is started.
    again = specgen(tmp_path / "b", capsys, monkeypatch, "generate", "-j", "3")
    assert again.code == 0 and again.out.count("(up to date)") == 6
    assert pools == [3]


def test_an_invalid_job_leaves_every_output_untouched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    runs = {}
    for jobs in ("1", "4"):
        folder = project(tmp_path / jobs, SIX)
        assert specgen(folder, capsys, monkeypatch, "generate", "-j", jobs).code == 0
        before = tree(folder / "out")
        changed = [SPEC, SPEC, WARNS, SPEC, INVALID, SPEC]  # every job changed: none up to date
        project(folder, [text.replace("size", "weight") for text in changed])
        runs[jobs] = specgen(folder, capsys, monkeypatch, "generate", "-j", jobs)
        assert runs[jobs].code == 1
        assert tree(folder / "out") == before  # not even the jobs before the invalid one
    assert pools == [4, 4]
    assert runs["4"].out == runs["1"].out == ""
    assert runs["4"].err == runs["1"].err
    warning, error = runs["4"].err.splitlines()
    assert warning.startswith("specs/s3.yaml:") and "warning" in warning
    assert error.startswith("specs/s5.yaml:") and "Gone" in error


def test_strict_fails_on_the_first_job_with_warnings_in_job_order(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    specs = [SPEC, SPEC, WARNS, INVALID, WARNS]
    serial = specgen(
        project(tmp_path / "a", specs), capsys, monkeypatch, "generate", "--strict", "-j", "1"
    )
    parallel = specgen(
        project(tmp_path / "b", specs), capsys, monkeypatch, "generate", "--strict", "-j", "2"
    )
    assert pools == [2]
    assert serial.code == parallel.code == 1
    assert (parallel.out, parallel.err) == (serial.out, serial.err)
    assert parallel.err.startswith("specs/s3.yaml:") and "s4" not in parallel.err
    assert not (tmp_path / "b" / "out").exists()


def test_check_reports_stale_jobs_in_job_order(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    folder = project(tmp_path / "p", SIX)
    assert specgen(folder, capsys, monkeypatch, "generate", "-j", "1").code == 0
    assert specgen(folder, capsys, monkeypatch, "check", "-j", "3").out == (
        "generated output is up to date\n"
    )
    assert pools == []  # known from hashes: nothing to generate, no pool
    for n in (5, 2, 6):
        readme = folder / "out" / f"c{n}" / "README.md"
        readme.write_text(readme.read_text() + "edited\n")
    parallel = specgen(folder, capsys, monkeypatch, "check", "-j", "3")
    assert pools == [3]
    serial = specgen(folder, capsys, monkeypatch, "check", "--jobs", "1")
    assert pools == [3]
    assert parallel.code == serial.code == 1
    assert (parallel.out, parallel.err) == (serial.out, serial.err)
    stale = [line.split()[0] for line in parallel.out.splitlines() if "is stale" in line]
    assert stale == ["out/c2", "out/c5", "out/c6"]


def test_a_generator_bug_in_a_worker_is_reported_like_a_serial_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    from generator.python import render

    real: Callable[..., dict[str, str]] = render.render_package

    def broken(api: Any, options: Any, **settings: Any) -> dict[str, str]:
        if options.package == "client4":
            raise RuntimeError("boom")
        return real(api, options, **settings)

    monkeypatch.setattr(render, "render_package", broken)  # forked workers inherit it
    runs = [
        specgen(project(tmp_path / jobs, SIX), capsys, monkeypatch, "generate", "-j", jobs)
        for jobs in ("1", "3")
    ]
    assert pools == [3]
    assert runs[0] == runs[1]
    assert runs[1].code == 3  # an internal error, not a bad spec
    assert runs[1].err.splitlines()[-1] == (
        "specgen: internal error: RuntimeError: boom;"
        " please report it (rerun with --debug for the traceback)"
    )
    assert "Traceback" not in runs[1].err
    assert not (tmp_path / "3" / "out").exists()

    capsys.readouterr()
    assert main(["generate", "-j", "3", "--debug"]) == 3  # the worker's traceback, then the line
    err = capsys.readouterr().err
    assert pools == [3, 3]
    before, _, traceback = err.partition("Traceback (most recent call last):\n")
    assert before == runs[1].err.rpartition("specgen: internal error")[0]  # the warnings
    assert 'raise RuntimeError("boom")' in traceback
    assert err.endswith("RuntimeError: boom\n" + runs[1].err.splitlines()[-1] + "\n"), err


def test_a_worker_that_dies_is_an_internal_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    """A worker killed mid-job (a crash in a C extension, the out-of-memory killer) leaves no
    message of its own: the run still ends with status 3 and the one line, nothing written."""
    from generator.python import render

    real: Callable[..., dict[str, str]] = render.render_package

    def dies(api: Any, options: Any, **settings: Any) -> dict[str, str]:
        if options.package == "client4":
            os._exit(70)
        return real(api, options, **settings)

    monkeypatch.setattr(render, "render_package", dies)  # forked workers inherit it
    run = specgen(project(tmp_path, SIX), capsys, monkeypatch, "generate", "-j", "3")
    assert pools == [3]
    assert run.code == 3
    last = run.err.splitlines()[-1]  # the pool's own words come from the Python version
    assert last.startswith("specgen: internal error: BrokenProcessPool: "), last
    assert last.endswith("; please report it (rerun with --debug for the traceback)"), last
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("cores", "expected"), [(1, []), (2, [2]), (64, [6])])
def test_by_default_one_worker_per_core(
    cores: int,
    expected: list[int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    monkeypatch.setattr("generator.cli.available_cores", lambda: cores)
    assert specgen(project(tmp_path, SIX), capsys, monkeypatch, "generate").code == 0
    assert pools == expected  # never more workers than jobs; one core: no pool at all


def test_workers_validate_inline_and_a_serial_run_in_a_child(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pools: list[int],
) -> None:
    """A worker of a pool does not fork a validating child of its own: the other cores are
    busy with the other jobs.  (``can_fork`` is asked only where a child is wanted.)"""
    from generator import validation

    asked = tmp_path / "asked"

    def can_fork() -> bool:
        with open(asked, "a", encoding="utf-8") as handle:  # forked workers inherit this
            handle.write(f"{os.getpid()}\n")
        return False

    monkeypatch.setattr(validation, "can_fork", can_fork)
    assert (
        specgen(project(tmp_path / "a", SIX), capsys, monkeypatch, "generate", "-j", "3").code == 0
    )
    assert pools == [3] and not asked.exists()
    assert (
        specgen(project(tmp_path / "b", SIX), capsys, monkeypatch, "generate", "-j", "1").code == 0
    )
    assert asked.read_text().split() == [str(os.getpid())] * 6


def test_jobs_must_be_a_positive_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in ("0", "-2", "many"):
        with pytest.raises(SystemExit) as exit_:
            specgen(project(tmp_path, SIX), capsys, monkeypatch, "generate", "--jobs", value)
        assert exit_.value.code == 2
        assert "positive whole number" in capsys.readouterr().err


def test_available_cores_is_the_affinity_mask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert pool.available_cores() == 3
    monkeypatch.delattr(pool.os, "sched_getaffinity")
    monkeypatch.setattr(pool.os, "cpu_count", lambda: None)
    assert pool.available_cores() == 1
