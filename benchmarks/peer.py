"""openapi-python-client, the peer that specgen's generation is compared with.

It is installed by the benchmark in its own venv under benchmarks/.cache/ (never a dependency
of specgen) and run as its users run it: ``openapi-python-client generate --path SPEC
--output-path DIR --overwrite``, a whole process, with its default post-generation hooks
(``ruff check --fix-only`` and ``ruff format`` over the package it wrote, with the ruff of its
venv first on PATH, as in an activated venv). Like specgen, it writes a whole formatted package.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sources import CACHE, Unavailable

REQUIREMENT = "openapi-python-client==0.29.1"
VENV = CACHE / "peer-venv"
BIN = VENV / "bin"
# What its error message tells a user to do when an enum has two values of one Python name
# (stripe.com.json does): a user who wants a client at all runs it again with this config.
LITERAL_ENUMS = "literal_enums: true\n"
TIMEOUT = 1800  # seconds: a run that hangs is reported, the others go on
HOOKS = "ruff check --fix-only, ruff format (its defaults)"


def install() -> Path:
    """The peer's executable, installed on first use (the marker names the requirement)."""
    marker = VENV / "installed.txt"
    if marker.is_file() and marker.read_text() == REQUIREMENT:
        return BIN / "openapi-python-client"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(BIN / "python"), "-m", "pip", "install", "--quiet", REQUIREMENT],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        raise Unavailable(f"cannot install {REQUIREMENT}: {(exc.stderr or '')[-300:]}") from exc
    marker.write_text(REQUIREMENT)
    return BIN / "openapi-python-client"


@dataclass
class Run:
    seconds: float
    failure: str | None  # the peer's own words, on one line, when it wrote no client
    endpoints: int | None  # endpoint modules it wrote (one per operation it kept)
    warnings: int  # the pieces it says it left out ("WARNING parsing ...")


def generate(spec: Path, output: Path, config: Path | None = None) -> Run:
    args = [str(install()), "generate", "--path", str(spec), "--output-path", str(output)]
    args += ["--overwrite"] + (["--config", str(config)] if config else [])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    start = time.perf_counter()
    try:
        done = subprocess.run(
            args, check=False, capture_output=True, text=True, env=env, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return Run(TIMEOUT, f"no client after {TIMEOUT} s", None, 0)
    seconds = time.perf_counter() - start
    text = done.stdout + done.stderr
    return Run(
        seconds=seconds,
        failure=_failure(text) if done.returncode != 0 else None,
        endpoints=_endpoints(output) if done.returncode == 0 else None,
        warnings=len(re.findall(r"^WARNING parsing ", text, re.MULTILINE)),
    )


class Turns:
    """The peer's runs on one spec, one per turn. Its first failure is kept; when its message
    advises ``literal_enums``, the turns go on with that config, as a user who wants a client
    does; after any other failure the peer has no more turns on the spec."""

    def __init__(self, spec: Path, output: Path, missing: str | None) -> None:
        self.spec, self.output = spec, output
        self.runs: list[Run] = []
        self.failure = missing
        self.failure_seconds: float | None = None
        self.config: Path | None = None
        self.done = missing is not None

    def turn(self) -> None:
        if self.done:
            return
        run = generate(self.spec, self.output, self.config)
        if run.failure and not self.runs and self.config is None:
            self.failure, self.failure_seconds = run.failure, run.seconds
            if "literal_enums" in run.failure:
                self.config = CACHE / "peer-literal-enums.yaml"
                self.config.write_text(LITERAL_ENUMS)
                run = generate(self.spec, self.output, self.config)
        if run.failure:
            if run.failure != self.failure:
                self.failure = "; then: ".join(filter(None, [self.failure, run.failure]))
            self.done = True
        else:
            self.runs.append(run)

    def figures(self) -> dict[str, object]:
        """The median seconds and what the last run wrote, for the results."""
        figures: dict[str, object] = {}
        if self.failure:
            figures["peer_failure"] = self.failure
        if self.failure_seconds is not None:
            figures["peer_failure_seconds"] = round(self.failure_seconds, 2)
        if self.config and self.runs:
            figures["peer_config"] = LITERAL_ENUMS.strip()
        if self.runs:
            figures["peer_seconds"] = round(statistics.median(r.seconds for r in self.runs), 3)
            figures["peer_endpoints"] = self.runs[-1].endpoints
            figures["peer_warnings"] = self.runs[-1].warnings
        return figures


def _endpoints(output: Path) -> int:
    return sum(1 for p in output.glob("*/api/**/*.py") if p.name != "__init__.py")


_EXCEPTION = re.compile(r"^\w*(Error|Exception): ", re.MULTILINE)


def _failure(text: str) -> str:
    """A traceback's last exception, or the lines after the peer's own error header."""
    found = list(_EXCEPTION.finditer(text))
    if found:
        tail = text[found[-1].start() :].split("\n\n")[0]
    else:
        lines = [line for line in text.splitlines() if line.strip()]
        header = next((i for i, line in enumerate(lines) if "Error(s)" in line), -1)
        tail = " ".join(lines[header + 1 : header + 3]) if lines else "no output"
    return " ".join(tail.split())[:240]
