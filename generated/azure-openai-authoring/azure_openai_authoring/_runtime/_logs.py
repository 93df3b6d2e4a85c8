"""The package's logger: `logging.getLogger("<package>")`.

At DEBUG each HTTP answer is one line (method, URL without secrets, status, elapsed time,
request id); at INFO each retry (reason and delay). Nothing is formatted unless the level is
enabled, so a silent logger costs one `isEnabledFor` per call. `<PACKAGE>_LOG=debug` (or
`info`) in the environment switches it on without code, printing to stderr.

Credentials never reach a log line: request headers are never logged, and the URL loses its
userinfo and the values of query parameters that hold keys or signatures.
"""

from __future__ import annotations

import logging
import os
import urllib.parse

import httpx

from ._errors import _REQUEST_ID_HEADERS

__all__ = ["ENV_VAR", "logger", "request_id", "safe_url"]

PACKAGE = __name__.rpartition("._runtime")[0] or __name__
ENV_VAR = PACKAGE.upper().replace(".", "_") + "_LOG"
logger = logging.getLogger(PACKAGE)

# Query parameters that carry secrets by convention (SAS `sig`, OAuth `code`, ...), beside
# the API's own key parameters, which the client adds.
SECRET_QUERY = frozenset(
    {
        "sig", "signature", "key", "api-key", "api_key", "apikey", "code", "token",
        "access_token", "refresh_token", "client_secret", "password", "secret",
        "x-amz-signature", "x-amz-security-token", "x-goog-signature",
    }
)  # fmt: skip

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def configure_from_environment() -> None:
    """Honour `<PACKAGE>_LOG` once per process (a handler of our own, never the root's)."""
    level = _LEVELS.get(os.environ.get(ENV_VAR, "").strip().lower())
    if level is None or any(getattr(h, "_specgen", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    handler._specgen = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)


def safe_url(url: str | httpx.URL, secret_names: frozenset[str]) -> str:
    """`url` without userinfo and with the values of secret query parameters masked."""
    parts = urllib.parse.urlsplit(str(url))
    host = parts.netloc.rpartition("@")[2]
    hidden = SECRET_QUERY | secret_names
    pairs = [pair.partition("=") for pair in parts.query.split("&") if pair]
    query = "&".join(
        name + sep + ("***" if urllib.parse.unquote_plus(name).lower() in hidden else value)
        for name, sep, value in pairs
    )
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, query, ""))


def request_id(headers: httpx.Headers) -> str | None:
    return next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)


configure_from_environment()
