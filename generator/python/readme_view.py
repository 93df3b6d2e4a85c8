"""The examples of a generated README, as finished code: for every operation group a real call
with real argument values (the spec's examples where it gives them, else values made from the
types), and one call per feature (streaming, uploads, downloads, pagers, pollers, raw
responses, errors, async).

Every example call is written by ``render_call``: the one place that decides how arguments
reach a method. ``example_value`` also makes the wire JSON of a type, which a test's local
server answers with, so that every README block runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ir import (
    MISSING,
    AnyType,
    Api,
    Binary,
    DictType,
    EnumRef,
    ListType,
    LiteralType,
    ModelRef,
    Operation,
    Parameter,
    Primitive,
    TypeExpr,
    UnionType,
)
from .format import format_snippet
from .literals import py_literal

# A missing resource: the errors example asks for it (a test's server answers 404).
MISSING_ID = "does-not-exist"
_FILE = '("example.jsonl", b\'{"prompt": "Hello", "completion": "Hi"}\\n\')'
_PRIMITIVES: dict[str, Any] = {"int": 1, "float": 0.5, "bool": True}
_FORMATS: dict[str, Any] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "unixtime": 1704067200,
}
_DEPTH = 4  # nested models deeper than this are left out (cycles, huge examples)


@dataclass
class GroupCall:
    attribute: str  # client.<attribute>
    doc: str  # one line
    code: str  # runnable, `client` in scope


@dataclass
class ReadmeView:
    setup: str  # imports and `client = Client(...)`
    groups: list[GroupCall] = field(default_factory=list)
    async_main: str = ""  # a whole program: an awaited call on an AsyncClient
    stream: str = ""  # a `with ... as events:` block
    upload: str = ""
    download: str = ""
    pager: str = ""
    poller: str = ""
    raw: str = ""
    errors: str = ""  # a call in `try:`, its ApiError caught ("" when the API has no call)


def build_readme_view(api: Api, package: str, env: dict[str, str]) -> ReadmeView:
    values = _Values(api)
    arguments, imports = _constructor(api, env)
    view = ReadmeView(
        formatted(f"{imports}from {package} import Client\n\nclient = Client({arguments})")
    )
    async_call = ""
    for group in api.groups:
        if not group.operations:
            continue
        op = _representative(group.operations)
        prefix = f"client.{group.py_name}." if group.name else "client."
        methods = ", ".join(f"`{o.py_name}()`" for o in group.operations)
        view.groups.append(
            GroupCall(
                attribute=f"client.{group.py_name}" if group.name else "client",
                doc=methods,
                code=_use(op, prefix, values),
            )
        )
        if not async_call and op.paging is None and op.long_running is None:
            async_call = f"result = await {values.call(op, prefix)}\n        print(result)"
    error_call = ""  # a call naming a resource that does not exist (404)
    for group, op in ((g, op) for g in api.groups for op in g.operations):
        prefix = f"client.{group.py_name}." if group.name else "client."
        _features(view, op, prefix, values)
        path = [p for p in op.arguments() if p.location == "path"]
        plain = op.paging is None and op.long_running is None
        if plain and path and path[0].type == Primitive("str") and not error_call:
            error_call = values.call(op, prefix, missing=path[0].py_name)
    view.errors = _errors_example(package, error_call, view.groups)
    view.async_main = formatted(
        f"import asyncio\n{imports}\nfrom {package} import AsyncClient\n\n\n"
        "async def main() -> None:\n"
        f"    async with AsyncClient({arguments}) as client:\n"
        f"        {async_call or 'print(client)'}\n\n\nasyncio.run(main())"
    )
    return view


def render_call(target: str, positional: list[str], keyword: list[tuple[str, str]]) -> str:
    """``target(positional..., name=value...)``: how every example passes its arguments."""
    args = positional + [f"{name}={value}" for name, value in keyword]
    return f"{target}({', '.join(args)})"


def example_value(api: Api, type_: TypeExpr, *, optional: bool = False) -> Any:
    """The wire JSON of a plausible value of ``type_``: required members only, or
    ``optional`` ones too (near the top: a full answer, as a service would send)."""
    return _Values(api, optional=optional).wire(type_, 0)


def formatted(code: str) -> str:
    """Code as black writes it, laid out as the generated package is (``format_python``:
    black itself is imported only for a line of a shape the layout does not know)."""
    return format_snippet(code + "\n").rstrip("\n")


# --------------------------------------------------------------------------- choices


def _representative(operations: list[Operation]) -> Operation:
    """The group's most telling call: a plain one (no pager, poller, upload or download),
    with a body or else a path argument if there is one."""
    plain = [
        op
        for op in operations
        if op.paging is None
        and op.long_running is None
        and not _is_upload(op)
        and not _returns_binary(op)
    ]
    with_body = [op for op in plain if op.body is not None]
    with_path = [op for op in plain if any(p.location == "path" for p in op.arguments())]
    return (with_body or with_path or plain or operations)[0]


def _is_upload(op: Operation) -> bool:
    return op.body is not None and any(f.is_file for f in op.body.form_fields)


def _returns_binary(op: Operation) -> bool:
    return any(r.kind == "binary" and r.status.startswith("2") for r in op.responses)


def _use(op: Operation, prefix: str, values: _Values) -> str:
    call = values.call(op, prefix)
    if op.paging is not None:
        return formatted(f"for item in {call}:\n    print(item)")
    if op.long_running is not None:
        return formatted(f"result = {call}.result(timeout=600)\nprint(result)")
    return formatted(f"result = {call}\nprint(result)")


def _features(view: ReadmeView, op: Operation, prefix: str, values: _Values) -> None:
    call = values.call(op, prefix)
    plain = op.paging is None and op.long_running is None
    if op.streaming and op.stream_type is not None and not view.stream:
        streamed = values.call(op, prefix, extra=[("stream", "True")])
        view.stream = formatted(
            f"with {streamed} as events:\n    for event in events:\n        print(event)"
        )
    if _is_upload(op) and not view.upload:
        view.upload = formatted(f"uploaded = {call}\nprint(uploaded)")
    if _returns_binary(op) and op.py_streamed_name and not view.download:
        whole = formatted(f"content = {call}\nprint(len(content))")
        streamed = values.call(op, prefix, method=op.py_streamed_name)
        view.download = (
            whole
            + "\n\n"
            + formatted(f'with {streamed} as download:\n    download.write_to("downloaded.bin")')
        )
    if op.paging is not None and not view.pager:
        view.pager = formatted(
            f"for item in {call}:\n    print(item)\n\n"
            f"pages = {call}.by_page()\nfirst_page = next(pages)\n"
            "token = pages.continuation_token  # None after the last page\n"
            f"if token is not None:\n    rest = list({call}.by_page(token))"
        )
    if op.long_running is not None and not view.poller:
        resumed = values.call(op, prefix, extra=[("continuation_token", "token")])
        view.poller = formatted(
            f"poller = {call}\ntoken = poller.continuation_token()\n"
            f"result = {resumed}.result(timeout=600)\nprint(poller.status(), result)"
        )
    if plain and not view.raw and not (op.streaming and op.stream_type is not None):
        raw = values.call(op, prefix + "with_raw_response.")
        view.raw = formatted(
            f"raw = {raw}\nprint(raw.status_code, raw.request_id)\nresult = raw.parse()"
        )


def _errors_example(package: str, error_call: str, groups: list[GroupCall]) -> str:
    if error_call:
        body = (
            f"    {error_call}\nexcept NotFoundError as exc:\n"
            '    print("not found:", exc.request_id, exc.error)\n'
        )
        names = "ApiError, NotFoundError"
    elif groups:
        body = "".join(f"    {line}\n" for line in groups[0].code.splitlines())
        names = "ApiError"
    else:
        return ""
    return formatted(
        f"from {package} import {names}\n\ntry:\n{body}except ApiError as exc:\n"
        "    print(exc.status_code, exc.request_id, exc.error)"
    )


# --------------------------------------------------------------------------- values


class _Values:
    """Example values: Python source for arguments, wire JSON for bodies."""

    def __init__(self, api: Api, *, optional: bool = False) -> None:
        self.models = {m.id: m for m in api.models}
        self.enums = {e.id: e for e in api.enums}
        self.optional = optional  # optional members too, down to depth 2

    def call(
        self,
        op: Operation,
        prefix: str,
        *,
        method: str = "",
        extra: list[tuple[str, str]] | None = None,
        missing: str = "",
    ) -> str:
        positional: list[str] = []
        keyword: list[tuple[str, str]] = []
        for p in op.arguments():
            if p.location == "path":
                value = MISSING_ID if p.py_name == missing else self.parameter(p)
                positional.append(py_literal(value))
            elif p.required:
                keyword.append((p.py_name, py_literal(self.parameter(p))))
        body = op.body
        if body is not None and body.kind in ("multipart", "form"):
            for part in body.form_fields:
                if part.required or part.is_file:
                    value = _FILE if part.is_file else py_literal(self.wire(part.type, 0))
                    keyword.append((part.py_name, value))
        elif body is not None and body.kind == "json" and body.type is not None:
            payload = body.example if body.example is not MISSING else self.wire(body.type, 0)
            if body.py_members and isinstance(payload, dict):  # member by member, as users call
                made = self.wire(body.type, 0)  # the required members an example leaves out
                if isinstance(body.type, ModelRef) and isinstance(made, dict):
                    needed = {f.name for f in self._all(body.type.id) if f.required}
                    payload = payload | {
                        k: v for k, v in made.items() if k in needed and k not in payload
                    }
                keyword += [
                    (body.py_members[wire], py_literal(value))
                    for wire, value in payload.items()
                    if wire in body.py_members
                ]
            else:
                keyword.append((body.py_name, py_literal(payload)))
        elif body is not None and body.required:
            keyword.append((body.py_name, 'b"example"' if body.kind == "binary" else '"example"'))
        return render_call(prefix + (method or op.py_name), positional, keyword + (extra or []))

    def parameter(self, p: Parameter) -> Any:
        if p.example is not MISSING and _fits(p.type, p.example):
            return p.example
        if p.default is not MISSING:
            return p.default
        if isinstance(p.type, Primitive) and p.type.name == "str" and not p.type.format:
            return "my-" + p.name.lower().replace("_", "-")
        return self.wire(p.type, 0)

    def wire(self, t: TypeExpr, depth: int) -> Any:
        if isinstance(t, Primitive):
            if t.format in _FORMATS:
                return _FORMATS[t.format]
            return _PRIMITIVES.get(t.name, "example")
        if isinstance(t, LiteralType):
            return t.value
        if isinstance(t, EnumRef):
            values = self.enums[t.id].values
            return values[0].value if values else "example"
        if isinstance(t, ListType):
            return [self.wire(t.item, depth + 1)]
        if isinstance(t, DictType):
            return {"key": self.wire(t.value, depth + 1)}
        if isinstance(t, UnionType):
            return self.wire(t.variants[0], depth) if t.variants else {}
        if isinstance(t, ModelRef):
            return self.model(t.id, depth)
        if isinstance(t, (Binary, AnyType)):
            return "example"
        return "example"

    def model(self, model_id: str, depth: int) -> dict[str, Any]:
        model = self.models[model_id]
        fields = [f for base in model.bases if base in self.models for f in self._all(base)]
        fields += model.fields
        value: dict[str, Any] = {}
        for f in fields:
            wanted = f.required or (self.optional and depth < 2)
            if not wanted or (f.read_only and not self.optional) or depth >= _DEPTH:
                continue
            if f.default is not MISSING:
                value[f.name] = f.default
            else:
                value[f.name] = self.wire(f.type, depth + 1)
        if model.discriminator_value is not None:
            for base in model.bases:
                discriminator = self.models[base].discriminator if base in self.models else None
                if discriminator is not None:
                    value[discriminator.property] = model.discriminator_value
        return value

    def _all(self, model_id: str) -> list[Any]:
        model = self.models[model_id]
        inherited = [f for b in model.bases if b in self.models for f in self._all(b)]
        return inherited + model.fields


def _fits(t: TypeExpr, value: Any) -> bool:
    """Whether an example matches its declared type (specs give "2024-02-01T00:00:00Z" as
    the example of an api-version whose enum says otherwise)."""
    if isinstance(t, Primitive):
        kinds: dict[str, type | tuple[type, ...]] = {
            "str": str, "int": int, "float": (int, float), "bool": bool
        }  # fmt: skip
        return isinstance(value, kinds.get(t.name, object))
    return not isinstance(t, (EnumRef, LiteralType))


def _constructor(api: Api, env: dict[str, str]) -> tuple[str, str]:
    """Client arguments read from the environment variables the client itself falls back
    to, so that the README runs wherever they are set; literal values otherwise."""
    args: list[str] = []
    uses_env = False
    for p in api.host_parameters:
        if p.default is not MISSING:
            continue
        if p.py_name in env:
            args.append(f"{p.py_name}=os.environ[{py_literal(env[p.py_name])}]")
            uses_env = True
        else:
            args.append(f'{p.py_name}="https://example.com"')
    names = [n for s in api.security for n in s.py_names if n != "token_provider"]
    for name in dict.fromkeys(names):
        if name in env:
            args.append(f"{name}=os.environ[{py_literal(env[name])}]")
            uses_env = True
        else:
            args.append(f'{name}="my-{name.replace("_", "-")}"')
    return ", ".join(args), "import os\n\n" if uses_env else ""
