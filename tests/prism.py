"""Stoplight Prism, a spec-validating mock server, as a test peer for the generated clients.

Prism and swagger2openapi come from the repo's package.json (`npm ci`, run by `make test`).
Each seed spec is prepared for Prism in a temporary folder (specs/ is never touched):

* every ``x-ms-examples`` is stripped: they point at example files this repo doesn't have,
  and Prism refuses a document with unresolvable references;
* every path is prefixed with ``/openai``: the clients call ``{endpoint}/openai/...`` and
  Prism routes on the request path alone (it ignores the base path of ``servers``), so the
  prefix must be part of the paths; ``servers`` names the Prism address the client calls;
* the Swagger 2.0 spec is converted to OpenAPI 3 with swagger2openapi: served as Swagger 2.0,
  Prism does not validate ``formData`` parameters (an upload with a wrong ``purpose`` passes).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

NODE_BIN = ROOT / "node_modules" / ".bin"
PRISM = NODE_BIN / "prism"
SWAGGER2OPENAPI = NODE_BIN / "swagger2openapi"
STARTUP_TIMEOUT = 60.0
PATH_PREFIX = "/openai"


def require_tools() -> None:
    """Skip the calling test when Node or the npm tools are missing; fail instead under CI."""
    missing = [] if shutil.which("node") else ["Node.js (`node` is not on PATH)"]
    tools = [str(t.relative_to(ROOT)) for t in (PRISM, SWAGGER2OPENAPI) if not t.exists()]
    if tools:
        missing.append(" and ".join(tools) + " (run `npm ci`, or `make test`)")
    if not missing:
        return
    reason = "the Prism tests need " + "; ".join(missing)
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(reason + "; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- spec preparation


def strip_key(node: Any, key: str) -> Any:
    """``node`` with every mapping member named ``key`` removed, at any depth."""
    if isinstance(node, dict):
        return {k: strip_key(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list):
        return [strip_key(item, key) for item in node]
    return node


def _load(spec: Path) -> dict[str, Any]:
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert isinstance(document, dict), spec
    return document


def _prefixed(document: dict[str, Any]) -> dict[str, Any]:
    document = strip_key(document, "x-ms-examples")
    document["paths"] = {PATH_PREFIX + path: item for path, item in document["paths"].items()}
    return document


def _write(document: dict[str, Any], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def prepare_openapi3(spec: Path, folder: Path, port: int) -> Path:
    """The OpenAPI 3 ``spec`` as Prism serves it on ``port`` (see the module docstring)."""
    document = _prefixed(_load(spec))
    document["servers"] = [{"url": f"http://127.0.0.1:{port}"}]
    return _write(document, folder / f"{spec.stem}.prism.json")


def prepare_swagger2(spec: Path, folder: Path, port: int) -> Path:
    """The Swagger 2.0 ``spec`` converted to OpenAPI 3, as Prism serves it on ``port``."""
    document = _prefixed(_load(spec))
    # The client builds its URL from x-ms-parameterized-host; for Prism the host is fixed.
    document.pop("x-ms-parameterized-host", None)
    document["host"] = f"127.0.0.1:{port}"
    document["basePath"] = "/"
    document["schemes"] = ["http"]
    swagger = _write(document, folder / f"{spec.stem}.swagger.json")
    target = folder / f"{spec.stem}.prism.json"
    result = subprocess.run(
        [str(SWAGGER2OPENAPI), str(swagger), "--outfile", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0 or not target.exists():
        pytest.fail(f"swagger2openapi failed on {spec.name}:\n{result.stdout}\n{result.stderr}")
    return target


# --------------------------------------------------------------------------- the Prism process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Prism:
    """A running ``prism mock`` process; ``log`` holds what it printed."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate Prism's whole process group (the CLI may fork), then reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    # Whatever is left of the group, the leader included, is killed outright.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@contextlib.contextmanager
def run_prism(document: Path, port: int, *extra_args: str) -> Iterator[Prism]:
    """Serve ``document`` with ``prism mock --errors`` on 127.0.0.1:``port`` until the end.

    Prism validates every request against the document (that is always on in mock mode);
    ``--errors`` turns a violation into a 422 answer instead of a mere ``sl-violations``
    header.
    """
    log = document.with_suffix(".log")
    command = [
        str(PRISM),
        "mock",
        str(document),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--errors",
        *extra_args,
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=document.parent,
            start_new_session=True,  # its own process group, killed as a whole
        )
    prism = Prism(process, port, log)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _answers(port):
            if process.poll() is not None:
                pytest.fail(
                    f"prism mock exited with {process.returncode} before listening:\n"
                    + prism.output(),
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"prism mock did not listen on port {port} within {STARTUP_TIMEOUT:.0f} s:\n"
                    + prism.output(),
                    pytrace=False,
                )
            time.sleep(0.2)
        yield prism
    finally:
        _stop(process)
