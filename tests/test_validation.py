"""Validation in a child process beside the pipeline gives exactly what an inline run gives:
the same errors, warnings in the same order, the same files, and nothing written for an
invalid spec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import forking, validation
from generator.errors import SpecError
from generator.loader import Spec, load_spec
from generator.profile import Profile
from generator.validation import Validation
from tests.helpers import ROOT, write_spec

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux")

# Loader warnings (a missing example file) before validation warnings (defaults that break
# their schema), then the reader's (an undefined required property).
WARNINGS = """\
swagger: "2.0"
info: {title: Pets, version: "1"}
host: example.com
paths:
  /pets/{id}:
    get:
      operationId: Pets_Get
      x-ms-examples:
        Get: {$ref: ./examples/missing.json}
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: limit, in: query, type: integer, default: lots}
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Pet"}
definitions:
  Pet:
    type: object
    required: [name, nosuch]
    properties:
      name: {type: string, default: 7}
"""

# Errors only the validator finds (the refs are sound): a bad parameter location, a bad type.
INVALID = """\
swagger: "2.0"
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: Pets_List
      parameters:
        - {name: q, in: nowhere, type: string}
      responses:
        "200":
          description: ok
          schema: {type: strin}
"""


def _run(folder: Path, parallel: bool, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SPECGEN_PARALLEL="on" if parallel else "off", SPECGEN_CACHE="off")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        check=False,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_valid_spec_gives_the_same_warnings_and_files(tmp_path: Path) -> None:
    results = {}
    for parallel in (False, True):
        folder = tmp_path / str(parallel)
        folder.mkdir()
        write_spec(folder, WARNINGS)
        args = ["generate", "spec.yaml", "-o", "out", "-p", "pets"]
        run = _run(folder, parallel, *args)
        assert run.returncode == 0, run.stderr
        results[parallel] = (run.stdout, run.stderr, _tree(folder / "out"))
    assert results[True] == results[False]
    stderr = results[True][1]
    assert stderr.index("missing.json") < stderr.index("lots") < stderr.index("nosuch")


def test_an_invalid_spec_gives_the_same_errors_and_writes_nothing(tmp_path: Path) -> None:
    results = {}
    for parallel in (False, True):
        folder = tmp_path / str(parallel)
        folder.mkdir()
        write_spec(folder, INVALID)
        run = _run(folder, parallel, "generate", "spec.yaml", "-o", "out", "-p", "pets")
        assert run.returncode == 1
        assert sorted(os.listdir(folder)) == ["spec.yaml"]
        results[parallel] = (run.stdout, run.stderr)
    assert results[True] == results[False]
    assert results[True] == (
        "",
        (
            "spec.yaml:8: {'name': 'q', 'in': 'nowhere', 'type': 'string'} is not valid under"
            " any of the given schemas: at 'in': 'nowhere' is not one of"
            " ['header', 'formData', 'query', 'path']\n"
            "spec.yaml:12: 'strin' is not valid under any of the given schemas: it is not one"
            " of ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'],"
            " and it is not of type 'array'\n"
        ),
    )


def test_the_profile_shows_the_child_and_the_wait(tmp_path: Path) -> None:
    write_spec(tmp_path, WARNINGS)
    run = _run(tmp_path, True, "generate", "spec.yaml", "-o", "out", "-p", "pets", "--profile")
    assert run.returncode == 0, run.stderr
    stages = [line.split()[0] for line in run.stdout.splitlines() if line.startswith("  ")]
    assert stages == ["load", "ir", "render", "format", "validate", "validate", "write"]
    assert "validate (wait)" in run.stdout


def test_a_child_that_dies_means_validating_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_spec(tmp_path, INVALID)
    spec = load_spec(path, validate=False)
    parent = os.getpid()
    real = Spec._validate

    def dies_in_the_child(self: Spec) -> object:
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory: no answer at all
        return real(self)

    monkeypatch.setattr(Spec, "_validate", dies_in_the_child)
    monkeypatch.setattr(validation, "can_fork", lambda: True)
    profile = Profile()
    running = Validation.start(path, profile, background=True)
    running.attach(spec)
    with pytest.raises(SpecError) as raised:
        running.finish()
    assert "validate (wait)" in profile.stages  # a child was forked and waited for
    assert "nowhere" in str(raised.value)


def test_no_child_where_forking_is_unsafe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_spec(tmp_path, WARNINGS)
    spec = load_spec(path, validate=False)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    # everything else would allow a child: only the setting says no
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forking.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("SPECGEN_PARALLEL", "off")
    profile = Profile()
    running = Validation.start(path, profile, background=True)
    running.attach(spec)
    running.finish()
    assert "validate (wait)" not in profile.stages
    assert any("lots" in w.message for w in spec.warnings)
