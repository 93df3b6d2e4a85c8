"""Python spelling of IR type expressions: annotations, and the straight-line expressions that
decode a JSON value into them and encode them back.

An expression builder returns ``None`` when the JSON value passes through untouched, so the
generated code never rebuilds a list of floats element by element.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..ir import (
    AnyType,
    Binary,
    DictType,
    Enum,
    EnumRef,
    Field,
    ListType,
    LiteralType,
    Model,
    ModelRef,
    Primitive,
    TypeExpr,
    UnionType,
)
from .literals import py_literal

_FORMAT_ANNOTATIONS = {
    "date-time": "datetime",
    "unixtime": "datetime",
    "date": "date",
    "byte": "bytes",
}
_DECODERS = {
    "date-time": "_serde.parse_datetime",
    "unixtime": "_serde.from_unixtime",
    "date": "_serde.parse_date",
    "byte": "_serde.b64decode",
}
_ENCODERS = {
    "date-time": "_serde.format_datetime",
    "unixtime": "_serde.to_unixtime",
    "date": "_serde.format_date",
    "byte": "_serde.b64encode",
}
# Encoders of model members (to_dict): a value of another type (kept by the lenient decoders
# below) is written as it is.
_LENIENT_ENCODERS = {
    "date-time": "_serde.datetime_out",
    "unixtime": "_serde.unixtime_out",
    "date": "_serde.date_out",
    "byte": "_serde.b64_out",
}
# Decoders of model members: a value of another JSON type (None too) is returned as is.
_LENIENT_DECODERS = {
    "date-time": "_serde.datetime_or_value",
    "unixtime": "_serde.unixtime_or_value",
    "date": "_serde.date_or_value",
    "byte": "_serde.b64_or_value",
}
# The JSON shapes a variant accepts, for choosing among union members when decoding.
# The Python types of a JSON value, as a tuple's contents: a lone type keeps its comma, two
# do not (a trailing comma there would make black explode the tuple).
_JSON_SHAPES = {"str": "str,", "int": "int,", "float": "int, float", "bool": "bool,"}


@dataclass
class TypeNames:
    """Looks up the declarations that type expressions refer to."""

    models: dict[str, Model]
    enums: dict[str, Enum]
    to_dict_args: str = ""  # arguments a nested model's to_dict() gets (inside a to_dict())
    # builtins and imports a class body hides (a method `list`, a field `bytes`)
    shadowed: frozenset[str] = frozenset()
    builtins: str = "builtins."  # how code reaches the builtins module there
    # Decoding inside the models package: open enums look their values up in value maps.
    in_models: bool = False
    # Prefix of the classes named in code that runs (not in annotations): "_models." where
    # the models package is imported as a module, each model being loaded on first use.
    qualifier: str = ""

    def member_map(self, enum: Enum) -> str:
        """The models module's ``value -> member`` map of an open enum: a dict lookup costs
        about a third of an ``open_enum`` call (0.08 against 0.22 µs), and a list of 10,000
        files makes 30,000 of them."""
        return f"_{enum.py_name}_members"

    def all_fields(self, model_id: str) -> list[Field]:
        """A model's fields, inherited ones first."""
        model = self.models[model_id]
        inherited = [
            f for base in model.bases if base in self.models for f in self.all_fields(base)
        ]
        own = {f.name for f in model.fields}
        return [f for f in inherited if f.name not in own] + model.fields

    # ------------------------------------------------------------------ annotations

    def annotation(self, t: TypeExpr) -> str:
        if isinstance(t, Primitive):
            return self._builtin(_FORMAT_ANNOTATIONS.get(t.format, t.name))
        if isinstance(t, Binary):
            return self._builtin("bytes")
        if isinstance(t, ListType):
            return f"{self._builtin('list')}[{self.annotation(t.item)}]"
        if isinstance(t, DictType):
            return f"{self._builtin('dict')}[{self._builtin('str')}, {self.annotation(t.value)}]"
        if isinstance(t, UnionType):
            return " | ".join(dict.fromkeys(self.annotation(v) for v in t.variants))
        if isinstance(t, ModelRef):
            return self.models[t.id].py_name
        if isinstance(t, EnumRef):
            enum = self.enums[t.id]
            return f"{enum.py_name} | {self._builtin(enum.base)}" if enum.open else enum.py_name
        if isinstance(t, LiteralType):
            return f"Literal[{py_literal(t.value)}]"
        return "Any"

    def argument(self, t: TypeExpr) -> str:
        """The annotation of a value the caller passes: a model may be given as a plain
        mapping at any depth, and lists and maps are read-only (covariant) views, so that a
        ``list[Message]`` is accepted where ``Sequence[Message | Mapping[str, Any]]`` is due."""
        if isinstance(t, ModelRef):
            return f"{self.models[t.id].py_name} | Mapping[str, Any]"
        if isinstance(t, ListType):
            return f"Sequence[{self.argument(t.item)}]"
        if isinstance(t, DictType):
            return f"Mapping[{self._builtin('str')}, {self.argument(t.value)}]"
        if isinstance(t, UnionType):
            return " | ".join(dict.fromkeys(self.argument(v) for v in t.variants))
        return self.annotation(t)

    def uses_argument(self, t: TypeExpr, found: set[str]) -> None:
        """The names ``argument(t)`` needs besides those of ``annotation(t)``."""
        self.uses(t, found)
        if isinstance(t, ModelRef):
            found.update({"Mapping", "Any"})
        elif isinstance(t, ListType):
            found.add("Sequence")
            self.uses_argument(t.item, found)
        elif isinstance(t, DictType):
            found.add("Mapping")
            self.uses_argument(t.value, found)
        elif isinstance(t, UnionType):
            for v in t.variants:
                self.uses_argument(v, found)

    def _builtin(self, name: str) -> str:
        """``name``, or where a class body binds it (a field ``bytes``, ``date``), the same
        object reached through its module."""
        if name not in self.shadowed:
            return name
        return f"_dt.{name}" if name in ("date", "datetime") else f"{self.builtins}{name}"

    def uses(self, t: TypeExpr, found: set[str]) -> None:
        """Collect the names a type's annotation and codecs need imported."""
        if isinstance(t, Primitive):
            if t.format in _FORMAT_ANNOTATIONS:
                found.add(_FORMAT_ANNOTATIONS[t.format])
            if t.format in _DECODERS:
                found.add("_serde")
        elif isinstance(t, ListType):
            self.uses(t.item, found)
        elif isinstance(t, DictType):
            self.uses(t.value, found)
        elif isinstance(t, UnionType):
            found.add("_serde")
            for v in t.variants:
                self.uses(v, found)
        elif isinstance(t, ModelRef):
            found.add(self.models[t.id].py_name)
        elif isinstance(t, EnumRef):
            found.add(self.enums[t.id].py_name)
            if self.enums[t.id].open:
                found.add("_serde")
        elif isinstance(t, LiteralType):
            found.add("Literal")
        elif isinstance(t, AnyType):
            found.add("Any")

    # ------------------------------------------------------------------ decoding

    def decoder(self, t: TypeExpr) -> Callable[[str], str] | None:
        """A function from a source expression to its decoded value, or None for "as is"."""
        if isinstance(t, Primitive):
            name = _DECODERS.get(t.format)
            return (lambda src: f"{name}({src})") if name else None
        if isinstance(t, ModelRef):
            cls = self.qualifier + self.models[t.id].py_name
            return lambda src: f"{cls}.from_dict({src})"
        if isinstance(t, EnumRef):
            enum = self.enums[t.id]
            name = self.qualifier + enum.py_name
            if enum.open and self.in_models:
                return lambda src: f"{self.member_map(enum)}.get({src}, {src})"
            if enum.open:
                return lambda src: f"_serde.open_enum({name}, {src})"
            return lambda src: f"{name}({src})"
        if isinstance(t, ListType):
            item = self.decoder(t.item)
            if item is None:
                return None
            return lambda src: f"[{item('v')} for v in {src}]"
        if isinstance(t, DictType):
            inner = self.decoder(t.value)
            if inner is None:
                return None
            return lambda src: f"{{k: {inner('v')} for k, v in {src}.items()}}"
        if isinstance(t, UnionType):
            options = [(self._shape(v), self.decoder(v)) for v in t.variants]
            if all(dec is None for _, dec in options):
                return None
            parts = ", ".join(
                f"(({shape}), {self._callable(v)})" for v, (shape, _) in zip(t.variants, options)
            )
            if t.discriminator is not None:
                tag = py_literal(t.discriminator.property)
                members = ", ".join(
                    f"{py_literal(value)}: {self.qualifier}{self.models[model_id].py_name}.from_dict"
                    for value, model_id in t.discriminator.mapping.items()
                )
                return lambda src: f"_serde.decode_tagged({src}, {tag}, {{{members}}}, {parts})"
            return lambda src: f"_serde.decode_union({src}, {parts})"
        return None

    def _callable(self, t: TypeExpr) -> str:
        """A decoder as a callable; a model's own ``from_dict`` lets the union decoder rank
        candidate models by how many of their keys the value has."""
        if isinstance(t, ModelRef):
            return f"{self.qualifier}{self.models[t.id].py_name}.from_dict"
        dec = self.decoder(t)
        return f"lambda v: {dec('v') if dec else 'v'}"

    def _shape(self, t: TypeExpr) -> str:
        if isinstance(t, Primitive):
            return "str," if t.format in _DECODERS else _JSON_SHAPES[t.name]
        if isinstance(t, (ModelRef, DictType)):
            return "dict,"
        if isinstance(t, ListType):
            return "list,"
        if isinstance(t, EnumRef):
            return _JSON_SHAPES.get(self.enums[t.id].base, "str,")
        return "object,"

    def lenient(self, t: TypeExpr, src: str, var: str = "v", depth: int = 0) -> str:
        """A model member's decoding, as forgiving as the services are: ``src`` (evaluated
        once, bound to ``var`` where it is read twice) is decoded where it has the JSON shape
        the spec declares, and kept as received otherwise (None, a missing member, a string
        where a number was declared...).  Only a malformed date or base64 string raises."""
        bind = var if src == var else f"({var} := {src})"
        if isinstance(t, Primitive):
            name = _LENIENT_DECODERS.get(t.format)
            return f"{name}({src})" if name else src
        if isinstance(t, ModelRef):
            cls = self.qualifier + self.models[t.id].py_name
            return f"{cls}.from_dict({var}) if isinstance({bind}, dict) else {var}"
        if isinstance(t, EnumRef):
            enum = self.enums[t.id]
            shape = _value_shape(enum)
            return f"{self.member_map(enum)}.get({var}, {var}) if isinstance({bind}, {shape}) else {var}"
        if isinstance(t, (ListType, DictType)):
            inner_type = t.item if isinstance(t, ListType) else t.value
            helper = self._lenient_helper(t, inner_type, src) if depth == 0 else None
            if helper:  # a call reads better (and stays on a line) where a comprehension nests
                return helper
            item = "x" if depth == 0 else f"x{depth + 1}"
            inner = self.lenient(inner_type, item, item, depth + 1)
            if inner == item:
                return src
            if isinstance(t, ListType):
                return f"[{inner} for {item} in {var}] if isinstance({bind}, list) else {var}"
            return (
                f"{{k: {inner} for k, {item} in {var}.items()}} "
                f"if isinstance({bind}, dict) else {var}"
            )
        if isinstance(t, UnionType):
            dec = self.decoder(t)
            return dec(src) if dec else src
        return src

    def _lenient_helper(self, t: TypeExpr, item: TypeExpr, src: str) -> str | None:
        """``_serde``'s lenient decoding of a list or map of models or enum values."""
        kind = "list" if isinstance(t, ListType) else "dict"
        if isinstance(item, ModelRef):
            return f"_serde.model_{kind}({src}, {self.qualifier}{self.models[item.id].py_name})"
        if isinstance(item, EnumRef):
            enum = self.enums[item.id]
            return f"_serde.enum_{kind}({src}, {self.member_map(enum)}, {_value_shape(enum)})"
        return None

    def decode(self, t: TypeExpr, src: str, nullable: bool = False) -> str:
        dec = self.decoder(t)
        if dec is None:
            return src
        if nullable:
            return f"None if {src} is None else {dec(src)}"
        return dec(src)

    # ------------------------------------------------------------------ encoding

    def encoder(self, t: TypeExpr) -> Callable[[str], str] | None:
        if isinstance(t, Primitive):
            name = _ENCODERS.get(t.format)
            return (lambda src: f"{name}({src})") if name else None
        if isinstance(t, ModelRef):
            return lambda src: f"{src}.to_dict({self.to_dict_args})"
        if isinstance(t, ListType):
            item = self.encoder(t.item)
            if item is None:
                return None
            return lambda src: f"[{item('v')} for v in {src}]"
        if isinstance(t, DictType):
            inner = self.encoder(t.value)
            if inner is None:
                return None
            return lambda src: f"{{k: {inner('v')} for k, v in {src}.items()}}"
        if isinstance(t, UnionType):
            if all(self.encoder(v) is None for v in t.variants):
                return None
            return lambda src: f"_serde.to_json({src})"
        return None  # enums are str/int subclasses: JSON writes their value as is

    def lenient_encode(self, t: TypeExpr, src: str) -> str:
        """A model member written back by ``to_dict``: encoded where it holds what its type
        says, written as it is where the lenient decoding kept a value of another type (or
        None).  ``src`` is evaluated once."""
        if isinstance(t, Primitive):
            name = _LENIENT_ENCODERS.get(t.format)
            return f"{name}({src})" if name else src
        if isinstance(t, ModelRef):
            args = f", {self.to_dict_args}" if self.to_dict_args else ""
            return f"_serde.model_out({src}{args})"
        if isinstance(t, (ListType, DictType)):
            item_type = t.item if isinstance(t, ListType) else t.value
            kind = "list" if isinstance(t, ListType) else "dict"
            if isinstance(item_type, ModelRef):
                args = f", {self.to_dict_args}" if self.to_dict_args else ""
                return f"_serde.model_{kind}_out({src}{args})"
            inner = self.lenient_encode(item_type, "v")
            if inner == "v":
                return src
            item = inner.removesuffix("(v)") if inner.endswith("(v)") else f"lambda v: {inner}"
            return f"_serde.{kind}_out({src}, {item})"
        return self.encode(t, src)  # unions encode through _serde.to_json, which is lenient

    def encode(self, t: TypeExpr, src: str, nullable: bool = False) -> str:
        enc = self.encoder(t)
        if enc is None:
            return src
        if nullable:
            return f"None if {src} is None else {enc(src)}"
        return enc(src)


def _value_shape(enum: Enum) -> str:
    """The JSON type(s) of an enum's values, as the second argument of ``isinstance``."""
    shape = _JSON_SHAPES.get(enum.base, "str,").rstrip(",")
    return f"({shape})" if "," in shape else shape
