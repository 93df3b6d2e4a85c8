"""What a user reaches on every generated client beside the operations: the package's logger
(and its environment switch), ``with_options``, the error when no credential is given, and
resuming pagers and pollers from a continuation token.

The specs are generated once (``tests/batch.py``); each test drives a generated client through
the recording server of tests/server.py.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from tests.batch import Built, build_all
from tests.helpers import ROOT, import_generated
from tests.server import Recorded, Reply, Server

KEY = "k-3f9a-secret-value"  # must never reach a log line or a continuation token


def swagger(text: str) -> str:
    return (
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\nhost: example.com\nschemes: [http]\n'
        + textwrap.dedent(text)
    )


# A key in the query under a name no convention marks as secret (the hardest place to keep it
# out of logs and tokens), a pageable list, a long-running PUT watched through a status
# monitor, and a plain GET.
KEYED = swagger("""
    securityDefinitions:
      key: {type: apiKey, in: query, name: sub-key}
    security: [{key: []}]
    paths:
      /items:
        get:
          operationId: Items_List
          x-ms-pageable: {nextLinkName: nextLink, itemName: value}
          responses:
            '200': {description: ok, schema: {$ref: '#/definitions/ItemList'}}
      /items/{name}:
        get:
          operationId: Items_Get
          parameters:
            - {in: path, name: name, required: true, type: string}
          responses:
            '200': {description: ok, schema: {$ref: '#/definitions/Item'}}
      /jobs/{name}:
        put:
          operationId: Jobs_Create
          x-ms-long-running-operation: true
          x-ms-long-running-operation-options: {final-state-via: original-uri}
          parameters:
            - {in: path, name: name, required: true, type: string}
          responses:
            '201': {description: created, schema: {$ref: '#/definitions/Item'}}
    definitions:
      Item: {type: object, properties: {id: {type: string}}}
      ItemList:
        type: object
        properties:
          value: {type: array, items: {$ref: '#/definitions/Item'}}
          nextLink: {type: string}
    """)

# Security required, but one operation needs none: a client without a key is useful.
PARTLY_OPEN = swagger("""
    securityDefinitions:
      key: {type: apiKey, in: header, name: api-key}
    security: [{key: []}]
    paths:
      /health:
        get:
          operationId: Health_Get
          security: []
          responses: {'204': {description: fine}}
    """)

SPECS = {"surf_keyed": KEYED, "surf_open": PARTLY_OPEN}
ENV = {"surf_keyed": {"api_key": "SURF_KEYED_TEST_KEY"}}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("surface"), SPECS, env=ENV)


@pytest.fixture
def keyed(built: Built, server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A sync client of surf_keyed on the server, its sleeps recorded instead of slept."""
    monkeypatch.delenv("SURF_KEYED_TEST_KEY", raising=False)
    client = built.package("surf_keyed").Client(base_url=server.url, api_key=KEY)
    client.delays = []
    client._sleep = client.delays.append
    yield client
    client.close()


def test_the_specs_generate_typed_packages(built: Built) -> None:
    for name in SPECS:
        built.assert_typed(name)


# --------------------------------------------------------------------------- credentials


def test_no_credential_is_an_error_naming_the_argument_and_the_variable(
    built: Built, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = built.package("surf_keyed")
    monkeypatch.delenv("SURF_KEYED_TEST_KEY", raising=False)
    message = (
        "no credential given: pass api_key= (or set the SURF_KEYED_TEST_KEY environment"
        " variable) or token_provider="
    )
    for client_class in (package.Client, package.AsyncClient):
        with pytest.raises(package.ClientError) as info:
            client_class(base_url=server.url)
        assert str(info.value) == message
    # Any one way of giving a credential is enough.
    package.Client(base_url=server.url, token_provider=lambda: "t").close()
    monkeypatch.setenv("SURF_KEYED_TEST_KEY", KEY)
    with package.Client(base_url=server.url) as client:
        client.items.get("a")
    assert server.requests[0].query["sub-key"] == [KEY]


def test_no_credential_is_fine_when_an_operation_needs_none(built: Built, server: Server) -> None:
    with built.package("surf_open").Client(base_url=server.url) as client:
        client.health.get()
    assert "api-key" not in server.requests[0].headers


# --------------------------------------------------------------------------- with_options


def test_with_options_shares_the_pool_and_changes_only_the_copy(keyed: Any, server: Server) -> None:
    quick = keyed.with_options(timeout=5.0, max_retries=0, default_headers={"x-team": "blue"})
    assert quick._client is keyed._client  # one connection pool
    assert (quick.timeout, quick.max_retries) == (5.0, 0)
    assert keyed.max_retries == 2 and keyed.timeout != 5.0
    quick.items.get("a")
    keyed.items.get("b")
    assert server.requests[0].headers["x-team"] == "blue"
    assert "x-team" not in server.requests[1].headers
    assert server.requests[0].query["sub-key"] == [KEY]  # credentials kept
    server.replies = [Reply(503, {})] * 3
    with pytest.raises(Exception, match="503"):
        quick.items.get("c")  # no retry
    assert len(server.requests) == 3
    quick.close()  # the copy does not own the pool
    server.replies = []
    assert keyed.items.get("d").id is None
    assert keyed.with_options().items is not keyed.items  # each copy its own groups


def test_async_with_options_shares_the_pool_and_logs(
    built: Built, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> None:
        async with built.package("surf_keyed").AsyncClient(
            base_url=server.url, api_key=KEY
        ) as client:
            other = client.with_options(default_headers={"x-team": "red"})
            assert other._client is client._client
            await other.items.get("a")
            await other.aclose()
            await client.items.get("b")

    with caplog.at_level(logging.DEBUG, logger="surf_keyed"):
        asyncio.run(main())
    assert [r.headers.get("x-team") for r in server.requests] == ["red", None]
    lines = [r.getMessage() for r in caplog.records if r.name == "surf_keyed"]
    assert [line.partition(" -> ")[0] for line in lines] == [
        f"GET {server.url}/items/a?sub-key=***",
        f"GET {server.url}/items/b?sub-key=***",
    ]


# --------------------------------------------------------------------------- logging


def test_debug_log_has_each_answer_and_retry_without_the_key(
    keyed: Any, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.replies = [
        Reply(503, {}, {"retry-after-ms": "250"}),
        Reply(200, {"id": "a"}, {"x-request-id": "req-42"}),
    ]
    with caplog.at_level(logging.DEBUG, logger="surf_keyed"):
        assert keyed.items.get("a").id == "a"
    records = [r for r in caplog.records if r.name == "surf_keyed"]
    lines = [r.getMessage() for r in records]
    url = f"{server.url}/items/a?sub-key=***"
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"GET {url} -> 503 in ") and lines[0].endswith(
        " ms (request id: None)"
    )
    assert lines[1] == f"retrying GET {url} in 0.25 s (retry 1 of 2): status 503"
    assert records[1].levelno == logging.INFO
    assert lines[2].startswith(f"GET {url} -> 200 in ") and "(request id: req-42)" in lines[2]
    assert all(KEY not in line for line in lines)
    assert keyed.delays == [0.25]


def test_a_silent_logger_formats_nothing(
    keyed: Any, server: Server, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[object] = []
    client_module = sys.modules["surf_keyed._runtime._client"]
    monkeypatch.setattr(client_module, "safe_url", lambda *args: called.append(args) or "")
    server.replies = [Reply(503, {}), Reply(200, {})]
    with caplog.at_level(logging.WARNING, logger="surf_keyed"):
        keyed.items.get("a")
    assert called == [] and len(server.requests) == 2


def test_the_environment_variable_switches_logging_on(built: Built, server: Server) -> None:
    server.on("GET", "/items/a", Reply(200, {"id": "a"}, {"apim-request-id": "apim-7"}))
    script = textwrap.dedent(f"""
        import surf_keyed
        with surf_keyed.Client(base_url={server.url!r}, api_key={KEY!r}) as client:
            client.items.get("a")
        """)
    env = {**os.environ, "SURF_KEYED_LOG": "debug", "PYTHONPATH": str(built.folder / "surf_keyed")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"surf_keyed DEBUG] GET {server.url}/items/a?sub-key=*** -> 200 in " in done.stderr
    assert "(request id: apim-7)" in done.stderr
    assert KEY not in done.stderr
    quiet = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "SURF_KEYED_LOG": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


# --------------------------------------------------------------------------- pagers


def three_pages(server: Server) -> None:
    def reply(request: Recorded) -> Reply:
        page = int(request.query.get("page", ["1"])[0])
        link = f"{server.url}/items?page={page + 1}" if page < 3 else None
        return Reply(200, {"value": [{"id": f"{page}a"}, {"id": f"{page}b"}], "nextLink": link})

    server.on("GET", "/items", reply)


def test_pager_by_page_resumes_from_a_continuation_token(keyed: Any, server: Server) -> None:
    three_pages(server)
    pages = keyed.items.list().by_page()
    assert pages.continuation_token is None
    first = next(pages)
    assert [item.id for item in first] == ["1a", "1b"]
    token = pages.continuation_token
    assert token == f"{server.url}/items?page=2"
    resumed = keyed.items.list().by_page(token)
    assert [[item.id for item in page] for page in resumed] == [["2a", "2b"], ["3a", "3b"]]
    assert resumed.continuation_token is None  # after the last page
    assert [r.query.get("page") for r in server.requests] == [None, ["2"], ["3"]]


def test_async_pager_by_page_resumes(built: Built, server: Server) -> None:
    three_pages(server)

    async def main() -> tuple[list[list[str]], str | None]:
        async with built.package("surf_keyed").AsyncClient(
            base_url=server.url, api_key=KEY
        ) as client:
            pages = client.items.list().by_page()
            first = await pages.__anext__()
            resumed = client.items.list().by_page(pages.continuation_token)
            rest = [[item.id for item in page] async for page in resumed]
            return [[item.id for item in first], *rest], resumed.continuation_token

    assert asyncio.run(main()) == ([["1a", "1b"], ["2a", "2b"], ["3a", "3b"]], None)
    assert len(server.requests) == 3


# --------------------------------------------------------------------------- pollers


def job_routes(server: Server) -> None:
    monitor = f"{server.url}/operations/1"
    server.on("PUT", "/jobs/j1", Reply(201, {"id": "creating"}, {"Azure-AsyncOperation": monitor}))
    server.replies = [Reply(200, {"status": "Running"}), Reply(200, {"status": "Succeeded"})]
    server.on("GET", "/jobs/j1", Reply(200, {"id": "j1"}))


def test_poller_resumes_from_its_continuation_token(
    built: Built, keyed: Any, server: Server
) -> None:
    job_routes(server)
    poller = keyed.jobs.begin_create("j1")
    token = poller.continuation_token()
    assert KEY not in base64.urlsafe_b64decode(token).decode()  # no credential in a token
    # Another client (another process, later) picks it up: the PUT is not sent again.
    with built.package("surf_keyed").Client(base_url=server.url, api_key=KEY) as other:
        other._sleep = lambda seconds: None
        resumed = other.jobs.begin_create("j1", continuation_token=token)
        assert not resumed.done()
        assert resumed.result().id == "j1"
    assert [f"{r.method} {r.path}" for r in server.requests] == [
        "PUT /jobs/j1",
        "GET /operations/1",
        "GET /operations/1",
        "GET /jobs/j1",
    ]
    assert all(r.query["sub-key"] == [KEY] for r in server.requests)
    # A PUT without a status monitor is polled at its own URL, which carried the key.
    server.on("PUT", "/jobs/j2", Reply(201, {"id": "creating"}))
    polled_at_itself = keyed.jobs.begin_create("j2").continuation_token()
    assert KEY not in base64.urlsafe_b64decode(polled_at_itself).decode()
    with pytest.raises(ValueError, match="continuation token"):
        keyed.jobs.begin_create("j1", continuation_token="not-a-token")


def test_async_poller_resumes(built: Built, server: Server) -> None:
    job_routes(server)

    async def main() -> str:
        async with built.package("surf_keyed").AsyncClient(
            base_url=server.url, api_key=KEY
        ) as client:

            async def no_sleep(seconds: float) -> None:
                delays.append(seconds)

            client._sleep = no_sleep
            token = (await client.jobs.begin_create("j1")).continuation_token()
            resumed = await client.jobs.begin_create("j1", continuation_token=token)
            return str((await resumed.result()).id)

    delays: list[float] = []
    assert asyncio.run(main()) == "j1"
    assert [r.method for r in server.requests] == ["PUT", "GET", "GET", "GET"]
    assert delays == [0.0, 1.0]  # a resumed poller asks at once, then at its interval


# --------------------------------------------------------------------------- docstrings


def test_the_client_docstring_names_the_default_api_version_and_a_clean_title() -> None:
    for folder, package, version in (
        ("azure-openai-inference", "azure_openai_inference", "2024-02-01"),
        ("azure-openai-authoring", "azure_openai_authoring", "2023-05-15"),
    ):
        client_class = import_generated(ROOT / "generated" / folder, package).Client
        doc = client_class.__doc__ or ""
        assert f'api_version: The requested API version. Defaults to "{version}".' in doc or (
            f'api_version: api version. Defaults to "{version}".' in doc
        ), doc
        assert "Azure Azure" not in doc
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]  # later tests import their own copies


def test_tokens_hold_no_key_that_the_server_echoes_in_its_links(
    keyed: Any, built: Built, server: Server
) -> None:
    """Services often echo the request's query (the key included) in their next links and
    status monitors: the continuation tokens leave the client's key parameters out, and the
    client adds them again to every request to its origin."""

    def page(request: Recorded) -> Reply:
        number = int(request.query.get("page", ["1"])[0])
        link = f"{server.url}/items?page={number + 1}&sub-key={KEY}" if number < 2 else None
        return Reply(200, {"value": [{"id": f"{number}a"}], "nextLink": link})

    server.on("GET", "/items", page)
    pages = keyed.items.list().by_page()
    next(pages)
    assert pages.continuation_token == f"{server.url}/items?page=2"
    resumed = keyed.items.list().by_page(pages.continuation_token)
    assert [[item.id for item in p] for p in resumed] == [["2a"]]
    assert server.requests[-1].query == {"page": ["2"], "sub-key": [KEY]}

    monitor = f"{server.url}/operations/1?sub-key={KEY}"
    echoed = {"Azure-AsyncOperation": monitor, "Location": monitor}
    server.on("PUT", "/jobs/j1", Reply(201, {"id": "creating"}, echoed))
    server.replies = [Reply(200, {"status": "Succeeded"})]
    server.on("GET", "/jobs/j1", Reply(200, {"id": "j1"}))
    token = keyed.jobs.begin_create("j1").continuation_token()
    state = json.loads(base64.urlsafe_b64decode(token))
    assert KEY not in json.dumps(state) and KEY not in base64.b64decode(state["body"]).decode()
    headers = {name.lower(): value for name, value in state["headers"]}
    assert headers["azure-asyncoperation"] == headers["location"] == f"{server.url}/operations/1"
    with built.package("surf_keyed").Client(base_url=server.url, api_key=KEY) as other:
        other._sleep = lambda seconds: None
        assert other.jobs.begin_create("j1", continuation_token=token).result().id == "j1"
    assert all(r.query["sub-key"] == [KEY] for r in server.requests if r.method == "GET")
