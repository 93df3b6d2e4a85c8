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
# No event (nor one line) may grow past this: a server sending a line that never ends must
# not make the client buffer it all.  Far above real events (a base64 image is a few MB).
MAX_EVENT_BYTES = 32 * 2**20


class EventTooLarge(ValueError):
    """An event, or a line of the stream, longer than MAX_EVENT_BYTES."""


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

    def __init__(self, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        self._buffer = bytearray()  # appended to in place: a long line costs no copies
        self._searched = 0  # the buffer before this holds no line ending (bar a final CR)
        self._max = max_event_bytes
        self._size = 0  # characters of data in the pending event
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
            self._buffer = bytearray()
        # The spec drops an unterminated final event; we dispatch it because
        # many servers end the body without the trailing blank line.
        events += self._dispatch()
        return events

    def _drain(self, *, final: bool) -> list[ServerSentEvent]:
        if self._at_start:
            if len(self._buffer) < len(_BOM) and _BOM.startswith(self._buffer) and not final:
                return []  # maybe the first bytes of a BOM
            self._at_start = False
            if self._buffer.startswith(_BOM):
                del self._buffer[: len(_BOM)]
            self._searched = 0
        events: list[ServerSentEvent] = []
        pos = 0
        # Search on from where the last chunk ended (less one byte: a CR waiting for its LF),
        # not from the start: a long line arriving in many chunks is scanned once.
        search = max(self._searched - 1, 0)
        while m := _LINE_END.search(self._buffer, search):
            if m[0] == b"\r" and m.end() == len(self._buffer) and not final:
                break  # maybe the first half of a CRLF
            events += self._line(self._buffer[pos : m.start()].decode("utf-8", "replace"))
            pos = search = m.end()
        del self._buffer[:pos]
        self._searched = len(self._buffer)
        if len(self._buffer) + self._size > self._max:
            raise EventTooLarge(f"an event of the stream is longer than {self._max} bytes")
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
            self._size += len(value) + 1
            if self._size > self._max:
                raise EventTooLarge(f"an event of the stream is longer than {self._max} bytes")
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._last_id = value
        elif field == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return []  # unknown fields are ignored

    def _dispatch(self) -> list[ServerSentEvent]:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry, self._size = [], "", None, 0
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
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
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


# Answers that are plainly no event stream (a JSON document, a proxy's HTML page): parsed as
# events they would silently give no item at all.
_NOT_A_STREAM = re.compile(r"application/(.+\+)?(json|xml)|text/(html|xml)", re.IGNORECASE)
_SAMPLE = 64 * 1024  # how much of such a body the error keeps


def _not_a_stream(response: httpx.Response, sample: bytes) -> ApiResponseValidationError:
    text = sample.decode("utf-8", "replace")
    try:
        body: object = json.loads(text)
    except (ValueError, RecursionError):
        body = text
    content_type = response.headers.get("content-type", "")
    return ApiResponseValidationError(
        f"expected an event stream, got {content_type!r}", response=response, body=body
    )


def _is_not_a_stream(response: httpx.Response) -> bool:
    return bool(_NOT_A_STREAM.match(response.headers.get("content-type", "").strip()))


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
            if _is_not_a_stream(self.response):
                sample = b""
                for chunk in self.response.iter_bytes():
                    sample += chunk
                    if len(sample) >= _SAMPLE:
                        break
                raise _not_a_stream(self.response, sample[:_SAMPLE])
            for sse in iter_sse(self.response.iter_bytes()):
                yield _decode_event(sse, self._decode, self.response)
        except _Done:
            return
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except (httpx.DecodingError, EventTooLarge) as exc:
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
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
            if _is_not_a_stream(self.response):
                sample = b""
                async for chunk in self.response.aiter_bytes():
                    sample += chunk
                    if len(sample) >= _SAMPLE:
                        break
                raise _not_a_stream(self.response, sample[:_SAMPLE])
            async for sse in aiter_sse(self.response.aiter_bytes()):
                yield _decode_event(sse, self._decode, self.response)
        except _Done:
            return
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except (httpx.DecodingError, EventTooLarge) as exc:
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
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
