"""Work in forked children: results and errors come back; a large package is formatted in
shares, with the same output as in one process."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from generator import forking
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


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking allowed although pytest runs threads (the servers of other tests)."""
    monkeypatch.setattr(forking, "can_fork", lambda: True)


def _marking_pids(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Each text the function ``name`` makes ends with the pid of the process that made it."""
    real = getattr(module, name)

    def marking(*args: Any, **kwargs: Any) -> dict[str, str]:
        made = real(*args, **kwargs)
        return {path: f"{text}# {os.getpid()}\n" for path, text in made.items()}

    monkeypatch.setattr(module, name, marking)


def _pid_of(text: str) -> int:
    return int(text.rsplit("# ", 1)[1])


def test_formatting_in_shares_matches_one_process(
    monkeypatch: pytest.MonkeyPatch, forks: None
) -> None:
    files = {f"pkg/models/_m{index}.py": _module(index) for index in range(40)}
    files["pkg/py.typed"] = ""
    files["pkg/README.md"] = "x" * 200  # not Python: passed through
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 0)
    serial = formatting.format_files(files)
    assert serial["pkg/models/_m7.py"] != files["pkg/models/_m7.py"]  # it had work to do
    parallel = formatting.format_files(files, workers=2)
    assert parallel == serial and list(parallel) == list(files)
    _marking_pids(monkeypatch, formatting, "_format_share")
    marked = formatting.format_files(files, workers=2)
    pids = {_pid_of(text) for path, text in marked.items() if path.endswith(".py")}
    assert os.getpid() in pids and len(pids) == 2  # this process and one child


def test_an_error_in_a_share_formatted_by_a_child_is_raised(
    monkeypatch: pytest.MonkeyPatch, forks: None
) -> None:
    files = {f"pkg/_m{index}.py": _module(index) for index in range(10)}
    files["pkg/_m3.py"] = "def broken(:\n"
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 0)
    parts = forking.shares(list(files), lambda path: len(files[path]), 2)
    assert "pkg/_m3.py" in parts[1]  # the smallest file goes to the child's share
    with pytest.raises(GenerationError, match=r"^pkg/_m3.py:1: generated code is not valid"):
        formatting.format_files(files, workers=2)


def test_no_fork_for_a_small_package_or_where_forking_is_unsafe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {f"pkg/_m{index}.py": _module(index) for index in range(4)}
    monkeypatch.setattr(forking.Child, "start", lambda work: pytest.fail("forked"))
    monkeypatch.setattr(forking, "can_fork", lambda: True)
    formatting.format_files(files, workers=2)  # 4 small files: one share
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(forking, "can_fork", lambda: False)
    assert formatting.format_files(files, workers=2) == formatting.format_files(files)


def test_children_are_waited_for_when_this_process_fails(forks: None) -> None:
    def work(part: list[int]) -> dict[str, str]:
        if part == [1]:
            raise ValueError("the parent's share fails")
        time.sleep(30)  # a child still at work: ended, not left behind
        return {}

    with pytest.raises(ValueError, match="the parent's share fails"):
        forking.in_shares(work, [[1], [2], [3]])
    with pytest.raises(ChildProcessError):  # no child left: none to wait for
        os.waitpid(-1, os.WNOHANG)


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: None
) -> None:
    from generator.config import Job
    from generator.pipeline import build_ir
    from generator.python import render

    spec = write_spec(tmp_path, _spec_of_many_models(12))
    api = build_ir(spec, job=Job(spec=spec, output=tmp_path / "out", package_name="many"))
    options = render.PackageOptions(package="many", distribution="many")
    monkeypatch.setattr(render, "_PARALLEL_FROM", 2)
    serial = render.render_package(api, options)
    models = [p for p in serial if p.startswith("many/models/_") and not p.endswith("__.py")]
    assert len(models) >= 12
    parallel = render.render_package(api, options, workers=2)
    assert parallel == serial and list(parallel) == list(serial)
    _marking_pids(monkeypatch, render, "_render_models")
    marked = render.render_package(api, options, workers=2)
    pids = {_pid_of(marked[path]) for path in models}
    assert os.getpid() in pids and len(pids) == 2  # this process and one child


class _Unreadable(Exception):
    """Pickles, but cannot be built again from its pickle (two required arguments)."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def test_an_error_that_cannot_be_read_back_is_still_reported() -> None:
    def fails() -> None:
        raise _Unreadable("kept", "message")

    with pytest.raises(RuntimeError, match="^_Unreadable: kept message$"):
        Child.start(fails).result()
