"""Credentials and where they go: an API key in a header, query parameter or cookie; HTTP
basic; a bearer token, fixed or from a provider called before every request.

Each credential names the security schemes of the API it answers. An operation's security
requirement (alternatives, each a set of schemes used together) selects what it sends: the
credentials given for the schemes of any alternative, the first alternative's first where
two would fill the same header. A credential naming no scheme (the Azure AD token of a
key-only spec) is sent with every call that sends credentials at all. Nothing here sends or
checks origins: the client only asks for credentials on requests to its own origin.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

__all__ = ["ApiKey", "Basic", "Bearer", "Credential", "Requirement", "Slot", "select"]

# Alternatives, each the scheme names sent together; () sends nothing.
Requirement = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Slot:
    """One credential on the wire: ``location`` is header, query or cookie."""

    location: str
    name: str
    value: str


@dataclass(frozen=True, repr=False)
class ApiKey:
    """A key sent as it is, in the header, query parameter or cookie ``name``."""

    key: str | None
    name: str
    location: str = "header"
    schemes: tuple[str, ...] = ()

    def given(self) -> bool:
        return self.key is not None

    def slot(self) -> Slot:
        return Slot(self.location, self.name, self.key or "")

    def secrets(self) -> list[str]:
        return [self.key or ""]

    def __repr__(self) -> str:
        return f"ApiKey(name={self.name!r}, location={self.location!r})"  # never the key


@dataclass(frozen=True, repr=False)
class Basic:
    """HTTP basic: ``Authorization: Basic base64(username:password)``."""

    username: str | None
    password: str | None
    schemes: tuple[str, ...] = ()

    def given(self) -> bool:
        return self.username is not None or self.password is not None

    def slot(self) -> Slot:
        pair = f"{self.username or ''}:{self.password or ''}".encode()
        return Slot("header", "Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))

    def secrets(self) -> list[str]:
        return [self.password or "", self.slot().value.partition(" ")[2]]

    def __repr__(self) -> str:
        return "Basic()"


@dataclass(frozen=True, repr=False)
class Bearer:
    """``Authorization: Bearer <token>``: the provider's token when there is a provider
    (asked before every request, so a refreshed token is always used), else ``token``."""

    token: str | None = None
    token_provider: Callable[[], str | Awaitable[str]] | None = None
    schemes: tuple[str, ...] = ()

    def given(self) -> bool:
        return self.token is not None or self.token_provider is not None

    def slot(self, token: str | None = None) -> Slot:
        return Slot("header", "Authorization", f"Bearer {token or self.token or ''}")

    def secrets(self) -> list[str]:
        return [self.token or ""]

    def __repr__(self) -> str:
        return "Bearer()"


Credential = ApiKey | Basic | Bearer


def select(credentials: Sequence[Credential], requirement: Requirement | None) -> list[Credential]:
    """The credentials a call sends, in order of precedence.  ``requirement`` None: the API
    states none, so every credential given is sent."""
    if requirement is None:
        return list(credentials)
    chosen: list[Credential] = []
    for alternative in requirement:
        for scheme in alternative:
            chosen += [c for c in credentials if scheme in c.schemes and c not in chosen]
    if any(requirement):  # some credential is wanted: the scheme-less ones go along
        chosen += [c for c in credentials if not c.schemes]
    return chosen


def require_one(message: str, *given: object) -> None:
    """The check of a client whose every call needs a credential: without one, every call
    would go out unauthenticated and fail, far from the cause."""
    if all(value is None for value in given):
        from ._errors import ClientError

        raise ClientError(message)
