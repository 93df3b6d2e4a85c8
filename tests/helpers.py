"""Shared test helpers: write small inline specs, generate from them, import the result."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import ModuleType

from generator.config import Job
from generator.ir import Api
from generator.pipeline import build_ir, write_job

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def write_spec(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def ir_of(folder: Path, text: str) -> Api:
    return build_ir(write_spec(folder, text))


def swagger(body: str, paths: str = "paths: {}") -> str:
    """A minimal Swagger 2.0 document around ``definitions`` text (indented 2 spaces)."""
    return (
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\n'
        + textwrap.dedent(paths).strip()
        + "\ndefinitions:\n"
        + textwrap.indent(textwrap.dedent(body).strip(), "  ")
        + "\n"
    )


def generate_package(
    folder: Path, spec_text: str, package: str, spec_name: str = "spec.yaml"
) -> ModuleType:
    """Generate ``package`` from inline spec text into ``folder/out`` and import it fresh."""
    spec = write_spec(folder, spec_text, spec_name)
    out = folder / "out"
    write_job(Job(spec=spec, output=out, package_name=package))
    return import_generated(out, package)


def import_generated(project: Path, package: str) -> ModuleType:
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
    sys.path.insert(0, str(project))
    try:
        module = importlib.import_module(package)
        importlib.import_module(f"{package}.models")
        return module
    finally:
        sys.path.remove(str(project))
