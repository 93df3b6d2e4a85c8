"""``package-version = "auto"``: semver from the API diff against the committed ir.json, a
CHANGELOG.md entry per release, nothing changed when nothing changed; and ``specgen check``
printing the API-level summary above the file differences."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator.config import load_jobs
from generator.diff.compare import Change
from generator.diff.snapshot import read_snapshot
from generator.diff.versioning import bump
from generator.errors import ConfigError
from generator.pipeline import build_ir, ir_json
from tests.helpers import ROOT, write_spec
from tests.test_cli import GOOD, snapshot, specgen

PROJECT = """\
[[tool.specgen.jobs]]
spec = "spec.yaml"
output = "client"
package-name = "pets"
package-version = "auto"
"""


def change(kind: str, breaking: bool) -> Change:
    return Change(kind, breaking, None, None, kind)


@pytest.mark.parametrize(
    "version, changes, ir_changed, expected",
    [
        ("1.2.3", [change("field-removed", True), change("model-added", False)], True, "2.0.0"),
        ("1.2.3", [change("model-added", False)], True, "1.3.0"),
        ("1.2.3", [change("client-parameter-default-changed", False)], True, "1.2.4"),
        ("1.2.3", [], True, "1.2.4"),  # descriptions only
        ("1.2.3", [], False, "1.2.3"),
        ("0.3.1", [change("field-removed", True)], True, "0.4.0"),
        ("0.3.1", [change("model-added", False)], True, "0.3.2"),
        ("0.3.1", [], False, "0.3.1"),
        ("2024.1", [change("model-added", False)], True, "2024.2.0"),
        ("1.0", [], True, "1.0.1"),
        ("1.2.3rc1", [change("field-removed", True)], True, "2.0.0"),
    ],
    ids=[
        "major",
        "minor",
        "patch",
        "patch-docs",
        "same",
        "0x-breaking",
        "0x-added",
        "0x-same",
        "two-parts",
        "one-zero",
        "suffix",
    ],
)
def test_bump(version: str, changes: list[Change], ir_changed: bool, expected: str) -> None:
    assert bump(version, changes, ir_changed) == expected


def test_a_version_that_is_no_number_cannot_be_bumped() -> None:
    assert bump("latest", [], False) == "latest"  # nothing to bump: left as it is
    with pytest.raises(ConfigError, match="package version 'latest' is not major.minor.patch"):
        bump("latest", [change("model-added", False)], True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPECGEN_CACHE", "off")
    write_spec(tmp_path, GOOD)
    (tmp_path / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    return tmp_path


def version_of(project: Path) -> str:
    data = tomllib.loads((project / "client" / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def test_auto_versions_follow_the_api(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert specgen(capsys, "generate").code == 0
    assert version_of(project) == "0.1.0"
    first = (project / "client" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert first.startswith("# Changelog\n\n## 0.1.0\n")
    assert (project / "client" / "ir.json").is_file()  # auto keeps the snapshot it needs

    before = snapshot(project / "client")
    assert specgen(capsys, "generate").code == 0
    assert snapshot(project / "client") == before  # nothing changed: nothing changes

    # an optional field added to a response model: an addition, 0.x -> patch
    write_spec(
        project,
        GOOD.replace("age: {type: integer}", "age: {type: integer}\n      tag: {type: string}"),
    )
    assert specgen(capsys, "generate").code == 0
    assert version_of(project) == "0.1.1"
    log = (project / "client" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.startswith("# Changelog\n\n## 0.1.1\n\n### API changes: `1` → `1`\n")
    assert "**field-added** `Pet.tag`" in log
    assert log.index("## 0.1.1") < log.index("## 0.1.0")  # prepended, history kept
    assert "\n# Changelog" not in log[1:]

    # the field removed again: breaking, 0.x -> minor
    write_spec(project, GOOD)
    assert specgen(capsys, "generate").code == 0
    assert version_of(project) == "0.2.0"
    log = (project / "client" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert [line for line in log.splitlines() if line.startswith("## ")] == [
        "## 0.2.0",
        "## 0.1.1",
        "## 0.1.0",
    ]
    assert "### Breaking changes" in log.split("## 0.1.1")[0]


def test_check_prints_the_api_summary_above_the_file_differences(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert specgen(capsys, "generate").code == 0
    assert specgen(capsys, "check").code == 0
    write_spec(project, GOOD.replace("      age: {type: integer}\n", ""))  # Pet.age removed
    run = specgen(capsys, "check")
    assert run.code == 1
    lines = run.out.splitlines()
    assert "1 field removed (breaking)" in lines[1]
    assert lines.index("  files:") > 1
    assert any("field-removed" in line and "Pet.age" in line for line in lines)
    files = lines[lines.index("  files:") :]
    assert any("differs" in line and "CHANGELOG.md" in line for line in files)


@pytest.mark.parametrize("index", [0, 1], ids=["authoring", "inference"])
def test_ir_json_reads_back_into_the_same_ir(index: int) -> None:
    """The committed snapshots decode into the IR they were written from, field for field."""
    job = load_jobs(ROOT / "pyproject.toml")[index]
    api = read_snapshot(job.output / "ir.json")
    assert api is not None
    assert ir_json(api, job.spec.parent) == (job.output / "ir.json").read_text(encoding="utf-8")
    built = build_ir(job.spec, job=job)
    for part in ("models", "enums", "groups", "client_parameters", "host_parameters", "security"):
        assert getattr(api, part) == getattr(built, part), part
    assert read_snapshot(job.output / "no-such.json") is None
