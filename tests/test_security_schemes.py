"""Security schemes end to end: each scheme of Swagger 2.0 and OpenAPI 3.0 generated from a
small inline spec, type-checked (one ``mypy --strict`` run for all, ``tests/batch.py``) and
driven against a local server, asserting exactly what reaches the wire: the header, query
parameter, cookie or Authorization value; environment fallbacks; several schemes at once;
per-operation ``security``; and that no credential ever reaches another origin.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.config import Job
from generator.errors import ConfigError
from generator.pipeline import write_job
from tests.batch import Built, build_all
from tests.helpers import ir_of, write_spec
from tests.server import Recorded, Reply, Server

_OPERATION = """
  /things:
    get:
      operationId: Things_Get
      responses: {'200': {description: ok}}
"""


def swagger(definitions: str, security: str, paths: str = _OPERATION) -> str:
    return (
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\nhost: example.com\nschemes: [https]\n'
        + "securityDefinitions:\n"
        + textwrap.indent(textwrap.dedent(definitions).strip(), "  ")
        + f"\nsecurity: {security}\npaths:"
        + paths.rstrip()
        + "\n"
    )


def openapi(schemes: str, security: str, paths: str = _OPERATION) -> str:
    return (
        'openapi: 3.0.3\ninfo: {title: T, version: "1"}\nservers: [{url: "https://example.com"}]\n'
        + "components:\n  securitySchemes:\n"
        + textwrap.indent(textwrap.dedent(schemes).strip(), "    ")
        + f"\nsecurity: {security}\npaths:"
        + paths.rstrip()
        + "\n"
    )


_PAGED = _OPERATION + """
  /pages:
    get:
      operationId: Things_List
      x-ms-pageable: {nextLinkName: nextLink, itemName: value}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  value: {type: array, items: {type: string}}
                  nextLink: {type: string}
"""

_PER_OPERATION = """
  /default:
    get: {operationId: Calls_Default, responses: {'200': {description: ok}}}
  /public:
    get: {operationId: Calls_Public, security: [], responses: {'200': {description: ok}}}
  /admin:
    get:
      operationId: Calls_Admin
      security: [{Basic: []}]
      responses: {'200': {description: ok}}
  /either:
    get:
      operationId: Calls_Either
      security: [{Basic: []}, {Key: []}]
      responses: {'200': {description: ok}}
  /both:
    get:
      operationId: Calls_Both
      security: [{Key: [], Basic: []}]
      responses: {'200': {description: ok}}
  /anonymous:
    get: {operationId: Calls_Anonymous, security: [{}], responses: {'200': {description: ok}}}
"""

# Follow-up requests (next links, status polls) carry their operation's own security.
_FOLLOW_UPS = """
  /admin-pages:
    get:
      operationId: Calls_AdminPages
      security: [{Basic: []}]
      x-ms-pageable: {nextLinkName: nextLink, itemName: value}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  value: {type: array, items: {type: string}}
                  nextLink: {type: string}
  /jobs:
    post:
      operationId: Calls_Start
      security: [{Basic: []}]
      x-ms-long-running-operation: true
      responses: {'202': {description: accepted}, '200': {description: done}}
"""

SPECS: dict[str, str] = {
    "sec_bearer3": openapi(
        "BearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}", "[{BearerAuth: []}]"
    ),
    "sec_basic2": swagger("Account: {type: basic}", "[{Account: []}]"),
    "sec_basic3": openapi("Account: {type: http, scheme: Basic}", "[{Account: []}]"),
    "sec_query2": swagger("Code: {type: apiKey, in: query, name: code}", "[{Code: []}]"),
    "sec_keys2": swagger(
        """
        HeaderKey: {type: apiKey, in: header, name: X-Api-Token}
        QueryKey: {type: apiKey, in: query, name: code}
        """,
        "[{HeaderKey: []}, {QueryKey: []}]",
    ),
    "sec_keys3": openapi(
        """
        HeaderKey: {type: apiKey, in: header, name: X-Api-Token}
        QueryKey: {type: apiKey, in: query, name: sig}
        CookieKey: {type: apiKey, in: cookie, name: session}
        """,
        "[{HeaderKey: [], QueryKey: [], CookieKey: []}]",
        _PAGED,
    ),
    "sec_oauth2": swagger(
        """
        OAuth:
          type: oauth2
          flow: implicit
          authorizationUrl: https://login.example.com/authorize
          scopes: {read: Read things}
        """,
        "[{OAuth: [read]}]",
    ),
    "sec_oauth3": openapi(
        """
        OAuth:
          type: oauth2
          flows:
            clientCredentials:
              tokenUrl: https://login.example.com/token
              scopes: {read: Read things}
        Oidc: {type: openIdConnect, openIdConnectUrl: https://login.example.com/.well-known}
        """,
        "[{OAuth: [read]}, {Oidc: []}]",
    ),
    "sec_per_op2": swagger(
        """
        Key: {type: apiKey, in: header, name: X-Key}
        Basic: {type: basic}
        """,
        "[{Key: []}]",
        _PER_OPERATION,
    ),
    "sec_per_op3": openapi(
        """
        Key: {type: apiKey, in: header, name: X-Key}
        Basic: {type: http, scheme: basic}
        """,
        "[{Key: []}]",
        _PER_OPERATION + _FOLLOW_UPS,
    ),
    "sec_azure2": swagger(
        """
        AzureKey: {type: apiKey, in: header, name: api-key}
        AzureAD:
          type: oauth2
          flow: implicit
          authorizationUrl: https://login.microsoftonline.com/common/oauth2/authorize
          scopes: {"https://cognitiveservices.azure.com/.default": ''}
        """,
        "[{AzureKey: []}, {AzureAD: ['https://cognitiveservices.azure.com/.default']}]",
    ),
    # scheme names the constructor itself uses (`os` for the fallbacks), and two basics
    "sec_names3": openapi(
        """
        os: {type: apiKey, in: header, name: X-Os}
        timeout: {type: apiKey, in: query, name: t}
        admin: {type: http, scheme: basic}
        reader: {type: http, scheme: basic}
        """,
        "[{os: []}, {timeout: []}, {admin: []}, {reader: []}]",
    ),
}

ENV = {
    "sec_basic2": {"username": "SEC_TEST_USER", "password": "SEC_TEST_PASSWORD"},
    "sec_basic3": {"username": "SEC_TEST_USER", "password": "SEC_TEST_PASSWORD"},
    "sec_query2": {"api_key": "SEC_TEST_KEY"},
    "sec_azure2": {"api_key": "SEC_TEST_KEY"},
    "sec_names3": {"os_": "SEC_TEST_KEY"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("security"), SPECS, env=ENV)


@pytest.fixture
def other() -> Iterator[Server]:
    """A second origin: whatever reaches it has left the client's own."""
    srv = Server()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def client_of(built: Built, server: Server) -> Iterator[Any]:
    """client_of(name, **options): a sync client of that package, talking to `server`."""
    clients: list[Any] = []

    def make(name: str, **options: Any) -> Any:
        options.setdefault("base_url", server.url)
        client = built.package(name).Client(max_retries=0, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _credentials(request: Recorded) -> dict[str, str]:
    """The request's credential-bearing parts that these specs use."""
    names = ("authorization", "cookie", "api-key", "x-api-token", "x-key", "x-os")
    found = {name: request.headers[name] for name in names if name in request.headers}
    for name in ("code", "sig", "t"):
        if name in request.query:
            found["?" + name] = request.query[name][0]
    return found


def _arguments(built: Built, name: str) -> list[str]:
    init = built.package(name).Client.__init__
    skip = {"self", "base_url", "timeout", "max_retries", "default_headers", "http_client"}
    return [p for p in inspect.signature(init).parameters if p not in skip]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_generated_client_is_typed(built: Built, name: str) -> None:
    built.assert_typed(name)


# --------------------------------------------------------------------------- one scheme each


def test_http_bearer_sends_the_key_as_a_bearer_token(
    built: Built, client_of: Any, server: Server
) -> None:
    assert _arguments(built, "sec_bearer3") == ["api_key", "token_provider"]
    client_of("sec_bearer3", api_key="k-1").things.get()
    tokens = iter(["t-1", "t-2"])
    with_provider = client_of("sec_bearer3", token_provider=lambda: next(tokens))
    with_provider.things.get()
    with_provider.things.get()  # asked again for every request
    assert [_credentials(r) for r in server.requests] == [
        {"authorization": "Bearer k-1"},
        {"authorization": "Bearer t-1"},
        {"authorization": "Bearer t-2"},
    ]


@pytest.mark.parametrize("name", ["sec_basic2", "sec_basic3"])
def test_http_basic_sends_username_and_password(
    built: Built, client_of: Any, server: Server, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    assert _arguments(built, name) == ["username", "password", "token_provider"]
    client_of(name, username="AC123", password="s3cr:et").things.get()
    monkeypatch.setenv("SEC_TEST_USER", "env-user")
    monkeypatch.setenv("SEC_TEST_PASSWORD", "env-pass")
    client_of(name).things.get()  # both from the environment
    client_of(name, username="AC9").things.get()  # one given, one from the environment
    assert [_credentials(r) for r in server.requests] == [
        {"authorization": _basic("AC123", "s3cr:et")},
        {"authorization": _basic("env-user", "env-pass")},
        {"authorization": _basic("AC9", "env-pass")},
    ]


def test_api_key_in_the_query(
    built: Built, client_of: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _arguments(built, "sec_query2") == ["api_key", "token_provider"]
    client_of("sec_query2", api_key="q k&=").things.get()
    monkeypatch.setenv("SEC_TEST_KEY", "from-env")
    client_of("sec_query2").things.get()
    client_of("sec_query2", token_provider=lambda: "tok").things.get()  # no fallback then
    first, from_env, token = server.requests
    assert first.raw_path == "/things?code=q+k%26%3D"
    assert _credentials(first) == {"?code": "q k&="}
    assert _credentials(from_env) == {"?code": "from-env"}
    assert _credentials(token) == {"authorization": "Bearer tok"}


def test_api_keys_in_header_query_and_cookie_each_under_their_name(
    built: Built, client_of: Any, server: Server
) -> None:
    assert _arguments(built, "sec_keys3") == [
        "header_key",
        "query_key",
        "cookie_key",
        "token_provider",
    ]
    client = client_of(
        "sec_keys3",
        header_key="h-1",
        query_key="q-1",
        cookie_key="c-1",
        default_headers={"Cookie": "theme=dark"},
    )
    client.things.get()
    client.things.get(extra_query={"sig": "caller"})  # the caller has the last word
    first, second = server.requests
    assert _credentials(first) == {
        "x-api-token": "h-1",
        "?sig": "q-1",
        "cookie": "theme=dark; session=c-1",
    }
    assert "authorization" not in first.headers
    assert second.query["sig"] == ["caller"]


def test_swagger_two_keys_are_alternatives_named_after_their_schemes(
    built: Built, client_of: Any, server: Server
) -> None:
    assert _arguments(built, "sec_keys2") == ["header_key", "query_key", "token_provider"]
    client_of("sec_keys2", header_key="h").things.get()
    client_of("sec_keys2", query_key="q").things.get()
    assert [_credentials(r) for r in server.requests] == [{"x-api-token": "h"}, {"?code": "q"}]


@pytest.mark.parametrize("name", ["sec_oauth2", "sec_oauth3"])
def test_oauth2_and_openid_connect_take_a_token_provider(
    built: Built, client_of: Any, server: Server, name: str
) -> None:
    assert _arguments(built, name) == ["token_provider"]
    kinds = {"sec_oauth2": ["oauth2"], "sec_oauth3": ["oauth2", "oauth2"]}[name]
    assert [s.kind for s in built.api(name).security] == kinds  # OpenID Connect: one too
    calls: list[int] = []

    def token() -> str:
        calls.append(1)
        return f"tok-{len(calls)}"

    client = client_of(name, token_provider=token)
    client.things.get()
    client.things.get()
    assert [_credentials(r) for r in server.requests] == [
        {"authorization": "Bearer tok-1"},
        {"authorization": "Bearer tok-2"},
    ]


def test_async_clients_send_the_same(built: Built, server: Server) -> None:
    async def main() -> None:
        async def token() -> str:
            return "async-tok"

        oauth = built.package("sec_oauth3").AsyncClient(base_url=server.url, token_provider=token)
        basic = built.package("sec_basic3").AsyncClient(
            base_url=server.url, username="u", password="p"
        )
        keys = built.package("sec_keys3").AsyncClient(
            base_url=server.url, query_key="q", cookie_key="c"
        )
        for client in (oauth, basic, keys):
            async with client:
                await client.things.get()

    asyncio.run(main())
    assert [_credentials(r) for r in server.requests] == [
        {"authorization": "Bearer async-tok"},
        {"authorization": _basic("u", "p")},
        {"?sig": "q", "cookie": "session=c"},
    ]


# --------------------------------------------------------------------------- several schemes


@pytest.mark.parametrize("name", ["sec_per_op2", "sec_per_op3"])
def test_each_operation_sends_what_its_security_names(
    built: Built, client_of: Any, server: Server, name: str
) -> None:
    client = client_of(name, api_key="k", username="u", password="p")
    for call in ("default", "public", "admin", "either", "both", "anonymous"):
        getattr(client.calls, call)()
    basic = _basic("u", "p")
    assert [_credentials(r) for r in server.requests] == [
        {"x-key": "k"},  # the API's requirement
        {},  # security: []
        {"authorization": basic},  # Basic only: not the key
        {"authorization": basic, "x-key": "k"},  # either: what was given for both
        {"authorization": basic, "x-key": "k"},  # both together
        {},  # security: [{}]: anonymous
    ]
    server.requests.clear()
    only_key = client_of(name, api_key="k")
    only_key.calls.either()
    only_key.calls.admin()  # no basic credential given: nothing to send
    assert [_credentials(r) for r in server.requests] == [{"x-key": "k"}, {}]


def test_next_links_and_polls_carry_the_operation_security(client_of: Any, server: Server) -> None:
    page = {"value": ["a"], "nextLink": server.url + "/admin-pages?page=2"}
    server.replies = [Reply(200, page), Reply(200, {"value": ["b"]})]
    client = client_of("sec_per_op3", api_key="k", username="u", password="p")
    assert list(client.calls.admin_pages()) == ["a", "b"]
    polling = {"Location": server.url + "/jobs/1", "Retry-After": "0"}
    server.replies = [Reply(202, b"", headers=polling), Reply(202, b"", headers=polling)]
    server.replies += [Reply(200, {}), Reply(200, {})]
    client._sleep = lambda seconds: None
    client.calls.begin_start().result()
    paths = [r.path for r in server.requests]
    assert paths[:3] == ["/admin-pages", "/admin-pages", "/jobs"]
    assert len(paths) > 4 and set(paths[3:]) == {"/jobs/1"}  # polled, then done
    basic = {"authorization": _basic("u", "p")}
    assert [_credentials(r) for r in server.requests] == [basic] * len(paths)  # never the key


def test_public_operations_do_not_even_ask_for_a_token(
    client_of: Any, server: Server, built: Built
) -> None:
    calls: list[str] = []

    def token() -> str:
        calls.append("asked")
        return "tok"

    client_of("sec_per_op3", api_key="k", token_provider=token).calls.public()
    assert calls == [] and _credentials(server.requests[0]) == {}


def test_azure_key_and_azure_ad_as_today(
    built: Built, client_of: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _arguments(built, "sec_azure2") == ["api_key", "token_provider"]
    client_of("sec_azure2", api_key="key").things.get()
    client_of("sec_azure2", token_provider=lambda: "aad").things.get()
    client_of("sec_azure2", api_key="key", token_provider=lambda: "aad").things.get()
    monkeypatch.setenv("SEC_TEST_KEY", "env-key")
    client_of("sec_azure2").things.get()
    client_of("sec_azure2", token_provider=lambda: "aad").things.get()  # the key stays unread
    assert [_credentials(r) for r in server.requests] == [
        {"api-key": "key"},
        {"authorization": "Bearer aad"},
        {"api-key": "key", "authorization": "Bearer aad"},
        {"api-key": "env-key"},
        {"authorization": "Bearer aad"},
    ]


def test_names_the_constructor_uses_and_two_basic_schemes(
    built: Built, client_of: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _arguments(built, "sec_names3") == [
        "os_",
        "timeout_",
        "admin_username",
        "admin_password",
        "reader_username",
        "reader_password",
        "token_provider",
    ]
    monkeypatch.setenv("SEC_TEST_KEY", "env-os")
    client_of(
        "sec_names3",
        timeout_="t",
        admin_username="a",
        admin_password="1",
        reader_username="r",
        reader_password="2",
    ).things.get()
    # the first alternative that fills a header wins it: admin before reader
    assert _credentials(server.requests[0]) == {
        "x-os": "env-os",
        "?t": "t",
        "authorization": _basic("a", "1"),
    }


# --------------------------------------------------------------------------- other origins


def test_a_next_link_to_another_origin_gets_no_credential(
    client_of: Any, server: Server, other: Server
) -> None:
    server.on("GET", "/pages", Reply(200, {"value": ["a"], "nextLink": other.url + "/more?x=1"}))
    other.replies.append(Reply(200, {"value": ["b"]}))
    client = client_of("sec_keys3", header_key="h", query_key="q", cookie_key="c")
    assert list(client.things.list()) == ["a", "b"]
    assert _credentials(server.requests[0]) == {
        "x-api-token": "h",
        "?sig": "q",
        "cookie": "session=c",
    }
    (away,) = other.requests
    assert away.raw_path == "/more?x=1"
    assert _credentials(away) == {}


def _redirect_keeping_the_query(other: Server) -> Any:
    return lambda request: Reply(307, b"", headers={"Location": other.url + request.raw_path})


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("sec_keys3", {"header_key": "h", "query_key": "q", "cookie_key": "c"}),
        ("sec_basic3", {"username": "u", "password": "p"}),
        ("sec_bearer3", {"api_key": "k"}),
    ],
)
def test_a_redirect_to_another_origin_takes_no_credential(
    client_of: Any, server: Server, other: Server, name: str, options: dict[str, str]
) -> None:
    """A following http client, and a redirect that keeps the query string (a host move)."""
    server.on("GET", "/things", _redirect_keeping_the_query(other))
    http = httpx.Client(follow_redirects=True)
    try:
        client_of(name, http_client=http, **options).things.get()
    finally:
        http.close()
    assert _credentials(server.requests[0])  # sent home
    (away,) = other.requests
    assert away.path == "/things"
    assert _credentials(away) == {}
    for secret in options.values():
        assert f"={secret}" not in away.raw_path


@pytest.mark.parametrize(
    ("name", "options"),
    [
        (
            "sec_keys3",
            {"header_key": "SECRET-h", "query_key": "SECRET-q", "cookie_key": "SECRET-c"},
        ),
        ("sec_basic3", {"username": "user", "password": "SECRET-p"}),
    ],
)
def test_credentials_echoed_by_the_server_are_redacted(
    built: Built, client_of: Any, server: Server, name: str, options: dict[str, str]
) -> None:
    def echo(request: Recorded) -> Reply:  # a misbehaving proxy echoing the whole request
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        decoded = base64.b64decode(value).decode() if scheme == "Basic" else ""  # user:password
        message = f"{request.raw_path} {request.headers} {decoded}"
        return Reply(401, {"error": {"message": message}})

    server.replies = [echo]
    client = client_of(name, **options)
    with pytest.raises(built.package(name).AuthenticationError) as info:
        client.things.get()
    basic = base64.b64encode(b"user:SECRET-p").decode()
    for text in (str(info.value), info.value.message, repr(client)):
        assert "SECRET" not in text and basic not in text


# --------------------------------------------------------------------------- reading the spec


def test_an_env_fallback_for_no_argument_is_a_configuration_error(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPECS["sec_basic3"])
    job = Job(spec=spec, output=tmp_path / "out", package_name="bad_env", env={"api_key": "K"})
    with pytest.raises(ConfigError, match="'api_key' is not an argument.*username, password"):
        write_job(job)
    assert not (tmp_path / "out").exists()


def test_unsupported_schemes_and_unknown_requirements_are_warned_about(tmp_path: Path) -> None:
    api = ir_of(
        tmp_path,
        openapi(
            """
            Digest: {type: http, scheme: digest}
            Key: {type: apiKey, in: header, name: X-Key}
            """,
            "[{Digest: []}, {Nope: []}, {Key: []}]",
        ),
    )
    assert [s.name for s in api.security] == ["Key"]
    assert api.security_requirement == [["Key"]]
    messages = [d.message for d in api.diagnostics]
    assert any("'digest' is not supported" in m for m in messages)
    assert any("'Nope' is not defined" in m for m in messages)
