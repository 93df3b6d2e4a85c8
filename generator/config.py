"""The ``[tool.specgen]`` configuration of a project's pyproject.toml: one job per client."""

from __future__ import annotations

import keyword
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError


@dataclass
class Job:
    spec: Path
    output: Path
    package_name: str
    distribution: str = ""
    package_version: str = "0.1.0"
    rename: dict[str, str] = field(default_factory=dict)  # operationId / schema / tag → Python name
    host: str = ""  # replaces the spec's host template, e.g. "{endpoint}/openai"
    write_ir: bool = (
        False  # also write the IR as ir.json beside the package (a reviewable snapshot)
    )
    env: dict[str, str] = field(default_factory=dict)  # constructor argument -> env variable
    stream_items: dict[str, str] = field(default_factory=dict)  # operationId -> event schema
    file_parts: dict[str, list[str]] = field(default_factory=dict)  # operationId -> form fields
    # False: the files x-ms-examples refers to are not shipped with the spec; not looked for
    example_files: bool = True

    def __post_init__(self) -> None:
        if not self.package_name.isidentifier() or keyword.iskeyword(self.package_name):
            raise ConfigError(f"package name {self.package_name!r} is not a Python identifier")
        for key, value in self.rename.items():
            if not isinstance(value, str) or not value.isidentifier():
                raise ConfigError(f"rename of {key!r}: {value!r} is not a Python identifier")
        self.distribution = self.distribution or self.package_name.replace("_", "-")


_KEYS = {
    "spec",
    "output",
    "package-name",
    "distribution",
    "package-version",
    "rename",
    "host",
    "write-ir",
    "env",
    "stream-items",
    "file-parts",
    "example-files",
}


def load_jobs(pyproject: Path) -> list[Job]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{pyproject}: not found; give a SPEC or run where [tool.specgen] is configured"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    section = data.get("tool", {}).get("specgen")
    if (
        not isinstance(section, dict)
        or not isinstance(section.get("jobs"), list)
        or not section["jobs"]
    ):
        raise ConfigError(f"{pyproject}: no [[tool.specgen.jobs]] configured")
    base = pyproject.parent
    jobs = []
    for index, raw in enumerate(section["jobs"]):
        where = f"{pyproject}: tool.specgen.jobs[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: not a table")
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise ConfigError(
                f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
            )
        missing = [k for k in ("spec", "output", "package-name") if not isinstance(raw.get(k), str)]
        if missing:
            raise ConfigError(f"{where}: {missing[0]!r} is required")
        try:
            jobs.append(
                Job(
                    spec=base / raw["spec"],
                    output=base / raw["output"],
                    package_name=raw["package-name"],
                    distribution=str(raw.get("distribution", "")),
                    package_version=str(raw.get("package-version", "0.1.0")),
                    rename=dict(raw.get("rename", {})),
                    host=str(raw.get("host", "")),
                    write_ir=bool(raw.get("write-ir", False)),
                    env={str(k): str(v) for k, v in dict(raw.get("env", {})).items()},
                    file_parts={
                        str(k): [str(n) for n in v] if isinstance(v, list) else [str(v)]
                        for k, v in dict(raw.get("file-parts", {})).items()
                    },
                    stream_items={
                        str(k): str(v) for k, v in dict(raw.get("stream-items", {})).items()
                    },
                    example_files=_flag(raw, "example-files", True),
                )
            )
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return jobs


def _flag(raw: dict[str, object], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{key!r} must be true or false, not {value!r}")
    return value
