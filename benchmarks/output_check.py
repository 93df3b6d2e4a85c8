"""Whether a generated package is usable as a whole: every module imports (in a fresh process,
from source as a user's first run does) and ``mypy --strict`` passes (with a cold cache): the
pass/fail and the seconds of each, for the benchmark's largest spec."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

IMPORT_ALL = """\
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
count = 1
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
    count += 1
print(count)
"""


def check_package(output: Path, package: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(output)
    start = time.perf_counter()
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, package],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    import_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        typed = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, package],
            check=False,
            cwd=output,
            capture_output=True,
            text=True,
        )
        mypy_seconds = time.perf_counter() - start
    errors = [line for line in typed.stdout.splitlines() if ": error:" in line]
    return {
        "modules": int(imported.stdout) if imported.returncode == 0 else None,
        "import": "pass" if imported.returncode == 0 else "fail",
        "import_seconds": round(import_seconds, 2),
        "import_failure": _last_line(imported.stderr) if imported.returncode else None,
        "mypy_strict": "pass" if typed.returncode == 0 else "fail",
        "mypy_seconds": round(mypy_seconds, 1),
        "mypy_errors": len(errors),
        "mypy_first_error": errors[0] if errors else _last_line(typed.stderr) or None,
    }


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:240] if lines else ""
