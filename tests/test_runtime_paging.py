"""Tests of the runtime's response helpers: raw responses, absolute URLs and redirects,
binary downloads, pagers and long-running-operation pollers.

Same setup as test_runtime.py (whose fixtures are reused): the runtime copied as a
package, driven against the recording server of tests/server.py, sleeps recorded
instead of slept.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import test_runtime
from tests.server import Recorded, Reply, Server

# The fixtures of test_runtime.py: the runtime package, sync and async clients.
rt = test_runtime.rt
make_client = test_runtime.make_client
make_async = test_runtime.make_async

BODY = bytes(range(256)) * 1200  # 300 KiB: several 64 KiB chunks


@pytest.fixture
def other() -> Iterator[Server]:
    """A second server: another origin (same host, other port)."""
    srv = Server()
    try:
        yield srv
    finally:
        srv.stop()


def echo_path(request: Recorded) -> Reply:
    return Reply(200, {"path": request.path}, {"x-request-id": request.path}, delay=0.02)


# --------------------------------------------------------------------------- raw responses


def test_raw_response_of_a_json_call(make_client: Any, server: Server, rt: Any) -> None:
    client = make_client()

    def get_item(item_id: str) -> int:
        """Get one item."""
        response = client._request("GET", "/items/{id}", path_params={"id": item_id})
        return int(client._parse_response(response, lambda d: d["id"]))

    class Items:  # what the generated `with_raw_response` groups look like
        def __init__(self) -> None:
            self.get = rt.with_raw_response(get_item)

    server.replies = [
        Reply(201, {"id": 7}, {"apim-request-id": "apim-1", "x-request-id": "x-1"}),
        Reply(200, {"id": 8}, {"x-request-id": "x-2"}),
        Reply(200, {"id": 9}),
    ]
    raw = Items().get("a")
    assert raw.parse() == 7
    assert (raw.status_code, raw.request_id) == (201, "apim-1")
    assert raw.headers["content-type"] == "application/json"
    assert str(raw.url) == server.url + "/base/items/a"
    assert isinstance(raw.http_response, httpx.Response)
    assert Items().get.__name__ == "get_item" and Items().get.__doc__ == "Get one item."
    assert Items().get("b").request_id == "x-2"
    assert Items().get("c").request_id is None


def test_raw_response_of_a_streamed_call(make_client: Any, server: Server, rt: Any) -> None:
    client = make_client()
    server.replies = [
        Reply(200, b'data: {"n": 1}\n\ndata: {"n": 2}\n\n', content_type="text/event-stream")
    ]

    def chat() -> Any:
        response = client._request("POST", "/chat", json={}, stream=True)
        return client._stream_events(response, lambda d: d["n"])

    raw = rt.with_raw_response(chat)()
    stream = raw.parse()
    assert isinstance(stream, rt.Stream)
    assert raw.http_response is stream.response
    assert raw.headers["content-type"] == "text/event-stream"
    assert list(stream) == [1, 2]


def test_raw_response_nesting_and_no_request(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [echo_path] * 2
    client = make_client()
    inner = rt.with_raw_response(lambda: client._request("GET", "/inner").json())
    inner_raws = []

    def outer() -> Any:
        inner_raws.append(inner())
        return client._request("GET", "/outer").json()

    raw = rt.with_raw_response(outer)()
    assert (raw.request_id, raw.parse()) == ("/base/outer", {"path": "/base/outer"})
    assert inner_raws[0].request_id == "/base/inner"
    with pytest.raises(RuntimeError, match="sent no request"):
        rt.with_raw_response(lambda: 1)()


def test_raw_response_threads_are_isolated(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [echo_path] * 16
    client = make_client()
    get = rt.with_raw_response(lambda i: client._request("GET", f"/items/{i}").json())
    with ThreadPoolExecutor(8) as pool:
        raws = list(pool.map(get, range(16)))
    for i, raw in enumerate(raws):
        assert raw.request_id == raw.parse()["path"] == f"/base/items/{i}"


def test_async_raw_response_gather_and_stream(make_async: Any, server: Server, rt: Any) -> None:
    async def main() -> None:
        async with make_async() as client:

            async def get(i: int) -> Any:
                return (await client._request("GET", f"/items/{i}")).json()

            async def chat() -> Any:
                response = await client._request("GET", "/chat", stream=True)
                return client._stream_events(response, lambda d: d["n"])

            server.replies = [echo_path] * 16
            raws = await asyncio.gather(*(rt.async_with_raw_response(get)(i) for i in range(16)))
            for i, raw in enumerate(raws):
                assert raw.request_id == raw.parse()["path"] == f"/base/items/{i}"

            server.replies = [Reply(200, b'data: {"n": 5}\n\n', {"x-request-id": "s"})]
            raw = await rt.async_with_raw_response(chat)()
            assert raw.request_id == "s" and raw.http_response is raw.parse().response
            assert [n async for n in raw.parse()] == [5]

            async def nothing() -> int:
                return 1

            with pytest.raises(RuntimeError, match="sent no request"):
                await rt.async_with_raw_response(nothing)()

    asyncio.run(main())


# --------------------------------------------------------------------------- absolute URLs


def test_absolute_url_on_the_same_origin(make_client: Any, server: Server) -> None:
    client = make_client(
        api_key="k", token_provider=lambda: "tok", default_query={"api-version": "v2"}
    )
    client._request("GET", server.url + "/base/items?$skiptoken=a%2Bb%3D%3D&api-version=v1&x=1")
    client._request("GET", server.url.replace("http:", "HTTP:") + "/other", query={"q": "a b"})
    first, second = server.requests
    # the link's own query is kept byte for byte; the client's api-version replaces its
    assert first.raw_path == "/base/items?$skiptoken=a%2Bb%3D%3D&x=1&api-version=v2"
    assert (first.headers["api-key"], first.headers["authorization"]) == ("k", "Bearer tok")
    assert second.raw_path == "/other?api-version=v2&q=a+b"
    assert second.headers["api-key"] == "k"
    with pytest.raises(ValueError, match="absolute"):
        client._request("GET", server.url + "/x/{id}", path_params={"id": "1"})


def test_relative_path_with_its_own_query_keeps_it(make_client: Any, server: Server) -> None:
    make_client(default_query={"api-version": "v"})._request(
        "GET", "/c?restype=container", query={"comp": "list"}
    )
    assert server.requests[0].raw_path == "/base/c?restype=container&api-version=v&comp=list"


def test_absolute_url_on_another_origin_gets_no_credentials(
    make_client: Any, server: Server, other: Server
) -> None:
    calls: list[str] = []

    def token() -> str:
        calls.append("tok")
        return "tok"

    client = make_client(
        api_key="k",
        token_provider=token,
        default_headers={"Authorization": "Basic dTpw", "X-Custom": "c"},
        default_query={"code": "secret"},
    )
    client._request("GET", other.url + "/next?page=2", extra_headers={"API-KEY": "k"})
    request = other.requests[0]
    assert request.raw_path == "/next?page=2"  # no default query either: it may hold a key
    assert "api-key" not in request.headers and "authorization" not in request.headers
    assert request.headers["x-custom"] == "c"
    assert calls == []  # no token is even acquired for it
    assert server.requests == []


def test_async_absolute_urls(make_async: Any, server: Server, other: Server) -> None:
    async def main() -> None:
        async with make_async(api_key="k", token_provider=lambda: "tok") as client:
            await client._request("GET", server.url + "/base/next?page=2")
            await client._request("GET", other.url + "/next?page=3")

    asyncio.run(main())
    assert server.requests[0].raw_path == "/base/next?page=2"
    assert server.requests[0].headers["api-key"] == "k"
    assert server.requests[0].headers["authorization"] == "Bearer tok"
    assert other.requests[0].raw_path == "/next?page=3"
    assert "api-key" not in other.requests[0].headers
    assert "authorization" not in other.requests[0].headers


def test_redirects_are_not_followed_by_default(
    make_client: Any, server: Server, other: Server, rt: Any
) -> None:
    server.replies = [Reply(302, headers={"Location": other.url + "/steal"})]
    client = make_client(api_key="k")
    assert client._client.follow_redirects is False
    with pytest.raises(rt.ApiError) as info:
        client._request("GET", "/a")
    assert info.value.status_code == 302
    assert other.requests == []


def test_followed_redirects_never_carry_credentials_elsewhere(
    make_client: Any, server: Server, other: Server
) -> None:
    http_client = httpx.Client(follow_redirects=True)  # an injected client may follow them
    client = make_client(api_key="k", token_provider=lambda: "tok", http_client=http_client)
    server.replies = [
        Reply(307, headers={"Location": "/base/moved"}),  # same origin: credentials kept
        Reply(302, headers={"Location": other.url + "/elsewhere"}),
    ]
    other.replies = [Reply(200, {"ok": True})]
    assert client._request("GET", "/a").json() == {"ok": True}
    _, moved = server.requests
    assert moved.path == "/base/moved" and moved.headers["api-key"] == "k"
    assert moved.headers["authorization"] == "Bearer tok"
    elsewhere = other.requests[0]
    assert elsewhere.path == "/elsewhere"
    assert "api-key" not in elsewhere.headers and "authorization" not in elsewhere.headers
    http_client.close()


def test_async_followed_redirects_never_carry_credentials_elsewhere(
    make_async: Any, server: Server, other: Server
) -> None:
    server.replies = [Reply(303, headers={"Location": other.url + "/elsewhere"})]

    async def main() -> Any:
        async with httpx.AsyncClient(follow_redirects=True) as http_client:
            client = make_async(api_key="k", http_client=http_client)
            return (await client._request("POST", "/a", json={})).json()

    assert asyncio.run(main()) == {}
    assert other.requests[0].method == "GET"  # 303: httpx's own redirect rules
    assert "api-key" not in other.requests[0].headers


# --------------------------------------------------------------------------- binary


def test_binary_write_to(make_client: Any, server: Server, rt: Any, tmp_path: Path) -> None:
    server.replies = [Reply(200, BODY, content_type="application/octet-stream")]
    client = make_client()
    target = tmp_path / "out.bin"
    target.write_bytes(b"old content")
    with rt.BinaryResponse(client._request("GET", "/file", stream=True)) as binary:
        assert binary.content_type == "application/octet-stream"
        assert binary.headers["content-length"] == str(len(BODY))
        assert binary.write_to(target) == len(BODY)
    assert target.read_bytes() == BODY
    assert os.listdir(tmp_path) == ["out.bin"]  # no temp file left
    assert binary.response.is_closed


def test_binary_iter_bytes_and_read(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(200, BODY), Reply(200, b"small")]
    client = make_client()
    binary = rt.BinaryResponse(client._request("GET", "/file", stream=True))
    chunks = list(binary.iter_bytes(chunk_size=100_000))
    assert len(chunks) == 4 and b"".join(chunks) == BODY
    assert binary.response.is_closed
    binary = rt.BinaryResponse(client._request("GET", "/file", stream=True))
    assert binary.read() == b"small" and binary.response.is_closed


def truncated_reply() -> Reply:
    # Announces the whole body, sends 1 KiB, then closes the connection.
    return Reply(200, BODY[:1024], {"Content-Length": str(len(BODY)), "Connection": "close"})


def test_binary_failure_mid_stream_leaves_no_file(
    make_client: Any, server: Server, rt: Any, tmp_path: Path
) -> None:
    server.replies = [truncated_reply()]
    client = make_client()
    (tmp_path / "kept.bin").write_bytes(b"old")
    binary = rt.BinaryResponse(client._request("GET", "/file", stream=True))
    with pytest.raises(rt.ApiConnectionError):
        binary.write_to(tmp_path / "new.bin")
    with pytest.raises(FileNotFoundError):  # no such folder: nothing written either
        rt.BinaryResponse(client._request("GET", "/file", stream=True)).write_to(
            tmp_path / "missing" / "x.bin"
        )
    server.replies = [truncated_reply()]
    with pytest.raises(rt.ApiConnectionError):
        rt.BinaryResponse(client._request("GET", "/file", stream=True)).write_to(
            tmp_path / "kept.bin"
        )
    assert os.listdir(tmp_path) == ["kept.bin"]
    assert (tmp_path / "kept.bin").read_bytes() == b"old"  # not clobbered by a failure
    assert binary.response.is_closed


def test_async_binary(make_async: Any, server: Server, rt: Any, tmp_path: Path) -> None:
    server.replies = [Reply(200, BODY), Reply(200, BODY), Reply(200, b"small"), truncated_reply()]

    async def main() -> None:
        async with make_async() as client:
            async with rt.AsyncBinaryResponse(
                await client._request("GET", "/f", stream=True)
            ) as binary:
                assert await binary.write_to(str(tmp_path / "out.bin")) == len(BODY)
            assert binary.response.is_closed

            binary = rt.AsyncBinaryResponse(await client._request("GET", "/f", stream=True))
            chunks = [c async for c in binary.aiter_bytes(chunk_size=100_000)]
            assert len(chunks) == 4 and b"".join(chunks) == BODY

            binary = rt.AsyncBinaryResponse(await client._request("GET", "/f", stream=True))
            assert await binary.aread() == b"small" and binary.response.is_closed

            binary = rt.AsyncBinaryResponse(await client._request("GET", "/f", stream=True))
            with pytest.raises(rt.ApiConnectionError):
                await binary.write_to(tmp_path / "broken.bin")
            assert binary.response.is_closed

    asyncio.run(main())
    assert (tmp_path / "out.bin").read_bytes() == BODY
    assert os.listdir(tmp_path) == ["out.bin"]


# --------------------------------------------------------------------------- pagers


def paged(server: Server, pages: dict[str, dict[str, Any]]) -> None:
    """Answer GET /base/items by its `page` query value ("" for the first page)."""

    def reply(request: Recorded) -> Reply:
        return Reply(200, pages[request.query.get("page", [""])[0]])

    server.on("GET", "/base/items", reply)


def three_pages(server: Server) -> None:
    paged(
        server,
        {
            "": {"value": [1, 2], "nextLink": server.url + "/base/items?page=2"},
            "2": {"value": [3, 4], "nextLink": server.url + "/base/items?page=3"},
            "3": {"value": [5], "nextLink": None},
        },
    )


def test_pager_three_pages(make_client: Any, server: Server, rt: Any) -> None:
    three_pages(server)
    client = make_client(api_key="k", default_query={"api-version": "v"})

    def fetch(link: str | None) -> Any:
        return client._request("GET", link or "/items")

    pager = rt.Pager(fetch, decode=lambda d: d * 10)
    assert server.requests == []  # lazy
    items = iter(pager)
    assert next(items) == 10 and len(server.requests) == 1
    assert list(items) == [20, 30, 40, 50]
    assert [r.raw_path for r in server.requests] == [
        "/base/items?api-version=v",
        "/base/items?page=2&api-version=v",
        "/base/items?page=3&api-version=v",
    ]
    assert all(r.headers["api-key"] == "k" for r in server.requests)
    assert list(pager.pages()) == [[10, 20], [30, 40], [50]]  # each iteration starts over
    assert len(server.requests) == 6


def test_pager_single_page_and_custom_names(make_client: Any, server: Server, rt: Any) -> None:
    paged(
        server,
        {
            "": {"data": [1], "nextLink": server.url + "/base/items?page=2"},
            "2": {"data": [2], "nextLink": ""},
        },
    )
    client = make_client()

    def fetch(link: str | None) -> Any:
        return client._request("GET", link or "/items")

    single = rt.Pager(fetch, item_name="data", next_link_name=None, decode=str)
    assert list(single) == ["1"] and len(server.requests) == 1
    odata = rt.Pager(fetch, item_name="data", next_link_name="@odata.nextLink", decode=str)
    assert list(odata) == ["1"]
    assert list(rt.Pager(fetch, item_name="data", decode=str)) == ["1", "2"]  # "" ends


def test_pager_stops_on_a_repeated_link(make_client: Any, server: Server, rt: Any) -> None:
    link = server.url + "/base/items?page="
    paged(
        server,
        {
            "": {"value": [1], "nextLink": link + "2"},
            "2": {"value": [2], "nextLink": link + "2"},  # itself
            "3": {"value": [3], "nextLink": link + "4"},
            "4": {"value": [4], "nextLink": link + "3"},  # a cycle
        },
    )
    client = make_client()
    pager = rt.Pager(lambda url: client._request("GET", url or "/items"), decode=int)
    assert list(pager) == [1, 2]
    cycle = rt.Pager(lambda url: client._request("GET", url or link + "3"), decode=int)
    assert list(cycle) == [3, 4, 3]  # page 3 is fetched twice, then its link is known
    assert len(server.requests) == 5


@pytest.mark.parametrize(
    "body",
    [[1, 2], {"items": [1]}, {"value": {"a": 1}}, {"value": ["not a number"]}, "not json"],
)
def test_pager_bad_page(make_client: Any, server: Server, rt: Any, body: Any) -> None:
    server.replies = [Reply(200, body)]
    client = make_client()
    pager = rt.Pager(lambda link: client._request("GET", "/items"), decode=int)
    with pytest.raises(rt.ApiResponseValidationError) as info:
        list(pager)
    assert info.value.response is not None


def test_async_pager(make_async: Any, server: Server, rt: Any) -> None:
    three_pages(server)

    async def main() -> Any:
        async with make_async() as client:

            async def fetch(link: str | None) -> Any:
                return await client._request("GET", link or "/items")

            pager = rt.AsyncPager(fetch, decode=lambda d: d * 10)
            items = [item async for item in pager]
            pages = [page async for page in pager.pages()]
            single = [i async for i in rt.AsyncPager(fetch, next_link_name=None, decode=int)]
            server.on("GET", "/base/bad", Reply(200, {"nope": []}))

            async def bad(link: str | None) -> Any:
                return await client._request("GET", "/bad")

            with pytest.raises(rt.ApiResponseValidationError):
                [i async for i in rt.AsyncPager(bad, decode=int)]
            return items, pages, single

    assert asyncio.run(main()) == ([10, 20, 30, 40, 50], [[10, 20], [30, 40], [50]], [1, 2])
    assert len(server.requests) == 8


# --------------------------------------------------------------------------- pollers


def start(client: Any, method: str, reply: Reply, server: Server, **kwargs: Any) -> Any:
    """Send the initial request (answered by `reply`) and wrap it in a poller."""
    server.replies.insert(0, reply)
    initial = client._request(method, "/items/1")
    kwargs.setdefault("final_state_via", None)
    kwargs.setdefault("decode", lambda d: d)
    return client._poller(initial, method=method, url=str(initial.request.url), **kwargs)


def paths(server: Server) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests]


def test_poller_azure_async_operation(make_client: Any, server: Server) -> None:
    op = server.url + "/base/operations/op1"
    server.replies = [
        Reply(200, {"status": "InProgress"}, {"retry-after-ms": "250"}),
        Reply(200, {"status": "Running"}),  # no hint: the polling interval
        Reply(200, {"status": "succeeded"}),  # case-insensitive
        Reply(200, {"id": "1", "name": "done"}),  # GET of the original URI
    ]
    client = make_client(api_key="k")
    initial = Reply(
        201, {"properties": {"provisioningState": "Accepted"}},
        {"Azure-AsyncOperation": op, "Retry-After": "3"},
    )  # fmt: skip
    poller = start(client, "PUT", initial, server, decode=lambda d: d["name"], polling_interval=5)
    assert (poller.done(), poller.status()) == (False, "InProgress")
    assert poller.initial_response.status_code == 201
    assert poller.result() == "done"
    assert (poller.done(), poller.status()) == (True, "succeeded")
    assert client.delays == [3.0, 0.25, 5]
    assert paths(server) == [
        "PUT /base/items/1",
        "GET /base/operations/op1",
        "GET /base/operations/op1",
        "GET /base/operations/op1",
        "GET /base/items/1",
    ]
    assert all(r.headers["api-key"] == "k" for r in server.requests)
    assert poller.result() == "done" and len(server.requests) == 5  # fetched once


@pytest.mark.parametrize(
    ("final_state_via", "final_get", "result"),
    [
        (None, "GET /base/results/r1", "location"),  # POST default: location
        ("location", "GET /base/results/r1", "location"),
        ("original-uri", "GET /base/items/1", "original"),
        ("azure-async-operation", None, "monitor"),  # the status body itself
        ("operation-location", None, "monitor"),
    ],
)
def test_poller_final_state_via(
    make_client: Any, server: Server, final_state_via: str | None, final_get: str, result: str
) -> None:
    server.on("GET", "/base/ops/o1", Reply(200, {"status": "Succeeded", "r": "monitor"}))
    server.on("GET", "/base/results/r1", Reply(200, {"r": "location"}))
    server.on("GET", "/base/items/1", Reply(200, {"r": "original"}))
    headers = {"Operation-Location": server.url + "/base/ops/o1", "Location": "/base/results/r1"}
    poller = start(
        make_client(), "POST", Reply(202, {}, headers), server,
        final_state_via=final_state_via, decode=lambda d: d["r"],
    )  # fmt: skip
    assert poller.result() == result
    expected = ["POST /base/items/1", "GET /base/ops/o1"] + ([final_get] if final_get else [])
    assert paths(server) == expected


def test_poller_location(make_client: Any, server: Server) -> None:
    server.replies = [
        Reply(202, headers={"Location": "/base/ops/l2"}),  # a new location to follow
        Reply(202, headers={"Retry-After": "2"}),
        Reply(200, {"answer": 42}),
    ]
    client = make_client()
    initial = Reply(202, headers={"Location": "/base/ops/l1", "Retry-After": "1"})  # relative
    poller = start(client, "POST", initial, server, decode=lambda d: d["answer"])
    assert poller.result() == 42  # the location's final answer: no extra GET
    assert client.delays == [1.0, 1.0, 2.0]
    assert paths(server) == [
        "POST /base/items/1",
        "GET /base/ops/l1",
        "GET /base/ops/l2",
        "GET /base/ops/l2",
    ]


def test_poller_put_provisioning_state(make_client: Any, server: Server) -> None:
    server.replies = [
        Reply(200, {"properties": {"provisioningState": "Updating"}}),
        Reply(200, {"name": "x", "properties": {"provisioningState": "Succeeded"}}),
    ]
    client = make_client()
    initial = Reply(201, {"properties": {"provisioningState": "Creating"}})
    poller = start(client, "PUT", initial, server, decode=lambda d: d["name"])
    assert poller.status() == "Creating"
    assert poller.result() == "x"  # the last poll was the GET of the resource
    assert paths(server) == ["PUT /base/items/1", "GET /base/items/1", "GET /base/items/1"]
    assert client.delays == [1.0, 1.0]


def test_poller_already_done(make_client: Any, server: Server) -> None:
    client = make_client()
    put = start(client, "PUT", Reply(200, {"name": "x"}), server, decode=lambda d: d["name"])
    assert put.done() and put.status() == "Succeeded"
    assert put.result() == "x"
    delete = start(client, "DELETE", Reply(204), server, decode=None)
    assert delete.done() and delete.result() is None
    post = start(client, "POST", Reply(200, {"n": 1}), server)
    assert post.result() == {"n": 1}
    assert len(server.requests) == 3 and client.delays == []


@pytest.mark.parametrize(
    ("initial", "poll", "status"),
    [
        (
            Reply(202, {}, {"Azure-AsyncOperation": "/base/ops/o1"}),
            Reply(200, {"status": "Failed", "error": {"code": "Boom", "message": "it broke"}}),
            "Failed",
        ),
        (
            Reply(201, {"properties": {"provisioningState": "Creating"}}),
            Reply(200, {"properties": {"provisioningState": "Canceled"}}),
            "Canceled",
        ),
    ],
)
def test_poller_failure_raises(
    make_client: Any, server: Server, rt: Any, initial: Reply, poll: Reply, status: str
) -> None:
    server.replies = [poll]
    poller = start(make_client(), "PUT", initial, server)
    poller.wait()  # waiting does not raise
    assert poller.done() and poller.status() == status
    with pytest.raises(rt.OperationFailedError) as info:
        poller.result()
    exc = info.value
    assert isinstance(exc, rt.ClientError)
    assert exc.status == status and exc.body == poll.body
    assert exc.response.status_code == 200
    if status == "Failed":
        assert (exc.code, exc.message) == ("Boom", "it broke")
        assert str(exc) == "Operation Failed - Boom: it broke"
    assert len(server.requests) == 2  # no final GET for a failed operation


def test_poller_status_body_without_status(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(200, {"state": "?"})]
    poller = start(make_client(), "POST", Reply(202, {}, {"Operation-Location": "/o"}), server)
    with pytest.raises(rt.ApiResponseValidationError):
        poller.result()


def test_poller_result_timeout(make_client: Any, server: Server, rt: Any) -> None:
    client = make_client()
    initial = Reply(202, {}, {"Operation-Location": "/base/ops/o1", "Retry-After": "10"})
    poller = start(client, "POST", initial, server, decode=None)
    with pytest.raises(rt.ApiTimeoutError):
        poller.result(timeout=1.0)  # the next poll is due in 10 s: only 1 s is waited
    assert client.delays == [1.0]
    assert len(server.requests) == 1
    with pytest.raises(rt.ApiTimeoutError):
        poller.wait(timeout=0)
    server.replies = [Reply(200, {"status": "Succeeded"})]
    assert poller.result() is None  # resumes: sleeps only the rest of the 10 s
    assert client.delays[1:] == [0.0, 9.0]
    assert paths(server) == ["POST /base/items/1", "GET /base/ops/o1"]


def test_async_poller(make_async: Any, server: Server, rt: Any) -> None:
    async def main() -> None:
        async with make_async() as client:
            server.replies = [
                Reply(202, {}, {"Azure-AsyncOperation": "/base/ops/o1", "Retry-After": "4"}),
                Reply(200, {"status": "InProgress"}, {"Retry-After": "2"}),
                Reply(200, {"status": "Succeeded"}),
                Reply(200, {"name": "x"}),
            ]
            initial = await client._request("PATCH", "/items/1", json={})
            url = str(initial.request.url)
            poller = client._poller(
                initial, method="PATCH", url=url, final_state_via=None, decode=lambda d: d
            )
            assert isinstance(poller, rt.AsyncPoller) and not poller.done()
            with pytest.raises(rt.ApiTimeoutError):
                await poller.result(timeout=1)
            assert await poller.result() == {"name": "x"}
            assert await poller.result() == {"name": "x"}
            assert client.delays == [1.0, 3.0, 2.0]

            server.replies = [
                Reply(202, {}, {"Location": "/base/ops/l1"}),
                Reply(202),
                Reply(200, {"status": "Failed", "error": {"message": "no"}}),
            ]
            initial = await client._request("DELETE", "/items/1")
            poller = client._poller(
                initial, method="DELETE", url=url, final_state_via=None, decode=None
            )
            await poller.wait()
            assert poller.status() == "Succeeded"  # location polling: 200 means done
            assert await poller.result() is None

            server.replies = [
                Reply(202, {}, {"Operation-Location": "/base/ops/o2"}),
                Reply(200, {"status": "Cancelled"}),
            ]
            initial = await client._request("POST", "/items/1:run")
            poller = client._poller(
                initial, method="POST", url=url, final_state_via=None, decode=lambda d: d
            )
            with pytest.raises(rt.OperationFailedError) as info:
                await poller.result()
            assert info.value.status == "Cancelled"

    asyncio.run(main())
    assert paths(server) == [
        "PATCH /base/items/1",
        "GET /base/ops/o1",
        "GET /base/ops/o1",
        "GET /base/items/1",
        "DELETE /base/items/1",
        "GET /base/ops/l1",
        "GET /base/ops/l1",
        "POST /base/items/1:run",
        "GET /base/ops/o2",
    ]


def test_poller_polls_from_threads_independently(make_client: Any, server: Server) -> None:
    # Two pollers on one client, driven from two threads: each follows its own URLs.
    server.on("GET", "/base/ops/a", Reply(200, {"status": "Succeeded", "v": "a"}))
    server.on("GET", "/base/ops/b", Reply(200, {"status": "Succeeded", "v": "b"}))
    client = make_client()
    pollers = [
        start(client, "POST", Reply(202, {}, {"Operation-Location": f"/base/ops/{n}"}), server,
              final_state_via="operation-location", decode=lambda d: d["v"])
        for n in "ab"
    ]  # fmt: skip
    results: list[str] = []
    threads = [threading.Thread(target=lambda p=p: results.append(p.result())) for p in pollers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["a", "b"]
