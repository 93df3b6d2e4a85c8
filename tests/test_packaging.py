"""specgen installs as a wheel (not only editable): the templates and runtime ship inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, write_spec

SPEC = """
swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /ping:
    get:
      operationId: Ping_Get
      responses: {'204': {description: none}}
"""


def test_an_installed_specgen_generates(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "generated", "*.egg-info"),
    )
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "generator" / "templates" / "models.py.jinja").is_file()
    assert (target / "generator" / "templates" / "runtime" / "_client.py").is_file()
    spec = write_spec(tmp_path, SPEC)
    env = dict(os.environ, PYTHONPATH=str(target), SPECGEN_CACHE="off")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "generate",
            str(spec),
            "-o",
            str(tmp_path / "out"),
            "-p",
            "ping",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "ping" / "_runtime" / "_client.py").is_file()
