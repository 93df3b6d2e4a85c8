"""Work in forked children: results and errors come back; a large package is formatted in
shares, with the same output as in one process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.errors import GenerationError
from generator.forking import Child, ChildDied
from generator.python import format as formatting
from tests.helpers import write_spec


def test_a_child_sends_back_its_result_its_error_or_nothing() -> None:
    assert Child.start(os.getpid).result() != os.getpid()

    def fails() -> None:
        raise GenerationError("models/_a.py:3: generated code is not valid Python")

    with pytest.raises(GenerationError, match=r"^models/_a.py:3: generated code"):
        Child.start(fails).result()
    with pytest.raises(ChildDied):
        Child.start(lambda: os._exit(3)).result()


def _module(index: int) -> str:
    # a signature longer than black's limit: only the layout makes it black's
    parameters = ", ".join(f"argument_{n}_of_{index}: int = {n}" for n in range(6))
    return f"def call_{index}({parameters}) -> None:\n    pass\n"


def test_formatting_in_shares_matches_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"pkg/models/_m{index}.py": _module(index) for index in range(40)}
    files["pkg/py.typed"] = ""
    files["pkg/README.md"] = "x" * 200  # not Python: passed through
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 0)
    serial = formatting.format_files(files)
    assert serial["pkg/models/_m7.py"] != files["pkg/models/_m7.py"]  # it had work to do
    shares = formatting._shares([p for p in files if p.endswith(".py")], files, 2)
    assert len(shares) == 2 and all(shares)
    parallel = formatting.format_files(files, workers=2)
    assert parallel == serial and list(parallel) == list(files)


def test_an_error_in_a_share_formatted_by_a_child_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {f"pkg/_m{index}.py": _module(index) for index in range(10)}
    files["pkg/_m3.py"] = "def broken(:\n"
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 0)
    shares = formatting._shares(list(files), files, 2)
    assert "pkg/_m3.py" in shares[1]  # the smallest file goes to a child's share
    with pytest.raises(GenerationError, match=r"^pkg/_m3.py:1: generated code is not valid"):
        formatting.format_files(files, workers=2)


def test_a_small_package_is_formatted_in_one_process() -> None:
    files = {"pkg/_m.py": _module(0)}
    assert formatting._shares(list(files), files, 2) == [["pkg/_m.py"]]


def _spec_of_many_models(count: int) -> str:
    """A spec whose models refer to none another: one module each in the models package."""
    schemas = "\n".join(
        f"    M{n}:\n      type: object\n      properties:\n"
        f"        name{n}: {{type: string}}\n        size: {{type: integer}}"
        for n in range(count)
    )
    return (
        "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n  /m:\n    get:\n"
        "      operationId: getM\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/M0'}\n"
        f"components:\n  schemas:\n{schemas}\n"
    )


def test_rendering_in_shares_matches_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import Job
    from generator.pipeline import build_ir
    from generator.python import render

    spec = write_spec(tmp_path, _spec_of_many_models(12))
    api = build_ir(spec, job=Job(spec=spec, output=tmp_path / "out", package_name="many"))
    options = render.PackageOptions(package="many", distribution="many")
    monkeypatch.setattr(render, "_PARALLEL_FROM", 2)
    serial = render.render_package(api, options)
    assert sum(path.startswith("many/models/_") for path in serial) >= 12
    parent = os.getpid()
    rendered_by: set[int] = set()
    real = render._render_models

    def recording(*args: Any) -> dict[str, str]:
        rendered_by.add(os.getpid())
        return real(*args)

    monkeypatch.setattr(render, "_render_models", recording)
    parallel = render.render_package(api, options, workers=2)
    assert parallel == serial and list(parallel) == list(serial)
    assert parent in rendered_by  # and a child rendered the other share (not recorded here)
    names = render.TypeNames({m.id: m for m in api.models}, {e.id: e for e in api.enums})
    models = render.build_models_package(api, names)
    shares = render._shares(models, 2)
    assert len(shares) == 2 and sorted(shares[0] + shares[1]) == sorted(models.groups)
