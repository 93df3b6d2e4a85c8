"""What the runtime reads off any HTTP answer, whoever sent the request: the body as JSON
or text, and the server's hint of how long to wait before asking again. Shared by the
client's retries and the pollers, so neither imports the other."""

from __future__ import annotations

import contextlib
import time

import httpx

__all__ = ["parse_body", "retry_after"]


def parse_body(response: httpx.Response) -> object:
    """The read body as JSON, else as text; None when empty or not read."""
    try:
        raw = response.content
    except httpx.ResponseNotRead:  # reading the error body failed
        return None
    if not raw:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError):
        return response.text


def retry_after(headers: httpx.Headers) -> float | None:
    """Server hint in seconds: `retry-after-ms`, then `Retry-After` (seconds or HTTP date)."""
    with contextlib.suppress(ValueError):
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
    value = headers.get("retry-after")
    if not value:
        return None
    with contextlib.suppress(ValueError):
        return float(value)
    import email.utils

    when = email.utils.parsedate_tz(value)  # HTTP date
    return None if when is None else email.utils.mktime_tz(when) - time.time()
