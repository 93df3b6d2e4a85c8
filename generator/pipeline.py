"""The whole pipeline: load → normalize → refine → render → format → (write | compare)."""

from __future__ import annotations

import difflib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import Job
from .ir import Api, to_jsonable
from .loader import load_spec
from .normalize import build_api
from .python.format import format_files
from .python.naming import refine
from .python.render import PackageOptions, render_package, runtime_files
from .writer import read_tree, write_tree


@dataclass
class Profile:
    """Seconds spent per stage (``--profile``)."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def build_ir(
    spec_path: Path,
    profile: Profile | None = None,
    rename: dict[str, str] | None = None,
    host: str = "",
) -> Api:
    profile = profile or Profile()
    with profile.stage("load+validate"):
        spec = load_spec(spec_path)
    with profile.stage("ir"):
        api = build_api(spec)
        if host:
            api.host = host
        refine(api, rename or {})
    return api


def generate_files(job: Job, profile: Profile | None = None) -> tuple[Api, dict[str, str]]:
    profile = profile or Profile()
    api = build_ir(job.spec, profile, job.rename, job.host)
    options = PackageOptions(
        package=job.package_name, distribution=job.distribution, version=job.package_version
    )
    with profile.stage("render"):
        files = render_package(api, options)
    with profile.stage("format"):
        files = format_files(files)
    files.update(runtime_files(job.package_name))
    if job.write_ir:
        files["ir.json"] = (
            json.dumps(to_jsonable(api), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        )
    return api, files


def write_job(job: Job, profile: Profile | None = None) -> Api:
    profile = profile or Profile()
    api, files = generate_files(job, profile)
    with profile.stage("write"):
        write_tree(files, job.output)
    return api


def stale_files(job: Job) -> list[str]:
    """A readable summary of how ``job.output`` differs from a fresh generation ([] = in step)."""
    _, expected = generate_files(job)
    actual = read_tree(job.output)
    report: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        if path not in actual:
            report.append(f"missing: {job.output / path}")
        elif path not in expected:
            report.append(f"not generated (remove it): {job.output / path}")
        elif actual[path] != expected[path]:
            diff = list(
                difflib.unified_diff(
                    actual[path].splitlines(),
                    expected[path].splitlines(),
                    f"{path} (on disk)",
                    f"{path} (generated)",
                    lineterm="",
                    n=1,
                )
            )
            changed = sum(
                1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))
            )
            report.append(f"differs ({changed} lines): {job.output / path}")
            report.extend("    " + line for line in diff[:12])
    return report
