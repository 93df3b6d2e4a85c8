"""Projects of several jobs, built from spec texts, and ``specgen`` run in them in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import write_spec


@dataclass
class Run:
    code: int
    out: str
    err: str


def project(folder: Path, specs: list[str]) -> Path:
    """A project whose pyproject.toml configures one job per spec text, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    config = []
    for n, text in enumerate(specs, start=1):
        write_spec(folder, text.format(n=n), f"specs/s{n}.yaml")
        config.append(
            f'[[tool.specgen.jobs]]\nspec = "specs/s{n}.yaml"\noutput = "out/c{n}"\n'
            f'package-name = "client{n}"\n'
        )
    (folder / "pyproject.toml").write_text("\n".join(config), encoding="utf-8")
    return folder


def specgen(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str
) -> Run:
    """``specgen *argv`` run in ``folder`` (messages name files relative to the project)."""
    monkeypatch.chdir(folder)
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return Run(code, out, err)
