"""``package-version = "auto"``: the generated project's version follows what changed in its
Python API since the previous generation (the ``ir.json`` snapshot in the output folder), by
semver, with a CHANGELOG.md entry per release.  Nothing changed: nothing changes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..ir import Api
from .compare import Change, compare
from .report import markdown, summary, text
from .snapshot import parse_snapshot, read_snapshot

AUTO = "auto"
FIRST_VERSION = "0.1.0"
CHANGELOG = "CHANGELOG.md"
_TITLE = "# Changelog\n"
# major[.minor[.patch]] at the start: "1.0" and "2024.1" count as "1.0.0" and "2024.1.0", and
# a suffix ("1.2.3rc1") is dropped by the bump, so the new version is always the greater
_SEMVER = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


@dataclass
class Release:
    version: str
    changelog: str  # the whole CHANGELOG.md
    changes: list[Change]


def bump(version: str, changes: list[Change], ir_changed: bool) -> str:
    """Major for a breaking change, minor for an addition, patch for anything else; below
    1.0 (``0.x``), breaking bumps the minor and anything else the patch."""
    match = _SEMVER.match(version)
    if match is None:
        if not ir_changed and not changes:
            return version
        raise ConfigError(f"package version {version!r} is not major.minor.patch: cannot bump it")
    major, minor, patch = (int(n or 0) for n in match.groups())
    breaking = any(c.breaking for c in changes)
    added = any(c.kind.endswith("-added") for c in changes)
    if not changes and not ir_changed:
        return version
    if major == 0:
        return f"0.{minor + 1}.0" if breaking else f"0.{minor}.{patch + 1}"
    if breaking:
        return f"{major + 1}.0.0"
    if added:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def next_release(output: Path, api: Api, ir_text: str) -> Release:
    """The version and CHANGELOG.md of a regeneration into ``output`` producing ``api``
    (whose snapshot text is ``ir_text``)."""
    old_changelog = _read(output / CHANGELOG)
    old_ir = _read(output / "ir.json")
    version = _project_version(output) or FIRST_VERSION
    if not old_ir:  # nothing to compare with: the version stays, the history starts
        return Release(version, _prepend(old_changelog, _first_entry(version, api)), [])
    previous = parse_snapshot(old_ir, output / "ir.json")
    changes = compare(previous, api)
    ir_changed = old_ir != ir_text
    new_version = bump(version, changes, ir_changed)
    if new_version == version:
        return Release(version, old_changelog or _prepend("", _first_entry(version, api)), [])
    if changes:
        body = markdown(changes, previous.version, api.version, heading="###")
    else:
        body = "No change to the Python API (descriptions and other details of the spec).\n"
    entry = f"## {new_version}\n\n{body}"
    return Release(new_version, _prepend(old_changelog, entry), changes)


def _first_entry(version: str, api: Api) -> str:
    return f"## {version}\n\nGenerated from API version `{api.version}`.\n"


def _prepend(changelog: str, entry: str) -> str:
    rest = changelog.removeprefix(_TITLE).lstrip("\n")
    return f"{_TITLE}\n{entry}" + (f"\n{rest}" if rest else "")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _project_version(output: Path) -> str | None:
    try:
        data = tomllib.loads((output / "pyproject.toml").read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return None
    version = data.get("project", {}).get("version")
    return version if isinstance(version, str) else None


def api_summary(output: Path, api: Api) -> list[str]:
    """What ``specgen check`` prints above the file differences of a stale job."""
    previous = read_snapshot(output / "ir.json")
    if previous is None:
        return ["API changes: unknown (no ir.json in the output to compare with; write-ir = true)"]
    changes = compare(previous, api)
    if not changes:
        return [f"API changes: {summary(changes)}"]
    lines = text(changes, previous.version, api.version).splitlines()
    return [line for line in lines if line]  # indented under the job: no blank lines
