"""Hostile servers: the generated clients (generated/) and their runtime against servers that
lie, stall, truncate, send garbage or redirect elsewhere.

Every call ends in a typed error (ApiError and subclasses, ApiResponseValidationError,
ApiConnectionError / ApiTimeoutError, StreamError) or a clean end, within a hard time limit,
without holding an unbounded body in memory, and never sends the api-key to another host.
The hard limit only tells a hang from an answer: no test asserts how long a call took.  A
timeout is checked by the read timeout the call asked httpx for, a whole-call deadline through
a client clock that the test moves.
The servers are raw sockets on 127.0.0.1 (they can break HTTP on purpose) and are stopped by
the tests.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.helpers import ROOT, import_generated

HARD_LIMIT = 10.0  # seconds: a call still running then is a hang (a guard, not a figure)
SHORT = 0.5  # the clients' timeout in these tests
KEY = "secret-api-key-0123456789"


# --------------------------------------------------------------------------- raw servers


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]  # lower-cased names
    body: bytes


Handler = Callable[[socket.socket, Request, "RawServer"], None]


@dataclass
class RawServer:
    """A TCP server on 127.0.0.1 whose handler writes whatever bytes it likes."""

    handler: Handler
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        buffer = b""
        try:
            while not self.stopping.is_set():
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                while len(buffer) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                body, buffer = buffer[:length], buffer[length:]
                request = Request(method, target, headers, body)
                with self._lock:
                    self.requests.append(request)
                self.handler(conn, request, self)
        except OSError:
            pass  # the client went away, or stop() closed the socket
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopping.set()
        self.sock.close()
        with self._lock:
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
        self._accept_thread.join(2)
        for thread in self._threads:
            thread.join(2)
        assert not any(t.is_alive() for t in self._threads), "a server thread did not stop"


def response(
    status: int = 200,
    body: bytes = b"",
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> bytes:
    reason = {200: "OK", 302: "Found", 307: "Temporary Redirect", 500: "Internal Server Error"}
    lines = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}"]
    all_headers = {"Content-Length": str(len(body) if length is None else length)}
    if content_type:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers or {})
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def reply(data: bytes, *, close: bool = False) -> Handler:
    def handle(conn: socket.socket, request: Request, server: RawServer) -> None:
        conn.sendall(data)
        if close:
            conn.shutdown(socket.SHUT_RDWR)
            raise OSError("closed on purpose")

    return handle


def trickle(head: bytes, piece: bytes, every: float) -> Handler:
    """Send ``head``, then ``piece`` every ``every`` seconds until the server stops."""

    def handle(conn: socket.socket, request: Request, server: RawServer) -> None:
        conn.sendall(head)
        while not server.stopping.wait(every):
            conn.sendall(piece)
        raise OSError("stopped")

    return handle


def stall(head: bytes) -> Handler:
    """Send ``head`` and nothing more until the server stops."""

    def handle(conn: socket.socket, request: Request, server: RawServer) -> None:
        conn.sendall(head)
        server.stopping.wait()
        raise OSError("stopped")

    return handle


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Handler) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def finishes(fn: Callable[[], Any], limit: float = HARD_LIMIT) -> Any:
    """Run ``fn`` in a thread; its result, or the exception it raised, within ``limit``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"the call did not finish within {limit} s (a hang)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def outcome_of(fn: Callable[[], Any]) -> Any:
    """What ``fn`` returned or raised (within the hard limit: a missing timeout is a hang)."""
    try:
        return finishes(fn)
    except BaseException as exc:  # noqa: BLE001 - handed back to the test
        return exc


def read_timeout_of(error: Any) -> float | None:
    """The read timeout the call that failed asked httpx for (the clients' is SHORT)."""
    return error.request.extensions["timeout"]["read"]  # type: ignore[no-any-return]


class StepClock:
    """A client's clock that moves by ``step`` each time it is read: a whole-call deadline
    passes after a known number of chunks, however fast or slow they really arrive."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.readings: list[float] = []

    def __call__(self) -> float:
        self.readings.append(len(self.readings) * self.step)
        return self.readings[-1]

    def stopped_at_the_deadline(self, timeout: float) -> bool:
        """The deadline was set at the first reading; the call gave up at the first reading
        past it, not before and not later."""
        readings = self.readings
        return len(readings) > 1 and readings[-1] > readings[0] + timeout >= readings[-2]


# --------------------------------------------------------------------------- clients


@pytest.fixture(scope="module")
def authoring() -> ModuleType:
    return import_generated(ROOT / "generated" / "azure-openai-authoring", "azure_openai_authoring")


@pytest.fixture(scope="module")
def inference() -> ModuleType:
    return import_generated(ROOT / "generated" / "azure-openai-inference", "azure_openai_inference")


def _client(pkg: ModuleType, url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("timeout", SHORT)
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("api_key", KEY)
    client = pkg.Client(base_url=url, **kwargs)
    client._sleep = lambda seconds: None  # retries without waiting
    return client


CHAT = {"messages": [{"role": "user", "content": "hi"}]}
_EVENT = (
    b'data: {"id": "1", "object": "chat.completion.chunk", "created": 1, "model": "m", '
    b'"choices": []}\n\n'
)


def _chat_stream(inference: ModuleType, url: str, **kwargs: Any) -> list[Any]:
    with _client(inference, url, **kwargs) as client:
        return list(client.chat_completions.create("d", body=CHAT, stream=True))


# --------------------------------------------------------------------------- bodies


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"object": "list", "data": [', "application/json"),  # malformed JSON
        (b"<html><body>Welcome to nginx!</body></html>", "text/html"),  # a proxy's page
        (b"<html><body>Welcome</body></html>", "application/json"),  # lying content type
        (b"", "application/json"),  # empty
        (b"\xff\xfe\x00garbage\x80", "application/json"),  # not UTF-8
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # nested past the recursion limit
        (b"1" * 5000, "application/json"),  # an int longer than Python converts
        (b'"just a string"', "application/json"),  # valid JSON, wrong shape
        (b"null", "application/json"),
    ],
)
def test_a_bad_success_body_is_a_validation_error(
    authoring: ModuleType, serve: Any, body: bytes, content_type: str
) -> None:
    server = serve(reply(response(200, body, content_type)))
    with (
        _client(authoring, server.url) as client,
        pytest.raises(authoring.ApiResponseValidationError) as info,
    ):
        finishes(client.files.list)
    assert info.value.response is not None


def test_a_bad_success_body_is_a_validation_error_async(authoring: ModuleType, serve: Any) -> None:
    server = serve(reply(response(200, b"[" * 100_000, "application/json")))

    async def call() -> Any:
        async with authoring.AsyncClient(
            base_url=server.url, api_key=KEY, timeout=SHORT, max_retries=0
        ) as client:
            return await client.files.list()

    with pytest.raises(authoring.ApiResponseValidationError):
        finishes(lambda: asyncio.run(call()))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><head><title>500</title></head><body><h1>Oops</h1>" + b"x" * 5000, "text/html"),
        (b"<html>not json</html>", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b'{"error": {"code": 42, "message": ["not", "a", "string"]}}', "application/json"),
        (b"", None),
    ],
)
def test_an_html_error_page_is_an_api_error(
    authoring: ModuleType, serve: Any, body: bytes, content_type: str | None
) -> None:
    server = serve(reply(response(500, body, content_type)))
    with (
        _client(authoring, server.url, max_retries=2) as client,
        pytest.raises(authoring.InternalServerError) as info,
    ):
        finishes(lambda: client.files.get("file-1"))
    error = info.value
    assert error.status_code == 500
    assert len(server.requests) == 3  # retried, then reported
    if body.startswith(b"<html><head>"):
        assert isinstance(error.body, str) and "Oops" in error.body
        assert len(str(error)) < 500  # the page is summarised, not dumped
    assert KEY not in str(error) and KEY not in repr(error.body)


def test_a_bad_content_encoding_is_a_typed_error(
    authoring: ModuleType, inference: ModuleType, serve: Any
) -> None:
    garbage = b"this is not gzip"
    for status, expected in (
        (200, authoring.ApiResponseValidationError),
        (500, authoring.ApiError),
    ):
        server = serve(
            reply(response(status, garbage, "application/json", {"Content-Encoding": "gzip"}))
        )
        with _client(authoring, server.url) as client:
            with pytest.raises(expected):
                finishes(client.files.list)
            with pytest.raises(expected):
                finishes(lambda: client.files.get_content("f"))
    # streamed answers: a gzip header, then no valid deflate data
    broken = gzip.compress(_EVENT)[:10] + b"\xff" * 50
    for content_type in ("text/event-stream", "application/octet-stream"):
        server = serve(reply(response(200, broken, content_type, {"Content-Encoding": "gzip"})))
        with (
            _client(authoring, server.url) as client,
            pytest.raises(authoring.ApiResponseValidationError),
        ):
            finishes(lambda: client.files.get_content_streamed("f").read())
        url = server.url
        with pytest.raises(inference.ApiResponseValidationError):
            finishes(lambda: _chat_stream(inference, url))  # noqa: B023 - called right here


# --------------------------------------------------------------------------- truncation


def test_a_truncated_body_is_a_connection_error(authoring: ModuleType, serve: Any) -> None:
    head = response(200, b'{"object": "list", "data": [', length=1000)
    server = serve(reply(head, close=True))
    with (
        _client(authoring, server.url, max_retries=2) as client,
        pytest.raises(authoring.ApiConnectionError) as info,
    ):
        finishes(client.files.list)
    assert not isinstance(info.value, authoring.ApiTimeoutError)
    assert len(server.requests) == 3  # a broken connection is retried


def test_a_truncated_error_body_keeps_the_status(authoring: ModuleType, serve: Any) -> None:
    server = serve(reply(response(404, b'{"error": {"code": "Not', length=500), close=True))
    with _client(authoring, server.url) as client, pytest.raises(authoring.NotFoundError) as info:
        finishes(lambda: client.files.get("f"))
    assert info.value.body is None


def test_a_connection_closed_before_any_answer(authoring: ModuleType, serve: Any) -> None:
    for data in (b"", b"HTTP/1.1 200", b"garbage\r\n\r\n", b"HTTP/1.1 abc OK\r\n\r\n"):
        server = serve(reply(data, close=True))
        with _client(authoring, server.url) as client, pytest.raises(authoring.ApiConnectionError):
            finishes(client.files.list)


def test_a_truncated_download(authoring: ModuleType, serve: Any) -> None:
    server = serve(
        reply(response(200, b"abc" * 100, "application/octet-stream", length=10_000), close=True)
    )
    with _client(authoring, server.url) as client, pytest.raises(authoring.ApiConnectionError):
        finishes(lambda: client.files.get_content("f"))


# More than one chunk of write_to (64 KiB) arrives before the connection breaks: the first
# chunk is written, then the stream fails in the middle of write_to.
_PART = b"new" * 50_000


@pytest.mark.parametrize("old", [None, b"the previous download\n"], ids=["new", "existing"])
def test_a_download_cut_midway_leaves_no_partial_file(
    authoring: ModuleType, serve: Any, tmp_path: Path, old: bytes | None
) -> None:
    server = serve(
        reply(response(200, _PART, "application/octet-stream", length=10**6), close=True)
    )
    target = tmp_path / "download.bin"
    if old is not None:
        target.write_bytes(old)
    with _client(authoring, server.url) as client, pytest.raises(authoring.ApiConnectionError):
        finishes(lambda: client.files.get_content_streamed("f").write_to(target))
    assert [p.name for p in tmp_path.iterdir()] == ([] if old is None else ["download.bin"])
    if old is not None:
        assert target.read_bytes() == old  # not clobbered by the broken download

    async def download() -> int:
        async with authoring.AsyncClient(
            base_url=server.url, api_key=KEY, timeout=SHORT, max_retries=0
        ) as client:
            return int(await (await client.files.get_content_streamed("f")).write_to(target))

    with pytest.raises(authoring.ApiConnectionError):
        finishes(lambda: asyncio.run(download()))
    assert [p.name for p in tmp_path.iterdir()] == ([] if old is None else ["download.bin"])
    if old is not None:
        assert target.read_bytes() == old


def test_a_complete_download_replaces_the_file(
    authoring: ModuleType, serve: Any, tmp_path: Path
) -> None:
    server = serve(reply(response(200, _PART, "application/octet-stream")))
    target = tmp_path / "download.bin"
    target.write_bytes(b"the previous download\n")
    with _client(authoring, server.url) as client:
        assert finishes(lambda: client.files.get_content_streamed("f").write_to(target)) == len(
            _PART
        )
    assert target.read_bytes() == _PART
    assert [p.name for p in tmp_path.iterdir()] == ["download.bin"]


# --------------------------------------------------------------------------- event streams


def test_a_truncated_event_stream(inference: ModuleType, serve: Any) -> None:
    """Cut in the middle of an event: a typed error, after the complete events."""
    cut = _EVENT + b'data: {"id": "2", "choi'
    server = serve(reply(response(200, cut, "text/event-stream", length=5000), close=True))
    received: list[Any] = []

    def consume() -> None:
        with _client(inference, server.url) as client:
            received.extend(client.chat_completions.create("d", body=CHAT, stream=True))

    with pytest.raises((inference.ApiConnectionError, inference.ApiResponseValidationError)):
        finishes(consume)
    assert len(received) == 1


def test_a_truncated_chunked_event_stream(inference: ModuleType, serve: Any) -> None:
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = hex(len(_EVENT))[2:].encode() + b"\r\n" + _EVENT + b"\r\n"
    server = serve(reply(head + chunk + b"ff\r\ndata: {", close=True))
    with pytest.raises((inference.ApiConnectionError, inference.ApiResponseValidationError)):
        finishes(lambda: _chat_stream(inference, server.url))


@pytest.mark.parametrize(
    "garbage",
    [
        b"data: not json\n\n",
        b'data: {"unterminated\n\n',
        b"\x00\xff\xfe\x80garbage\r\r\r\n\n:\n\ndata: \xff\xfe\n\n",
        b"data: [" * 10 + b"\n\n",
        b"data: " + b"[" * 100_000 + b"\n\n",
        b"event: error\ndata: <html>oops</html>\n\n",
        b'data: {"error": {"code": "boom", "message": "server error mid-stream"}}\n\n',
        b"data: 12345\n\n",
        b"data: null\n\n",
    ],
)
def test_a_garbage_event_stream(inference: ModuleType, serve: Any, garbage: bytes) -> None:
    server = serve(reply(response(200, _EVENT + garbage, "text/event-stream"), close=True))
    with pytest.raises(
        (inference.ApiResponseValidationError, inference.StreamError, inference.ApiConnectionError)
    ):
        finishes(lambda: _chat_stream(inference, server.url))


def test_an_event_stream_of_noise_ends_cleanly(inference: ModuleType, serve: Any) -> None:
    """Bytes that hold no event at all (no data field): the stream simply has no items."""
    noise = b":comment\n\nid: 7\nretry: x\nfoo: bar\n\n\r\n\r\n" * 50
    server = serve(reply(response(200, noise, "text/event-stream"), close=True))
    assert finishes(lambda: _chat_stream(inference, server.url)) == []


def test_an_endless_line_in_an_event_stream_is_bounded(inference: ModuleType, serve: Any) -> None:
    """A server sending one line that never ends, fast: the client gives up with a typed
    error instead of buffering it all (and rescanning the buffer on every chunk)."""
    blob = b"x" * 65536
    server = serve(
        trickle(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 100000000000\r\n\r\n"
            b"data: ",
            blob,
            0.0,
        )
    )
    tracemalloc.start()
    try:
        with pytest.raises(inference.ApiResponseValidationError):
            finishes(lambda: _chat_stream(inference, server.url, timeout=5), limit=30)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MiB held for one line"


def test_a_stalled_event_stream_times_out(inference: ModuleType, serve: Any) -> None:
    """Events, then silence: the read timeout ends the iteration with ApiTimeoutError."""
    head = response(200, _EVENT, "text/event-stream", length=10_000)
    server = serve(stall(head))
    received: list[Any] = []

    def consume() -> None:
        with _client(inference, server.url) as client:
            received.extend(client.chat_completions.create("d", body=CHAT, stream=True))

    outcome = outcome_of(consume)
    assert isinstance(outcome, inference.ApiTimeoutError), outcome
    assert read_timeout_of(outcome) == SHORT  # each read waits SHORT, then gives up
    assert len(received) == 1


def test_a_slow_event_stream_times_out(inference: ModuleType, serve: Any) -> None:
    """A byte at a time, slower than the read timeout."""
    head = response(200, b"", "text/event-stream", length=10_000)
    server = serve(trickle(head, b"d", SHORT * 2))
    outcome = outcome_of(lambda: _chat_stream(inference, server.url))
    assert isinstance(outcome, inference.ApiTimeoutError), outcome
    assert read_timeout_of(outcome) == SHORT


# --------------------------------------------------------------------------- stalls


def test_an_endless_trickled_body_times_out(authoring: ModuleType, serve: Any) -> None:
    """A body trickled forever, each byte well within the read timeout: the call's timeout
    bounds the whole answer, not only each read."""
    head = response(200, b'{"object": "list", "data": [', length=10**9)
    server = serve(trickle(head, b" ", SHORT / 10))
    clock = StepClock(SHORT / 4)
    with _client(authoring, server.url) as client:
        client._clock = clock
        outcome = outcome_of(client.files.list)
    assert isinstance(outcome, authoring.ApiTimeoutError), outcome
    assert clock.stopped_at_the_deadline(SHORT), clock.readings


def test_an_endless_trickled_body_times_out_async(authoring: ModuleType, serve: Any) -> None:
    head = response(200, b'{"object": "list", "data": [', length=10**9)
    server = serve(trickle(head, b" ", SHORT / 10))
    clock = StepClock(SHORT / 4)

    async def call() -> Any:
        async with authoring.AsyncClient(
            base_url=server.url, api_key=KEY, timeout=SHORT, max_retries=0
        ) as client:
            client._clock = clock
            return await client.files.list()

    outcome = outcome_of(lambda: asyncio.run(call()))
    assert isinstance(outcome, authoring.ApiTimeoutError), outcome
    assert clock.stopped_at_the_deadline(SHORT), clock.readings


def test_endless_headers_end(authoring: ModuleType, serve: Any) -> None:
    """Header lines trickled forever, each within the read timeout.  The deadline cannot
    reach into httpx before the head is complete; the head's size cap (h11: 16 KiB) ends it
    with a typed error."""
    server = serve(trickle(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"y" * 1000 + b"\r\n", 0.01))
    with _client(authoring, server.url) as client:
        outcome = outcome_of(client.files.list)
    assert isinstance(outcome, authoring.ApiConnectionError), outcome
    assert not isinstance(outcome, authoring.ApiTimeoutError), outcome  # the cap, not time


def test_a_2gb_content_length_that_never_arrives(authoring: ModuleType, serve: Any) -> None:
    head = response(200, b'{"object": "list", "data": [', length=2 * 2**30)
    server = serve(stall(head))
    tracemalloc.start()
    try:
        with _client(authoring, server.url, max_retries=1) as client:
            outcome = outcome_of(client.files.list)
            download = outcome_of(lambda: client.files.get_content("f"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, authoring.ApiTimeoutError), outcome
    assert isinstance(download, authoring.ApiTimeoutError), download
    assert read_timeout_of(outcome) == read_timeout_of(download) == SHORT
    assert len(server.requests) == 4  # each call retried once
    assert peak < 50 * 2**20


def test_no_answer_at_all_times_out(authoring: ModuleType, serve: Any) -> None:
    server = serve(stall(b""))
    with _client(authoring, server.url, max_retries=1) as client:
        outcome = outcome_of(client.files.list)
    assert isinstance(outcome, authoring.ApiTimeoutError), outcome
    assert read_timeout_of(outcome) == SHORT
    assert len(server.requests) == 2  # a timeout is retried


# --------------------------------------------------------------------------- redirects


def _redirect_to(location: str, status: int = 302) -> Handler:
    return reply(response(status, b"", None, {"Location": location}))


def _ok(body: object = None) -> Handler:
    data = json.dumps(body if body is not None else {"object": "list", "data": []}).encode()
    return reply(response(200, data))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_not_followed_by_default(
    authoring: ModuleType, serve: Any, status: int
) -> None:
    other = serve(_ok())
    origin = serve(_redirect_to(other.url + "/files", status))
    with _client(authoring, origin.url) as client, pytest.raises(authoring.ApiError) as info:
        finishes(client.files.list)
    assert info.value.status_code == status
    assert other.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_following_http_client_never_takes_the_key_elsewhere(
    authoring: ModuleType, serve: Any, status: int
) -> None:
    other = serve(_ok())
    origin = serve(_redirect_to(other.url + "/files?x=1", status))
    http = httpx.Client(follow_redirects=True, timeout=SHORT)
    try:
        with _client(
            authoring,
            origin.url,
            http_client=http,
            token_provider=None,
            default_headers={"X-Custom": "kept"},
        ) as client:
            finishes(client.files.list)
    finally:
        http.close()
    assert origin.requests[0].headers["api-key"] == KEY
    assert len(other.requests) == 1
    received = other.requests[0]
    assert "api-key" not in received.headers and "authorization" not in received.headers
    assert KEY not in json.dumps(received.headers) + received.target + received.body.decode()


def test_a_redirect_chain_back_home_and_away_again(authoring: ModuleType, serve: Any) -> None:
    """origin -> other -> origin -> other: the key reaches the origin only."""
    hops: list[str] = []
    other = serve(
        lambda conn, req, srv: conn.sendall(
            response(302, b"", None, {"Location": origin.url + "/back"})
            if len(srv.requests) == 1
            else response(200, b'{"object": "list", "data": []}')
        )
    )

    def origin_handler(conn: socket.socket, req: Request, srv: RawServer) -> None:
        hops.append(req.target)
        conn.sendall(response(302, b"", None, {"Location": other.url + "/away"}))

    origin = serve(origin_handler)
    http = httpx.Client(follow_redirects=True, timeout=SHORT)
    try:
        with _client(authoring, origin.url, http_client=http) as client:
            finishes(client.files.list)
    finally:
        http.close()
    assert len(other.requests) == 2
    for request in other.requests:
        assert "api-key" not in request.headers and "authorization" not in request.headers


def test_bearer_tokens_stay_home_too(authoring: ModuleType, serve: Any) -> None:
    other = serve(_ok())
    origin = serve(_redirect_to(other.url + "/files", 307))
    http = httpx.Client(follow_redirects=True, timeout=SHORT)
    try:
        client = authoring.Client(
            base_url=origin.url,
            token_provider=lambda: "tok-123",
            http_client=http,
            timeout=SHORT,
            max_retries=0,
        )
        finishes(client.files.list)
    finally:
        http.close()
    assert origin.requests[0].headers["authorization"] == "Bearer tok-123"
    assert "authorization" not in other.requests[0].headers


def test_redirect_loops_end(authoring: ModuleType, serve: Any) -> None:
    loop = serve(
        lambda conn, req, srv: conn.sendall(
            response(302, b"", None, {"Location": f"http://127.0.0.1:{srv.port}/again"})
        )
    )
    http = httpx.Client(follow_redirects=True, timeout=SHORT, max_redirects=5)
    try:
        with (
            _client(authoring, loop.url, http_client=http) as client,
            pytest.raises(authoring.ApiError) as info,
        ):
            finishes(client.files.list)
    finally:
        http.close()
    assert info.value.status_code == 302
    assert len(loop.requests) == 6


def test_a_redirect_to_a_weird_location(authoring: ModuleType, serve: Any) -> None:
    other = serve(_ok())
    for location in (
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        f"//127.0.0.1:{other.port}/files",
        "http://[::1",
        "http://user:pass@127.0.0.1:1/",
        "\x00",
        "javascript:alert(1)",
        f"HTTP://127.0.0.1:{other.port}/files",
    ):
        origin = serve(_redirect_to(location))
        http = httpx.Client(follow_redirects=True, timeout=SHORT)
        try:
            with _client(authoring, origin.url, http_client=http) as client:
                try:
                    finishes(client.files.list)
                except authoring.ClientError:
                    pass
        finally:
            http.close()
    for request in other.requests:
        assert "api-key" not in request.headers, request


def test_next_links_and_operation_locations_elsewhere_get_no_key(
    authoring: ModuleType, serve: Any
) -> None:
    """Absolute URLs handed over by a server (next page, polling) are not trusted."""
    other = serve(_ok())
    with _client(authoring, serve(_ok()).url) as client:
        finishes(lambda: client._request("GET", other.url + "/next?token=1"))
    assert "api-key" not in other.requests[0].headers


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body>Service Unavailable</body></html>", "text/html; charset=utf-8"),
        (b'{"id": "x", "choices": []}', "application/json"),
        (b'{"error": {"code": "x"}}' + b" " * 200_000, "application/problem+json"),
    ],
)
def test_a_stream_call_answered_without_a_stream(
    inference: ModuleType, serve: Any, body: bytes, content_type: str
) -> None:
    """Parsed as events these would silently be an empty stream."""
    server = serve(reply(response(200, body, content_type)))
    with pytest.raises(inference.ApiResponseValidationError) as info:
        finishes(lambda: _chat_stream(inference, server.url))
    assert info.value.body


def test_async_streams_end_in_typed_errors(inference: ModuleType, serve: Any) -> None:
    truncated = serve(
        reply(response(200, _EVENT + b'data: {"id', "text/event-stream", length=5000), close=True)
    )
    html = serve(reply(response(200, b"<html>busy</html>", "text/html")))
    stalled = serve(stall(response(200, _EVENT, "text/event-stream", length=5000)))

    async def consume(url: str) -> list[Any]:
        async with inference.AsyncClient(
            base_url=url, api_key=KEY, timeout=SHORT, max_retries=0
        ) as client:
            stream = await client.chat_completions.create("d", body=CHAT, stream=True)
            return [item async for item in stream]

    with pytest.raises((inference.ApiConnectionError, inference.ApiResponseValidationError)):
        finishes(lambda: asyncio.run(consume(truncated.url)))
    with pytest.raises(inference.ApiResponseValidationError):
        finishes(lambda: asyncio.run(consume(html.url)))
    with pytest.raises(inference.ApiTimeoutError):
        finishes(lambda: asyncio.run(consume(stalled.url)))


# --------------------------------------------------------------------------- the SSE decoder


def test_the_decoder_bounds_a_line_and_an_event(inference: ModuleType) -> None:
    runtime = inference._runtime
    decoder = runtime.SSEDecoder(max_event_bytes=1000)
    decoder.feed(b"data: " + b"x" * 500)
    with pytest.raises(runtime._sse.EventTooLarge):
        decoder.feed(b"x" * 600)  # one line, never ended
    decoder = runtime.SSEDecoder(max_event_bytes=1000)
    with pytest.raises(runtime._sse.EventTooLarge):
        for _ in range(100):  # many lines, one event that never ends
            decoder.feed(b"data: " + b"y" * 50 + b"\n")
    decoder = runtime.SSEDecoder(max_event_bytes=1000)
    for _ in range(100):  # many small events: fine
        assert len(decoder.feed(b"data: " + b"z" * 50 + b"\n\n")) == 1


def test_the_decoder_scans_a_long_line_once(
    inference: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line arriving in many chunks: the bytes searched for a line end are counted (a
    decoder rescanning its buffer on every chunk searches ~chunks²/2 chunks' worth)."""
    sse = inference._runtime._sse
    searched: list[int] = []

    class CountingPattern:
        def __init__(self, pattern: Any) -> None:
            self.pattern = pattern

        def search(self, buffer: bytearray, start: int = 0) -> Any:
            searched.append(len(buffer) - start)
            return self.pattern.search(buffer, start)

    monkeypatch.setattr(sse, "_LINE_END", CountingPattern(sse._LINE_END))
    decoder = inference._runtime.SSEDecoder()
    decoder.feed(b"data: ")
    for _ in range(1000):  # 4 MB in 4 KB chunks
        decoder.feed(b"a" * 4096)
    events = decoder.feed(b"\n\n")
    assert len(events) == 1 and len(events[0].data) == 1000 * 4096
    assert sum(searched) <= 2 * (6 + 1000 * 4096 + 2), sum(searched)


@pytest.mark.parametrize("cut", range(1, 8))
def test_the_decoder_handles_a_bom_and_crlf_split_anywhere(inference: ModuleType, cut: int) -> None:
    data = b"\xef\xbb\xbfdata: a\r\n\r\ndata: b\r\n\r\n"
    decoder = inference._runtime.SSEDecoder()
    events = decoder.feed(data[:cut]) + decoder.feed(data[cut:]) + decoder.flush()
    assert [e.data for e in events] == ["a", "b"]
    decoder = inference._runtime.SSEDecoder()
    events = [e for byte in data for e in decoder.feed(bytes([byte]))] + decoder.flush()
    assert [e.data for e in events] == ["a", "b"]
