"""Two Python surfaces compared: every change, classified by the rule table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ir import MISSING, Api
from .rules import rule, strictest
from .surface import (
    NONE,
    REQUEST,
    RESPONSE,
    Arg,
    Call,
    EnumSurface,
    ModelSurface,
    SchemeSurface,
    Shape,
    Surface,
    surface,
)


@dataclass(frozen=True)
class Change:
    kind: str
    breaking: bool
    http: str | None  # "METHOD /path" of the operation concerned, if any
    python: str | None  # the Python name concerned
    message: str
    when: str = ""  # the rule's condition (see rules.RULES)


def compare(old: Api, new: Api) -> list[Change]:
    """What changed from ``old`` to ``new`` for code written against ``old``'s client."""
    return _Comparison(surface(old), surface(new)).run()


# --------------------------------------------------------------------------- types


def accepts(wide: Shape, narrow: Shape) -> bool:
    """Whether every value of ``narrow`` is a value of ``wide`` (as the annotations read)."""
    if wide == narrow or wide[0] == "any":
        return True
    if narrow[0] == "union":
        return all(accepts(wide, v) for v in narrow[1])
    if wide[0] == "union":
        return any(accepts(w, narrow) for w in wide[1])
    if wide[0] == "prim":
        if narrow == ("prim", "int"):
            return bool(wide[1] == "float")  # an int is a float to a type checker
        if narrow[0] in ("enum", "literal"):
            return bool(narrow[2] == wide[1] or (narrow[2] == "int" and wide[1] == "float"))
        return False
    if wide[0] == narrow[0] and wide[0] in ("list", "dict"):
        return accepts(wide[1], narrow[1])
    return False


def spell(shape: Shape) -> str:
    """A shape as its annotation reads (open enums aside: their openness is its own change)."""
    tag = shape[0]
    if tag == "prim":
        return str(shape[1])
    if tag in ("model", "enum"):
        return str(shape[1])
    if tag == "list":
        return f"list[{spell(shape[1])}]"
    if tag == "dict":
        return f"dict[str, {spell(shape[1])}]"
    if tag == "union":
        return " | ".join(sorted(spell(s) for s in shape[1]))
    if tag == "literal":
        return f"Literal[{shape[1]}]"
    return "None" if tag == "none" else "Any"


# --------------------------------------------------------------------------- comparison


class _Comparison:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(
        self,
        kind: str,
        message: str,
        *,
        when: str | list[str] = "",
        http: str | None = None,
        python: str | None = None,
    ) -> None:
        found = strictest(kind, when) if isinstance(when, list) else rule(kind, when)
        self.changes.append(Change(kind, found.breaking, http, python, message, found.when))

    def run(self) -> list[Change]:
        self._client()
        self._calls()
        self._models()
        self._enums()
        return self.changes

    # ------------------------------------------------------------------ client

    def _client(self) -> None:
        old, new = self.old, self.new
        if old.host != new.host:
            self.add("host-changed", f"host template {old.host!r} -> {new.host!r}")
        for kind, before, after in (
            ("host-parameter", old.host_parameters, new.host_parameters),
            ("client-parameter", old.client_parameters, new.client_parameters),
        ):
            python = "Client({})"
            for name in sorted(after.keys() - before.keys()):
                default = after[name].default is not MISSING
                self.add(
                    f"{kind}-added",
                    f"client argument {name} added" + (" (with a default)" if default else ""),
                    when="with default" if default else "required",
                    python=python.format(name),
                )
            for name in sorted(before.keys() - after.keys()):
                self.add(
                    f"{kind}-removed", f"client argument {name} removed", python=python.format(name)
                )
            for name in sorted(before.keys() & after.keys()):
                was, now = before[name].default, after[name].default
                if kind == "client-parameter" and was != now and now is not MISSING:
                    self.add(
                        "client-parameter-default-changed",
                        f"default of client argument {name} {_value(was)} -> {_value(now)}",
                        python=python.format(name),
                    )
        for args in [a for a in new.schemes if a not in old.schemes]:
            self.add(
                "security-scheme-added",
                f"security scheme {new.schemes[args].name} added ({_scheme(new.schemes[args])})",
                python=_client_args(args),
            )
        for args in [a for a in old.schemes if a not in new.schemes]:
            self.add(
                "security-scheme-removed",
                f"security scheme {old.schemes[args].name} removed ({_scheme(old.schemes[args])})",
                python=_client_args(args),
            )
        for args in [a for a in old.schemes if a in new.schemes]:
            was, now = old.schemes[args], new.schemes[args]
            if (was.kind, was.location, was.parameter) != (now.kind, now.location, now.parameter):
                self.add(
                    "security-scheme-changed",
                    f"security scheme {now.name}: {_scheme(was)} -> {_scheme(now)}",
                    python=_client_args(args),
                )

    # ------------------------------------------------------------------ operations

    def _calls(self) -> None:
        old, new = self.old.calls, self.new.calls
        removed = {k: old[k] for k in old.keys() - new.keys()}
        added = {k: new[k] for k in new.keys() - old.keys()}
        # The same method at another path: one call that moved, not one removed and one added.
        by_python = {c.python: k for k, c in added.items()}
        for key, call in sorted(removed.items()):
            if call.python in by_python:
                moved = added.pop(by_python[call.python])
                self.add(
                    "operation-path-changed",
                    f"{call.python}: {call.http} -> {moved.http}",
                    http=moved.http,
                    python=call.python,
                )
                self._call(call, moved)
                continue
            self.add(
                "operation-removed",
                f"operation {call.http} removed ({call.python})",
                http=call.http,
                python=call.python,
            )
        for key, call in sorted(added.items()):
            self.add(
                "operation-added",
                f"operation {call.http} added ({call.python})",
                http=call.http,
                python=call.python,
            )
        for key in sorted(old.keys() & new.keys()):
            self._call(old[key], new[key])

    def _call(self, was: Call, now: Call) -> None:
        http, python = now.http, now.python

        def add(kind: str, message: str, when: str = "", name: str | None = None) -> None:
            self.add(
                kind,
                f"{python}: {message}",
                when=when,
                http=http,
                python=f"{python}({name})" if name else python,
            )

        if was.python != now.python:
            add("operation-renamed", f"was {was.python}")
            python = was.python  # what the old code calls
        if now.deprecated and not was.deprecated:
            add("operation-deprecated", "deprecated")
        if was.paging != now.paging:
            add("operation-paging-changed", "now pages" if now.paging else "no longer pages")
        if was.long_running != now.long_running:
            add(
                "operation-long-running-changed",
                "now long-running" if now.long_running else "no longer long-running",
            )
        self._args(was, now, add)
        if was.request_content_type != now.request_content_type and was.request_content_type:
            add(
                "request-content-type-changed",
                f"request body {was.request_content_type} -> {now.request_content_type or 'none'}",
            )
        if was.returns != now.returns:
            narrowed = accepts(was.returns, now.returns) and now.returns != NONE
            add(
                "response-type-changed",
                f"returns {spell(was.returns)} -> {spell(now.returns)}",
                when="narrowed" if narrowed or was.returns == NONE else "widened or different",
            )
        if was.response_content_types != now.response_content_types:
            add(
                "response-content-type-changed",
                f"response content {', '.join(was.response_content_types) or 'none'}"
                f" -> {', '.join(now.response_content_types) or 'none'}",
            )
        if (was.stream_events is None) != (now.stream_events is None):
            if now.stream_events is None:
                add("streaming-removed", "no longer streams (stream=True)")
            else:
                add("streaming-added", "streams with stream=True")
        elif was.stream_events is not None and was.stream_events != now.stream_events:
            assert now.stream_events is not None
            narrowed = accepts(was.stream_events, now.stream_events)
            add(
                "response-type-changed",
                f"stream events {spell(was.stream_events)} -> {spell(now.stream_events)}",
                when="narrowed" if narrowed else "widened or different",
            )

    def _args(self, was: Call, now: Call, add: Callable[..., None]) -> None:
        before, after = was.args, now.args
        for name in [n for n in after if n not in before]:
            arg = after[name]
            add(
                "parameter-added",
                f"{'required' if arg.required else 'optional'} argument {name}"
                f" ({_where(arg)}) added",
                "required" if arg.required else "optional",
                name,
            )
        for name in [n for n in before if n not in after]:
            add("parameter-removed", f"argument {name} ({_where(before[name])}) removed", "", name)
        for name in [n for n in before if n in after]:
            old, new = before[name], after[name]
            if old.location != new.location or old.wire != new.wire:
                add("parameter-moved", f"argument {name}: {_where(old)} -> {_where(new)}", "", name)
            if old.required != new.required:
                kind = "parameter-made-required" if new.required else "parameter-made-optional"
                add(kind, f"argument {name} made {'required' if new.required else 'optional'}",
                    "", name)  # fmt: skip
            if old.type != new.type:
                add(
                    "parameter-type-changed",
                    f"argument {name}: {spell(old.type)} -> {spell(new.type)}",
                    "widened" if accepts(new.type, old.type) else "narrowed or different",
                    name,
                )
        kept = [n for n in was.positional if n in now.positional]
        if kept != [n for n in now.positional if n in was.positional]:
            add(
                "parameter-reordered",
                f"positional arguments ({', '.join(was.positional)}) -> "
                f"({', '.join(now.positional)})",
            )

    # ------------------------------------------------------------------ models

    def _models(self) -> None:
        old, new = self.old.models, self.new.models
        for name in sorted(new.keys() - old.keys()):
            self.add("model-added", f"model {name} added", python=name)
        for name in sorted(old.keys() - new.keys()):
            self.add("model-removed", f"model {name} removed", python=name)
        for name in sorted(old.keys() & new.keys()):
            self._model(old[name], new[name])

    def _model(self, was: ModelSurface, now: ModelSurface) -> None:
        sides = sorted(self.old.side_of(was.name) | self.new.side_of(now.name))
        for base in [b for b in now.bases if b not in was.bases]:
            self.add("model-base-added", f"model {now.name} now extends {base}", python=now.name)
        for base in [b for b in was.bases if b not in now.bases]:
            self.add(
                "model-base-removed", f"model {now.name} no longer extends {base}", python=now.name
            )
        for name in [n for n in now.fields if n not in was.fields]:
            f = now.fields[name]
            self.add(
                "field-added",
                f"{'required' if f.required else 'optional'} field {now.name}.{name} added",
                when=[
                    (
                        (f"request, {'required' if f.required else 'optional'}")
                        if side == REQUEST
                        else RESPONSE
                    )
                    for side in sides
                ],
                python=f"{now.name}.{name}",
            )
        for name in [n for n in was.fields if n not in now.fields]:
            self.add(
                "field-removed", f"field {now.name}.{name} removed", python=f"{now.name}.{name}"
            )
        for name in [n for n in was.fields if n in now.fields]:
            before, after = was.fields[name], now.fields[name]
            python = f"{now.name}.{name}"
            if before.type != after.type:
                self.add(
                    "field-type-changed",
                    f"field {python}: {spell(before.type)} -> {spell(after.type)}",
                    when=[_direction(side, before.type, after.type) for side in sides],
                    python=python,
                )
            if before.required != after.required:
                kind = "field-made-required" if after.required else "field-made-optional"
                self.add(kind, f"field {python} {kind[6:].replace('-', ' ')}",
                         when=sides, python=python)  # fmt: skip
            if before.nullable != after.nullable:
                kind = "field-made-nullable" if after.nullable else "field-made-non-nullable"
                self.add(kind, f"field {python} {kind[6:].replace('-', ' ')}",
                         when=sides, python=python)  # fmt: skip

    # ------------------------------------------------------------------ enums

    def _enums(self) -> None:
        old, new = self.old.enums, self.new.enums
        for name in sorted(new.keys() - old.keys()):
            self.add("enum-added", f"enum {name} added", python=name)
        for name in sorted(old.keys() - new.keys()):
            self.add("enum-removed", f"enum {name} removed", python=name)
        for name in sorted(old.keys() & new.keys()):
            self._enum(old[name], new[name])

    def _enum(self, was: EnumSurface, now: EnumSurface) -> None:
        sides = sorted(self.old.side_of(was.name) | self.new.side_of(now.name))
        name = now.name
        for value in [v for v in now.members if v not in was.members]:
            member = f"{name}.{now.members[value]}"
            self.add(
                "enum-value-added",
                f"enum value {value!r} added ({member})",
                when=[
                    (
                        REQUEST
                        if side == REQUEST
                        else f"response, {'open' if was.open else 'closed'} enum"
                    )
                    for side in sides
                ],
                python=member,
            )
        for value in [v for v in was.members if v not in now.members]:
            member = f"{name}.{was.members[value]}"
            self.add(
                "enum-value-removed", f"enum value {value!r} removed ({member})", python=member
            )
        for value in [v for v in was.members if v in now.members]:
            if was.members[value] != now.members[value]:
                self.add(
                    "enum-value-renamed",
                    f"enum value {value!r}: {name}.{was.members[value]} -> "
                    f"{name}.{now.members[value]}",
                    python=f"{name}.{was.members[value]}",
                )
        if was.open != now.open:
            kind = "enum-opened" if now.open else "enum-closed"
            state = "open (unknown values kept as strings)" if now.open else "closed"
            self.add(kind, f"enum {name} made {state}", when=sides, python=name)


def _direction(side: str, before: Shape, after: Shape) -> str:
    if side == REQUEST:
        return f"request, {'widened' if accepts(after, before) else 'narrowed or different'}"
    return f"response, {'narrowed' if accepts(before, after) else 'widened or different'}"


def _where(arg: Arg) -> str:
    if arg.location == "body":
        return "body"
    if arg.location == "member":
        return f"body member {arg.wire!r}"
    return f"{arg.location} {arg.wire!r}"


def _value(value: Any) -> str:
    return "none" if value is MISSING else repr(value)


def _client_args(arguments: tuple[str, ...]) -> str:
    return f"Client({', '.join(arguments)})"


def _scheme(scheme: SchemeSurface) -> str:
    if scheme.kind == "api_key":
        return f"api key in {scheme.location} {scheme.parameter!r}"
    names = {"bearer": "bearer token", "basic": "HTTP basic", "oauth2": "OAuth2"}
    return names.get(scheme.kind, scheme.kind)
