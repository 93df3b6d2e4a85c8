"""Stoplight Prism, a spec-validating mock server, as a test peer for the generated clients.

Prism and swagger2openapi come from the repo's package.json (`npm ci`, run by `make test`).
Each seed spec is prepared for Prism in a temporary folder (specs/ is never touched):

* every ``x-ms-examples`` is stripped: they point at example files beside the spec, which the
  copy in a temporary folder does not have (Prism refuses a document with unresolvable
  references, and needs none of them);
* every path is prefixed with ``/openai``: the clients call ``{endpoint}/openai/...`` and
  Prism routes on the request path alone (it ignores the base path of ``servers``), so the
  prefix must be part of the paths; ``servers`` names the Prism address the client calls;
* the Swagger 2.0 spec is converted to OpenAPI 3 with swagger2openapi: served as Swagger 2.0,
  Prism does not validate ``formData`` parameters (an upload with a wrong ``purpose`` passes);
* the ``CORRECTIONS`` below are applied: each mends one known bug of a published spec (or one
  gap of Prism) that would make Prism reject its own answer, so that every test runs all its
  checks. Each correction first asserts that the bug is still there (a fixed spec fails the
  fixture, so the correction gets removed), and ``corrected=False`` serves the spec as
  published, for the tests that show each bug is real.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


# --------------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Correction:
    """One known bug of a published spec, and how the copy Prism serves mends it."""

    spec: str  # the file name of the seed spec it applies to
    bug: str  # what is wrong, and what Prism does about it
    apply: Callable[[dict[str, Any]], None]  # asserts the bug is there, then mends it


def _operation(document: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


def _still_there(found: bool, bug: str) -> None:
    if not found:
        pytest.fail(f"the spec no longer has this bug; remove its correction: {bug}", pytrace=False)


def _location_as_uri(document: dict[str, Any]) -> None:
    headers = [
        header
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
        for name, header in response.get("headers", {}).items()
        if name.lower() == "location" and header.get("format") == "url"
    ]
    _still_there(bool(headers), LOCATION_URL)
    for header in headers:
        header["format"] = "uri"


def _image_created_as_integer(document: dict[str, Any]) -> None:
    answer = _operation(document, "/deployments/{deployment-id}/images/generations")
    example = answer["responses"]["200"]["content"]["application/json"]["example"]
    _still_there(example.get("created") == "1676540381", IMAGE_CREATED_STRING)
    example["created"] = int(example["created"])


AUDIO_PATHS = (
    "/deployments/{deployment-id}/audio/transcriptions",
    "/deployments/{deployment-id}/audio/translations",
)


def _audio_json_as_any_of(document: dict[str, Any]) -> None:
    for path in AUDIO_PATHS:
        content = _operation(document, path)["responses"]["200"]["content"]
        schema = content["application/json"]["schema"]
        _still_there("oneOf" in schema, AUDIO_ONE_OF)
        schema["anyOf"] = schema.pop("oneOf")


def _audio_text_example(document: dict[str, Any]) -> None:
    for path in AUDIO_PATHS:
        content = _operation(document, path)["responses"]["200"]["content"]
        example = content["text/plain"]["examples"]["default"]
        _still_there(example.get("value", "") is None, AUDIO_TEXT_NULL)
        # The JSON answer's example text, as the plain-text answer would carry it.
        example["value"] = content["application/json"]["example"]["text"]


LOCATION_URL = (
    "Prism gap: the 201 answers declare a Location header of format `url`; Prism's generator "
    "does not know that format and writes a random string, which its validator (ajv-formats, "
    "which does know `url`) rejects, so --errors turns every 201 into a 500. Served as `uri`, "
    "a format both know, the header is a URL Prism generates and accepts."
)
IMAGE_CREATED_STRING = (
    "spec bug: the 200 example of ImageGenerations_Create has created: '1676540381' (a string) "
    "where generateImagesResponse.created is an integer"
)
AUDIO_ONE_OF = (
    "spec bug: the JSON answer of the audio operations is oneOf [audioResponse, "
    "audioVerboseResponse], and audioVerboseResponse is allOf audioResponse plus optional "
    "members, so every body matches both and no body satisfies the oneOf (anyOf is meant)"
)
AUDIO_TEXT_NULL = (
    "spec bug: the text/plain example of the audio operations is null "
    "(`examples: {default: {value: }}`) where the schema is a string"
)

AUTHORING = "azure-openai-authoring-2023-05-15.yaml"
INFERENCE = "azure-openai-inference-2024-02-01.yaml"
CORRECTIONS = (
    Correction(AUTHORING, LOCATION_URL, _location_as_uri),
    Correction(INFERENCE, IMAGE_CREATED_STRING, _image_created_as_integer),
    Correction(INFERENCE, AUDIO_ONE_OF, _audio_json_as_any_of),
    Correction(INFERENCE, AUDIO_TEXT_NULL, _audio_text_example),
)


def _corrected(spec: Path, document: dict[str, Any]) -> dict[str, Any]:
    for correction in CORRECTIONS:
        if correction.spec == spec.name:
            correction.apply(document)
    return document


def _write(document: dict[str, Any], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def prepare_openapi3(spec: Path, folder: Path, port: int, corrected: bool = True) -> Path:
    """The OpenAPI 3 ``spec`` as Prism serves it on ``port`` (see the module docstring)."""
    document = _prefixed(_corrected(spec, _load(spec)) if corrected else _load(spec))
    document["servers"] = [{"url": f"http://127.0.0.1:{port}"}]
    return _write(document, folder / f"{spec.stem}.prism.json")


def prepare_swagger2(spec: Path, folder: Path, port: int, corrected: bool = True) -> Path:
    """The Swagger 2.0 ``spec`` converted to OpenAPI 3, as Prism serves it on ``port``."""
    document = _prefixed(_corrected(spec, _load(spec)) if corrected else _load(spec))
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
