"""Long-running operations (x-ms-long-running-operation), with Azure's semantics.

How the operation is tracked is chosen from the initial response:

- `Azure-AsyncOperation` / `Operation-Location` header: GET that status monitor
  until its JSON `status` is terminal;
- else `Location` on a 202: GET it until it answers something else than 202;
- else PUT/PATCH: GET the resource until `properties.provisioningState` (or
  `status`) is terminal;
- else the operation is already done.

Only the status is polled; the result is fetched once, per `final_state_via`.

`continuation_token()` saves a poller as an opaque string: the initial answer (its status,
the headers that steer polling, its body) and the URL being polled. The operation's method,
called with `continuation_token=`, resumes from it without sending the request again, in
this process or another (as AutoRest's clients do).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

import httpx

from ._auth import Requirement
from ._errors import ApiResponseValidationError, ApiTimeoutError, OperationFailedError
from ._responses import parse_body, retry_after
from ._types import NOT_GIVEN, NotGiven

__all__ = ["AsyncPoller", "Poller"]

_T = TypeVar("_T")


# What a poller asks of its client (SyncClientBase / AsyncClientBase): described here rather
# than imported, since the client module builds pollers.
class _Decoding(Protocol):
    _credential_query: set[str]  # query parameters that hold keys: never in a token

    def _parse_response(self, response: httpx.Response, decode: Callable[[Any], _T]) -> _T: ...

    def _clock(self) -> float: ...  # what the timeouts of wait() and result() are measured in


class _SyncClient(_Decoding, Protocol):
    def _request(
        self, method: str, path: str, *, security: Requirement | None | NotGiven = ...
    ) -> httpx.Response: ...

    def _sleep(self, seconds: float) -> None: ...


class _AsyncClient(_Decoding, Protocol):
    async def _request(
        self, method: str, path: str, *, security: Requirement | None | NotGiven = ...
    ) -> httpx.Response: ...

    async def _sleep(self, seconds: float) -> None: ...


_ClientT = TypeVar("_ClientT", bound=_Decoding)

_TERMINAL = frozenset({"succeeded", "failed", "canceled", "cancelled"})
_FAILED = frozenset({"failed", "canceled", "cancelled"})
_DEFAULT_FINAL_STATE = {"PUT": "original-uri", "PATCH": "original-uri", "POST": "location"}


class _PollerBase(Generic[_T, _ClientT]):
    """The state machine; the subclasses only add the sleep/GET loop."""

    def __init__(
        self,
        client: _ClientT,
        initial: httpx.Response,
        *,
        method: str,
        url: str,  # the initial request's URL, for PUT/PATCH polling and original-uri
        final_state_via: str | None,
        decode: Callable[[Any], _T] | None,  # None: the operation has no result
        polling_interval: float = 1.0,
        security: Requirement | None | NotGiven = NOT_GIVEN,  # the operation's, if its own
        continuation_token: str | None = None,  # resuming: `initial` was rebuilt from it
    ) -> None:
        self._client = client
        self._security = security
        self.initial_response = initial
        self._method = method.upper()
        self._url = url
        self._final_state_via = (
            final_state_via.lower() if final_state_via else _DEFAULT_FINAL_STATE.get(self._method)
        )
        self._decode = decode
        self._interval = polling_interval
        self._last = initial  # the latest response seen
        self._result: tuple[_T] | None = None  # set once the result was fetched

        headers = initial.headers
        monitor = headers.get("azure-asyncoperation") or headers.get("operation-location")
        location = headers.get("location")
        self._location = self._resolve(location) if location else None
        self._poll_url = url
        self._status = "InProgress"
        if monitor:
            self._mode, self._poll_url = "operation", self._resolve(monitor)
        elif self._location and initial.status_code == 202:
            self._mode, self._poll_url = "location", self._location
        elif self._method in ("PUT", "PATCH"):
            self._mode = "resource"
            self._status = _resource_status(initial)
        else:  # nothing to poll: the answer is final
            self._mode, self._status = "done", "Succeeded"
        self._delay = self._poll_delay(initial)  # before the next poll
        if continuation_token is not None and self._mode != "done":
            # Where polling had got to; unless the initial answer was final, its state is
            # asked again, at once.
            self._poll_url = _read_token(continuation_token)["poll_url"]
            self._delay = 0.0

    def status(self) -> str:
        """The operation's status as the server spelled it (e.g. "InProgress")."""
        return self._status

    def done(self) -> bool:
        return self._status.lower() in _TERMINAL

    def continuation_token(self) -> str:
        """An opaque string to resume watching this operation later, in another process too:
        pass it as ``continuation_token=`` to the method that started it. It holds no
        credential (keys in the query of the URL are left out)."""
        initial = self.initial_response
        keys = self._client._credential_query
        state = {
            "version": _TOKEN_VERSION,
            "method": self._method,
            "url": _without_params(self._url, keys),
            "status_code": initial.status_code,
            "headers": [
                [name, _without_params(value, keys) if name.lower() in _URL_HEADERS else value]
                for name, value in initial.headers.multi_items()
                if name.lower() in _TOKEN_HEADERS
            ],
            "body": base64.b64encode(initial.content).decode("ascii"),
            "poll_url": _without_params(self._poll_url, keys),
        }
        return base64.urlsafe_b64encode(json.dumps(state).encode()).decode("ascii")

    # -- state ---------------------------------------------------------------

    def _resolve(self, url: str) -> str:
        # Header URLs may be relative to the request that returned them.
        try:
            return str(self.initial_response.request.url.join(url))
        except (httpx.InvalidURL, ValueError) as exc:
            raise ApiResponseValidationError(
                f"the server sent an invalid URL to poll: {url!r}", response=self.initial_response
            ) from exc

    def _poll_delay(self, response: httpx.Response) -> float:
        hint = retry_after(response.headers)
        return self._interval if hint is None else max(hint, 0.0)

    def _update(self, response: httpx.Response) -> None:
        """Take in the answer of one poll."""
        self._last = response
        if self._mode == "operation":
            self._status = _operation_status(response)
        elif self._mode == "location":
            self._status = "InProgress" if response.status_code == 202 else "Succeeded"
            if location := response.headers.get("location"):  # it may move on
                self._poll_url = self._resolve(location)
        else:
            self._status = _resource_status(response)
        self._delay = self._poll_delay(response)

    def _pause(self, deadline: float | None) -> tuple[float, bool]:
        """(seconds to sleep before the next poll, whether the deadline comes first)."""
        if deadline is None:
            return self._delay, False
        remaining = deadline - self._client._clock()
        if remaining <= 0 or remaining < self._delay:
            return max(remaining, 0.0), True
        return self._delay, False

    def _slept(self, seconds: float, expired: bool, timeout: float | None) -> None:
        self._delay -= seconds  # a later wait only sleeps the rest
        if expired:
            raise ApiTimeoutError(f"The operation did not finish within {timeout} seconds.")

    def _check_failed(self) -> None:
        if self._status.lower() in _FAILED:
            raise OperationFailedError(
                self._status, body=parse_body(self._last), response=self._last
            )

    def _final_url(self) -> str | None:
        """Where the result must be fetched from; None: it is in the last response."""
        if self._decode is None:
            return None
        via = self._final_state_via
        if via == "original-uri" and self._mode in ("operation", "location"):
            return self._url  # (in "resource" mode, the last poll was that GET)
        if via == "location" and self._mode == "operation" and self._location:
            return self._location  # (in "location" mode, the last poll was that GET)
        return None  # azure-async-operation / operation-location: the status body

    def _set_result(self, response: httpx.Response) -> _T:
        value = (
            cast(_T, None)
            if self._decode is None
            else self._client._parse_response(response, self._decode)
        )
        self._result = (value,)
        return value


class Poller(_PollerBase[_T, _SyncClient]):
    """A running operation: `result()` polls until it is done and returns its result."""

    def wait(self, timeout: float | None = None) -> None:
        """Poll until the operation is done (failed included: see `status()`).
        Raises ApiTimeoutError if `timeout` seconds pass first."""
        deadline = None if timeout is None else self._client._clock() + timeout
        while not self.done():
            seconds, expired = self._pause(deadline)
            self._client._sleep(seconds)
            self._slept(seconds, expired, timeout)
            self._update(self._client._request("GET", self._poll_url, security=self._security))

    def result(self, timeout: float | None = None) -> _T:
        """The operation's result (None if it has none). Raises OperationFailedError
        if it failed or was canceled, ApiTimeoutError if `timeout` seconds pass first."""
        if self._result is not None:
            return self._result[0]
        self.wait(timeout)
        self._check_failed()
        url = self._final_url()
        return self._set_result(
            self._client._request("GET", url, security=self._security) if url else self._last
        )


class AsyncPoller(_PollerBase[_T, _AsyncClient]):
    """Async twin of Poller: `await poller.result()`."""

    async def wait(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else self._client._clock() + timeout
        while not self.done():
            seconds, expired = self._pause(deadline)
            await self._client._sleep(seconds)
            self._slept(seconds, expired, timeout)
            self._update(
                await self._client._request("GET", self._poll_url, security=self._security)
            )

    async def result(self, timeout: float | None = None) -> _T:
        if self._result is not None:
            return self._result[0]
        await self.wait(timeout)
        self._check_failed()
        url = self._final_url()
        return self._set_result(
            await self._client._request("GET", url, security=self._security) if url else self._last
        )


_TOKEN_VERSION = 1
# The initial answer's headers that polling reads; no other (cookies) goes into a token.
_URL_HEADERS = frozenset({"azure-asyncoperation", "operation-location", "location"})
_TOKEN_HEADERS = frozenset(
    {"azure-asyncoperation", "operation-location", "location", "retry-after", "retry-after-ms"}
    | {"content-type"}
)


def _read_token(token: str) -> dict[str, Any]:
    try:
        state = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError) as exc:
        raise ValueError("not a continuation token of a poller") from exc
    if not isinstance(state, dict) or state.get("version") != _TOKEN_VERSION:
        raise ValueError("not a continuation token of a poller (or of another version)")
    return state


def response_from_token(token: str) -> httpx.Response:
    """The initial answer a continuation token holds, as the poller first saw it."""
    state = _read_token(token)
    try:
        return httpx.Response(
            state["status_code"],
            headers=[tuple(pair) for pair in state["headers"]],
            content=base64.b64decode(state["body"]),
            request=httpx.Request(state["method"], state["url"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("not a continuation token of a poller") from exc


def _without_params(url: str, names: set[str]) -> str:
    parsed = httpx.URL(url)
    for name in names:
        parsed = parsed.copy_remove_param(name)
    return str(parsed)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def _operation_status(response: httpx.Response) -> str:
    body = _json(response)
    status = body.get("status") if isinstance(body, dict) else None
    if not isinstance(status, str) or not status:
        raise ApiResponseValidationError(
            "operation status body has no 'status'", response=response, body=parse_body(response)
        )
    return status


def _resource_status(response: httpx.Response) -> str:
    """ARM rules: 202 is in progress; else `properties.provisioningState` (or `status`),
    defaulting to in progress for a 201 Created, done for 200 / 204."""
    if response.status_code == 202:
        return "InProgress"
    body = _json(response)
    if isinstance(body, dict):
        properties = body.get("properties")
        state = properties.get("provisioningState") if isinstance(properties, dict) else None
        state = state or body.get("status")
        if isinstance(state, str) and state:
            return state
    return "InProgress" if response.status_code == 201 else "Succeeded"
