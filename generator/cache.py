"""What a generation produced, remembered by what it was made from.

Generation is a pure function of the spec's files, the job's configuration and specgen
itself (its code, templates and the versions of the libraries it uses).  After each
generation the hashes of those inputs and of every output file are stored in a small JSON
file in the user's cache folder (``$XDG_CACHE_HOME/specgen``, or ``~/.cache/specgen``;
``SPECGEN_CACHE=off`` disables it).  ``specgen check`` and ``specgen generate`` with nothing
changed then only hash files: no parsing, validation, rendering or writing.  Any changed
input, or any output file that differs from what was generated, falls back to the full run.
Only hashes are stored; the generated text is always read from, or written to, the output.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_LIBRARIES = ("jinja2", "black", "pyyaml", "openapi-spec-validator")


def _folder() -> Path | None:
    if os.environ.get("SPECGEN_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def specgen_fingerprint() -> str:
    """specgen's code and templates, and the versions of the libraries that shape output."""
    package = Path(__file__).resolve().parent
    templates = package / "templates"
    if not templates.is_dir():
        templates = package.parent / "templates"
    hasher = hashlib.sha256()
    for folder in (package, templates):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".jinja"):
                hasher.update(path.relative_to(folder).as_posix().encode())
                hasher.update(path.read_bytes())
    for library in _LIBRARIES:
        try:
            hasher.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{library}=none".encode())
    return hasher.hexdigest()


def _entry_path(key: str) -> Path | None:
    folder = _folder()
    return None if folder is None else folder / f"{key}.json"


def job_key(spec: Path, settings: str) -> str:
    """The key of a job: its root spec's path and the configuration that shapes its output."""
    return digest(f"{spec.resolve()}\n{settings}\n{specgen_fingerprint()}".encode())


def remember(key: str, inputs: list[Path], outputs: dict[str, str]) -> None:
    path = _entry_path(key)
    if path is None:
        return
    entry = {
        "inputs": {str(p.resolve()): digest(p.read_bytes()) for p in inputs},
        "outputs": {name: digest(text.encode("utf-8")) for name, text in outputs.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entry, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def recall(key: str) -> dict[str, str] | None:
    """The output hashes of the last generation, if every input is unchanged since."""
    path = _entry_path(key)
    if path is None or not path.is_file():
        return None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        for name, expected in entry["inputs"].items():
            if digest(Path(name).read_bytes()) != expected:
                return None
        outputs = entry["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return outputs if isinstance(outputs, dict) else None


def tree_matches(outputs: dict[str, str], on_disk: dict[str, str]) -> bool:
    """Whether the files on disk are exactly the ones generated (no more, no fewer)."""
    if set(outputs) != set(on_disk):
        return False
    return all(digest(on_disk[name].encode("utf-8")) == outputs[name] for name in outputs)
