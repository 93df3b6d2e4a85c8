"""Exception hierarchy (names mirror the openai SDK's)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import httpx

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiResponseValidationError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OperationFailedError",
    "PermissionDeniedError",
    "RateLimitError",
    "StreamError",
    "UnprocessableEntityError",
    "error_for_status",
]

_REQUEST_ID_HEADERS = ("apim-request-id", "x-request-id", "x-ms-request-id")
_MAX_TEXT = 300  # keep str(error) readable when the body is an HTML page


class ClientError(Exception):
    """Base class of every error raised by the client."""


class ApiError(ClientError):
    """The server answered with a non-2xx status."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        body: object,
        error: object = None,
        redact: Collection[str] = (),
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = body  # parsed JSON, else text, else None
        self.error = error  # body decoded into the spec's error model, if any
        self.request_id = next(
            (response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None
        )
        self.code, message = _code_and_message(body)
        # `redact`: the request's credentials, in case a server or proxy echoes them.
        self.message = _redact(message, redact) if message else message
        super().__init__(self._describe())

    def _describe(self) -> str:
        # Built only from status, body and request id: the request headers,
        # which carry the credentials, never reach the message.
        text = f"Error code: {self.status_code}"
        reason = ": ".join(part for part in (self.code, self.message) if part)
        if reason:
            text += f" - {reason}"
        if self.request_id:
            text += f" (request id: {self.request_id})"
        return text


class BadRequestError(ApiError):
    """400"""


class AuthenticationError(ApiError):
    """401"""


class PermissionDeniedError(ApiError):
    """403"""


class NotFoundError(ApiError):
    """404"""


class ConflictError(ApiError):
    """409"""


class UnprocessableEntityError(ApiError):
    """422"""


class RateLimitError(ApiError):
    """429"""


class InternalServerError(ApiError):
    """>= 500"""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_for_status(status: int) -> type[ApiError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, ApiError)


class ApiConnectionError(ClientError):
    """The request never got a response (DNS, refused, reset, ...)."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None):
        super().__init__(message)
        self.request = request


class ApiTimeoutError(ApiConnectionError):
    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ):
        super().__init__(message, request=request)


class ApiResponseValidationError(ClientError):
    """A 2xx body could not be decoded into the expected type."""

    def __init__(
        self, message: str, *, response: httpx.Response | None = None, body: object = None
    ) -> None:
        super().__init__(message)
        self.response = response
        self.body = body


class StreamError(ClientError):
    """The server reported an error inside an event stream (after the 2xx)."""

    def __init__(self, *, event: str, data: object) -> None:
        self.event = event
        self.data = data  # the event's JSON payload, or its raw text
        self.error = data.get("error", data) if isinstance(data, dict) else data
        self.code, self.message = _code_and_message(data)
        reason = ": ".join(part for part in (self.code, self.message) if part)
        super().__init__(f"Stream error: {reason or 'error event received'}")


class OperationFailedError(ClientError):
    """A long-running operation ended Failed or Canceled: every HTTP call succeeded,
    the operation itself did not."""

    def __init__(self, status: str, *, body: object, response: httpx.Response) -> None:
        self.status = status  # as the server spelled it
        self.body = body  # the final status body (parsed JSON, else text, else None)
        self.response = response
        self.code, self.message = _code_and_message(body)
        reason = ": ".join(part for part in (self.code, self.message) if part)
        super().__init__(f"Operation {status}" + (f" - {reason}" if reason else ""))


def _transport_error(exc: httpx.TransportError) -> ApiConnectionError:
    """Map an httpx transport failure onto our hierarchy (callers chain `from exc`)."""
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:  # httpx raises when the error was created without a request
        request = None
    if isinstance(exc, httpx.TimeoutException):
        return ApiTimeoutError(request=request)
    return ApiConnectionError(f"Connection error: {exc}", request=request)


def _code_and_message(body: object) -> tuple[str | None, str | None]:
    """Pull `code`/`message` out of `{"error": {...}}` (Azure/OpenAI) or a flat body."""
    if isinstance(body, dict):
        inner: Any = body.get("error")
        if isinstance(inner, dict):
            body = inner
        elif isinstance(inner, str):  # {"error": "text"}
            return None, inner
        code, message = body.get("code"), body.get("message")
        return (
            str(code) if code is not None else None,
            str(message) if message is not None else None,
        )
    if isinstance(body, str) and body.strip():
        text = " ".join(body.split())
        return None, text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "..."
    return None, None


def _redact(text: str, secrets: Collection[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
