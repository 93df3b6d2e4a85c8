"""A scripted, recording HTTP server on 127.0.0.1 for behaviour tests.

The test scripts the replies, either per method + path (`server.on(...)`) or as a
queue (`server.replies`), drives a client against `server.url`, then inspects
`server.requests`: what actually went over the wire.

    server.on("GET", "/openai/files", Reply(200, {"data": [], "object": "list"}))
    client = Client(base_url=server.url + "/openai", api_key="k")
    client.files.list()
    request = server.requests[0]   # method, raw_path, path, query, headers, body

Reply lookup for each request: a route registered with `on()` for the exact method
and raw path (query excluded), else the next queued reply, else 200 `{}`. Only
the standard library is used, multipart bodies included (`parse_multipart`).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Part", "Recorded", "Reply", "Server", "parse_multipart"]


@dataclass
class Reply:
    """One scripted response. `body`: bytes as is, str as text/plain, else JSON."""

    status: int = 200
    body: bytes | str | object = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None  # overrides the type derived from `body`
    delay: float = 0.0  # seconds to wait before answering (timeout tests only)

    def encoded(self) -> tuple[bytes, str | None]:
        if isinstance(self.body, bytes):
            data, ctype = self.body, None
        elif isinstance(self.body, str):
            data, ctype = self.body.encode(), "text/plain; charset=utf-8"
        else:
            data, ctype = json.dumps(self.body).encode(), "application/json"
        return data, self.content_type or ctype


Responder = Reply | Callable[["Recorded"], Reply]


@dataclass
class Part:
    """One part of a multipart/form-data body."""

    name: str | None
    filename: str | None
    content_type: str | None  # None when the part has no Content-Type header
    data: bytes


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    raw_path: str  # exactly as on the request line: percent-encoding and query included
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def path(self) -> str:
        """The raw (still percent-encoded) path, without the query."""
        return self.raw_path.partition("?")[0]

    @property
    def query_items(self) -> list[tuple[str, str]]:
        """The query as ordered (name, value) pairs."""
        return urllib.parse.parse_qsl(self.raw_path.partition("?")[2], keep_blank_values=True)

    @property
    def query(self) -> dict[str, list[str]]:
        """The query as a dict of lists (`?a=1&a=2` -> `{"a": ["1", "2"]}`)."""
        return urllib.parse.parse_qs(self.raw_path.partition("?")[2], keep_blank_values=True)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    def json(self) -> Any:
        return json.loads(self.body)

    def multipart(self) -> list[Part]:
        assert self.content_type, "request has no Content-Type"
        return parse_multipart(self.content_type, self.body)

    def form(self) -> dict[str, list[str]]:
        """An application/x-www-form-urlencoded body as a dict of lists."""
        return urllib.parse.parse_qs(self.body.decode(), keep_blank_values=True)


def parse_multipart(content_type: str, body: bytes) -> list[Part]:
    """Split a multipart/form-data body (stdlib `email` parser) into its parts, in order."""
    assert content_type.startswith("multipart/"), content_type
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    assert message.is_multipart(), "body is not a multipart document"
    parts = []
    for part in message.iter_parts():
        ctype = part["Content-Type"]
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                name=part.get_param("name", header="content-disposition"),
                filename=part.get_filename(),
                content_type=str(ctype) if ctype is not None else None,
                data=payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts


_CHUNK_LINE = re.compile(rb"^([0-9a-fA-F]+)")


class Server:
    """A threaded HTTP/1.1 server on 127.0.0.1 (free port) that records every request."""

    def __init__(self) -> None:
        self.replies: list[Responder] = []  # the queue, consumed in order
        self.routes: dict[tuple[str, str], Responder] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # a test's slow handler must not stall teardown
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    def on(self, method: str, path: str, reply: Responder) -> None:
        """Answer every `method` request for the raw `path` (no query) with `reply`."""
        self.routes[(method.upper(), path)] = reply

    @property
    def last(self) -> Recorded:
        assert self.requests, "the server received no request"
        return self.requests[-1]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def _reply_for(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            reply = self.routes.get((request.method, request.path))
            if reply is None:
                reply = self.replies.pop(0) if self.replies else Reply(body={})
        return reply(request) if callable(reply) else reply

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                recorded = Recorded(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self._read_body(),
                )
                reply = outer._reply_for(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                body, ctype = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Length": str(len(body)), **reply.headers}
                if ctype and "content-type" not in {k.lower() for k in headers}:
                    headers["Content-Type"] = ctype
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _read_body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        match = _CHUNK_LINE.match(self.rfile.readline())
                        size = int(match[1], 16) if match else 0
                        if not size:
                            break
                        data += self.rfile.read(size)
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return data
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
