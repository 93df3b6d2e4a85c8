"""Template context for authentication: the client's credential arguments, the credentials it
hands the runtime, and the security requirements of the API and of each operation.

``token_provider`` is always an argument: its bearer token answers every bearer, OAuth2 and
OpenID Connect scheme; an API that declares none of those (Azure's key-only specs, whose
services also take Azure AD tokens) sends it with every call that sends credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import Api, Operation, SecurityScheme
from .literals import py_literal

TOKEN_KINDS = ("bearer", "oauth2")


@dataclass
class AuthArgView:
    name: str
    signature: str
    doc: str  # one line of plain text, for the client's docstring and README
    env: str = ""  # Python literal of the environment variable it falls back to, or ""


@dataclass
class AuthView:
    arguments: list[AuthArgView]  # before token_provider, in scheme order
    credentials: list[str]  # expressions of the runtime credentials, in precedence order
    security: str  # Python literal of the API's requirement ("None": send all given)
    # When every call needs a credential: the arguments of which one must be given (names),
    # and the message (a Python literal) raised when none is; empty otherwise.
    required: list[str] = field(default_factory=list)
    missing_message: str = ""


def build_auth_view(api: Api, env: dict[str, str]) -> AuthView:
    arguments: list[AuthArgView] = []
    credentials: list[str] = []
    for scheme in api.security:
        for name, doc in zip(scheme.py_names, _docs(scheme), strict=True):
            if name != "token_provider" and all(a.name != name for a in arguments):
                env_literal = py_literal(env[name]) if name in env else ""
                arguments.append(AuthArgView(name, f"{name}: str | None = None", doc, env_literal))
        schemes = _tuple([scheme.name])
        if scheme.kind == "api_key":
            credentials.append(
                f"_auth.ApiKey({scheme.py_names[0]}, {py_literal(scheme.parameter)}, "
                f"{py_literal(scheme.location)}, schemes={schemes})"
            )
        elif scheme.kind == "basic":
            username, password = scheme.py_names
            credentials.append(f"_auth.Basic({username}, {password}, schemes={schemes})")
        elif scheme.kind == "bearer":
            credentials.append(
                f"_auth.Bearer({scheme.py_names[0]}, token_provider, schemes={schemes})"
            )
    oauth = [s.name for s in api.security if s.kind == "oauth2"]
    if oauth:
        credentials.append(f"_auth.Bearer(token_provider=token_provider, schemes={_tuple(oauth)})")
    elif not any(s.kind in TOKEN_KINDS for s in api.security):
        credentials.append("_auth.Bearer(token_provider=token_provider)")  # of no scheme
    view = AuthView(arguments, credentials, requirement_literal(api.security_requirement))
    if _always_required(api):
        view.required = [a.name for a in arguments] + ["token_provider"]
        view.missing_message = py_literal(_missing_message(arguments, env))
    return view


def _always_required(api: Api) -> bool:
    """Whether no call can go out without a credential: the API requires one and no
    operation states that it needs none (``security: []`` or an empty alternative)."""
    requirements = [api.security_requirement] + [
        op.security for group in api.groups for op in group.operations if op.security is not None
    ]
    return bool(api.security_requirement) and all(
        requirement and all(requirement) for requirement in requirements
    )


def _missing_message(arguments: list[AuthArgView], env: dict[str, str]) -> str:
    """Names every way to give a credential: each argument, and its environment variable."""
    ways = [
        f"{a.name}=" + (f" (or set the {env[a.name]} environment variable)" if a.env else "")
        for a in arguments
    ] + ["token_provider="]
    joined = ", ".join(ways[:-1]) + " or " + ways[-1] if len(ways) > 1 else ways[0]
    return f"no credential given: pass {joined}"


def operation_security(op: Operation, api_requirement: list[list[str]] | None) -> str:
    """The ``security=`` argument of an operation's calls: "" when the API's applies."""
    if op.security is None or op.security == api_requirement:
        return ""
    return requirement_literal(op.security)


def requirement_literal(requirement: list[list[str]] | None) -> str:
    if requirement is None:
        return "None"
    return _tuple([_tuple(alternative) for alternative in requirement], quote=False)


def _tuple(items: list[str], quote: bool = True) -> str:
    parts = [py_literal(i) if quote else i for i in items]
    return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"


def _docs(scheme: SecurityScheme) -> list[str]:
    if scheme.kind == "oauth2":
        return ["Returns a bearer token; called before every request."]
    if scheme.kind == "basic":
        of = f" of the {scheme.name} scheme" if scheme.py_names[0] != "username" else ""
        return [
            f"The user name for HTTP basic authentication{of}.",
            f"The password for HTTP basic authentication{of}.",
        ]
    if scheme.kind == "bearer":
        return [f"The token sent as Authorization: Bearer ({scheme.name} scheme)."]
    where = {"header": "header", "query": "query parameter", "cookie": "cookie"}[scheme.location]
    return [f"The key sent in the {scheme.parameter} {where}."]
