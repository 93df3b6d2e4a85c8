"""``specgen diff OLD NEW``: both specs through load → normalize → refine (with a configured
job's settings, so its renames apply), compared as the generated Python API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Job, load_jobs
from ..errors import EXIT_USAGE, ConfigError
from ..pipeline import build_irs
from ..summary import warning_lines
from .compare import compare
from .report import FORMATS


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    diff = commands.add_parser(
        "diff",
        parents=parents,
        help="compare two specs as the generated Python API",
        description="Compare two versions of a spec as the Python API generated from them: "
        "operations, arguments, models, fields, enums and client settings added, removed "
        "or changed, each classified breaking or not for code written against OLD "
        "(the rule table is in README.md).",
    )
    diff.add_argument("old", type=Path, help="the spec the existing client was generated from")
    diff.add_argument("new", type=Path, help="the spec to regenerate from")
    diff.add_argument(
        "--job",
        metavar="NAME",
        help="apply the settings (renames, host, …) of the configured job with this package"
        " name; by default, of the job whose spec is OLD or NEW, if any",
    )
    diff.add_argument(
        "--config", type=Path, default=Path("pyproject.toml"), help="where [tool.specgen] is"
    )
    diff.add_argument("--format", choices=sorted(FORMATS), default="text", help="default: text")
    diff.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="list every warning about the specs (by default, one line per kind)",
    )
    diff.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when a change breaks code written against OLD (for CI)",
    )


def run(args: argparse.Namespace) -> int:
    job = _job(args)
    if job is None and args.job:
        return EXIT_USAGE
    old, new = build_irs([args.old, args.new], job)
    for api in (old, new):  # warnings as `generate` prints them, spec by spec
        for line in warning_lines(api.diagnostics, verbose=args.verbose):
            print(line, file=sys.stderr)
    changes = compare(old, new)
    sys.stdout.write(FORMATS[args.format](changes, str(args.old), str(args.new)))
    return 1 if args.fail_on_breaking and any(c.breaking for c in changes) else 0


def _job(args: argparse.Namespace) -> Job | None:
    """The job ``--job`` names (None, with a message, when there is none), else the job whose
    spec is OLD or NEW when a configuration is at hand."""
    if args.job:
        jobs = load_jobs(args.config)
        named = [j for j in jobs if args.job in (j.package_name, j.distribution)]
        if not named:
            known = ", ".join(j.package_name for j in jobs)
            print(f"specgen diff: no job named {args.job!r} in {args.config} (known: {known})",
                  file=sys.stderr)  # fmt: skip
            return None
        return named[0]
    if not args.config.is_file():
        return None
    specs = {args.old.absolute(), args.new.absolute()}
    try:
        jobs = load_jobs(args.config)
    except ConfigError:  # an unrelated, broken configuration does not stop a plain diff
        return None
    return next((j for j in jobs if j.spec.absolute() in specs), None)
