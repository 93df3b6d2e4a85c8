"""HTTP plumbing for the generated clients: request building, auth, retries, errors.

Everything that does not perform I/O lives in `_BaseClient`; the sync and async
classes only add the send/sleep/read loop.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json as _json
import logging
import os
import random
import re
import time
import urllib.parse
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._auth import ApiKey, Bearer, Credential, Requirement, Slot, select
from ._errors import (
    ApiError,
    ApiResponseValidationError,
    _transport_error,
    error_for_status,
)
from ._logs import logger, request_id, safe_url
from ._polling import AsyncPoller, Poller, response_from_token
from ._raw import _record_response
from ._responses import parse_body, retry_after
from ._serde import to_jsonable
from ._sse import AsyncStream, Stream
from ._types import NOT_GIVEN, FileInput, NotGiven

if TYPE_CHECKING:
    # typing.Self is 3.11+; only the type checker needs it.
    from typing_extensions import Self  # noqa: UP035, RUF100


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncClientBase",
    "SyncClientBase",
    "format_host",
]

DEFAULT_TIMEOUT = 600.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_USER_AGENT = "specgen-python"

_T = TypeVar("_T")
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_RETRY_STATUSES = frozenset({408, 409, 429})
_INITIAL_RETRY_DELAY = 0.5
_MAX_RETRY_DELAY = 8.0
_MAX_RETRY_AFTER = 60.0  # longer server hints are ignored: we would rather fail fast
# Deterministic failures: retrying cannot help.
_NO_RETRY_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
_CHUNK_SIZE = 64 * 1024

_FileTuple = tuple[str | None, bytes | IO[bytes], str | None]  # httpx (name, content, type)


@dataclass
class _Call:
    """One `_request` call, resolved once and turned into a fresh httpx.Request
    per attempt (tokens may expire and file bodies must be re-read)."""

    method: str
    url: str  # absolute, query included
    trusted: bool  # same origin as the base URL: only then are credentials sent
    credentials: list[Credential]  # those the operation sends (none when not trusted)
    headers: dict[str, str]  # before auth
    extra_headers: dict[str, str]  # after auth: the caller has the last word
    timeout: float | httpx.Timeout | None
    max_retries: int
    stream: bool
    error_decoder: Callable[[Any], object] | None
    content: bytes | IO[bytes] | None = None
    data: dict[str, list[str]] | None = None
    files: list[tuple[str, _FileTuple]] | None = None
    file_objects: list[IO[bytes]] = field(default_factory=list)


class _BaseClient(Generic[_HttpT]):
    _client: _HttpT
    _owns_client: bool  # whether close() closes the connection pool

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Sequence[Credential],
        security: Requirement | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        user_agent: str,
    ) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self._credentials: list[Credential] = [c for c in credentials if c.given()]
        self._security = security  # the API's requirement; an operation may state its own
        # Where credentials may sit: stripped from anything sent to another origin.
        self._credential_headers = {"authorization", "cookie"} | {
            c.name.lower() for c in credentials if isinstance(c, ApiKey) and c.location == "header"
        }
        self._credential_query = {
            c.name for c in credentials if isinstance(c, ApiKey) and c.location == "query"
        }
        self._log_secrets = frozenset(name.lower() for name in self._credential_query)
        self._default_headers = {"User-Agent": user_agent, **(default_headers or {})}
        self._default_query = dict(default_query or {})

    def __repr__(self) -> str:
        # Never credentials: no api key, and no userinfo or query (SAS token) of the URL.
        parts = urllib.parse.urlsplit(self.base_url)
        url = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
        return f"{type(self).__name__}(base_url={url!r})"

    def _clock(self) -> float:  # tests replace this, with _sleep: time passes as they say
        """The time that deadlines (a call's, a poller's) are measured in."""
        return time.monotonic()

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults, sending through the same connection
        pool: ``client.with_options(timeout=5).files.list()``. ``default_headers`` are
        added to this client's. Closing the copy leaves the pool open; closing this client
        closes it for both."""
        clone = copy.copy(self)
        # The operation groups cached on this client call through it: the copy builds its own.
        cached = [
            name
            for name in vars(clone)
            if isinstance(getattr(type(clone), name, None), functools.cached_property)
        ]
        for name in cached:
            del vars(clone)[name]
        clone._owns_client = False
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = max_retries
        if default_headers:
            clone._default_headers = {**self._default_headers, **default_headers}
        return clone

    def _resumed(self, continuation_token: str) -> httpx.Response:
        """The initial answer of a long-running operation, from a poller's token."""
        return response_from_token(continuation_token)

    # -- request building ---------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, object] | None,
        raw_path_params: Collection[str],
        query: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        json: object,
        data: Mapping[str, object] | None,
        files: Mapping[str, FileInput | None | NotGiven] | None,
        content: bytes | IO[bytes] | None,
        content_type: str | None,
        accept: str | None,
        error_decoder: Callable[[Any], object] | None,
        stream: bool,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, object] | None,
        extra_body: Mapping[str, object] | None,
        timeout: float | httpx.Timeout | None | NotGiven,
        max_retries: int | NotGiven,
        security: Requirement | None | NotGiven,
    ) -> _Call:
        if _is_absolute(path):  # a next-page link or polling URL from the server
            if path_params:
                raise ValueError("path_params cannot be used with an absolute URL")
            url = path
            try:
                httpx.URL(url)
            except (httpx.InvalidURL, ValueError) as exc:
                message = f"the server sent an invalid URL: {url!r}"
                raise ApiResponseValidationError(message) from exc
            trusted = _origin(url) == _origin(self.base_url)
        else:
            filled = _fill_path(path, path_params or {}, raw_path_params)
            url = self.base_url.rstrip("/") + "/" + filled.lstrip("/")
            trusted = True  # the "/" added ends the base URL's authority: same origin
        requirement = self._security if isinstance(security, NotGiven) else security
        credentials = select(self._credentials, requirement) if trusted else []
        # Keys in the query are fixed: they join the URL once. The caller's query wins.
        key_query = {
            slot.name: slot.value
            for slot in reversed([c.slot() for c in credentials if isinstance(c, ApiKey)])
            if slot.location == "query"
        }
        # The default query may hold a key too: like the credentials, it stays home.
        default_query = self._default_query if trusted else {}
        call = _Call(
            method=method,
            url=_with_query(
                url,
                _flatten({**default_query, **key_query, **(query or {}), **(extra_query or {})}),
            ),
            trusted=trusted,
            credentials=credentials,
            headers={},
            extra_headers=_merge_headers(extra_headers),
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            stream=stream,
            error_decoder=error_decoder,
        )
        body_headers = self._prepare_body(
            call, json, data, files, content, content_type, extra_body
        )
        call.headers = _merge_headers(
            self._default_headers, {"Accept": accept}, body_headers, headers
        )
        if not all(_seekable(f) for f in call.file_objects):
            call.max_retries = 0  # a consumed pipe cannot be sent again
        return call

    def _prepare_body(
        self,
        call: _Call,
        json: object,
        data: Mapping[str, object] | None,
        files: Mapping[str, FileInput | None | NotGiven] | None,
        content: bytes | IO[bytes] | None,
        content_type: str | None,
        extra_body: Mapping[str, object] | None,
    ) -> dict[str, str]:
        """Fill the body fields of `call`; return the headers describing it."""
        if not isinstance(json, NotGiven) or (
            extra_body and data is None and files is None and content is None
        ):
            body = {} if isinstance(json, NotGiven) else json
            if extra_body:
                if not isinstance(body, Mapping):
                    raise TypeError("extra_body can only be merged into a JSON object body")
                body = {**body, **extra_body}
            call.content = _json.dumps(
                body, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode()
            return {"Content-Type": content_type or "application/json"}
        if data is not None or files is not None:
            fields = _flatten({**(data or {}), **(extra_body or {})})
            call.files = [  # an optional file left unset is no part at all
                (name, _normalize_file(value))
                for name, value in (files or {}).items()
                if value is not None and not isinstance(value, NotGiven)
            ]
            if not call.files and (content_type or "").startswith("multipart/"):
                # httpx only switches to multipart when there is a file part; a
                # part without filename renders exactly like a plain field.
                call.files = [(name, (None, value.encode(), None)) for name, value in fields]
                fields = []
            call.data = _group(fields)
            call.file_objects = [f for _, (_, f, _) in call.files if not isinstance(f, bytes)]
            return {}  # httpx writes the multipart boundary / urlencoded type itself
        if content is not None:
            call.content = content
            body_headers = {"Content-Type": content_type or "application/octet-stream"}
            if not isinstance(content, bytes):
                call.file_objects = [content]
                size = _file_size(content)
                if size is not None:  # otherwise httpx falls back to chunked encoding
                    body_headers["Content-Length"] = str(size)
            return body_headers
        return {}

    def _build_request(self, call: _Call, slots: list[Slot]) -> httpx.Request:
        """The attempt's request; `slots`: the call's credentials, tokens fetched."""
        for f in call.file_objects:  # re-send file bodies from the start
            if _seekable(f):
                f.seek(0)
        auth: dict[str, str] = {}
        cookies: list[str] = []
        for slot in slots:  # the first credential for a header wins
            if slot.location == "header" and slot.name.lower() not in map(str.lower, auth):
                auth[slot.name] = slot.value
            elif slot.location == "cookie":
                cookies.append(f"{slot.name}={slot.value}")
        if cookies:  # beside the caller's own cookies
            own = [v for k, v in call.headers.items() if k.lower() == "cookie"]
            auth["Cookie"] = "; ".join(own + cookies)
        headers = _merge_headers(call.headers, auth, call.extra_headers)
        if not call.trusted:  # whatever layer set them (default_headers, extra_headers)
            headers = _without_credentials(headers, self._credential_headers)
        content: bytes | Iterator[bytes] | AsyncIterator[bytes] | None = None
        if isinstance(call.content, bytes):
            content = call.content
        elif call.content is not None:
            content = self._iter_file(call.content)  # a fresh reader per attempt
        return self._client.build_request(
            call.method,
            call.url,  # params=None: httpx would replace the URL's own query
            headers=headers,
            content=content,
            data=call.data,
            files=call.files,
            timeout=call.timeout,
        )

    def _iter_file(self, f: IO[bytes]) -> Iterator[bytes] | AsyncIterator[bytes]:
        """The body stream for a raw file-object body (sync or async iterator)."""
        raise NotImplementedError

    def _redirect(self, response: httpx.Response, hops: int) -> httpx.Request | None:
        """The next hop, if the http client follows redirects (ours does not; an injected
        one may). We follow them ourselves: httpx would keep our api-key header on a
        cross-origin hop (it only drops Authorization, and not on http -> https)."""
        request = response.next_request  # httpx builds it even when not following
        if request is None or not self._client.follow_redirects:
            return None
        if hops >= self._client.max_redirects:
            return None  # the 3xx answer becomes an ApiError
        if _origin(str(request.url)) != _origin(self.base_url):
            for name in self._credential_headers:
                request.headers.pop(name, None)
            # A redirect that keeps the query string (a host move) would carry a query key.
            for name in self._credential_query:
                request.url = request.url.copy_remove_param(name)
        return request

    # -- retries -------------------------------------------------------------

    def _should_retry(
        self, attempt: int, call: _Call, outcome: httpx.Response | httpx.TransportError
    ) -> bool:
        if attempt >= call.max_retries:
            return False
        if isinstance(outcome, httpx.TransportError):
            return not isinstance(outcome, _NO_RETRY_ERRORS)
        hint: str | None = outcome.headers.get("x-should-retry")
        if hint in ("true", "false"):
            return hint == "true"
        return outcome.status_code in _RETRY_STATUSES or outcome.status_code >= 500

    def _retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            hinted = retry_after(response.headers)
            if hinted is not None and 0 <= hinted <= _MAX_RETRY_AFTER:
                return hinted
        delay = min(_INITIAL_RETRY_DELAY * 2.0**attempt, _MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())  # jitter spreads out herds of clients

    # -- logging: nothing is formatted unless the level is enabled -------------

    def _log_answer(
        self, request: httpx.Request, outcome: httpx.Response | Exception, started: float
    ) -> None:
        elapsed = (time.monotonic() - started) * 1000
        url = safe_url(request.url, self._log_secrets)  # never a key, nor userinfo
        if isinstance(outcome, httpx.Response):
            logger.debug(
                "%s %s -> %d in %.1f ms (request id: %s)", request.method, url,
                outcome.status_code, elapsed, request_id(outcome.headers),
            )  # fmt: skip
        else:  # the type only: a transport error's text is not ours to vouch for
            logger.debug(
                "%s %s -> %s in %.1f ms", request.method, url, type(outcome).__name__, elapsed
            )

    def _log_retry(
        self, request: httpx.Request, outcome: httpx.Response | Exception, attempt: int,
        call: _Call, delay: float,
    ) -> None:  # fmt: skip
        if isinstance(outcome, httpx.Response):
            hint = outcome.headers.get("x-should-retry")
            reason = f"status {outcome.status_code}" + (" (x-should-retry)" if hint else "")
        else:
            reason = type(outcome).__name__
        logger.info(
            "retrying %s %s in %.2f s (retry %d of %d): %s", request.method,
            safe_url(request.url, self._log_secrets), delay, attempt + 1, call.max_retries, reason,
        )  # fmt: skip

    # -- responses -----------------------------------------------------------

    def _status_error(self, response: httpx.Response, call: _Call) -> ApiError:
        """The exception for a non-2xx response whose body has been read."""
        body = parse_body(response)
        error: object = None
        if call.error_decoder is not None and body is not None:
            try:
                error = call.error_decoder(body)
            except Exception:  # noqa: BLE001 - a bad error body must not mask the HTTP error
                error = None
        exc_type = error_for_status(response.status_code)
        return exc_type(response, body=body, error=error, redact=self._secrets(response))

    def _secrets(self, response: httpx.Response) -> list[str]:
        request_headers = response.request.headers
        auth = request_headers.get("authorization", "")
        token = auth.partition(" ")[2]  # "Bearer <token>"
        secrets: list[str] = [auth, token]
        for credential in self._credentials:
            secrets += credential.secrets()
        return [s for s in secrets if s]

    def _parse_response(self, response: httpx.Response, decode: Callable[[Any], _T]) -> _T:
        return parse_json(response, decode)


def parse_json(response: httpx.Response, decode: Callable[[Any], _T]) -> _T:
    """Decode a read 2xx JSON body; a body that is not JSON, or that does not have the shape
    the API describes, is an ApiResponseValidationError (never a bare KeyError)."""
    try:
        payload = response.json()
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise ApiResponseValidationError(
            f"response is not valid JSON: {exc}", response=response, body=response.text
        ) from exc
    try:
        return decode(payload)
    except Exception as exc:
        raise ApiResponseValidationError(
            f"could not decode response body: {exc!r}", response=response, body=payload
        ) from exc


class SyncClientBase(_BaseClient[httpx.Client]):
    def __init__(
        self,
        *,
        base_url: str,
        credentials: Sequence[Credential] = (),
        security: Requirement | None = None,
        api_key: str | None = None,
        api_key_header: str = "api-key",
        token_provider: Callable[[], str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        # `api_key` and `token_provider` are shorthands for credentials of no scheme.
        credentials = [
            *credentials,
            ApiKey(api_key, api_key_header),
            Bearer(token_provider=token_provider),
        ]
        super().__init__(
            base_url=base_url, credentials=credentials, security=security, timeout=timeout,
            max_retries=max_retries, default_headers=default_headers,
            default_query=default_query, user_agent=user_agent,
        )  # fmt: skip
        self._owns_client = http_client is None  # never close a client we were given
        self._client = (  # never following redirects: see _redirect
            http_client
            if http_client is not None
            else httpx.Client(timeout=timeout, follow_redirects=False)
        )

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _sleep(self, seconds: float) -> None:  # tests replace this
        time.sleep(seconds)

    def _iter_file(self, f: IO[bytes]) -> Iterator[bytes]:
        while chunk := f.read(_CHUNK_SIZE):
            yield chunk

    def _slots(self, call: _Call) -> list[Slot]:
        """The call's header and cookie credentials, each provider asked for a fresh token."""
        slots = []
        for c in call.credentials:
            if isinstance(c, Bearer) and c.token_provider is not None:
                token = c.token_provider()
                if not isinstance(token, str):
                    raise TypeError("token_provider must return a str (AsyncClient awaits)")
                slots.append(c.slot(token))
            else:
                slots.append(c.slot())
        return slots

    def _request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, object] | None = None,
        raw_path_params: Collection[str] = (),
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileInput | None | NotGiven] | None = None,
        content: bytes | IO[bytes] | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        error_decoder: Callable[[Any], object] | None = None,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        security: Requirement | None | NotGiven = NOT_GIVEN,
    ) -> httpx.Response:
        call = self._prepare(
            method, path, path_params=path_params, raw_path_params=raw_path_params,
            query=query, headers=headers, json=json, data=data, files=files,
            content=content, content_type=content_type, accept=accept,
            error_decoder=error_decoder, stream=stream, extra_headers=extra_headers,
            extra_query=extra_query, extra_body=extra_body, timeout=timeout,
            max_retries=max_retries, security=security,
        )  # fmt: skip
        attempt = 0
        while True:
            request = self._build_request(call, self._slots(call))
            deadline = _deadline(call.timeout, self._clock)
            started = time.monotonic()
            outcome: httpx.Response | httpx.TransportError
            try:
                outcome = response = self._send(request)
                if response.is_success and not call.stream:
                    self._read(response, deadline)
            except httpx.TransportError as exc:
                outcome = exc
                if logger.isEnabledFor(logging.DEBUG):
                    self._log_answer(request, exc, started)
                if not self._should_retry(attempt, call, exc):
                    raise _transport_error(exc) from exc
                delay = self._retry_delay(attempt, None)
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    self._log_answer(request, response, started)
                if not self._should_retry(attempt, call, response):
                    return self._finish(response, call, deadline)
                response.close()
                delay = self._retry_delay(attempt, response)
            if logger.isEnabledFor(logging.INFO):
                self._log_retry(request, outcome, attempt, call, delay)
            self._sleep(delay)
            attempt += 1

    def _send(self, request: httpx.Request) -> httpx.Response:
        """The answer's head; the body is read by the caller (within the call's deadline)."""
        with _bad_location():
            response = self._client.send(request, stream=True, follow_redirects=False)
            hops = 0
            while (next_request := self._redirect(response, hops)) is not None:
                response.close()
                response = self._client.send(next_request, stream=True, follow_redirects=False)
                hops += 1
        return response

    def _read(self, response: httpx.Response, deadline: float | None) -> None:
        """Read a 2xx body whole. A transport failure (truncated, timed out) is left to the
        retry loop; a body that cannot be decoded is an ApiResponseValidationError."""
        _limit(response, deadline, self._clock)
        try:
            response.read()
        except httpx.DecodingError as exc:
            response.close()
            raise _undecodable(response, exc) from exc
        except BaseException:
            response.close()
            raise

    def _finish(
        self, response: httpx.Response, call: _Call, deadline: float | None = None
    ) -> httpx.Response:
        if response.is_success:
            _record_response(response)  # for with_raw_response
            return response
        _limit(response, deadline, self._clock)
        with contextlib.suppress(httpx.RequestError):  # keep the status error
            response.read()
        response.close()
        raise self._status_error(response, call)

    def _stream_events(self, response: httpx.Response, decode: Callable[[Any], _T]) -> Stream[_T]:
        return Stream(response, decode)

    def _poller(
        self,
        initial: httpx.Response,
        *,
        method: str,
        url: str,
        final_state_via: str | None,
        decode: Callable[[Any], _T] | None,
        polling_interval: float = 1.0,
        security: Requirement | None | NotGiven = NOT_GIVEN,
        continuation_token: str | None = None,
    ) -> Poller[_T]:
        return Poller(
            self, initial, method=method, url=url, final_state_via=final_state_via,
            decode=decode, polling_interval=polling_interval, security=security,
            continuation_token=continuation_token,
        )  # fmt: skip


class AsyncClientBase(_BaseClient[httpx.AsyncClient]):
    def __init__(
        self,
        *,
        base_url: str,
        credentials: Sequence[Credential] = (),
        security: Requirement | None = None,
        api_key: str | None = None,
        api_key_header: str = "api-key",
        token_provider: Callable[[], str | Awaitable[str]] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        # `api_key` and `token_provider` are shorthands for credentials of no scheme.
        credentials = [
            *credentials,
            ApiKey(api_key, api_key_header),
            Bearer(token_provider=token_provider),
        ]
        super().__init__(
            base_url=base_url, credentials=credentials, security=security, timeout=timeout,
            max_retries=max_retries, default_headers=default_headers,
            default_query=default_query, user_agent=user_agent,
        )  # fmt: skip
        self._owns_client = http_client is None
        self._client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        )

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _sleep(self, seconds: float) -> None:  # tests replace this
        import asyncio  # imported where used: the package imports faster

        await asyncio.sleep(seconds)

    async def _iter_file(self, f: IO[bytes]) -> AsyncIterator[bytes]:
        while chunk := f.read(_CHUNK_SIZE):  # blocking, like httpx's own multipart
            yield chunk

    async def _slots(self, call: _Call) -> list[Slot]:
        """The call's header and cookie credentials; a provider may be sync or async."""
        slots = []
        for c in call.credentials:
            if isinstance(c, Bearer) and c.token_provider is not None:
                token = c.token_provider()
                if not isinstance(token, str):
                    token = await token
                slots.append(c.slot(token))
            else:
                slots.append(c.slot())
        return slots

    async def _request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, object] | None = None,
        raw_path_params: Collection[str] = (),
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileInput | None | NotGiven] | None = None,
        content: bytes | IO[bytes] | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        error_decoder: Callable[[Any], object] | None = None,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        security: Requirement | None | NotGiven = NOT_GIVEN,
    ) -> httpx.Response:
        call = self._prepare(
            method, path, path_params=path_params, raw_path_params=raw_path_params,
            query=query, headers=headers, json=json, data=data, files=files,
            content=content, content_type=content_type, accept=accept,
            error_decoder=error_decoder, stream=stream, extra_headers=extra_headers,
            extra_query=extra_query, extra_body=extra_body, timeout=timeout,
            max_retries=max_retries, security=security,
        )  # fmt: skip
        attempt = 0
        while True:
            request = self._build_request(call, await self._slots(call))
            deadline = _deadline(call.timeout, self._clock)
            started = time.monotonic()
            outcome: httpx.Response | httpx.TransportError
            try:
                outcome = response = await self._send(request)
                if response.is_success and not call.stream:
                    await self._read(response, deadline)
            except httpx.TransportError as exc:
                outcome = exc
                if logger.isEnabledFor(logging.DEBUG):
                    self._log_answer(request, exc, started)
                if not self._should_retry(attempt, call, exc):
                    raise _transport_error(exc) from exc
                delay = self._retry_delay(attempt, None)
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    self._log_answer(request, response, started)
                if not self._should_retry(attempt, call, response):
                    return await self._finish(response, call, deadline)
                await response.aclose()
                delay = self._retry_delay(attempt, response)
            if logger.isEnabledFor(logging.INFO):
                self._log_retry(request, outcome, attempt, call, delay)
            await self._sleep(delay)
            attempt += 1

    async def _send(self, request: httpx.Request) -> httpx.Response:
        with _bad_location():
            response = await self._client.send(request, stream=True, follow_redirects=False)
            hops = 0
            while (next_request := self._redirect(response, hops)) is not None:
                await response.aclose()
                response = await self._client.send(
                    next_request, stream=True, follow_redirects=False
                )
                hops += 1
        return response

    async def _read(self, response: httpx.Response, deadline: float | None) -> None:
        _limit(response, deadline, self._clock)
        try:
            await response.aread()
        except httpx.DecodingError as exc:
            await response.aclose()
            raise _undecodable(response, exc) from exc
        except BaseException:
            await response.aclose()
            raise

    async def _finish(
        self, response: httpx.Response, call: _Call, deadline: float | None = None
    ) -> httpx.Response:
        if response.is_success:
            _record_response(response)
            return response
        _limit(response, deadline, self._clock)
        with contextlib.suppress(httpx.RequestError):
            await response.aread()
        await response.aclose()
        raise self._status_error(response, call)

    def _stream_events(
        self, response: httpx.Response, decode: Callable[[Any], _T]
    ) -> AsyncStream[_T]:
        return AsyncStream(response, decode)

    def _poller(
        self,
        initial: httpx.Response,
        *,
        method: str,
        url: str,
        final_state_via: str | None,
        decode: Callable[[Any], _T] | None,
        polling_interval: float = 1.0,
        security: Requirement | None | NotGiven = NOT_GIVEN,
        continuation_token: str | None = None,
    ) -> AsyncPoller[_T]:
        return AsyncPoller(
            self, initial, method=method, url=url, final_state_via=final_state_via,
            decode=decode, polling_interval=polling_interval, security=security,
            continuation_token=continuation_token,
        )  # fmt: skip


# -- pure helpers ------------------------------------------------------------


def _fill_path(template: str, params: Mapping[str, object], raw: Collection[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match[1]
        value = params.get(name)
        if value is None or isinstance(value, NotGiven):
            raise ValueError(f"missing value for path parameter {name!r}")
        wire = to_jsonable(value)
        text = ",".join(wire) if isinstance(wire, list) else wire
        if not text:  # `/items//x` would silently address another resource
            raise ValueError(f"path parameter {name!r} must not be empty")
        if name in raw:  # x-ms-skip-url-encoding: `/` allowed, leaving the path is not
            if "?" in text or "#" in text or any(s in (".", "..") for s in text.split("/")):
                raise ValueError(f"path parameter {name!r} contains '?', '#' or a dot segment")
            return text
        quoted = urllib.parse.quote(text, safe="")
        # quote() leaves dots alone; a bare `.`/`..` would be a dot segment.
        return quoted.replace(".", "%2E") if not quoted.strip(".") else quoted

    return _PATH_PARAM.sub(replace, template)


def _deadline(timeout: float | httpx.Timeout | None, clock: Callable[[], float]) -> float | None:
    """When the whole answer must be in: the call's timeout bounds the body as a whole, not
    only each read (a server trickling a byte now and then would otherwise never time out).
    Streamed answers (events, downloads) are only bounded per read."""
    seconds = timeout.read if isinstance(timeout, httpx.Timeout) else timeout
    return None if seconds is None else clock() + seconds


class _SyncDeadline(httpx.SyncByteStream):
    def __init__(
        self,
        stream: httpx.SyncByteStream,
        deadline: float,
        clock: Callable[[], float],
        request: httpx.Request,
    ):
        self._stream, self._deadline, self._clock, self._request = stream, deadline, clock, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if self._clock() > self._deadline:
                raise httpx.ReadTimeout("the answer did not arrive in time", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _AsyncDeadline(httpx.AsyncByteStream):
    def __init__(
        self,
        stream: httpx.AsyncByteStream,
        deadline: float,
        clock: Callable[[], float],
        request: httpx.Request,
    ):
        self._stream, self._deadline, self._clock, self._request = stream, deadline, clock, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            if self._clock() > self._deadline:
                raise httpx.ReadTimeout("the answer did not arrive in time", request=self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def _limit(response: httpx.Response, deadline: float | None, clock: Callable[[], float]) -> None:
    """Make reading ``response``'s body fail with ReadTimeout once ``deadline`` has passed."""
    if deadline is None:
        return
    stream = response.stream
    if isinstance(stream, httpx.SyncByteStream):
        response.stream = _SyncDeadline(stream, deadline, clock, response.request)
    elif isinstance(stream, httpx.AsyncByteStream):
        response.stream = _AsyncDeadline(stream, deadline, clock, response.request)


@contextlib.contextmanager
def _bad_location() -> Iterator[None]:
    """httpx builds the next request of every 3xx answer, even when not following it, and
    raises InvalidURL (dropping the answer) when its Location is no URL."""
    try:
        yield
    except httpx.InvalidURL as exc:
        raise ApiResponseValidationError(f"the server redirected to an invalid URL: {exc}") from exc


def _undecodable(response: httpx.Response, exc: Exception) -> ApiResponseValidationError:
    """A body its Content-Encoding does not describe (gzip that is not gzip, ...)."""
    return ApiResponseValidationError(
        f"the response body could not be decoded: {exc}", response=response
    )


def _is_absolute(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


@functools.lru_cache(maxsize=64)  # the base URL's, asked for on every absolute URL
def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host, port


def _with_query(url: str, params: list[tuple[str, str]]) -> str:
    """`url` with `params` appended. A query already in the URL (a next link's opaque
    token) is kept byte for byte, minus the names `params` sets again (api-version)."""
    if not params:
        return url
    url = url.partition("#")[0]
    base, _, query = url.partition("?")
    names = {name for name, _ in params}
    kept = [
        pair
        for pair in query.split("&")
        if pair and urllib.parse.unquote_plus(pair.partition("=")[0]) not in names
    ]
    return base + "?" + "&".join([*kept, str(httpx.QueryParams(tuple(params)))])


def _without_credentials(headers: dict[str, str], drop: Collection[str]) -> dict[str, str]:
    """`headers` minus those named in `drop` (lower-case)."""
    return {name: value for name, value in headers.items() if name.lower() not in drop}


def _is_absent(value: object) -> bool:
    return value is None or isinstance(value, NotGiven)


def _flatten(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Query/form pairs: absent values dropped, a list repeats its key (`?tag=a&tag=b`)."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if _is_absent(value):
            continue
        wire = to_jsonable(value)
        pairs.extend((name, v) for v in (wire if isinstance(wire, list) else [wire]))
    return pairs


def _group(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}  # httpx sends a list as repeated fields
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _merge_headers(*layers: Mapping[str, object] | None) -> dict[str, str]:
    """Later layers win, case-insensitively; absent values are skipped."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            if _is_absent(value):
                continue
            wire = to_jsonable(value)
            text = ", ".join(wire) if isinstance(wire, list) else wire
            if "\r" in text or "\n" in text:  # header injection; value not echoed (secret?)
                raise ValueError(f"invalid value for header {name!r}")
            merged[name.lower()] = (name, text)
    return dict(merged.values())


def _normalize_file(value: FileInput) -> _FileTuple:
    """Any FileInput -> (filename, content, content type) for httpx."""
    filename: str | None
    content: bytes | IO[bytes]
    content_type: str | None = None
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        if len(value) == 3:
            content_type = value[2]
    elif isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        filename = os.path.basename(path)
        with open(path, "rb") as f:  # read now: retries need the bytes again
            content = f.read()
    elif isinstance(value, bytes):
        filename, content = "upload", value
    else:
        name = getattr(value, "name", None)
        filename = os.path.basename(name) if isinstance(name, str) and name else "upload"
        content = value
    if content_type is None:
        import mimetypes

        guessed = mimetypes.guess_type(filename)[0] if filename else None
        content_type = guessed or "application/octet-stream"
    return filename, content, content_type


def _seekable(f: IO[bytes]) -> bool:
    try:
        return bool(f.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _file_size(f: IO[bytes]) -> int | None:
    if not _seekable(f):
        return None
    end = f.seek(0, os.SEEK_END)
    f.seek(0)
    return end


def format_host(
    template: str, values: Mapping[str, str | None], base_url: str | None = None
) -> str:
    """The base URL: ``base_url`` when the caller gave one, else the API's host template
    (``{endpoint}/openai``) filled with the client's host arguments, inserted as given (an
    endpoint is itself a URL)."""
    if base_url:
        return base_url

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            raise ValueError(f"{match.group(1)} is required (or pass base_url=...)")
        return str(value).rstrip("/")

    return re.sub(r"\{([^{}]+)\}", replace, template)
