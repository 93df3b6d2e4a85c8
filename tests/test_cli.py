"""The ``specgen`` command line: exit codes, messages, configured jobs, ``check``, ``--strict``,
atomic output, bad input and internal errors.  Exit status: 0 ok, 1 bad spec / configuration /
stale output, 2 usage error, 3 internal error (a bug in specgen)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator import config
from generator.cli import main
from tests.helpers import write_spec

GOOD = """\
swagger: "2.0"
info: {title: Pets, version: "1"}
host: example.com
schemes: [https]
paths:
  /pets/{id}:
    get:
      operationId: Pets_Get
      parameters:
        - {name: id, in: path, required: true, type: string}
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Pet"}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      age: {type: integer}
"""

# Two broken refs, on lines 6 and 8.
TWO_PROBLEMS = """\
swagger: "2.0"
info: {title: T, version: "1"}
paths: {}
definitions:
  A:
    $ref: "#/definitions/Nope"
  B:
    $ref: "#/definitions/Gone"
"""

PROJECT = """\
[tool.specgen]
[[tool.specgen.jobs]]
spec = "spec.yaml"
output = "client"
package-name = "pets"
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


def specgen(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """Run ``specgen argv`` in-process; argparse's SystemExit becomes the exit code."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return Run(code, out, err)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages then name files relative to tmp_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with its own pyproject.toml configuring one job."""
    write_spec(tmp_path, GOOD)
    (tmp_path / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    return tmp_path


# ------------------------------------------------------------------------- usage, help


def test_help_mentions_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    run = specgen(capsys, "--help")
    assert run.code == 0
    for command in ("generate", "check", "validate", "ir"):
        assert re.search(rf"^\s+{command}\s", run.out, re.MULTILINE), command


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["generate", "spec.yaml"],  # no --output
        ["generate", "spec.yaml", "--output", "out"],  # no --package-name
        ["validate"],
        ["generate", "--no-such-option"],
    ],
    ids=["no-command", "unknown-command", "no-output", "no-package-name", "no-spec", "bad-opt"],
)
def test_usage_errors_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, GOOD)
    run = specgen(capsys, *argv)
    assert run.code == 2
    assert run.err.strip()
    assert sorted(os.listdir(tmp_path)) == ["spec.yaml"]


# ------------------------------------------------------------------------- validate, ir


def test_validate_good_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_spec(tmp_path, GOOD)
    run = specgen(capsys, "validate", "spec.yaml")
    assert (run.code, run.err) == (0, "")
    assert run.out == "spec.yaml: valid Swagger 2.0\n"


def test_validate_bad_spec_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, TWO_PROBLEMS)
    run = specgen(capsys, "validate", "spec.yaml")
    assert run.code == 1
    lines = run.err.splitlines()
    assert len(lines) == 2, run.err
    assert lines[0].startswith("spec.yaml:6: ") and "Nope" in lines[0]
    assert lines[1].startswith("spec.yaml:8: ") and "Gone" in lines[1]


def test_ir_prints_sorted_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_spec(tmp_path, GOOD)
    run = specgen(capsys, "ir", "spec.yaml")
    assert (run.code, run.err) == (0, "")
    data = json.loads(run.out)
    assert run.out == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "Pet" in run.out and "Pets_Get" in run.out


# ------------------------------------------------------------------------- configured jobs


def test_generate_without_arguments_runs_the_configured_jobs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = specgen(capsys, "generate")
    assert run.code == 0, run.err
    assert (project / "client" / "pyproject.toml").is_file()
    assert (project / "client" / "pets" / "__init__.py").is_file()
    assert (project / "client" / "pets" / "py.typed").is_file()


def test_check_passes_when_in_step(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert specgen(capsys, "generate").code == 0
    run = specgen(capsys, "check")
    assert run.code == 0, run.out + run.err


def test_check_fails_before_anything_was_generated(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = specgen(capsys, "check")
    assert run.code == 1
    assert "client/pets/models/__init__.py" in run.out


def test_check_reports_an_edited_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert specgen(capsys, "generate").code == 0
    with open(project / "client" / "pets" / "models" / "__init__.py", "a", encoding="utf-8") as handle:
        handle.write("HAND_EDIT = 1\n")
    run = specgen(capsys, "check")
    assert run.code == 1
    assert "client/pets/models/__init__.py" in run.out
    assert "HAND_EDIT = 1" in run.out  # the summary shows the change
    assert "client/pets/__init__.py" not in run.out  # and only what changed


def test_check_reports_a_stray_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert specgen(capsys, "generate").code == 0
    (project / "client" / "pets" / "stray.py").write_text("x = 1\n", encoding="utf-8")
    run = specgen(capsys, "check")
    assert run.code == 1
    assert "client/pets/stray.py" in run.out


# ------------------------------------------------------------------------- --strict

# Each spec is usable but earns a warning.
WARNING_SPECS = {
    # `required` names a property that does not exist, in a plain Swagger 2.0 definition ...
    "required-missing-swagger2": """\
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths: {}
        definitions:
          Pet:
            type: object
            required: [name, nosuch]
            properties:
              name: {type: string}
        """,
    # ... in a plain OpenAPI 3.0 schema ...
    "required-missing-openapi3": """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Pet:
              type: object
              required: [name, nosuch]
              properties:
                name: {type: string}
        """,
    # ... and in an OpenAPI 3.0 schema with allOf.
    "required-missing-openapi3-allof": """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Base:
              type: object
              properties:
                id: {type: string}
            Pet:
              allOf: [{$ref: "#/components/schemas/Base"}]
              required: [name, nosuch]
              properties:
                name: {type: string}
        """,
    "swagger-version-as-number": GOOD.replace('swagger: "2.0"', "swagger: 2.0"),
}


@pytest.mark.parametrize("name", sorted(WARNING_SPECS))
def test_strict_turns_warnings_into_errors(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, WARNING_SPECS[name])
    run = specgen(capsys, "validate", "spec.yaml")
    assert run.code == 0
    assert re.search(r"^spec\.yaml:\d+: warning: ", run.err, re.MULTILINE), "no warning printed"

    assert specgen(capsys, "validate", "--strict", "spec.yaml").code == 1
    run = specgen(capsys, "generate", "--strict", "spec.yaml", "-o", "out", "-p", "pets")
    assert run.code == 1
    assert "warning" in run.err
    assert sorted(os.listdir(tmp_path)) == ["spec.yaml"]  # nothing written

    run = specgen(capsys, "generate", "spec.yaml", "-o", "out", "-p", "pets")
    assert run.code == 0  # without --strict it is only a warning
    assert "warning" in run.err


def test_strict_writes_no_job_when_a_later_job_warns(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(project, WARNING_SPECS["swagger-version-as-number"], "warns.yaml")
    with open(project / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write('[[tool.specgen.jobs]]\nspec = "warns.yaml"\noutput = "other"\n')
        handle.write('package-name = "other"\n')
    run = specgen(capsys, "generate", "--strict")
    assert run.code == 1
    assert not (project / "client").exists()
    assert not (project / "other").exists()


# ------------------------------------------------------------------------- atomic output


def test_failed_generate_leaves_the_previous_output_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, GOOD)
    write_spec(tmp_path, TWO_PROBLEMS, "bad.yaml")
    assert specgen(capsys, "generate", "spec.yaml", "-o", "out", "-p", "pets").code == 0
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml", "out", "spec.yaml"]  # no leftovers
    before = snapshot(tmp_path / "out")
    assert "pets/models/__init__.py" in before

    run = specgen(capsys, "generate", "bad.yaml", "-o", "out", "-p", "pets")
    assert run.code == 1
    assert snapshot(tmp_path / "out") == before
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml", "out", "spec.yaml"]

    assert specgen(capsys, "generate", "spec.yaml", "-o", "out", "-p", "pets").code == 0
    assert snapshot(tmp_path / "out") == before  # regenerating replaces it, same bytes
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml", "out", "spec.yaml"]


def test_a_write_that_fails_midway_leaves_the_previous_output_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file system refuses the last file of a new tree (a name too long for it): the old
    output is untouched, nothing of the new one is anywhere, and the error is one line."""
    from generator.errors import GenerationError
    from generator.writer import write_tree

    write_spec(tmp_path, GOOD)
    assert specgen(capsys, "generate", "spec.yaml", "-o", "out", "-p", "pets").code == 0
    before = snapshot(tmp_path / "out")
    files = {name: "new\n" for name in before} | {"pets/new.py": "new\n", "z" * 300: "new\n"}
    with pytest.raises(GenerationError) as info:
        write_tree(files, tmp_path / "out")
    assert str(info.value) == f"{tmp_path / 'out'}: cannot write {'z' * 300}: File name too long"
    assert snapshot(tmp_path / "out") == before
    assert sorted(os.listdir(tmp_path)) == ["out", "spec.yaml"]  # no staging folder left


def test_refuses_to_replace_a_folder_specgen_did_not_create(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, GOOD)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious\n", encoding="utf-8")
    (mine / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    before = snapshot(mine)

    run = specgen(capsys, "generate", "spec.yaml", "-o", "mine", "-p", "pets")
    assert run.code == 1
    assert "mine" in run.err and "refus" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert snapshot(mine) == before
    assert sorted(os.listdir(tmp_path)) == ["mine", "spec.yaml"]


# ------------------------------------------------------------------------- bad input

HEAD = 'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths: {}\n'
BAD_INPUTS: dict[str, tuple[str, str, str]] = {
    # case: (file name, text, the exact message)
    "invalid-yaml": (
        "spec.yaml",
        HEAD.replace('"1"}', '"1"'),
        "spec.yaml:3: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping)",
    ),
    "invalid-json": (
        "spec.json",
        '{"swagger": "2.0",\n "info": {"title": "T"}\n',
        "spec.json:3: invalid JSON: Expecting ',' delimiter",
    ),
    "empty-file": ("spec.yaml", "", "spec.yaml#: file is empty"),
    "top-level-list": (
        "spec.yaml",
        "- swagger\n- '2.0'\n",
        "spec.yaml:1: expected a mapping at the top level, found a list",
    ),
    "swagger-1.2": (
        "spec.yaml",
        HEAD.replace('"2.0"', '"1.2"'),
        """spec.yaml:1: unsupported Swagger version '1.2' (only "2.0")""",
    ),
    "openapi-3.2": (
        "spec.yaml",
        "openapi: 3.2.0\ninfo: {title: T, version: '1'}\n",
        "spec.yaml:1: unsupported OpenAPI version '3.2.0'",
    ),
    "dangling-ref": (
        "spec.yaml",
        HEAD + "definitions: {A: {$ref: '#/definitions/Nope'}}",
        "spec.yaml:4: $ref '#/definitions/Nope' not found: no 'Nope' in #/definitions",
    ),
    "ref-alias-cycle": (
        "spec.yaml",
        HEAD + "definitions:\n  A: {$ref: '#/definitions/B'}\n  B: {$ref: '#/definitions/A'}\n",
        (
            "spec.yaml:5: $ref cycle of pure aliases:"
            " spec.yaml#/definitions/A -> spec.yaml#/definitions/B -> spec.yaml#/definitions/A"
        ),
    ),
    "remote-ref": (
        "spec.yaml",
        HEAD + "definitions: {A: {$ref: 'http://example.com/defs.yaml#/A'}}",
        (
            "spec.yaml:4: $ref 'http://example.com/defs.yaml#/A' refused:"
            " remote and URL refs are never fetched"
        ),
    ),
    "ref-outside-folder": (
        "sub/spec.yaml",
        HEAD + "definitions: {A: {$ref: '../outside.yaml#/A'}}",
        "sub/spec.yaml:4: $ref '../outside.yaml#/A' refused: it leaves the spec's folder",
    ),
}


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to reach the network (each one refused), for the test to assert on."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError("network access is not allowed in this test")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_clean_message(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], network_attempts: list[str]
) -> None:
    name, text, message = BAD_INPUTS[case]
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "outside.yaml").write_text("A: {type: string}\n", encoding="utf-8")
    files_before = sorted(os.listdir(tmp_path))
    for argv in (["validate", name], ["generate", name, "-o", "out", "-p", "pets"]):
        run = specgen(capsys, *argv)
        assert (run.code, run.out, run.err) == (1, "", message + "\n"), argv
    assert sorted(os.listdir(tmp_path)) == files_before  # nothing written
    assert network_attempts == []


# ------------------------------------------------------------------------- internal errors

INTERNAL = (
    "specgen: internal error: RuntimeError: boom on two lines;"
    " please report it (rerun with --debug for the traceback)\n"
)


@pytest.fixture
def generator_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in specgen: loading any spec raises an exception that no code path expects."""
    from generator import loader

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\non two lines")

    monkeypatch.setattr(loader, "load_spec", broken)
    monkeypatch.setenv("SPECGEN_CACHE", "off")
    write_spec(tmp_path, GOOD)
    (tmp_path / "pyproject.toml").write_text(PROJECT, encoding="utf-8")


COMMANDS = [
    ["validate", "spec.yaml"],
    ["ir", "spec.yaml"],
    ["generate", "spec.yaml", "-o", "out", "-p", "pets"],
    ["generate", "--jobs", "1"],
    ["check", "--jobs", "1"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_generator_bug_is_an_internal_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], generator_bug: None
) -> None:
    """Status 3 and one line that says it is specgen's fault, never a bad spec's status 1."""
    run = specgen(capsys, *argv)
    assert (run.code, run.out, run.err) == (3, "", INTERNAL)
    assert sorted(os.listdir(tmp_path)) == ["pyproject.toml", "spec.yaml"]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_debug_prints_the_traceback_of_an_internal_error(
    argv: list[str], capsys: pytest.CaptureFixture[str], generator_bug: None
) -> None:
    capsys.readouterr()
    assert main([*argv, "--debug"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Traceback (most recent call last):\n"), err
    assert 'raise RuntimeError("boom\\non two lines")' in err
    assert err.endswith("RuntimeError: boom\non two lines\n" + INTERNAL), err


def test_every_command_takes_debug_and_help_lists_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = specgen(capsys, "--help")
    assert run.code == 0
    assert "  3  an internal error: a bug in specgen" in run.out
    for command in ("generate", "check", "validate", "ir"):
        run = specgen(capsys, command, "--help")
        assert run.code == 0 and "--debug" in run.out, command


# ------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    "job, message",
    [
        ('package-name = "my-pets"', "package name 'my-pets' is not a Python identifier"),
        # a keyword: `import class` cannot work
        ('package-name = "class"', "package name 'class' is not a Python identifier"),
        (
            'package-name = "pets"\nouptut = "x"',
            "unknown key 'ouptut' (known: {known})",
        ),
    ],
    ids=["dash-in-package-name", "keyword-package-name", "unknown-key"],
)
def test_configuration_errors(
    job: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, GOOD)
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.specgen.jobs]]\nspec = "spec.yaml"\noutput = "client"\n{job}\n', encoding="utf-8"
    )
    for command in ("generate", "check"):
        run = specgen(capsys, command)
        assert (run.code, run.out) == (1, ""), command
        known = ", ".join(sorted(config._KEYS))  # the keys of the day
        assert run.err == f"pyproject.toml: tool.specgen.jobs[0]: {message.format(known=known)}\n"
    assert not (tmp_path / "client").exists()


@pytest.mark.parametrize("package", ["my-pets", "class", "pets.api", ""])
def test_bad_package_name_on_the_command_line(
    package: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, GOOD)
    run = specgen(capsys, "generate", "spec.yaml", "-o", "out", "-p", package)
    assert (run.code, run.out) == (1, "")
    assert run.err == f"specgen generate: package name {package!r} is not a Python identifier\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, "not found; give a SPEC or run where [tool.specgen] is configured"),
        ("[project]\nname = 'x'\n", "no [[tool.specgen.jobs]] configured"),
        ("[tool.specgen\n", "Expected ']' at the end of a table declaration (at line 1, column 14)"),
    ],
    ids=["none", "no-jobs", "toml"],
)
def test_missing_or_broken_configuration(
    config: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if config is not None:
        (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    for command in ("generate", "check"):
        run = specgen(capsys, command)
        assert (run.code, run.out, run.err) == (1, "", f"pyproject.toml: {message}\n"), command


# ------------------------------------------------------------------------- console script


def test_console_script(tmp_path: Path) -> None:
    """The installed ``specgen`` entry point: exit codes, and never a traceback."""
    script = Path(sys.executable).parent / "specgen"
    write_spec(tmp_path, GOOD)
    write_spec(tmp_path, TWO_PROBLEMS, "bad.yaml")
    two_problems = (
        "bad.yaml:6: $ref '#/definitions/Nope' not found: no 'Nope' in #/definitions\n"
        "bad.yaml:8: $ref '#/definitions/Gone' not found: no 'Gone' in #/definitions\n"
    )
    cases = [
        (["validate", "spec.yaml"], 0, ""),
        (["generate", "spec.yaml", "-o", "out", "-p", "pets"], 0, ""),
        (["validate", "bad.yaml"], 1, two_problems),
        (["generate", "bad.yaml", "-o", "out", "-p", "pets"], 1, two_problems),
        (
            ["generate", "spec.yaml"],
            2,
            "specgen generate: with a SPEC, --output and --package-name are required\n",
        ),
        (
            ["frobnicate"],
            2,
            (
                "usage: specgen [-h] [--version] COMMAND ...\n"
                "specgen: error: argument COMMAND: invalid choice: 'frobnicate'"
                " (choose from 'generate', 'check', 'validate', 'ir', 'diff')\n"
            ),
        ),
    ]
    for argv, expected, message in cases:
        done = subprocess.run(
            [str(script), *argv],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (done.returncode, done.stderr) == (expected, message), (argv, done.stdout)
    assert (tmp_path / "out" / "pets" / "models" / "__init__.py").is_file()
