"""The committed output under generated/ is exactly what the generator makes today, and making
it is reproducible: the same bytes every time, from any working folder, with no machine paths
or dates in them."""

from __future__ import annotations

import contextlib
import datetime
import difflib
import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Job, load_jobs
from generator.pipeline import generate_files
from generator.writer import read_tree
from tests.helpers import ROOT

JOBS = load_jobs(ROOT / "pyproject.toml")
IDS = [job.package_name for job in JOBS]
MAX_DIFF_LINES = 40  # per file
MAX_REPORT_LINES = 200


def _generate(job: Job, cwd: Path) -> dict[str, str]:
    with contextlib.chdir(cwd):
        return generate_files(job)[1]


@functools.cache
def _from_root(index: int) -> dict[str, str]:
    """The job generated as `specgen generate` does it in the repository root (cached)."""
    return _generate(JOBS[index], ROOT)


@pytest.fixture(scope="module")
def from_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], dict[str, str]]:
    """The job generated with a working folder outside the repository (cached)."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    return functools.cache(lambda index: _generate(JOBS[index], elsewhere))


def _report(actual: dict[str, str], expected: dict[str, str], label: str) -> str:
    """'' when equal, else which files differ, with a unified diff of limited length each."""
    lines: list[str] = []
    for path in sorted(set(actual) | set(expected)):
        if path not in actual:
            lines.append(f"missing: {label}/{path}")
        elif path not in expected:
            lines.append(f"not generated: {label}/{path}")
        elif actual[path] != expected[path]:
            diff = list(
                difflib.unified_diff(
                    actual[path].splitlines(),
                    expected[path].splitlines(),
                    f"{label}/{path} (actual)",
                    f"{label}/{path} (expected)",
                    lineterm="",
                )
            )
            lines.append(f"differs: {label}/{path}")
            lines += diff[:MAX_DIFF_LINES]
            if len(diff) > MAX_DIFF_LINES:
                lines.append(f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)")
    if len(lines) > MAX_REPORT_LINES:
        lines = lines[:MAX_REPORT_LINES] + [f"... ({len(lines) - MAX_REPORT_LINES} more lines)"]
    return "\n".join(lines)


@pytest.mark.parametrize("index", range(len(JOBS)), ids=IDS)
def test_generated_folder_matches_a_fresh_generation(index: int) -> None:
    job = JOBS[index]
    label = job.output.relative_to(ROOT).as_posix()
    expected = _from_root(index)
    actual = read_tree(job.output)
    report = _report(actual, expected, label)
    # read_tree decodes text (newline translation, replaced bytes): compare the raw bytes too
    same_text = [p for p in sorted(expected) if actual.get(p) == expected[p]]
    for path in same_text:
        if (job.output / path).read_bytes() != expected[path].encode("utf-8"):
            report += f"\ndiffers in bytes (line endings or encoding): {label}/{path}"
    if report:
        pytest.fail(f"{label} is stale (run `specgen generate`):\n{report}", pytrace=False)


@pytest.mark.parametrize("index", range(len(JOBS)), ids=IDS)
def test_generation_is_deterministic(
    index: int, from_elsewhere: Callable[[int], dict[str, str]]
) -> None:
    """Twice in one process, and from a working folder outside the repository."""
    first = _from_root(index)
    report = _report(_generate(JOBS[index], ROOT), first, "second run")
    if report:
        pytest.fail(f"two runs differ:\n{report}", pytrace=False)
    report = _report(from_elsewhere(index), first, "other cwd")
    if report:
        pytest.fail(f"output depends on the working folder:\n{report}", pytrace=False)


@pytest.mark.parametrize("index", range(len(JOBS)), ids=IDS)
def test_no_machine_paths_or_dates_in_output(
    index: int, from_elsewhere: Callable[[int], dict[str, str]]
) -> None:
    today = datetime.date.today()
    forbidden = {
        "/work",
        "/tmp",
        str(ROOT),
        today.isoformat(),
        today.strftime("%Y%m%d"),
        today.strftime("%d/%m/%Y"),
    }
    found = []
    runs = {"repo root": _from_root(index), "another folder": from_elsewhere(index)}
    for where, files in runs.items():
        for path, text in sorted(files.items()):
            for lineno, line in enumerate(text.splitlines(), 1):
                hits = sorted(f for f in forbidden if f in line)
                if hits:
                    found.append(f"{path}:{lineno} (cwd: {where}): {hits}: {line.strip()[:120]}")
    if found:
        pytest.fail(
            "machine-specific text in generated files:\n" + "\n".join(found[:30]), pytrace=False
        )
