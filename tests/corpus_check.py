"""Import and type-check many generated packages at once: one interpreter imports every
module of every package, one ``mypy --strict`` run checks them all (typeshed and httpx are
analysed once), and the output is attributed back to each package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Imports every module of every package named on the command line; prints {package: error}.
IMPORT_ALL = """\
import importlib, json, pkgutil, sys, traceback
failures = {}
for name in sys.argv[1:]:
    try:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    except BaseException:
        failures[name] = traceback.format_exc(limit=-3)
print(json.dumps(failures))
"""


@dataclass
class Checked:
    import_failures: dict[str, str]  # package -> traceback
    mypy_errors: dict[str, list[str]]  # package -> mypy lines
    failure: str  # mypy output that no package explains (a crash, a bad option)


def import_and_type_check(projects: Path, names: list[str], mypy_cache: Path) -> Checked:
    """``names`` are packages, each generated into ``projects / name``."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, *names],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(str(projects / n) for n in names)},
        cwd=projects,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        import_failures: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        import_failures = {n: f"the import run failed:\n{done.stdout}{done.stderr}" for n in names}

    typed = [n for n in names if n not in import_failures]
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(mypy_cache),
            *(arg for n in typed for arg in ("-p", n)),
        ],
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(projects / n) for n in typed)},
        cwd=projects,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    mypy_errors: dict[str, list[str]] = {}
    unexplained: list[str] = []
    for line in (mypy.stdout + mypy.stderr).splitlines():
        owner = next((p for p in Path(line.split(":", 1)[0]).parts if p in typed), None)
        if owner is not None:
            mypy_errors.setdefault(owner, []).append(line)
        elif line.strip():
            unexplained.append(line)
    failure = "\n".join(unexplained) if mypy.returncode not in (0, 1) or unexplained else ""
    return Checked(import_failures, mypy_errors, failure)
