"""Nothing changed, nothing done: check and generate recognise an up-to-date output from hashes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cache, loader
from generator.cli import main
from tests.helpers import write_spec

SPEC = """
swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: Items_Get
      parameters: [{in: path, name: id, required: true, type: string}]
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/Item'}}}
definitions:
  Item: {type: object, properties: {id: {type: string}}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECGEN_CACHE", raising=False)
    write_spec(tmp_path, SPEC, "spec.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.specgen.jobs]]\nspec = "spec.yaml"\noutput = "out"\npackage-name = "items"\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    return tmp_path


def _no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spec was loaded although nothing changed")

    monkeypatch.setattr(loader, "load_spec", refuse)


def test_check_and_generate_skip_all_work_when_nothing_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_loading(monkeypatch)
    assert main(["check"]) == 0
    assert main(["generate"]) == 0


def test_a_changed_spec_is_generated_again(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "spec.yaml"
    spec.write_text(spec.read_text().replace("{id: {type: string}}", "{id: {type: integer}}"))
    assert main(["check"]) == 1
    assert "differs" in capsys.readouterr().out
    assert main(["generate"]) == 0
    assert main(["check"]) == 0


def test_an_edited_or_extra_output_file_is_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = project / "out" / "items" / "models" / "__init__.py"
    models.write_text(models.read_text() + "# edited\n")
    assert main(["check"]) == 1
    assert main(["generate"]) == 0
    (project / "out" / "items" / "stray.py").write_text("")
    assert main(["check"]) == 1
    assert "stray.py" in capsys.readouterr().out


def test_the_cache_can_be_switched_off(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_CACHE", "off")
    calls = []
    real = loader.load_spec
    monkeypatch.setattr(loader, "load_spec", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(["check"]) == 0
    assert calls


@pytest.mark.parametrize("edited", ["generator/python/render.py", "templates/client.py.jinja"])
def test_a_change_to_specgens_own_code_or_templates_is_generated_again(
    edited: str, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """specgen's own sources are part of a job's key.  A copy of them stands in for the
    installed ones (the fingerprint is read from wherever ``cache`` lives); editing one file
    of the copy makes ``check`` do the whole run again."""
    installed = Path(cache.__file__).resolve().parent
    copy = tmp_path / "specgen"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(installed, copy / "generator", ignore=ignore)
    shutil.copytree(installed.parent / "templates", copy / "templates", ignore=ignore)
    monkeypatch.setattr(cache, "__file__", str(copy / "generator" / "cache.py"))
    cache.specgen_fingerprint.cache_clear()
    try:
        assert main(["generate"]) == 0  # remembered under the copy's fingerprint
        loads = _counting_loads(monkeypatch)
        assert main(["check"]) == 0
        assert loads == []  # the copy fingerprints as the installed sources do

        with open(copy / edited, "a", encoding="utf-8") as handle:
            handle.write("\n")
        cache.specgen_fingerprint.cache_clear()  # a new process: specgen was upgraded
        assert main(["check"]) == 0
        assert len(loads) == 1  # the whole run, although no input of the job changed
    finally:
        cache.specgen_fingerprint.cache_clear()  # for the tests after this one


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    loads: list[Path] = []
    real = loader.load_spec

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        loads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_spec", counting)
    return loads
