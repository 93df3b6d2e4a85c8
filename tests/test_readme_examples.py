"""Every Python block of every generated README (generated/*/README.md) and of the project's
README.md runs, against a local server, so that no example can go stale.

A README is run as a reader would: its blocks in order, in one namespace (a later block uses
the `client` an earlier one made), in a scratch directory, with the endpoint and key in the
environment variables the clients fall back to. The server answers each operation from the
spec itself: the wire JSON of its success type (the values the README's own examples are made
from), events for a streamed call, bytes for a download, and 404 with the error model for a
path that names a resource that does not exist.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import Job, load_jobs
from generator.ir import Api, ModelRef, Operation
from generator.pipeline import build_ir
from generator.python.readme_view import MISSING_ID, example_value
from tests.batch import build_all
from tests.helpers import ROOT, import_generated
from tests.server import Recorded, Reply, Server
from tests.test_client_surface import KEYED

KEY = "readme-test-key"
JOBS = {job.output.name: job for job in load_jobs(ROOT / "pyproject.toml")}


@pytest.fixture(autouse=True)
def forget_generated_packages() -> Iterator[None]:
    """The blocks import the packages of generated/: later tests import their own copies."""
    yield
    for job in JOBS.values():
        for module in [m for m in sys.modules if m.split(".")[0] == job.package_name]:
            del sys.modules[module]


def python_blocks(readme: Path) -> list[str]:
    return python_blocks_of(readme.read_text(encoding="utf-8"))


def python_blocks_of(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)


class SpecServer:
    """Answers every operation of ``api`` (mounted under the host's path) from its types."""

    def __init__(self, api: Api, server: Server) -> None:
        self.api = api
        self.url = server.url
        prefix = re.sub(r"\{[^{}]+\}", "", api.host).split("://")[-1]
        prefix = "/" + prefix.partition("/")[2] if "/" in prefix else ""
        self.routes = [
            (op, re.compile("^" + re.escape(prefix) + _pattern(op.path) + "$"))
            for op in api.operations()
        ]
        self.answered: list[Operation] = []
        server.replies = [self.answer] * 1000

    def answer(self, request: Recorded) -> Reply:
        op = next(
            (op for op, path in self.routes if op.method.upper() == request.method
             and path.match(request.path)),
            None,
        )  # fmt: skip
        if op is None:
            return Reply(599, {"error": f"no operation for {request.method} {request.path}"})
        self.answered.append(op)
        if KEY not in [*request.headers.values(), *request.query.get("sub-key", [])]:
            return Reply(401, {"error": "no key"})
        missing = self.missing_members(op, request)
        if missing:
            return Reply(400, {"error": f"the body lacks {missing}"})
        if MISSING_ID in request.path:
            error = next((r for r in op.responses if r.is_error and r.type is not None), None)
            body = example_value(self.api, error.type) if error and error.type else {}
            return Reply(404, body, {"x-request-id": "req-404"})
        success = [r for r in op.responses if r.status.startswith("2")] or op.responses
        if "text/event-stream" in request.headers.get("accept", "") and op.stream_type:
            event = json.dumps(example_value(self.api, op.stream_type, optional=True))
            return Reply(200, f"data: {event}\n\ndata: [DONE]\n\n".encode(),
                         content_type="text/event-stream")  # fmt: skip
        response = next((r for r in success if r.kind != "event-stream"), success[0])
        if response.kind == "binary":
            return Reply(200, b"example bytes", content_type="application/octet-stream")
        if response.type is None:
            return Reply(int(response.status) if response.status.isdigit() else 200)
        status = int(response.status) if response.status.isdigit() else 200
        if op.long_running is not None:
            status = 200  # done at once: a PUT's 201 would be polled at a URL of no operation
        body = example_value(self.api, response.type, optional=True)
        if op.paging is not None and op.paging.next_link_name and isinstance(body, dict):
            last = "page=2" in request.raw_path  # two pages, the second linked from the first
            next_link = None if last else f"{self.url}{request.path}?page=2"
            body[op.paging.next_link_name] = next_link
        return Reply(status, body, {"x-request-id": "req-1"})

    def missing_members(self, op: Operation, request: Recorded) -> list[str]:
        """The required members of a JSON body model that the request does not send."""
        if op.body is None or op.body.kind != "json" or not isinstance(op.body.type, ModelRef):
            return []
        model_ids = [op.body.type.id]
        required: list[str] = []
        while model_ids:
            model = self.api.model(model_ids.pop())
            required += [f.name for f in model.fields if f.required and not f.read_only]
            model_ids += model.bases
        sent = request.json() if request.body else {}
        return [name for name in required if name not in sent]


def _pattern(path: str) -> str:
    parts = re.split(r"(\{[^{}]+\})", path)
    return "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)


def run_blocks(
    blocks: list[str], job: Job, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for argument, variable in job.env.items():
        monkeypatch.setenv(variable, server.url if argument == "endpoint" else KEY)
    monkeypatch.chdir(tmp_path)
    import_generated(ROOT / "generated" / job.output.name, job.package_name)
    monkeypatch.syspath_prepend(str(ROOT / "generated" / job.output.name))
    namespace: dict[str, Any] = {"__name__": "readme"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"README block {number}", "exec"), namespace)  # noqa: S102
        except Exception as exc:
            raise AssertionError(f"README block {number} fails:\n{block}") from exc


@pytest.mark.parametrize("name", sorted(JOBS))
def test_every_block_of_a_generated_readme_runs(
    name: str, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = JOBS[name]
    readme = ROOT / "generated" / name / "README.md"
    text = readme.read_text(encoding="utf-8")
    for placeholder in ("...", "<group>", "<operation>"):
        assert placeholder not in text.replace("`…_streamed`", ""), placeholder
    blocks = python_blocks(readme)
    api = build_ir(job.spec if job.spec.is_absolute() else ROOT / job.spec, job=job)
    spec_server = SpecServer(api, server)
    run_blocks(blocks, job, server, tmp_path, monkeypatch)
    assert len(blocks) >= 8
    # Every group's call was made, and answered (not refused for want of a key).
    answered_groups = {g.py_name for g in api.groups for op in g.operations
                       if op in spec_server.answered}  # fmt: skip
    assert answered_groups == {g.py_name for g in api.groups if g.operations}
    assert all(r.headers.get("api-key") == KEY for r in server.requests)
    assert any(MISSING_ID in r.path for r in server.requests)  # the errors example


def test_every_block_of_the_project_readme_runs(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = python_blocks(ROOT / "README.md")
    assert blocks
    # each block runs against the server of the generated package it imports
    by_job = {
        name: [block for block in blocks if f"from {job.package_name} import" in block]
        for name, job in JOBS.items()
    }
    assert sum(map(len, by_job.values())) == len(blocks)
    for name, job_blocks in by_job.items():
        if not job_blocks:
            continue
        job = JOBS[name]
        server.requests.clear()
        SpecServer(build_ir(ROOT / job.spec, job=job), server)
        run_blocks(job_blocks, job, server, tmp_path, monkeypatch)
        assert server.requests and all(r.headers.get("api-key") == KEY for r in server.requests)


def test_the_pager_and_poller_sections_run(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's specs have no pager or poller: a spec that has both (a key in the query,
    a fixed host) gets its README's sections run with a client on the local server."""
    built = build_all(tmp_path, {"readme_keyed": KEYED}, mypy=False)
    api = built.api("readme_keyed")
    text = (tmp_path / "readme_keyed" / "README.md").read_text(encoding="utf-8")
    sections = {
        title: python_blocks_of(text.partition(f"## {title}\n")[2].partition("\n## ")[0])
        for title in ("Pagination", "Long-running operations")
    }
    assert all(len(blocks) == 1 for blocks in sections.values()), sections
    SpecServer(api, server)
    client = built.package("readme_keyed").Client(base_url=server.url, api_key=KEY)
    namespace: dict[str, Any] = {"client": client}
    for title, blocks in sections.items():
        try:
            exec(compile(blocks[0], title, "exec"), namespace)  # noqa: S102
        except Exception as exc:
            raise AssertionError(f"the {title} block fails:\n{blocks[0]}") from exc
    client.close()
    assert "by_page(token)" in sections["Pagination"][0]
    assert "continuation_token=token" in sections["Long-running operations"][0]
    assert [r.method for r in server.requests].count("PUT") == 1  # resumed, not sent again
    assert sum("page=2" in r.raw_path for r in server.requests) == 2  # the last from a token


def test_examples_pass_a_json_body_member_by_member() -> None:
    """As users call (and as the SDKs document): `create("gpt-35-turbo", messages=[...])`."""
    text = (ROOT / "generated" / "azure-openai-inference" / "README.md").read_text("utf-8")
    chat = text[text.index("client.chat_completions.create(") :].split("\n)\n")[0]
    assert "\n    messages=[" in chat and "body=" not in chat


PARTIAL_EXAMPLE = """\
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    post:
      operationId: Notes_Create
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
            example: {title: "Groceries"}
      responses:
        "200": {description: ok}
components:
  schemas:
    Note:
      type: object
      required: [title, body]
      properties:
        title: {type: string}
        body: {type: string}
        pinned: {type: boolean}
"""


def test_a_call_gives_the_required_members_the_spec_example_leaves_out(tmp_path: Path) -> None:
    from generator.python.readme_view import build_readme_view
    from tests.helpers import write_spec

    spec = write_spec(tmp_path, PARTIAL_EXAMPLE)
    api = build_ir(spec, job=Job(spec=spec, output=tmp_path / "out", package_name="notes"))
    call = build_readme_view(api, "notes", {}).groups[0].code
    assert 'title="Groceries"' in call and 'body="example"' in call and "pinned" not in call
