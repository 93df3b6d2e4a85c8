"""Server-Sent Events: a WHATWG-conformant parser and typed stream wrappers."""

from __future__ import annotations

import json
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._errors import ApiResponseValidationError, StreamError, _transport_error

if TYPE_CHECKING:
    # typing.Self is 3.11+; only the type checker needs it.
    from typing_extensions import Self  # noqa: UP035, RUF100

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream", "aiter_sse", "iter_sse"]

_T = TypeVar("_T")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ServerSentEvent:
    data: str
    event: str = "message"
    id: str = ""  # the last event ID seen so far (it persists across events)
    retry: int | None = None  # a `retry:` value received with this event, if any


class SSEDecoder:
    """Incremental parser: feed() byte chunks, then flush() once at end of body.

    Works on bytes so that a multi-byte UTF-8 character or a CRLF split across
    two chunks is handled: a chunk ending in CR waits for the next one.
    """

    def __init__(self) -> None:
        self._buffer = b""
        self._at_start = True
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        self._buffer += chunk
        return self._drain(final=False)

    def flush(self) -> list[ServerSentEvent]:
        events = self._drain(final=True)
        if self._buffer:  # last line without a line ending
            events += self._line(self._buffer.decode("utf-8", "replace"))
            self._buffer = b""
        # The spec drops an unterminated final event; we dispatch it because
        # many servers end the body without the trailing blank line.
        events += self._dispatch()
        return events

    def _drain(self, *, final: bool) -> list[ServerSentEvent]:
        if self._at_start and (len(self._buffer) >= len(_BOM) or final):
            self._at_start = False
            self._buffer = self._buffer.removeprefix(_BOM)
        events: list[ServerSentEvent] = []
        pos = 0
        while m := _LINE_END.search(self._buffer, pos):
            if m[0] == b"\r" and m.end() == len(self._buffer) and not final:
                break  # maybe the first half of a CRLF
            events += self._line(self._buffer[pos : m.start()].decode("utf-8", "replace"))
            pos = m.end()
        self._buffer = self._buffer[pos:]
        return events

    def _line(self, line: str) -> list[ServerSentEvent]:
        if not line:
            return self._dispatch()
        if line.startswith(":"):  # comment / keep-alive
            return []
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")  # only one optional space
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._last_id = value
        elif field == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return []  # unknown fields are ignored

    def _dispatch(self) -> list[ServerSentEvent]:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data:  # no data field: nothing is dispatched
            return []
        return [ServerSentEvent("\n".join(data), event or "message", self._last_id, retry)]


def iter_sse(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.flush()


async def aiter_sse(chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event


class _Done(Exception):
    """`data: [DONE]` sentinel (OpenAI convention) ends the stream."""


def _decode_event(
    sse: ServerSentEvent, decode: Callable[[Any], _T], response: httpx.Response
) -> _T:
    if sse.data.strip() == "[DONE]":
        raise _Done
    try:
        payload = json.loads(sse.data)
    except ValueError:
        if sse.event == "error":
            raise StreamError(event=sse.event, data=sse.data) from None
        raise ApiResponseValidationError(
            f"invalid JSON in {sse.event!r} event", response=response, body=sse.data
        ) from None
    if sse.event == "error" or (isinstance(payload, dict) and payload.get("error") is not None):
        raise StreamError(event=sse.event, data=payload)
    try:
        return decode(payload)
    except Exception as exc:
        raise ApiResponseValidationError(
            f"could not decode {sse.event!r} event: {exc!r}", response=response, body=payload
        ) from exc


class Stream(Generic[_T]):
    """Typed items from an SSE response. The response is closed when iteration
    ends, fails, is abandoned by `break` (the per-loop generator is finalized),
    or on close() / leaving a `with` block."""

    def __init__(self, response: httpx.Response, decode: Callable[[Any], _T]) -> None:
        self.response = response
        self._decode = decode
        self._items = self._generate()

    def _generate(self) -> Generator[_T, None, None]:
        try:
            for sse in iter_sse(self.response.iter_bytes()):
                yield _decode_event(sse, self._decode, self.response)
        except _Done:
            return
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[_T]:
        # A fresh generator per `for` loop: when the loop breaks, it is dropped
        # and its `finally` closes the stream.
        try:
            yield from self._items
        finally:
            self.close()

    def __next__(self) -> _T:
        return next(self._items)

    def close(self) -> None:
        self._items.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[_T]):
    """Async twin of Stream. Prefer `async with`: an abandoned async generator
    is only finalized later by the event loop."""

    def __init__(self, response: httpx.Response, decode: Callable[[Any], _T]) -> None:
        self.response = response
        self._decode = decode
        self._items = self._generate()

    async def _generate(self) -> AsyncGenerator[_T, None]:
        try:
            async for sse in aiter_sse(self.response.aiter_bytes()):
                yield _decode_event(sse, self._decode, self.response)
        except _Done:
            return
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        finally:
            await self.response.aclose()

    async def __aiter__(self) -> AsyncIterator[_T]:
        try:
            async for item in self._items:
                yield item
        finally:
            await self.close()

    async def __anext__(self) -> _T:
        return await self._items.__anext__()

    async def close(self) -> None:
        await self._items.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
