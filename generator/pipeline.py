"""The whole pipeline: load → normalize → refine → render → format → (write | compare)."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .config import Job
from .diff.versioning import AUTO, CHANGELOG, Release, api_summary, next_release
from .errors import ConfigError
from .ir import Api, Binary, Diagnostic, HostParameter, ModelRef, to_jsonable
from .pool import available_cores
from .profile import Profile
from .validation import Validation, preload_validator
from .writer import read_tree, write_tree

if TYPE_CHECKING:
    from .loader import Spec


def build_ir(spec_path: Path, profile: Profile | None = None, job: Job | None = None) -> Api:
    profile = profile or Profile()
    spec = _load(spec_path, profile, job)
    with profile.stage("validate"):
        spec.validate()
    return _to_ir(spec, profile, job)


def build_irs(spec_paths: list[Path], job: Job | None = None) -> list[Api]:
    """``build_ir`` of several specs (``specgen diff``): each is validated in a forked child
    as soon as it is loaded, while this process loads the next and builds the IRs; validation
    is most of the cost, and the children share the cores.  Errors are reported spec by spec,
    as ``build_ir`` would report them."""
    profile = Profile()
    preload_validator()  # imported once, before the forks, rather than once in every child
    validations: list[Validation] = []
    apis: list[Api] = []
    try:
        specs = []
        for path in spec_paths:
            specs.append(_load(path, profile, job))
            validations.append(Validation.start_loaded(specs[-1], profile))
        apis = [_to_ir(spec, profile, job) for spec in specs]
    except Exception:
        for validation in validations:  # an invalid spec is reported as such, in order
            validation.finish()
        raise
    for validation, api in zip(validations, apis):
        validation.finish(api)
    return apis


def _load(spec_path: Path, profile: Profile, job: Job | None = None) -> Spec:
    # The heavy stages are imported when they run: a run that finds its output up to date
    # never needs them.
    from .loader import load_spec

    with profile.stage("load"):
        return load_spec(spec_path, validate=False, example_files=job is None or job.example_files)


def _to_ir(spec: Spec, profile: Profile, job: Job | None) -> Api:
    """The refined IR of a loaded spec."""
    from .normalize import build_api
    from .python.naming import refine

    with profile.stage("ir"):
        api = build_api(spec)
        if job is not None:
            apply_overrides(api, job)
        refine(api, job.rename if job else {})
    return api


def apply_overrides(api: Api, job: Job) -> None:
    """What the configuration says that the spec cannot, or gets wrong: another host
    template, multipart fields that carry files though typed as text, and the event type of
    operations whose Swagger 2.0 responses can only name the JSON answer."""
    if job.host:
        api.host = job.host
        known = {p.name: p for p in api.host_parameters}
        api.host_parameters = [
            known.get(name) or HostParameter(name=name, description="The service's base URL.")
            for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", job.host))
        ]
    by_name = {m.name: m.id for m in api.models}
    for op in api.operations():
        for form_field in op.body.form_fields if op.body else []:
            if form_field.name in job.file_parts.get(op.id, []):
                form_field.type, form_field.is_file = Binary(), True
        schema = job.stream_items.get(op.id)
        if schema is None:
            continue
        if schema not in by_name:
            raise ConfigError(f"stream-items: {op.id}: no schema named {schema!r}")
        op.streaming = True
        op.stream_type = ModelRef(by_name[schema])


def generate_files(
    job: Job, profile: Profile | None = None, *, background: bool = False
) -> tuple[Api, dict[str, str]]:
    """The package's files in memory.  ``background`` validates in a child process while
    this one renders (see ``validation``); nothing is returned before the spec is known valid."""
    profile = profile or Profile()
    validation = Validation.start(job.spec, profile, background=background)
    # Imported after the fork: the child needs neither.
    from .python.format import format_files
    from .python.render import PackageOptions, render_package, runtime_files

    try:
        spec = _load(job.spec, profile, job)
        validation.attach(spec)
        api = _to_ir(spec, profile, job)
        release = _release(job, api, profile)
        options = PackageOptions(
            package=job.package_name,
            distribution=job.distribution,
            version=release.version if release else job.package_version,
            env=job.env,
        )
        # Where a child validates, no pool worker holds the other cores: children render and
        # format shares of a large package there (beside the validating child until it ends:
        # on a large spec it ends early in rendering).
        workers = available_cores() if validation.in_background else 1
        with profile.stage("render"):
            files = render_package(api, options, workers=workers)
        with profile.stage("format"):
            files = format_files(files, workers=workers)
    except Exception:
        validation.finish()  # an invalid spec is reported as such, as an inline run would
        raise
    validation.finish(api)
    files.update(runtime_files(job.package_name))
    inputs = spec.files()
    if job.write_ir or release is not None:
        files["ir.json"] = ir_json(api, job.spec.parent)
    if release is not None:
        files[CHANGELOG] = release.changelog
    cache.remember(_key(job), inputs, files)
    return api, files


def _release(job: Job, api: Api, profile: Profile) -> Release | None:
    """``package-version = "auto"``: the version and changelog that the changes of the API
    since the output's ``ir.json`` call for (see ``diff.versioning``)."""
    if job.package_version != AUTO:
        return None
    with profile.stage("versioning"):
        return next_release(job.output, api, ir_json(api, job.spec.parent))


@dataclass
class Generated:
    """A job generated in memory, ready to be written: what ``generate`` prints and writes
    (small enough to come back from a worker process, unlike the IR)."""

    job: Job
    files: dict[str, str]
    warnings: list[Diagnostic]  # the spec's
    models: int
    operations: int
    profile: Profile


def generate_job(job: Job, *, background: bool) -> Generated:
    """``generate_files`` for ``specgen generate``; ``background`` as there (a worker of a
    pool validates inline: the other cores are busy with other jobs)."""
    profile = Profile()
    api, files = generate_files(job, profile, background=background)
    return Generated(
        job=job,
        files=files,
        warnings=api.diagnostics,
        models=len(api.models),
        operations=len(api.operations()),
        profile=profile,
    )


def up_to_date(job: Job) -> bool:
    """Whether ``job.output`` holds exactly what the unchanged inputs generated last time,
    known from hashes alone (see ``cache``)."""
    outputs = cache.recall(_key(job))
    return outputs is not None and cache.tree_matches(outputs, read_tree(job.output))


def _key(job: Job) -> str:
    settings = (
        job.package_name,
        job.distribution,
        job.package_version,
        sorted(job.rename.items()),
        job.host,
        sorted(job.env.items()),
        sorted(job.stream_items.items()),
        sorted((k, sorted(v)) for k, v in job.file_parts.items()),
        job.write_ir,
        job.example_files,  # which warnings the spec gives: they are in ir.json
    )
    return cache.job_key(job.spec, repr(settings))


def ir_json(api: Api, folder: Path) -> str:
    """The IR as sorted JSON, with diagnostics located relative to the spec's folder so the
    snapshot does not depend on where specgen ran."""
    data = to_jsonable(api)
    for diagnostic in data.get("diagnostics", []):
        path = Path(diagnostic["file"])
        try:
            diagnostic["file"] = path.absolute().relative_to(folder.absolute()).as_posix()
        except ValueError:
            diagnostic["file"] = path.name
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_job(job: Job, profile: Profile | None = None) -> Api:
    profile = profile or Profile()
    api, files = generate_files(job, profile)
    with profile.stage("write"):
        write_tree(files, job.output)
    return api


@dataclass
class Comparison:
    """A job generated in memory and compared with its output on disk (``specgen check``)."""

    warnings: list[Diagnostic]  # the spec's
    report: list[str]  # how the output differs, readably ([] = in step)


def differences(job: Job, *, background: bool = True) -> Comparison:
    """How ``job.output`` differs from a fresh generation; the caller asks the hash cache
    (``up_to_date``) first.  ``background`` as for ``generate_files``."""
    api, expected = generate_files(job, background=background)
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
    if report:  # what the regeneration means for users, above the file hunks
        report = api_summary(job.output, api) + ["files:"] + report
    return Comparison(api.diagnostics, report)
