"""Load a Swagger 2.0 / OpenAPI 3.0 spec: parse it, check every ``$ref``, validate it.

``load_spec`` returns a ``Spec`` whose documents hold plain JSON-like data (dict, list, str,
int, float, bool, None).  ``$ref``s are *not* inlined: consumers follow them lazily with
``Spec.resolve`` / ``Spec.deref``, so recursive schemas cost nothing.

Decisions worth knowing:

* Mapping keys are always ``str``: a YAML key is its scalar text as written, so ``200:`` reads
  as ``"200"`` (not the int 200) and ``yes:`` as ``"yes"`` -- the same data JSON would give.
  Values follow YAML 1.2 (as the specs require), not PyYAML's 1.1: dates stay strings
  (``version: 2024-02-01``) and only true/false are booleans (``yes``/``no``/``on``/``off``
  stay strings).
* Only files inside the root file's folder are ever read.  Remote refs (``http:``, ``https:``,
  ``//host``, ``file:``, any URL scheme) and refs leaving the folder (``../``, absolute paths,
  symlinks pointing outside) are refused before anything is opened.
* Every ``$ref`` of every loaded document is checked before validation, so the validator
  only ever sees documents we already loaded (it is handed them; it never opens a file or a
  socket itself).  Refs under ``x-ms-examples`` only get an existence check, and a missing
  example file is a warning: example contents are never needed.  So is a dangling ref among
  the ``x-ms-parameterized-host`` parameters (the host template names the parameter anyway).
* Line numbers are computed only when a diagnostic is made (the text is re-scanned then);
  the happy path is ``json.loads`` / one YAML load and no position tracking.
* Canonical ids are ``"<file relative to the folder, posix>#<JSON pointer>"``, the pointer
  re-escaped (``~0``/``~1``, no percent-encoding): ``"spec.yaml#/definitions/Error"``.  A ref
  to a whole file gives ``"common.yaml#"``.
* Validation uses openapi-spec-validator 0.9 and reports every error it yields; it runs only
  when all refs are sound.  One known false positive is dropped: ``type: file`` in Swagger 2.0
  schemas (the 0.9 validator checks 2.0 schemas with its OpenAPI 3.0 schema checker).  The
  meta-schema check of the whole document asks jsonschema-rs first (milliseconds) and runs
  the Python validator only for an invalid document, whose errors need its paths.  Importing
  the validator costs about 0.2 s once per process (imported lazily); ``generate`` hides
  both in a child process (see ``validation``).
  It runs in a thread with a large stack and a raised recursion limit: it recurses ~10 frames
  per ``allOf`` level, and 200 levels are legal.  The files it follows refs into are handed
  to it as opaque documents (Swagger 2.0 / OpenAPI 3.0 have no ``$id``): its default, JSON
  Schema 2020-12, crawls each one as a schema and crashes on a string where a schema belongs.
* An exception inside the validator is a *warning* placed at the node (or ``$ref``) it was
  checking, not an error: by then the spec was read and every ref resolved by our own checks,
  and the reader reports what it cannot use; the warning says the validator's remaining
  checks were skipped, and ``--strict`` makes it fatal.  Its findings before the crash stand.
* Findings the generator copes with are left to the reader, which warns with the location and
  carries on (``--strict`` makes warnings fatal): duplicate operationIds, path parameters that
  disagree with the path template, ``required`` naming an undefined property.
* Tolerated, with a warning: ``swagger: 2.0`` unquoted; a document labelled ``swagger: "2.0"``
  but laid out as OpenAPI 3.0 (``components`` and no 2.0 section) is read as OpenAPI 3.0.0.
* Refused: YAML whose aliases expand it past a million nodes (an alias bomb), file names the
  file system cannot hold (a NUL, too long).
"""

from __future__ import annotations

import bisect
import functools
import importlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import unquote, urlsplit

import yaml

from .errors import SpecError
from .ir import Diagnostic

__all__ = ["Document", "Spec", "SpecError", "load_spec"]

_T = TypeVar("_T")

# ------------------------------------------------------------------------------- parsing

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML loader that keeps dates as strings and mapping keys as their text."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "expected a mapping", node.start_mark
            )
        self.flatten_mapping(node)  # YAML merge keys (<<)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "found a non-scalar key",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


# Copy the resolver table (never mutate the base class's) with YAML 1.2 semantics, which
# Swagger/OpenAPI specify: no timestamps (``2024-02-01`` stays a string) and only true/false
# as booleans (``enum: [yes, no, on, off]`` stays strings -- YAML 1.1 makes them bools).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _ParseError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _parse(text: str, path: Path) -> tuple[Any, yaml.Node | None]:
    """(data, YAML node tree or None for JSON): JSON (fast path) when the text looks like
    JSON, else YAML.  The node tree is kept: line numbers come from it when a diagnostic
    needs one, without composing the document a second time."""
    try:
        if text.lstrip().startswith("{"):
            try:
                return json.loads(text), None
            except json.JSONDecodeError as exc:
                if path.suffix.lower() == ".json":
                    raise _ParseError(f"invalid JSON: {exc.msg}", exc.lineno) from None
                # maybe a YAML flow mapping: let YAML decide and report
        loader = _Loader(text)
        try:
            node = loader.get_single_node()  # what yaml.load does, keeping the node
            return (None if node is None else loader.construct_document(node)), node
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        line = mark.line + 1 if mark else None
        raise _ParseError(f"invalid YAML: {problem}{context}", line) from None
    except yaml.YAMLError as exc:
        raise _ParseError(f"invalid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise _ParseError("nesting too deep to read") from None


# ------------------------------------------------------------------------------- lines

# A position tree for one document: (line of the node, children or None).  For a mapping
# entry the line is the key's line, which is where an editor should jump.
_Tree = tuple[int, "dict[str, _Tree] | list[_Tree] | None"]


def _yaml_tree(node: yaml.Node, seen: dict[int, _Tree] | None = None) -> _Tree:
    seen = {} if seen is None else seen
    if id(node) in seen:  # aliases share nodes (and may be recursive)
        return seen[id(node)]
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, _Tree] = {}
        seen[id(node)] = (line, entries)
        for key, value in node.value:
            entries[str(key.value)] = (
                key.start_mark.line + 1,
                _yaml_tree(value, seen)[1],
            )
        return seen[id(node)]
    if isinstance(node, yaml.SequenceNode):
        items: list[_Tree] = []
        seen[id(node)] = (line, items)
        items.extend(_yaml_tree(item, seen) for item in node.value)
        return seen[id(node)]
    return (line, None)


_INDEX = re.compile(r"0|[1-9][0-9]*")  # a JSON pointer's array index
_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_SCALAR = re.compile(r"[^,\]} \t\n\r]+")


def _json_tree(text: str) -> _Tree:
    """Positions in a JSON text that ``json.loads`` accepted.  (PyYAML cannot compose every
    JSON file, e.g. escaped surrogate pairs, hence this small scanner.)"""
    newlines = [m.start() for m in re.finditer("\n", text)]
    scanstring: Any = vars(json.decoder)["scanstring"]  # public, but missing from stubs

    def line(pos: int) -> int:
        return bisect.bisect_right(newlines, pos) + 1

    def skip(pos: int) -> int:
        match = _JSON_WS.match(text, pos)
        return match.end() if match else pos

    def value(pos: int) -> tuple[_Tree, int]:
        pos = skip(pos)
        start, char = pos, text[pos]
        if char == "{":
            entries: dict[str, _Tree] = {}
            pos = skip(pos + 1)
            while text[pos] != "}":
                key_pos = skip(pos)
                key, pos = scanstring(text, key_pos + 1)
                child, pos = value(skip(pos) + 1)  # past the colon
                entries[key] = (line(key_pos), child[1])
                pos = skip(pos)
                pos = skip(pos + 1) if text[pos] == "," else pos
            return (line(start), entries), pos + 1
        if char == "[":
            items: list[_Tree] = []
            pos = skip(pos + 1)
            while text[pos] != "]":
                child, pos = value(pos)
                items.append(child)
                pos = skip(pos)
                pos = skip(pos + 1) if text[pos] == "," else pos
            return (line(start), items), pos + 1
        if char == '"':
            return (line(start), None), scanstring(text, pos + 1)[1]
        match = _JSON_SCALAR.match(text, pos)
        return (line(start), None), match.end() if match else pos + 1

    return value(0)[0]


def _tree_line(tree: _Tree, segments: Sequence[str]) -> int:
    """Line of the node at ``segments``, or of its deepest existing ancestor."""
    line, children = tree
    for segment in segments:
        child: _Tree | None = None
        if isinstance(children, dict):
            child = children.get(segment)
        elif isinstance(children, list) and _INDEX.fullmatch(segment):
            child = children[int(segment)] if int(segment) < len(children) else None
        if child is None:
            break
        line, children = child
    return line


# ------------------------------------------------------------------------------- pointers


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _pointer(segments: Sequence[Any]) -> str:
    return "".join("/" + _escape(str(s)) for s in segments)


def _segments(pointer: str) -> list[str]:
    return [_unescape(s) for s in pointer.split("/")[1:]]


def _child(node: Any, segment: Any) -> tuple[bool, Any]:
    """One pointer step into dict or list; (found, child)."""
    if isinstance(node, dict):
        return (True, node[segment]) if segment in node else (False, None)
    if isinstance(node, list) and (isinstance(segment, int) or _INDEX.fullmatch(str(segment))):
        index = int(segment)
        if 0 <= index < len(node):
            return True, node[index]
    return False, None


def _is_ref(node: Any) -> bool:
    # Siblings of $ref are ignored by Swagger 2.0 / OpenAPI 3.0, so any such dict is a ref.
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


# ------------------------------------------------------------------------------- documents


# Keywords of a schema that hold schemas only for refs to reach (legacy draft-4 `definitions`).
_SUBSCHEMA_STORES = frozenset({"definitions", "$defs"})

# A line longer than this holds many nodes (minified JSON): its number does not say where.
_LOCATING_LINE = 1000


@dataclass(eq=False)
class Document:
    """One parsed file of the spec."""

    path: Path  # absolute
    display: str  # as shown in messages
    data: Any
    text: str = field(default="", repr=False)
    is_json: bool = field(default=False, repr=False)
    node: yaml.Node | None = field(default=None, repr=False)  # YAML: the composed tree
    _tree: _Tree | None = field(default=None, init=False, repr=False)
    _tree_failed: bool = field(default=False, init=False, repr=False)
    _vague: frozenset[int] | None = field(default=None, init=False, repr=False)

    def line_of(self, pointer: str) -> int | None:
        """1-based line of the node at a JSON pointer (of its deepest existing ancestor if the
        pointer goes further than the document).  Computed on first use, then cached.

        None when the line would not locate the node -- a one-line document, or a line of
        more than ``_LOCATING_LINE`` characters (minified JSON): then a diagnostic shows the
        pointer instead (``FILE#/pointer: message``).  The root is on line 1 either way."""
        tree = self._positions()
        if tree is None:
            return None
        line = _tree_line(tree, _segments(pointer))
        return None if pointer and line in self._vague_lines() else line

    def _vague_lines(self) -> frozenset[int]:
        if self._vague is None:
            lines = self.text.splitlines()
            self._vague = frozenset(
                number
                for number, text in enumerate(lines, 1)
                if len(lines) == 1 or len(text) > _LOCATING_LINE
            )
        return self._vague

    def _positions(self) -> _Tree | None:
        if self._tree is None and not self._tree_failed:
            try:
                if self.is_json:
                    self._tree = _json_tree(self.text)
                else:
                    node = self.node or yaml.compose(self.text, Loader=_Loader)
                    self._tree = None if node is None else _yaml_tree(node)
                    self.node = None  # the tree holds what is needed of it
            except (yaml.YAMLError, ValueError, LookupError, RecursionError):
                pass  # positions are a nicety: diagnostics fall back to the pointer
            self._tree_failed = self._tree is None
        return self._tree


def _display(path: Path, given: str | None = None) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return given if given is not None else str(path)


def _read(path: Path, display: str) -> Document:
    """Read and parse one file; raises SpecError (one diagnostic) when it cannot be used."""

    def fail(message: str, line: int | None = None) -> SpecError:
        return SpecError([Diagnostic(display, "", message, line, "error")])

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    if not text.strip():
        raise fail("file is empty")
    try:
        data, node = _parse(text, path)
    except _ParseError as exc:
        raise fail(exc.message, exc.line) from None
    if data is None:
        raise fail("file is empty (nothing but comments)")
    is_json = node is None
    if not is_json:
        expanded, unique = _expanded_size(data)
        if expanded > _MAX_EXPANDED_NODES and expanded > _MAX_ALIAS_GROWTH * unique:
            raise fail(
                f"YAML aliases expand {unique} nodes to more than {_MAX_EXPANDED_NODES}: "
                "refused (an alias bomb?)"
            )
    return Document(path, display, data, text, is_json, node)


# YAML aliases share nodes: a few lines can stand for billions of nodes once walked.  A spec
# whose aliases multiply it past both limits is refused before anything walks it.
_MAX_EXPANDED_NODES = 1_000_000
_MAX_ALIAS_GROWTH = 20


def _expanded_size(data: Any) -> tuple[int, int]:
    """(nodes counted as if every alias were written out, distinct nodes); a container that
    contains itself counts once.  Iterative, memoized by identity: linear in distinct nodes."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = list(node.values() if isinstance(node, dict) else node)
        if done:
            active.discard(key)
            sizes[key] = 1 + sum(
                sizes.get(id(c), 1) if isinstance(c, (dict, list)) else 1 for c in children
            )
            continue
        if key in sizes or key in active:
            continue
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)))
    total = sizes.get(id(data), 1) if isinstance(data, (dict, list)) else 1
    return total, len(sizes)


# ------------------------------------------------------------------------------- refs


class _RefError(Exception):
    """A $ref that cannot be followed.  An empty message means "already reported"."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class _Hit(NamedTuple):
    node: Any
    doc: Document
    pointer: str
    id: str


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_EXAMPLES_KEY = "x-ms-examples"
# Values that are literal data, not spec structure: refs in them are not refs ...
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const", "x-example"})
# ... unless the key is a *name* inside one of these maps (a property called "default").
_NAME_MAPS = frozenset(
    {
        "properties", "definitions", "parameters", "responses", "paths", "headers",
        "schemas", "examples", "securityDefinitions", "securitySchemes", "requestBodies",
        "links", "callbacks", "content", "encoding", "variables", "patternProperties",
        "x-ms-paths",
    }
)  # fmt: skip


def _iter_refs(data: Any) -> Iterator[tuple[str, str, bool]]:
    """Every ``$ref`` string in a document: (pointer of the $ref key, ref, under x-ms-examples)."""
    stack: list[tuple[Any, str, str, bool]] = [(data, "", "", False)]
    seen: set[int] = set()
    while stack:
        node, pointer, parent_key, examples = stack.pop()
        if id(node) in seen:  # YAML aliases share (even recursive) containers
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield pointer + "/$ref", node["$ref"], examples
            for key, value in reversed(node.items()):  # reversed: pop in document order
                if isinstance(value, (dict, list)) and (
                    key not in _LITERAL_KEYS or parent_key in _NAME_MAPS
                ):
                    nested = examples or key == _EXAMPLES_KEY
                    stack.append((value, f"{pointer}/{_escape(key)}", key, nested))
        elif isinstance(node, list):
            for index, value in reversed(list(enumerate(node))):
                if isinstance(value, (dict, list)):
                    stack.append((value, f"{pointer}/{index}", "", examples))


def _is_host_parameter_ref(pointer: str) -> bool:
    """A ref among ``x-ms-parameterized-host`` parameters: Azure specs collected from the
    REST API repository often lose the shared ``#/parameters/Endpoint`` they point at.  The
    host template still names the parameter, so a dangling one is only worth a warning (the
    normalizer falls back to a plain string parameter named after the ref)."""
    return re.fullmatch(r"/x-ms-parameterized-host/parameters/\d+/\$ref", pointer) is not None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the file system refuses (NUL, too long) is none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _os_reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


class _RefTarget(NamedTuple):
    path: Path  # the file, lexically normalized
    segments: list[str]


def _split_ref(ref: str, base: Document, folder: Path, real_folder: Path) -> _RefTarget:
    """Where a ref points; refuses URLs and paths leaving the folder (nothing is opened)."""
    if _SCHEME.match(ref) or ref.startswith("//"):
        raise _RefError(f"$ref {ref!r} refused: remote and URL refs are never fetched")
    file_part, _, fragment = ref.partition("#")
    file_part = unquote(file_part)
    fragment = unquote(fragment)
    if fragment and not fragment.startswith("/"):
        raise _RefError(f"$ref {ref!r}: the fragment is not a JSON pointer")
    if not file_part:
        return _RefTarget(base.path, _segments(fragment))
    if os.path.isabs(file_part) or file_part.startswith(("/", "\\")):
        raise _RefError(f"$ref {ref!r} refused: absolute paths are not allowed")
    target = Path(os.path.normpath(base.path.parent / file_part))
    if not target.is_relative_to(folder):
        raise _RefError(f"$ref {ref!r} refused: it leaves the spec's folder")
    if not Path(os.path.realpath(target)).is_relative_to(real_folder):
        raise _RefError(f"$ref {ref!r} refused: a symlink leads outside the spec's folder")
    return _RefTarget(target, _segments(fragment))


# ------------------------------------------------------------------------------- spec


class Spec:
    """The loaded spec: the root document plus the external files its refs reach."""

    def __init__(self, root: Document, version: str) -> None:
        self.root = root
        self.folder = root.path.parent
        self.example_files = True  # whether x-ms-examples files are looked for
        self.version = version
        self.warnings: list[Diagnostic] = []
        self._real_folder = Path(os.path.realpath(self.folder))
        # every file we tried: None when it could not be read (already reported)
        self._documents: dict[Path, Document | None] = {root.path: root}
        self._unscanned: list[Document] = [root]
        self._load_errors: list[Diagnostic] = []
        self._ref_targets: set[tuple[str, str]] = set()  # (file as displayed, pointer)

    # --- public API

    def files(self) -> list[Path]:
        """Every file this spec was read from (the root and the files its refs reached)."""
        return [path for path, doc in self._documents.items() if doc is not None]

    def resolve(self, ref: str, base: Document, *, at: str = "") -> tuple[Any, Document, str]:
        """Follow ONE $ref string relative to ``base``: (node, its document, canonical id).
        ``at`` (the pointer of the ref in ``base``) only improves the error location."""
        hit = self._resolve_or_raise(ref, base, at)
        return hit.node, hit.doc, hit.id

    def deref(self, node: Any, base: Document, *, at: str = "") -> tuple[Any, Document, str | None]:
        """Follow a chain of refs (refs to refs) to a non-ref node: (node, its document,
        canonical id of the last ref followed, or None if ``node`` was not a ref).
        ``at`` (the pointer of ``node`` in ``base``) only improves the error location."""
        last: str | None = None
        seen: list[str] = []
        pointer = at
        while _is_ref(node):
            hit = self._resolve_or_raise(node["$ref"], base, pointer + "/$ref")
            if hit.id in seen:
                raise SpecError([self._cycle_diagnostic(seen[seen.index(hit.id) :])])
            seen.append(hit.id)
            node, base, pointer, last = hit.node, hit.doc, hit.pointer, hit.id
        return node, base, last

    def validate(self) -> None:
        """Validate against the spec's meta-schema and openapi-spec-validator's checks; raises
        SpecError listing every error, adds what is only worth a warning to ``warnings``."""
        errors = self._validate()
        if errors:
            raise SpecError(errors, self.warnings)

    def diagnostic(
        self, doc: Document, pointer: str, message: str, severity: str = "error"
    ) -> Diagnostic:
        return Diagnostic(doc.display, pointer, message, doc.line_of(pointer), severity)

    # --- resolution

    def _resolve_or_raise(self, ref: str, base: Document, at: str) -> _Hit:
        try:
            return self._resolve(ref, base)
        except _RefError as exc:
            message = exc.message or f"$ref {ref!r}: the file it names could not be read"
            raise SpecError([self.diagnostic(base, at, message)]) from None

    def _resolve(self, ref: str, base: Document) -> _Hit:
        try:
            target = _split_ref(ref, base, self.folder, self._real_folder)
            doc = self._document(target.path, ref)
        except (OSError, ValueError) as exc:  # a NUL, a name too long for the file system
            raise _RefError(f"$ref {ref!r}: not a usable file name ({_os_reason(exc)})") from None
        node: Any = doc.data
        for depth, segment in enumerate(target.segments):
            found, node = _child(node, segment)
            if not found:
                file = "" if doc is base else doc.display  # same file: the line says it
                where = f"{file}#{_pointer(target.segments[:depth])}"
                raise _RefError(f"$ref {ref!r} not found: no {segment!r} in {where}")
        pointer = _pointer(target.segments)
        return _Hit(node, doc, pointer, f"{self._relative(doc)}#{pointer}")

    def _relative(self, doc: Document) -> str:
        return self._relative_path(doc.path)

    def _display(self, path: Path) -> str:
        """How a file below the root's folder is named in messages: relative to the working
        directory when inside it, else beside the root as it was named (``../api/x.yaml``)."""
        beside_root = os.path.dirname(self.root.display)
        return _display(path, os.path.join(beside_root, self._relative_path(path)))

    def _relative_path(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def _document(self, path: Path, ref: str) -> Document:
        if path in self._documents:
            doc = self._documents[path]
            if doc is None:
                raise _RefError()  # its read/parse error is already reported
            return doc
        if not _is_file(path):
            raise _RefError(f"$ref {ref!r} not found: no file {self._display(path)}")
        try:
            doc = _read(path, self._display(path))
        except SpecError as exc:
            self._documents[path] = None
            self._load_errors.extend(exc.diagnostics)
            raise _RefError() from None
        self._documents[path] = doc
        self._unscanned.append(doc)
        return doc

    # --- checking every ref up front

    def _check_refs(self) -> list[Diagnostic]:
        errors: list[Diagnostic] = []
        cycles: set[frozenset[str]] = set()
        while self._unscanned:
            doc = self._unscanned.pop(0)
            for pointer, ref, in_examples in _iter_refs(doc.data):
                if in_examples:
                    if self.example_files:
                        self._check_example_ref(ref, doc, pointer)
                    continue
                try:
                    hit = self._resolve(ref, doc)
                except _RefError as exc:
                    if exc.message and _is_host_parameter_ref(pointer):
                        message = f"{exc.message}; a plain string host parameter is used instead"
                        self.warnings.append(self.diagnostic(doc, pointer, message, "warning"))
                    elif exc.message:
                        errors.append(self.diagnostic(doc, pointer, exc.message))
                    continue
                self._ref_targets.add((hit.doc.display, hit.pointer))
                cycle = self._alias_cycle(hit)
                if cycle and frozenset(cycle) not in cycles:
                    cycles.add(frozenset(cycle))
                    here = f"{self._relative(doc)}#{pointer.removesuffix('/$ref')}"
                    if here in cycle:  # name it from the ref met first in the document
                        cycle = cycle[cycle.index(here) :] + cycle[: cycle.index(here)]
                    errors.append(self._cycle_diagnostic(cycle))
        return self._load_errors + errors

    def _alias_cycle(self, hit: _Hit) -> list[str]:
        """The ids of a cycle of pure aliases reached from ``hit`` (empty if none)."""
        chain = [hit.id]
        while _is_ref(hit.node):
            try:
                hit = self._resolve(hit.node["$ref"], hit.doc)
            except _RefError:
                return []  # reported where that ref is written
            if hit.id in chain:
                return chain[chain.index(hit.id) :]
            chain.append(hit.id)
        return []

    def _cycle_diagnostic(self, cycle: list[str]) -> Diagnostic:
        file, _, pointer = cycle[0].partition("#")
        doc = self._documents.get(Path(os.path.normpath(self.folder / file))) or self.root
        chain = " -> ".join([*cycle, cycle[0]])
        return self.diagnostic(doc, pointer + "/$ref", f"$ref cycle of pure aliases: {chain}")

    def _check_example_ref(self, ref: str, doc: Document, pointer: str) -> None:
        """Example files are never loaded: a missing one is only worth a warning."""
        try:
            target = _split_ref(ref, doc, self.folder, self._real_folder)
            if target.path == doc.path:
                self._resolve(ref, doc)
            elif not _is_file(target.path):
                raise _RefError(f"example file not found: $ref {ref!r}")
        except _RefError as exc:
            self.warnings.append(self.diagnostic(doc, pointer, exc.message, "warning"))
        except (OSError, ValueError) as exc:  # a NUL, a name too long for the file system
            message = f"example file not found: $ref {ref!r} ({_os_reason(exc)})"
            self.warnings.append(self.diagnostic(doc, pointer, message, "warning"))

    # --- validation

    def _validate(self) -> list[Diagnostic]:
        from jsonschema_path import SchemaPath

        validator_class = _validator_class(_family(self.version))
        raised: list[Any] = []

        def collect() -> None:  # one by one: a crash keeps what was found before it
            accessor = _document_accessor().from_schema(
                _without_path_extensions(self._bundled()),
                base_uri=self.root.path.as_uri(),
                handlers=_Handlers(self),
                specification=_document_dialect(self.version),
                # the validator's own default (its shortcuts pass it; from_dict does not):
                # without it every step of every walk re-resolves the path from the root
                resolved_cache_maxsize=128,
            )
            schema_path = SchemaPath(accessor)
            raised.extend(validator_class(schema_path).iter_errors())

        found: dict[tuple[str, str, str], Diagnostic] = {}
        warned: set[tuple[str, str, str]] = set()
        crash: Diagnostic | None = None
        try:
            # jsonschema recurses ~10 frames per nesting level: deep (legal) allOf nesting
            # needs more than the default recursion limit
            _with_deep_stack(collect)
        except RecursionError:
            message = "nesting too deep to validate"
            found[("", "", message)] = self.diagnostic(self.root, "", message)
        except Exception as exc:  # noqa: BLE001 -- a validator bug must not become a traceback
            crash = self._crash_diagnostic(exc, SchemaPath)
        try:
            for error in raised:
                if self.version == "2.0" and _is_file_type_error(error):
                    continue
                diagnostic, full_message = self._validation_diagnostic(error)
                if any(text in full_message for text in _LEFT_TO_THE_READER):
                    continue
                key = (diagnostic.file, diagnostic.pointer, diagnostic.message)
                unread = self._unread_reason(diagnostic.file, diagnostic.pointer)
                if unread:
                    diagnostic.message += f" (ignored: {unread})"
                if unread or _recoverable(diagnostic, full_message):
                    diagnostic.severity = "warning"
                    if key not in warned:  # a file met twice is checked twice
                        warned.add(key)
                        self.warnings.append(diagnostic)
                    continue
                found.setdefault(key, diagnostic)
        except Exception as exc:  # noqa: BLE001 -- nor may a finding we cannot place
            message = f"the validator failed: {type(exc).__name__}: {_one_line(str(exc))}"
            found[("", "", message)] = self.diagnostic(self.root, "", message)
        finally:
            _clear_validator_cache(validator_class)
        if crash is not None:
            self.warnings.append(crash)
        return sorted(
            found.values(),
            key=lambda d: (d.file != self.root.display, d.file, d.line or 0),
        )

    def _unread_reason(self, file: str, pointer: str) -> str:
        """Why nothing reads the node at ``pointer``, or "": a ``$comment``, or an entry of a
        schema's ``definitions`` / ``$defs`` that no $ref reaches (the generator reaches those
        only through refs).  A fault there breaks the meta-schema but not the client, so
        generation goes on with a warning (as other generators do); ``--strict`` still fails."""
        segments = _segments(pointer)
        keyword = [
            i
            for i, segment in enumerate(segments)
            if i > 0 and segments[i - 1] not in _NAME_MAPS  # a keyword, not a name in a map
        ]
        if keyword and keyword[-1] == len(segments) - 1 and segments[-1] == "$comment":
            return "a comment"
        entries = [i for i in keyword if segments[i] in _SUBSCHEMA_STORES and i + 1 < len(segments)]
        if not entries:
            return ""
        entry = _pointer(segments[: entries[-1] + 2])
        if any(
            f == file and (p == entry or p.startswith(entry + "/")) for f, p in self._ref_targets
        ):
            return ""
        return f"no $ref reaches {segments[entries[-1]]!r} entry {entry!r}"

    def _bundled(self) -> Any:
        """The root document as the validator is to see it: each ref into another file
        replaced by what it points at, where it is first met (later ones stay refs, rewritten
        relative to the root's folder; so do refs into a file being inlined: recursion).

        The meta-schema check sees only the document it is given: handed the root alone, it
        would never check a parameter, path item or schema that lives in its own file (the
        keyword checks follow refs, but look only at some schema keywords).  Inlined where a
        single-file spec would have them, they are checked in their role, and every path
        in this view is a path in the root that ``_locate`` follows through the refs.  Refs
        written inside an inlined file are relative to *that* file, hence the rewriting: the
        validator resolves everything in this view against the root's URI."""
        if all(doc is self.root for doc in self._documents.values() if doc is not None):
            return self.root.data  # one file: nothing to inline
        inlined: set[str] = set()
        copying: set[int] = set()  # a YAML alias may hold itself: kept as it is

        def view(node: Any, doc: Document, parent_key: str) -> Any:
            if not isinstance(node, (dict, list)) or id(node) in copying:
                return node
            if isinstance(node, dict) and _is_ref(node):
                return follow(node, doc, parent_key)
            copying.add(id(node))
            try:
                if isinstance(node, list):
                    return [view(item, doc, "") for item in node]
                copy: dict[str, Any] = {}
                for key, value in node.items():
                    literal = key in _LITERAL_KEYS and parent_key not in _NAME_MAPS
                    keep = literal or key == _EXAMPLES_KEY
                    copy[key] = value if keep else view(value, doc, key)
            finally:
                copying.discard(id(node))
            if parent_key == "discriminator" and isinstance(node.get("mapping"), dict):
                copy["mapping"] = {k: moved(v, doc) for k, v in node["mapping"].items()}
            return copy

        def moved(ref: Any, doc: Document) -> Any:
            """A discriminator's mapping value -- a ref relative to its own file, or a schema
            name -- as seen from the root."""
            if doc is self.root or not isinstance(ref, str):
                return ref
            try:
                hit = self._resolve(ref, doc)
            except _RefError:  # a schema name (or dangling: the reader warns)
                return ref
            return f"#{hit.pointer}" if hit.doc is self.root else hit.id

        def follow(node: dict[str, Any], doc: Document, parent_key: str) -> Any:
            try:
                hit = self._resolve(node["$ref"], doc)
            except _RefError:  # reported already (a dangling host parameter): as written
                return node
            if hit.doc is self.root:  # checked where it is
                return node if doc is self.root else {"$ref": f"#{hit.pointer}"}
            if hit.id in inlined:
                return {"$ref": hit.id}
            inlined.add(hit.id)
            return view(hit.node, hit.doc, parent_key)

        return view(self.root.data, self.root, "")

    def _crash_diagnostic(self, exc: BaseException, path_type: type) -> Diagnostic:
        """A warning placed where the validator was when it raised: the spec was read and
        every ref resolved by our own checks, so a failure inside the validator leaves the
        spec usable -- but its remaining checks never ran, which the warning says (and
        ``--strict`` makes fatal).  The place is the node being checked: the ``$ref`` being
        followed, when it was one."""
        reason = f"{type(exc).__name__}: {_one_line(str(exc))}"
        parts = _checked_parts(exc, path_type)
        doc, pointer = (self.root, "") if parts is None else self._locate(parts, follow_last=False)
        node = self._node_at(doc, pointer)
        where = "here"
        if _is_ref(node):
            where, pointer = f"at $ref {node['$ref']!r}", pointer + "/$ref"
        message = (
            f"validation stopped {where}: the validator failed ({reason}); "
            "its remaining checks were skipped"
        )
        return self.diagnostic(doc, pointer, message, "warning")

    @staticmethod
    def _node_at(doc: Document, pointer: str) -> Any:
        node = doc.data
        for segment in _segments(pointer):
            node = _child(node, segment)[1]
        return node

    def _validation_diagnostic(self, error: Any) -> tuple[Diagnostic, str]:
        """The located diagnostic (its message shortened) and the full one-line message."""
        error = _most_specific(error)
        where: tuple[Any, ...] | None = getattr(error, _WHERE, None)
        # the last ref on the way is followed unless the error is about that ref itself
        follow_last = not _is_ref(getattr(error, "instance", None))
        if where is None:  # from the meta-schema: a path in the (bundled) root document
            doc, pointer = self._locate(tuple(error.absolute_path), follow_last=follow_last)
        else:  # from a keyword check: path of the checked node (through refs) + inner path
            doc, pointer = self._locate(where + tuple(error.absolute_path), follow_last=follow_last)
        full_message = _one_line(str(getattr(error, "message", "")) or str(error))
        return self.diagnostic(doc, pointer, _short_message(error)), full_message

    def _locate(self, parts: Sequence[Any], *, follow_last: bool) -> tuple[Document, str]:
        """The document and pointer of a path taken from the root, following refs on the way."""
        doc, node, pointer = self.root, self.root.data, ""
        for index, part in enumerate([*parts, None]):
            last = index == len(parts)
            if _is_ref(node) and (follow_last if last else part not in node):
                try:
                    hit = self._follow(node, doc)
                except _RefError:
                    break
                doc, node, pointer = hit.doc, hit.node, hit.pointer
            if last:
                break
            found, child = _child(node, part)
            if not found:
                break
            node, pointer = child, f"{pointer}/{_escape(str(part))}"
        return doc, pointer

    def _follow(self, node: Any, doc: Document) -> _Hit:
        hit = self._resolve(node["$ref"], doc)
        for _ in range(100):  # cycles were rejected before validation; stay safe anyway
            if not _is_ref(hit.node):
                break
            hit = self._resolve(hit.node["$ref"], hit.doc)
        return hit


# ------------------------------------------------------------------------------- validator glue

_WHERE = "_specgen_where"  # attribute set on errors: path of the node a keyword check examined


class _Handlers(Mapping[str, Any]):
    """URI handlers for the validator's resolver: every scheme maps to one function that
    serves documents we have already loaded and refuses anything else (no I/O at all)."""

    def __init__(self, spec: Spec) -> None:
        self._spec = spec

    def __getitem__(self, scheme: str) -> Any:
        return self._serve

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def _serve(self, uri: str) -> Any:
        from urllib.request import url2pathname  # 20 ms to import; rarely asked for

        parts = urlsplit(uri)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(os.path.normpath(url2pathname(unquote(parts.path))))
            doc = self._spec._documents.get(path)
            if doc is not None:
                return doc.data
        raise ValueError(f"refusing to fetch {uri}")


def _family(version: str) -> str:
    """The validator family of a document version: "2.0", "3.0" or "3.1"."""
    return version if version == "2.0" else version[:3]


@functools.cache
def _validator_class(family: str) -> Any:
    """The spec validator of a family ("2.0", "3.0", "3.1") with keyword checks that tag each
    error with the path they examined: openapi-spec-validator's own errors (unresolved path
    parameter, duplicate operationId, schema meta-checks) carry no path from the root, only one
    relative to that node."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )
    from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    choices: dict[str, tuple[Any, Any]] = {
        "2.0": (OpenAPIV2SpecValidator, schema_v2),
        "3.1": (OpenAPIV31SpecValidator, schema_v31),
    }
    base, meta = choices.get(family, (OpenAPIV30SpecValidator, schema_v30))

    def located(keyword: str, cls: Any) -> Any:
        # the "default" check validates schema/default: its error paths start there
        suffix = ("default",) if keyword == "default" else ()

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in cls.__call__(self, *args, **kwargs):
                if not isinstance(error, OpenAPIValidationError):
                    # iter_errors re-creates plain jsonschema errors as this class (losing
                    # our tag): convert first, as it would
                    error = OpenAPIValidationError.create_from(error)
                if where is not None and getattr(error, _WHERE, None) is None:
                    setattr(error, _WHERE, tuple(where.parts) + suffix)
                yield error

        members: dict[str, Any] = {"__call__": __call__}
        if hasattr(cls, "_get_schema_checker"):
            members["_get_schema_checker"] = _fast_schema_checker(cls)
        members["__init__"] = _with_id_sets(cls)
        return type(cls.__name__, (cls,), members)

    keywords = {name: located(name, cls) for name, cls in base.keyword_validators.items()}
    meta_schema = _MetaSchemaCheck(meta)
    return type(
        f"Located{base.__name__}",
        (base,),
        {"keyword_validators": keywords, "schema_validator": meta_schema},
    )


def _with_id_sets(cls: Any) -> Callable[..., None]:
    """A keyword's ``__init__`` with the schema keyword's visited-schema registers made sets: they
    are lists that every schema visit searches (``id in list``), quadratic in the schemas
    of a spec -- 0.7 s of a 2.8 s walk of 1,500 schemas."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        cls.__init__(self, *args, **kwargs)
        for name in ("visited_schema_ids", "meta_checked_schema_ids"):
            if isinstance(getattr(self, name, None), list):
                setattr(self, name, _IdRegister(getattr(self, name)))

    return __init__


class _IdRegister(list[int]):
    """A list of ids (what the validator appends to and reads) with set-speed membership."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        super().__init__(ids)
        self._members = set(self)

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@functools.cache
def _document_accessor() -> Any:
    """jsonschema-path's accessor with a fast path for the nodes a loaded document is made of:
    its generic step checks ``isinstance(node, Subscriptable)``, a runtime Protocol whose
    check re-reads the protocol's members on every call (a quarter of a walk on Python 3.11)."""
    from jsonschema_path.accessors import SchemaAccessor

    class DocumentAccessor(SchemaAccessor):
        @classmethod
        def _get_subnode(cls, node: Any, part: Any) -> Any:
            if type(node) is dict or type(node) is list:
                try:
                    return node[part]
                except (KeyError, IndexError, TypeError) as exc:
                    raise KeyError(part) from exc
            return super()._get_subnode(node, part)

    return DocumentAccessor


def _fast_schema_checker(cls: Any) -> Callable[..., Any]:
    """The "schema" keyword's ``_get_schema_checker`` with jsonschema-rs in front: each schema
    of the spec is checked against its dialect's meta-schema (the 2020-12 OAS dialect for 3.1,
    the OAS 3.0 schema for 3.0), which the Python validator does at about 1.6 ms a schema --
    2.5 s for 1,500 schemas; jsonschema-rs answers "valid?" for all of them in milliseconds.
    Only a schema it finds invalid goes through the Python checker, for the located error.
    One difference is deliberate: a ``pattern`` is an ECMA-262 regex (``\\p{L}``), which
    jsonschema-rs reads as such and Python's ``re`` refuses."""

    def _get_schema_checker(self: Any, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        checker: Callable[[Any], None] = cls._get_schema_checker(self, schema, schema_value)
        bound: Any = getattr(checker, "func", checker)  # a bound check_schema, maybe partial
        rust = _rust_meta_validator(bound.__self__)
        if rust is None:
            return checker

        def check(value: Any) -> None:
            if not rust.is_valid(value):
                checker(value)

        return check

    return _get_schema_checker


@functools.cache
def _rust_meta_validator(validator_class: Any) -> Any:
    """jsonschema-rs for ``validator_class``'s meta-schema, its refs served from the bundled
    registry of OpenAPI and JSON Schema meta-schemas (nothing is fetched); None when
    jsonschema-rs is missing or cannot compile it (the Python checker then does it all)."""
    try:
        rust = importlib.import_module("jsonschema_rs")
        registry = importlib.import_module("openapi_schema_validator._specifications").REGISTRY
        return rust.validator_for(
            validator_class.META_SCHEMA,
            retriever=registry.contents,
            validate_formats=True,
        )
    except Exception:  # noqa: BLE001 -- an optional fast path: the Python checker remains
        return None


class _MetaSchemaCheck:
    """The meta-schema check of the whole document.  jsonschema-rs (the validator's own Rust
    backend) answers "valid?" in milliseconds where the Python validator needs about a second
    per 500 kB; only an invalid spec pays for the Python validator, whose errors carry the
    paths and messages the diagnostics are built from."""

    def __init__(self, schema: Any) -> None:
        content = dict(schema)
        # imported by name: jsonschema ships no type stubs
        validator_for = importlib.import_module("jsonschema.validators").validator_for
        self._python = validator_for(content)(content)
        self._rust: Any = None
        try:
            rust = importlib.import_module("jsonschema_rs")
            self._rust = rust.validator_for(content)
        except ImportError:  # a platform without its wheel: the Python validator alone
            pass

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self._rust is not None and self._rust.is_valid(instance):
            return iter(())
        return iter(self._python.iter_errors(instance))


def _checked_parts(exc: BaseException, path_type: type) -> tuple[Any, ...] | None:
    """Parts (from the root) of the node the validator was checking when ``exc`` was raised:
    the most specific schema path among the locals of the innermost frame that holds one
    (every keyword check takes the node it checks as one)."""
    found: tuple[Any, ...] | None = None
    trace = exc.__traceback__
    while trace is not None:
        held: list[Any] = [v for v in trace.tb_frame.f_locals.values() if isinstance(v, path_type)]
        if held:
            found = max((tuple(p.parts) for p in held), key=len)
        trace = trace.tb_next
    return found


def _document_dialect(version: str) -> Any:
    """How the validator's resolver reads the documents it is handed.  Its default, JSON
    Schema 2020-12, *crawls* every document it fetches as a schema (for ``$id``s and anchors)
    the first time any further file is needed: a referenced file holding a string where a
    schema belongs (a ``description:`` indented under ``properties``) then crashes it with
    "'str' object has no attribute 'get'" before its own checks could report that string --
    the meta-schema check, which would, sees only the root document.  Swagger 2.0 and OpenAPI
    3.0 have neither ``$id`` nor anchors: each file is one opaque resource, nothing to crawl.
    Later versions (JSON Schema 2020-12 schemas) keep the crawl, minus what is malformed."""
    from referencing import Specification

    if version == "2.0" or version.startswith("3.0"):
        return Specification.OPAQUE
    from referencing.jsonschema import DRAFT202012

    return _tolerant_dialect(DRAFT202012)


def _tolerant_dialect(dialect: Any) -> Any:
    """``dialect`` with its crawl skipping what is not a schema (left to the schema checks,
    which report it with a location) instead of raising on it."""
    # an attrs class its stubs do not describe
    specification: Any = importlib.import_module("referencing").Specification

    def schema_like(value: Any) -> bool:
        return isinstance(value, (Mapping, bool))

    def id_of(contents: Any) -> Any:
        return dialect.id_of(contents) if isinstance(contents, Mapping) else None

    def subresources_of(contents: Any) -> list[Any]:
        if not isinstance(contents, Mapping):
            return []
        found: list[Any] = []
        for key, value in contents.items():  # keyword by keyword: one bad one skips alone
            try:
                found.extend(dialect.subresources_of({key: value}))
            except (AttributeError, TypeError):
                continue
        return [each for each in found if schema_like(each)]

    def anchors_in(specification: Any, contents: Any) -> Any:
        return dialect.anchors_in(contents) if isinstance(contents, Mapping) else []

    return specification(
        name=f"{dialect.name} (tolerant)",
        id_of=id_of,
        subresources_of=subresources_of,
        anchors_in=anchors_in,
        maybe_in_subresource=dialect.maybe_in_subresource,
    )


_DEEP_RECURSION_LIMIT = 20_000
_DEEP_STACK_BYTES = 512 * 1024 * 1024  # address space; only the pages touched are used


def _with_deep_stack(work: Callable[[], _T]) -> _T:
    """``work()`` run in a thread with a large C stack and a raised recursion limit (restored
    afterwards), so deep but legal nesting cannot overflow; its exception is re-raised."""
    result: list[_T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # noqa: BLE001 -- handed to the caller
            failure.append(exc)

    with _DEEP_LOCK:
        old_limit, old_size = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(_DEEP_STACK_BYTES)
            sys.setrecursionlimit(max(old_limit, _DEEP_RECURSION_LIMIT))
            thread = threading.Thread(target=run, name="specgen-validate")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return result[0]


_DEEP_LOCK = threading.Lock()


def _without_path_extensions(data: Any) -> Any:
    """The root with no ``x-`` keys in its Paths Object: legal there, but openapi-spec-validator
    0.9 takes every key of ``paths`` for a path and fails on them (KeyError)."""
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict) or not any(str(k).startswith("x-") for k in paths):
        return data
    kept = {k: v for k, v in paths.items() if not str(k).startswith("x-")}
    return {**data, "paths": kept}


def _clear_validator_cache(validator_class: Any) -> None:
    # iter_errors is lru_cached on the instance: without this every spec validated stays alive.
    cached = getattr(validator_class.iter_errors, "__wrapped__", None)
    cache_clear = getattr(cached, "cache_clear", None)
    if callable(cache_clear):
        cache_clear()


def _is_file_type_error(error: Any) -> bool:
    """openapi-spec-validator 0.9 checks Swagger 2.0 schemas with its OpenAPI 3.0 schema
    checker, which rejects ``type: file`` -- legal in 2.0 response schemas (and checked
    where it belongs by the 2.0 meta-schema run on the raw document).  Drop that one."""
    path = list(error.absolute_path)
    return (
        getattr(error, _WHERE, None) is not None
        and error.instance == "file"
        and bool(path)
        and path[-1] == "type"
    )


def _most_specific(error: Any) -> Any:
    """For oneOf/anyOf failures, descend to the sub-error that says what is wrong ("'type' is a
    required property") rather than "... is not valid under any of the given schemas".
    Like jsonschema's best_match, but skipping alternatives the author did not mean."""
    # imported by name: jsonschema ships no type stubs
    relevance = importlib.import_module("jsonschema.exceptions").relevance
    where = getattr(error, _WHERE, None)
    while error.context:
        ranked = sorted(_plausible_branches(list(error.context)), key=relevance)
        if len(ranked) > 1 and relevance(ranked[0]) == relevance(ranked[1]):
            # no clear winner: keep the summary, and say why each alternative fails
            tied = [e for e in ranked if relevance(e) == relevance(ranked[0])]
            setattr(error, _ALTERNATIVES, tied)
            break
        error = ranked[0]
    setattr(error, _WHERE, where)
    return error


_ALTERNATIVES = "_specgen_alternatives"  # on a oneOf/anyOf error: its equally likely failures


def _plausible_branches(errors: list[Any]) -> list[Any]:
    """Errors of the oneOf/anyOf alternatives the author plausibly meant: drop alternatives
    ruled out by a discriminator -- "'$ref' is a required property" (the reference form) or a
    wrong enum/const value of a direct property (``in: query`` vs the ``in: body`` branch)."""

    def branch(error: Any) -> Any:
        return error.relative_schema_path[0] if error.relative_schema_path else None

    def rules_out(error: Any) -> bool:
        value = error.validator_value
        if error.validator == "required":
            return isinstance(value, list) and value == ["$ref"]
        return error.validator in ("enum", "const") and len(error.relative_path) == 1

    ruled_out = {branch(e) for e in errors if rules_out(e)}
    return [e for e in errors if branch(e) not in ruled_out] or errors


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


_MAX_MESSAGE = 300


def _short_message(error: Any) -> str:
    message = _one_line(str(getattr(error, "message", "")) or str(error)) or type(error).__name__
    instance = repr(getattr(error, "instance", None))
    if len(instance) > 60 and message.startswith(instance):  # "{…huge dict…} is not …"
        kind = type(error.instance).__name__
        summary = {"dict": "the object", "list": "the array"}.get(kind, "the value")
        message = summary + message[len(instance) :]
    reasons = _reasons(getattr(error, _ALTERNATIVES, []), instance)
    if reasons:  # "… not valid under any of the given schemas: it is not …, and it is not …"
        message += ": " + ", and ".join(dict.fromkeys(reasons))
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    return message


def _reasons(errors: list[Any], instance: str) -> list[str]:
    """Why each alternative fails, once each; the allowed values of alternatives that each
    allow some at one place (``in: path`` | ``in: query`` | …) are merged into one reason."""
    reasons: dict[str, None] = {}
    allowed: dict[str, tuple[Any, list[Any]]] = {}  # path -> (the value there, allowed values)
    for error in errors:
        if error.validator not in ("enum", "const"):
            reasons[_reason(error, instance)] = None
            continue
        path = "/".join(str(p) for p in error.relative_path)
        if path not in allowed:
            allowed[path] = (error.instance, [])
            reasons["\0" + path] = None  # its place in the order
        value = error.validator_value
        allowed[path][1].extend(value if error.validator == "enum" else [value])
    merged = []
    for key in reasons:
        if not key.startswith("\0"):
            merged.append(key)
            continue
        path = key[1:]
        value, values = allowed[path]
        where = f"at {path!r}: {value!r}" if path else "it"
        merged.append(f"{where} is not one of {list(dict.fromkeys(values))!r}")
    return merged


def _reason(error: Any, instance: str) -> str:
    """Why one alternative fails, without the instance the whole message already names:
    "it is not of type 'array'", or, for a part of it, "at 'name': 'x' is a required property"."""
    message = _one_line(str(getattr(error, "message", "")) or str(error))
    path = "/".join(str(p) for p in error.relative_path)
    if not path and message.startswith(instance):
        return "it " + message[len(instance) :].strip()
    return f"at {path!r}: {message}" if path else message


# ------------------------------------------------------------------------------- entry point

_OAS3 = re.compile(r"3\.[01]\.\d+(-[0-9A-Za-z.-]+)?")


def _version(root: Document) -> tuple[str, list[Diagnostic]]:
    """("2.0" | "3.0.x" | "3.1.x", []) or ("", [error])."""
    data = root.data

    def error(pointer: str, message: str) -> tuple[str, list[Diagnostic]]:
        return "", [Diagnostic(root.display, pointer, message, root.line_of(pointer), "error")]

    if "openapi" in data and "swagger" in data:
        return error("/openapi", "both 'openapi' and 'swagger' are set: which one is it?")
    if "openapi" in data:
        value = data["openapi"]
        if isinstance(value, str) and _OAS3.fullmatch(value):
            return value, []
        hint = " (write it as a quoted string, e.g. '3.0.3')" if not isinstance(value, str) else ""
        return error("/openapi", f"unsupported OpenAPI version {value!r}{hint}")
    if "swagger" in data:
        value = data["swagger"]
        if value == "2.0":
            return "2.0", []
        return error("/swagger", f'unsupported Swagger version {value!r} (only "2.0")')
    return error(
        "", "not an OpenAPI/Swagger spec: no 'swagger: \"2.0\"' or 'openapi: 3.0.x' / '3.1.x'"
    )


# Validator findings that leave the spec usable: the generator copes, so they are warnings
# (``--strict`` makes them fatal).  Real published specs have each of them.
_RECOVERABLE_MESSAGES: tuple[str, ...] = (
    # a key the format does not define on a non-extensible object (``title`` on an operation):
    # the reader never looks at it
    "Additional properties are not allowed",
    "Unevaluated properties are not allowed",
)
# Reported by the reader, with its location, as warnings (the generator copes with each; the
# validator checks only some schemas): not repeated here.
_LEFT_TO_THE_READER = (
    "Required list has not defined properties",  # the reader ignores the missing names
    "is not unique",  # duplicate operationIds: the reader numbers them apart
    "was not resolved",  # path parameters and path template disagree: the reader reconciles
)
_DATA_KEYWORDS = ("default", "example", "examples", "x-ms-examples")


def _recoverable(diagnostic: Diagnostic, full_message: str) -> bool:
    if any(text in full_message for text in _RECOVERABLE_MESSAGES):
        return True
    # A default or example that breaks its own schema is documentation, not structure.
    return any(segment in _DATA_KEYWORDS for segment in diagnostic.pointer.split("/"))


def load_spec(path: str | Path, *, validate: bool = True, example_files: bool = True) -> Spec:
    """Load, check and (by default) validate a spec.  Raises SpecError listing every error.
    ``example_files=False``: the files ``x-ms-examples`` refers to are not shipped with the
    spec (a job's ``example-files = false``), so their absence is not worth a warning."""
    absolute = Path(os.path.abspath(path))
    root = _read(absolute, _display(absolute, str(path)))
    if not isinstance(root.data, dict):
        kind = "a list" if isinstance(root.data, list) else f"a {type(root.data).__name__}"
        message = f"expected a mapping at the top level, found {kind}"
        raise SpecError([Diagnostic(root.display, "", message, root.line_of(""), "error")])
    warnings = _fix_swagger_float(root) + _fix_mislabelled_openapi3(root)
    version, errors = _version(root)
    spec = Spec(root, version)
    spec.example_files = example_files
    spec.warnings += warnings
    errors += spec._check_refs()
    if errors:  # broken refs would make validation unsafe
        raise SpecError(errors, spec.warnings)
    if validate:
        spec.validate()
    return spec


_SWAGGER2_SECTIONS = ("definitions", "parameters", "responses", "securityDefinitions")
_SWAGGER2_ONLY = ("schemes", "host", "basePath", "consumes", "produces")


def _fix_mislabelled_openapi3(root: Document) -> list[Diagnostic]:
    """A document that says ``swagger: "2.0"`` but is laid out as OpenAPI 3.0 (a top-level
    ``components`` and none of Swagger 2.0's sections -- some collected Azure specs are
    converted but not relabelled) is read as the OpenAPI 3.0 it is, with a warning."""
    data = root.data
    if (
        data.get("swagger") != "2.0"
        or "openapi" in data
        or not isinstance(data.get("components"), dict)
        or any(key in data for key in _SWAGGER2_SECTIONS)
    ):
        return []
    message = (
        'labelled swagger: "2.0" but laid out as OpenAPI 3.0 (components); read as OpenAPI 3.0.0'
    )
    del data["swagger"]
    data["openapi"] = "3.0.0"
    for key in _SWAGGER2_ONLY:  # kept for the reader, out of the validator's way
        if key in data:
            data[f"x-swagger-{key}"] = data.pop(key)
    return [Diagnostic(root.display, "/swagger", message, root.line_of("/swagger"))]


def _fix_swagger_float(root: Document) -> list[Diagnostic]:
    """Unquoted ``swagger: 2.0`` (a YAML float) is common and unambiguous: accept it."""
    value = root.data.get("swagger")
    if isinstance(value, float) and value == 2.0:
        root.data["swagger"] = "2.0"
        message = 'swagger: 2.0 read as a number; write "2.0"'
        return [Diagnostic(root.display, "/swagger", message, root.line_of("/swagger"))]
    return []
