"""Tests of the hand-written runtime (templates/runtime) shipped in every package.

The runtime is copied into a throwaway package exactly as the generator ships it
(`rtpkg/_runtime/`), and driven against a real HTTP server on 127.0.0.1
(`tests/server.py`, the `server` fixture of conftest.py).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import enum
import importlib
import io
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.server import Recorded, Reply, Server

UTC = dt.timezone(dt.timedelta(0))
RUNTIME_DIR = Path(__file__).resolve().parent.parent / "templates" / "runtime"


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("runtime")
    pkg = root / "rtpkg"
    shutil.copytree(RUNTIME_DIR, pkg / "_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("rtpkg._runtime")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "rtpkg" or m.startswith("rtpkg.")]:
            del sys.modules[name]


# --------------------------------------------------------------------------- clients


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Purpose(enum.Enum):
    FINE_TUNE = "fine-tune"


@pytest.fixture
def make_client(rt: ModuleType, server: Server) -> Iterator[Callable[..., Any]]:
    """Sync clients on `server.url + /base`, with a recording sleep hook and a clock that
    moves by what they sleep: delays are asserted exactly, whatever the machine's load."""
    clients: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.url + "/base")
        client = rt.SyncClientBase(**kwargs)
        client.delays = []
        client.now = 0.0  # the client's clock: only its sleeps move it

        def sleep(seconds: float) -> None:
            client.delays.append(seconds)
            client.now += seconds

        client._sleep = sleep
        client._clock = lambda: client.now
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- request building


def test_path_params_are_percent_encoded(make_client: Any, server: Server) -> None:
    client = make_client()
    client._request(
        "GET",
        "/items/{item_id}/versions/{version}",
        path_params={"item_id": "a/b?c#d", "version": ".."},
    )
    client._request("GET", "/items/{item_id}", path_params={"item_id": Color.RED})
    assert server.requests[0].raw_path == "/base/items/a%2Fb%3Fc%23d/versions/%2E%2E"
    assert server.requests[1].raw_path == "/base/items/red"


def test_path_params_reject_missing_and_empty(make_client: Any) -> None:
    client = make_client()
    with pytest.raises(ValueError, match="item_id"):
        client._request("GET", "/items/{item_id}", path_params={})
    with pytest.raises(ValueError, match="empty"):
        client._request("GET", "/items/{item_id}", path_params={"item_id": ""})


def test_skip_url_encoding_param(make_client: Any, server: Server) -> None:
    client = make_client()
    scope = "subscriptions/123/resourceGroups/rg%201"
    client._request(
        "GET", "/{scope}/providers/x", path_params={"scope": scope}, raw_path_params=["scope"]
    )
    assert server.requests[0].path == "/base/subscriptions/123/resourceGroups/rg%201/providers/x"
    for bad in ("a?b=1", "a#frag", "a/../b"):
        with pytest.raises(ValueError, match="scope"):
            client._request(
                "GET", "/{scope}", path_params={"scope": bad}, raw_path_params=["scope"]
            )


def test_query_lists_none_enums_bools_and_extra_query(
    make_client: Any, server: Server, rt: Any
) -> None:
    client = make_client(default_query={"api-version": "2024-02-01"})
    client._request(
        "GET",
        "/search",
        query={
            "tag": ["a", "b"],
            "skip": None,
            "top": rt.NOT_GIVEN,
            "color": Color.GREEN,
            "purpose": Purpose.FINE_TUNE,
            "flag": True,
            "off": False,
            "since": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            "n": 3,
            "q": "x y&z",
        },
        extra_query={"n": 4, "debug": "1"},
    )
    assert server.requests[0].query_items == [
        ("api-version", "2024-02-01"),
        ("tag", "a"),
        ("tag", "b"),
        ("color", "green"),
        ("purpose", "fine-tune"),
        ("flag", "true"),
        ("off", "false"),
        ("since", "2024-01-02T03:04:05Z"),
        ("n", "4"),
        ("q", "x y&z"),
        ("debug", "1"),
    ]


def test_api_key_user_agent_and_accept(make_client: Any, server: Server) -> None:
    make_client(api_key="k1", user_agent="mypkg/1.0")._request(
        "GET", "/a", accept="application/json"
    )
    make_client(api_key="k2", api_key_header="Ocp-Apim-Subscription-Key")._request("GET", "/a")
    first, second = server.requests
    assert first.headers["api-key"] == "k1"
    assert first.headers["user-agent"] == "mypkg/1.0"
    assert first.headers["accept"] == "application/json"
    assert "authorization" not in first.headers
    assert second.headers["ocp-apim-subscription-key"] == "k2"
    assert "api-key" not in second.headers


def test_token_provider_called_on_every_request(make_client: Any, server: Server) -> None:
    tokens = iter(f"tok-{i}" for i in range(10))
    client = make_client(token_provider=lambda: next(tokens))
    server.replies = [Reply(503), Reply(200, {})]
    client._request("GET", "/a")  # one call, two attempts
    client._request("GET", "/a")
    assert [r.headers["authorization"] for r in server.requests] == [
        "Bearer tok-0",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_headers_extra_headers_and_absent_values(make_client: Any, server: Server, rt: Any) -> None:
    client = make_client(api_key="k", default_headers={"X-Default": "d", "X-Op": "from-default"})
    client._request(
        "GET",
        "/a",
        headers={
            "X-Op": "op",
            "X-None": None,
            "X-Unset": rt.NOT_GIVEN,
            "X-Flag": True,
            "X-List": [1, 2],
        },
        extra_headers={"x-op": "extra", "API-KEY": "override"},
    )
    headers = server.requests[0].headers
    assert headers["x-default"] == "d"
    assert headers["x-op"] == "extra"
    assert headers["x-flag"] == "true"
    assert headers["x-list"] == "1, 2"
    assert headers["api-key"] == "override"
    assert "x-none" not in headers and "x-unset" not in headers


def test_header_injection_is_rejected(make_client: Any, server: Server) -> None:
    with pytest.raises(ValueError, match="x-evil"):
        make_client()._request("GET", "/a", headers={"x-evil": "v\r\nInjected: 1"})
    assert server.requests == []


def test_json_body_merged_with_extra_body(make_client: Any, server: Server) -> None:
    client = make_client()
    client._request(
        "POST", "/a", json={"a": 1, "b": {"c": 2}, "é": "ü"}, extra_body={"b": 3, "d": None}
    )
    client._request("PATCH", "/a", json={"a": None}, content_type="application/merge-patch+json")
    client._request("POST", "/a", extra_body={"only": True})
    first, second, third = server.requests
    assert first.json() == {"a": 1, "b": 3, "é": "ü", "d": None}
    assert first.headers["content-type"] == "application/json"
    assert second.json() == {"a": None}
    assert second.headers["content-type"] == "application/merge-patch+json"
    assert third.json() == {"only": True}
    with pytest.raises(TypeError):
        client._request("POST", "/a", json=[1, 2], extra_body={"x": 1})


def test_multipart_every_file_input_form(make_client: Any, server: Server, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    unnamed = io.BytesIO(b"from-bytesio")
    with open(tmp_path / "image.png", "rb") as image:
        make_client()._request(
            "POST",
            "/upload",
            data={"purpose": Purpose.FINE_TUNE, "n": 2, "flag": True, "skip": None},
            files={
                "path_str": str(tmp_path / "report.pdf"),
                "path_obj": tmp_path / "report.pdf",
                "raw": b"\x00\x01",
                "fileobj": image,
                "unnamed": unnamed,
                "pair": ("notes.txt", b"hello"),
                "triple": ("data.bin", io.BytesIO(b"xyz"), "application/x-custom"),
                "triple_none": ("table.csv", b"a,b", None),
                "no_name": (None, b"anon"),
            },
        )
    request = server.requests[0]
    parts = {p.name: p for p in request.multipart()}
    got = {name: (p.filename, p.content_type, p.data) for name, p in parts.items()}
    assert got == {
        "purpose": (None, None, b"fine-tune"),
        "n": (None, None, b"2"),
        "flag": (None, None, b"true"),
        "path_str": ("report.pdf", "application/pdf", b"%PDF-1.4"),
        "path_obj": ("report.pdf", "application/pdf", b"%PDF-1.4"),
        "raw": ("upload", "application/octet-stream", b"\x00\x01"),
        "fileobj": ("image.png", "image/png", b"\x89PNG"),
        "unnamed": ("upload", "application/octet-stream", b"from-bytesio"),
        "pair": ("notes.txt", "text/plain", b"hello"),
        "triple": ("data.bin", "application/x-custom", b"xyz"),
        "triple_none": ("table.csv", "text/csv", b"a,b"),
        "no_name": (None, "application/octet-stream", b"anon"),
    }


def test_multipart_without_files_and_urlencoded_form(make_client: Any, server: Server) -> None:
    client = make_client()
    client._request(
        "POST", "/a", data={"a": "1", "b": ["x", "y"]}, content_type="multipart/form-data"
    )
    client._request("POST", "/a", data={"a": "1", "b": ["x", "y"]})
    multipart, form = server.requests
    parts = multipart.multipart()
    assert [(p.name, p.data) for p in parts] == [("a", b"1"), ("b", b"x"), ("b", b"y")]
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form.body == b"a=1&b=x&b=y"


def test_file_objects_are_rewound_before_a_retry(make_client: Any, server: Server) -> None:
    server.replies = [Reply(503), Reply(503), Reply(200, {})]
    upload = io.BytesIO(b"multipart-file")
    raw = io.BytesIO(b"raw-body")
    client = make_client()
    client._request("POST", "/a", files={"file": ("f.txt", upload)})
    server.replies = [Reply(500), Reply(200, {})]
    client._request("POST", "/b", content=raw, content_type="text/plain")
    bodies = [r.body for r in server.requests]
    assert all(b"multipart-file" in body for body in bodies[:3])
    assert bodies[3:] == [b"raw-body", b"raw-body"]
    assert server.requests[4].headers["content-length"] == "8"


def test_binary_content(make_client: Any, server: Server) -> None:
    client = make_client()
    client._request(
        "PUT", "/blob", content=b"\x00\xffdata", content_type="application/octet-stream"
    )
    client._request("PUT", "/blob", content=b"<x/>", content_type="application/xml")
    client._request("PUT", "/blob", content=b"?")
    first, second, third = server.requests
    assert (first.body, first.headers["content-type"]) == (
        b"\x00\xffdata",
        "application/octet-stream",
    )
    assert (second.body, second.headers["content-type"]) == (b"<x/>", "application/xml")
    assert third.headers["content-type"] == "application/octet-stream"


# --------------------------------------------------------------------------- retries


def test_retry_429_honours_retry_after_ms_then_retry_after(
    make_client: Any, server: Server
) -> None:
    server.replies = [
        Reply(429, {}, {"retry-after-ms": "1500", "Retry-After": "9"}),
        Reply(429, {}, {"Retry-After": "2"}),
        Reply(200, {"ok": True}),
    ]
    client = make_client()
    response = client._request("GET", "/a")
    assert response.json() == {"ok": True}
    assert client.delays == [1.5, 2.0]
    assert len(server.requests) == 3


def test_retry_after_http_date_and_too_long_hint(
    make_client: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = 1_700_000_000.0  # the date an HTTP date is counted from: fixed, not the machine's
    monkeypatch.setattr(time, "time", lambda: now)
    soon = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 4))
    server.replies = [
        Reply(503, headers={"Retry-After": soon}),
        Reply(503, headers={"Retry-After": "120"}),
        Reply(),
    ]
    client = make_client()
    client._request("GET", "/a")
    date_delay, backoff = client.delays
    assert date_delay == 4.0
    assert 0.75 <= backoff <= 1.0  # 0.5 * 2**1 with up to 25% jitter; 120 s was ignored


def test_503_then_success_uses_backoff(make_client: Any, server: Server) -> None:
    server.replies = [Reply(503, "busy"), Reply(200, {"v": 1})]
    client = make_client()
    assert client._request("GET", "/a").json() == {"v": 1}
    assert len(client.delays) == 1 and 0.375 <= client.delays[0] <= 0.5


def test_retries_exhausted_and_per_call_override(make_client: Any, server: Server, rt: Any) -> None:
    client = make_client(max_retries=3)
    server.replies = [Reply(500, {"error": {"message": "boom"}})] * 10
    with pytest.raises(rt.InternalServerError):
        client._request("GET", "/a")
    assert len(server.requests) == 4
    assert [round(d / b, 2) <= 1 for d, b in zip(client.delays, [0.5, 1, 2])] == [True] * 3
    with pytest.raises(rt.InternalServerError):
        client._request("GET", "/a", max_retries=0)
    assert len(server.requests) == 5
    server.replies = [Reply(400)] * 3
    with pytest.raises(rt.BadRequestError):
        client._request("GET", "/a")  # 400 is not retried
    assert len(server.requests) == 6


def test_connection_refused_raises_after_retries(rt: Any) -> None:
    client = rt.SyncClientBase(base_url=f"http://127.0.0.1:{free_port()}", max_retries=2)
    delays: list[float] = []
    client._sleep = delays.append
    with pytest.raises(rt.ApiConnectionError) as info:
        client._request("GET", "/a")
    assert not isinstance(info.value, rt.ApiTimeoutError)
    assert len(delays) == 2
    client.close()


def test_timeout_raises_api_timeout_error(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(200, {}, delay=1.0)] * 3
    client = make_client(timeout=0.2, max_retries=1)
    with pytest.raises(rt.ApiTimeoutError) as info:
        client._request("GET", "/slow")
    assert isinstance(info.value, rt.ApiConnectionError)
    assert len(client.delays) == 1
    with pytest.raises(rt.ApiTimeoutError):
        make_client()._request("GET", "/slow", timeout=0.2, max_retries=0)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "ApiError"),
    ],
)
def test_error_mapping(make_client: Any, server: Server, rt: Any, status: int, name: str) -> None:
    body = {"error": {"code": "BadThing", "message": "it went wrong"}}
    server.replies = [Reply(status, body, {"apim-request-id": "req-123"})]
    with pytest.raises(rt.ApiError) as info:
        make_client(max_retries=0)._request(
            "GET", "/a", error_decoder=lambda b: ("decoded", b["error"]["code"])
        )
    exc = info.value
    assert type(exc) is getattr(rt, name) and rt.error_for_status(status) is type(exc)
    assert isinstance(exc, rt.ClientError)
    assert (exc.status_code, exc.request_id, exc.body) == (status, "req-123", body)
    assert exc.error == ("decoded", "BadThing")
    assert exc.response.status_code == status
    assert str(exc) == f"Error code: {status} - BadThing: it went wrong (request id: req-123)"


def test_error_decoder_failure_and_text_body(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(404, "<html>no such thing</html>", {"x-request-id": "xr-1"})]

    def bad_decoder(body: Any) -> Any:
        raise KeyError("code")

    with pytest.raises(rt.NotFoundError) as info:
        make_client()._request("GET", "/a", error_decoder=bad_decoder)
    assert info.value.error is None
    assert info.value.body == "<html>no such thing</html>"
    assert info.value.request_id == "xr-1"
    assert "404" in str(info.value) and "no such thing" in str(info.value)


def test_secrets_never_in_repr_or_error_message(make_client: Any, server: Server, rt: Any) -> None:
    def echo(request: Recorded) -> Reply:  # a misbehaving proxy echoing the request
        return Reply(401, {"error": {"message": f"bad headers {request.headers}"}})

    server.replies = [echo]
    client = make_client(api_key="sk-SECRET-1", token_provider=lambda: "tok-SECRET-2")
    text = repr(client)
    assert "SECRET" not in text and "/base" in text
    with pytest.raises(rt.AuthenticationError) as info:
        client._request("GET", "/a")
    assert "SECRET" not in str(info.value)
    assert "SECRET" not in info.value.message
    assert "***" in str(info.value)
    url_client = make_client(base_url="https://user:pw@example.com/x?sig=SECRET")
    assert "SECRET" not in repr(url_client) and "pw" not in repr(url_client)


def test_injected_http_client_is_not_closed(rt: Any, server: Server) -> None:
    import httpx

    http_client = httpx.Client()
    with rt.SyncClientBase(base_url=server.url, http_client=http_client) as client:
        client._request("GET", "/a")
    assert not http_client.is_closed
    http_client.close()
    with rt.SyncClientBase(base_url=server.url) as owned:
        pass
    assert owned._client.is_closed


def test_parse_response_validation_error(make_client: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(200, {"id": 1}), Reply(200, "not json")]
    client = make_client()
    assert client._parse_response(client._request("GET", "/a"), lambda d: d["id"]) == 1
    with pytest.raises(rt.ApiResponseValidationError):
        client._parse_response(client._request("GET", "/a"), lambda d: d)
    server.replies = [Reply(200, {"id": 1})]
    with pytest.raises(rt.ApiResponseValidationError):
        client._parse_response(client._request("GET", "/a"), lambda d: d["missing"])


# --------------------------------------------------------------------------- SSE


def sse(rt: Any, *chunks: bytes) -> list[tuple[str, str, str]]:
    return [(e.event, e.data, e.id) for e in rt.iter_sse(iter(chunks))]


def test_sse_multiline_data_comments_and_fields(rt: Any) -> None:
    body = (
        b": keep-alive comment\n"
        b"event: update\nid: 7\ndata: line one\ndata:line two\ndata:  two spaces\n\n"
        b"data\n\n"  # a field name alone: empty data
        b"event: ignored-no-data\n\n"
        b"retry: 3000\nfoo: unknown\ndata: {}\n\n"
    )
    events = list(rt.iter_sse([body]))
    assert [(e.event, e.data, e.id) for e in events] == [
        ("update", "line one\nline two\n two spaces", "7"),
        ("message", "", "7"),  # the last event id persists
        ("message", "{}", "7"),
    ]
    assert events[-1].retry == 3000


def test_sse_line_endings_split_across_chunks(rt: Any) -> None:
    expected = [("message", "a", ""), ("message", "b\nc", ""), ("message", "é", "")]
    assert sse(rt, b"data: a\r\n\r\ndata: b\rdata: c\r\rdata: \xc3\xa9\n\n") == expected
    # every split point, including inside CRLF and inside a UTF-8 character
    body = b"\xef\xbb\xbfdata: a\r\n\r\ndata: b\r\ndata: c\r\n\r\ndata: \xc3\xa9\r\n\r\n"
    for i in range(len(body)):
        assert sse(rt, body[:i], body[i:]) == expected, i
    assert sse(rt, *[bytes([b]) for b in body]) == expected


def test_sse_final_event_without_trailing_blank_line(rt: Any) -> None:
    assert sse(rt, b"data: 1\n\ndata: 2") == [("message", "1", ""), ("message", "2", "")]
    assert sse(rt, b"data: 1\n\ndata: 2\r") == [("message", "1", ""), ("message", "2", "")]
    assert sse(rt, b"") == []


def test_sse_async_parser(rt: Any) -> None:
    async def chunks() -> Any:
        for chunk in (b"data: x\r", b"\n\r\nevent: e\ndata: y"):
            yield chunk

    async def collect() -> list[tuple[str, str]]:
        return [(e.event, e.data) async for e in rt.aiter_sse(chunks())]

    assert asyncio.run(collect()) == [("message", "x"), ("e", "y")]


SSE_BODY = (
    b'data: {"n": 1}\n\n: ping\n\ndata: {"n":\ndata: 2}\n\ndata: [DONE]\n\ndata: {"n": 3}\n\n'
)


def sse_reply(body: bytes) -> Reply:
    return Reply(200, body, {"Content-Type": "text/event-stream"})


def test_stream_yields_typed_items_until_done(make_client: Any, server: Server) -> None:
    server.replies = [sse_reply(SSE_BODY)]
    client = make_client()
    response = client._request("POST", "/chat", json={}, stream=True, accept="text/event-stream")
    stream = client._stream_events(response, lambda d: d["n"])
    assert list(stream) == [1, 2]
    assert response.is_closed
    assert server.requests[0].headers["accept"] == "text/event-stream"


def test_stream_without_done_ends_at_eof(make_client: Any, server: Server) -> None:
    server.replies = [sse_reply(b'data: {"n": 1}\n\ndata: {"n": 2}')]
    client = make_client()
    with client._stream_events(
        client._request("GET", "/s", stream=True), lambda d: d["n"]
    ) as stream:
        assert list(stream) == [1, 2]


def test_stream_closes_response_on_break_and_close(make_client: Any, server: Server) -> None:
    server.replies = [sse_reply(SSE_BODY), sse_reply(SSE_BODY), sse_reply(SSE_BODY)]
    client = make_client()
    stream = client._stream_events(client._request("GET", "/s", stream=True), lambda d: d)
    for _ in stream:
        break
    assert stream.response.is_closed

    stream = client._stream_events(client._request("GET", "/s", stream=True), lambda d: d)
    assert next(stream) == {"n": 1}
    stream.close()
    assert stream.response.is_closed

    with client._stream_events(client._request("GET", "/s", stream=True), lambda d: d) as stream:
        next(stream)
    assert stream.response.is_closed


@pytest.mark.parametrize(
    "body",
    [
        b'data: {"n": 1}\n\nevent: error\ndata: {"error": {"code": "overloaded", "message": "try later"}}\n\n',
        b'data: {"n": 1}\n\ndata: {"error": {"code": "overloaded", "message": "try later"}}\n\n',
    ],
)
def test_stream_error_event_raises(make_client: Any, server: Server, rt: Any, body: bytes) -> None:
    server.replies = [sse_reply(body)]
    client = make_client()
    stream = client._stream_events(client._request("GET", "/s", stream=True), lambda d: d["n"])
    items = iter(stream)
    assert next(items) == 1
    with pytest.raises(rt.StreamError) as info:
        next(items)
    assert (info.value.code, info.value.message) == ("overloaded", "try later")
    assert "overloaded: try later" in str(info.value)
    assert stream.response.is_closed


def test_stream_malformed_json_raises_validation_error(
    make_client: Any, server: Server, rt: Any
) -> None:
    server.replies = [sse_reply(b"data: {not json\n\n")]
    client = make_client()
    stream = client._stream_events(client._request("GET", "/s", stream=True), lambda d: d)
    with pytest.raises(rt.ApiResponseValidationError):
        list(stream)
    assert stream.response.is_closed


def test_stream_request_with_error_status_reads_then_closes(
    make_client: Any, server: Server, rt: Any
) -> None:
    server.replies = [Reply(400, {"error": {"code": "bad", "message": "no"}})]
    with pytest.raises(rt.BadRequestError) as info:
        make_client()._request("GET", "/s", stream=True)
    assert info.value.body == {"error": {"code": "bad", "message": "no"}}
    assert info.value.response.is_closed


# --------------------------------------------------------------------------- async


@pytest.fixture
def make_async(rt: Any, server: Server) -> Callable[..., Any]:
    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.url + "/base")
        client = rt.AsyncClientBase(**kwargs)
        client.delays = []
        client.now = 0.0  # the client's clock: only its sleeps move it

        async def sleep(seconds: float) -> None:
            client.delays.append(seconds)
            client.now += seconds

        client._sleep = sleep
        client._clock = lambda: client.now
        return client

    return make


def test_async_request_building_and_async_token(make_async: Any, server: Server, rt: Any) -> None:
    counter = iter(range(10))

    async def token() -> str:
        return f"atok-{next(counter)}"

    async def main() -> None:
        async with make_async(api_key="k", token_provider=token) as client:
            await client._request(
                "POST",
                "/items/{id}",
                path_params={"id": "a/b?c#d"},
                query={"tag": ["x", "y"], "none": None, "color": Color.RED},
                json={"a": 1},
                extra_body={"b": 2},
                extra_headers={"x-extra": "1"},
            )
            await client._request("POST", "/upload", files={"f": ("a.txt", io.BytesIO(b"hi"))})
        async with make_async(token_provider=lambda: "sync-tok") as client:
            await client._request("GET", "/a")

    asyncio.run(main())
    first, upload, sync_token = server.requests
    assert first.raw_path == "/base/items/a%2Fb%3Fc%23d?tag=x&tag=y&color=red"
    assert first.json() == {"a": 1, "b": 2}
    assert (first.headers["api-key"], first.headers["x-extra"]) == ("k", "1")
    assert first.headers["authorization"] == "Bearer atok-0"
    assert upload.headers["authorization"] == "Bearer atok-1"
    part = upload.multipart()[0]
    assert (part.filename, part.content_type, part.data) == ("a.txt", "text/plain", b"hi")
    assert sync_token.headers["authorization"] == "Bearer sync-tok"


def test_async_retries_errors_and_raw_content(make_async: Any, server: Server, rt: Any) -> None:
    server.replies = [
        Reply(429, {}, {"retry-after-ms": "250"}),
        Reply(200, {"ok": 1}),
        Reply(500, {}),
        Reply(200, {}),
        Reply(404, {"error": {"code": "NotFound", "message": "gone"}}, {"apim-request-id": "r9"}),
    ]

    async def main() -> Any:
        async with make_async() as client:
            assert (await client._request("GET", "/a")).json() == {"ok": 1}
            await client._request(
                "PUT", "/raw", content=io.BytesIO(b"bytes!"), content_type="image/png"
            )
            with pytest.raises(rt.NotFoundError) as info:
                await client._request("GET", "/missing")
            return client.delays, info.value

    delays, exc = asyncio.run(main())
    assert delays[0] == 0.25 and len(delays) == 2
    assert [r.body for r in server.requests[2:4]] == [b"bytes!", b"bytes!"]
    assert server.requests[3].headers["content-type"] == "image/png"
    assert (exc.request_id, exc.message) == ("r9", "gone")


def test_async_connection_error_and_timeout(make_async: Any, server: Server, rt: Any) -> None:
    server.replies = [Reply(200, {}, delay=1.0)]

    async def main() -> None:
        client = make_async(base_url=f"http://127.0.0.1:{free_port()}")
        with pytest.raises(rt.ApiConnectionError):
            await client._request("GET", "/a")
        assert len(client.delays) == 2
        await client.aclose()
        async with make_async(timeout=0.2, max_retries=0) as client:
            with pytest.raises(rt.ApiTimeoutError):
                await client._request("GET", "/slow")

    asyncio.run(main())


def test_async_stream(make_async: Any, server: Server, rt: Any) -> None:
    server.replies = [
        sse_reply(SSE_BODY),
        sse_reply(SSE_BODY),
        sse_reply(b'event: error\ndata: "bad"\n\n'),
    ]

    async def main() -> None:
        async with make_async() as client:
            response = await client._request("GET", "/s", stream=True)
            async with client._stream_events(response, lambda d: d["n"]) as stream:
                assert [n async for n in stream] == [1, 2]
            assert response.is_closed

            response = await client._request("GET", "/s", stream=True)
            async with client._stream_events(response, lambda d: d["n"]) as stream:
                async for _ in stream:
                    break
            assert response.is_closed

            response = await client._request("GET", "/s", stream=True)
            with pytest.raises(rt.StreamError) as info:
                async for _ in client._stream_events(response, lambda d: d):
                    pass
            assert info.value.data == "bad"
            assert response.is_closed

    asyncio.run(main())


# --------------------------------------------------------------------------- serde & types


def test_not_given(rt: Any) -> None:
    assert not rt.NOT_GIVEN
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert copy.deepcopy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert isinstance(rt.NOT_GIVEN, rt.NotGiven)


def test_datetimes(rt: Any) -> None:
    utc = UTC
    parse = rt.parse_datetime
    assert parse("2024-01-02T03:04:05Z") == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc)
    assert parse("2024-01-02t03:04:05.1234567z") == dt.datetime(
        2024, 1, 2, 3, 4, 5, 123456, tzinfo=utc
    )
    assert parse("2024-01-02T03:04:05.5+05:30").utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert parse("2024-01-02T03:04:05-0800").utcoffset() == dt.timedelta(hours=-8)
    assert parse("2024-01-02 03:04:05").tzinfo == utc
    assert parse("2024-01-02T03:04").second == 0
    with pytest.raises(ValueError):
        parse("yesterday")
    assert (
        rt.format_datetime(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc)) == "2024-01-02T03:04:05Z"
    )
    assert rt.format_datetime(dt.datetime(2024, 1, 2)) == "2024-01-02T00:00:00Z"
    tz = dt.timezone(dt.timedelta(hours=2))
    assert rt.format_datetime(dt.datetime(2024, 1, 2, tzinfo=tz)) == "2024-01-02T00:00:00+02:00"
    assert rt.parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert rt.format_date(dt.date(2024, 2, 29)) == "2024-02-29"
    assert rt.from_unixtime(0) == dt.datetime(1970, 1, 1, tzinfo=utc)
    assert rt.to_unixtime(dt.datetime(1970, 1, 2)) == 86400


def test_base64_enums_and_to_jsonable(rt: Any) -> None:
    assert rt.b64encode(b"\xfb\xff") == "+/8="
    assert rt.b64encode(b"\xfb\xff", urlsafe=True) == "-_8"
    assert rt.b64decode("+/8=") == rt.b64decode("-_8") == b"\xfb\xff"
    with pytest.raises(ValueError):
        rt.b64decode("***")
    assert rt.open_enum(Color, "red") is Color.RED
    assert rt.open_enum(Color, "purple") == "purple"
    assert rt.to_jsonable(Color.RED) == "red"
    assert rt.to_jsonable(True) == "true"
    assert rt.to_jsonable(1.5) == "1.5"
    assert rt.to_jsonable([Purpose.FINE_TUNE, 2]) == ["fine-tune", "2"]
    assert rt.to_jsonable(dt.date(2024, 1, 2)) == "2024-01-02"
