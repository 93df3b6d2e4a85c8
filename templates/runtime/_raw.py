"""Raw response access: `client.files.with_raw_response.list(...)`.

The wrapper runs the normal typed call while a capture is active in a ContextVar;
`_request` records its final response there. Contexts are per thread and per
asyncio task, so concurrent calls never see each other's response.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Generic, ParamSpec, TypeVar

import httpx

__all__ = ["RawResponse", "async_with_raw_response", "with_raw_response"]

_T = TypeVar("_T")
_P = ParamSpec("_P")

_REQUEST_ID_HEADERS = ("apim-request-id", "x-request-id")


class _Capture:
    response: httpx.Response | None = None


_capture: ContextVar[_Capture | None] = ContextVar("specgen_raw_capture", default=None)


def _record_response(response: httpx.Response) -> None:
    """Called by `_request` with each successful response (the last one wins)."""
    capture = _capture.get()
    if capture is not None:
        capture.response = response


class RawResponse(Generic[_T]):
    """The HTTP response of a call, alongside the typed value the call returned."""

    def __init__(self, http_response: httpx.Response, value: _T) -> None:
        self.http_response = http_response
        self._value = value

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        headers = self.http_response.headers
        return next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    def parse(self) -> _T:
        return self._value

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}]>"


def _captured(capture: _Capture, fn: Callable[..., object]) -> httpx.Response:
    if capture.response is None:  # e.g. a pager, which only fetches when iterated
        name = getattr(fn, "__qualname__", repr(fn))
        raise RuntimeError(f"{name} sent no request, so it has no raw response")
    return capture.response


def with_raw_response(fn: Callable[_P, _T]) -> Callable[_P, RawResponse[_T]]:
    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        capture = _Capture()
        token = _capture.set(capture)  # a fresh capture: nested calls keep their own
        try:
            value = fn(*args, **kwargs)
        finally:
            _capture.reset(token)
        return RawResponse(_captured(capture, fn), value)

    return wrapper


def async_with_raw_response(
    fn: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[RawResponse[_T]]]:
    @functools.wraps(fn)
    async def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        capture = _Capture()
        token = _capture.set(capture)
        try:
            value = await fn(*args, **kwargs)
        finally:
            _capture.reset(token)
        return RawResponse(_captured(capture, fn), value)

    return wrapper
