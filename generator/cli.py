"""The ``specgen`` command line.

Exit status: 0 success, 1 a bad spec, bad configuration or stale output, 2 a usage error,
3 an internal error (a bug in specgen; ``--debug`` prints its traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Generator
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TypeVar

from . import __version__
from .config import Job, load_jobs
from .diff import command as diff_command
from .errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_USAGE,
    ConfigError,
    GenerationError,
    SpecError,
    internal_error,
)
from .ir import Diagnostic, to_jsonable
from .pipeline import Generated, build_ir, differences, generate_job, up_to_date
from .pool import Failure, available_cores, in_order
from .summary import warning_lines
from .writer import write_tree

Result = TypeVar("Result")

DESCRIPTION = """\
specgen turns a Swagger 2.0 or OpenAPI 3.0 document into an installable, typed Python
client package (dataclass models, sync and async clients; httpx is its only dependency).

commands:
  generate   write client packages: from SPEC with --output and --package-name, or, with
             no SPEC, every [[tool.specgen.jobs]] of ./pyproject.toml
  check      regenerate every configured job in memory; exit 1 with a summary of the
             differences when the output on disk is stale (for CI and pre-commit)
  validate   load and validate SPEC; report every problem as FILE:LINE: message
  ir         print SPEC's intermediate representation as sorted JSON
  diff       compare OLD and NEW specs as the generated Python API: what changed, and
             whether it breaks code written against OLD (text, markdown or JSON)
"""

EPILOG = """\
exit status:
  0  success
  1  a bad spec, bad configuration or stale output (one line per problem: FILE:LINE: message)
  2  a usage error
  3  an internal error: a bug in specgen (rerun with --debug for its traceback; please report it)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"specgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        help="on an internal error (exit status 3), print its traceback",
    )

    generate = commands.add_parser(
        "generate",
        help="write client packages",
        description="Write client packages.",
        parents=[common],
    )
    generate.add_argument(
        "spec", nargs="?", type=Path, help="the spec (omit to run the configured jobs)"
    )
    generate.add_argument("--output", "-o", type=Path, help="the folder to write the project into")
    generate.add_argument("--package-name", "-p", help="the Python package name, e.g. my_service")
    generate.add_argument(
        "--package-version", default="0.1.0", help="the generated project's version"
    )
    generate.add_argument(
        "--config", type=Path, default=Path("pyproject.toml"), help="where [tool.specgen] is"
    )
    generate.add_argument(
        "--strict", action="store_true", help="treat warnings about the spec as errors"
    )
    generate.add_argument(
        "--profile", action="store_true", help="print the seconds spent in each stage"
    )
    _jobs_option(generate)
    _verbose_option(generate)

    check = commands.add_parser(
        "check",
        help="fail when generated output is stale",
        description="Fail when generated output is stale.",
        parents=[common],
    )
    check.add_argument(
        "--config", type=Path, default=Path("pyproject.toml"), help="where [tool.specgen] is"
    )
    _jobs_option(check)
    _verbose_option(check)

    validate = commands.add_parser(
        "validate", help="validate a spec", description="Validate a spec.", parents=[common]
    )
    validate.add_argument("spec", type=Path)
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _verbose_option(validate)

    ir = commands.add_parser(
        "ir",
        help="print the intermediate representation",
        description="Print the IR as JSON.",
        parents=[common],
    )
    ir.add_argument("spec", type=Path)
    diff_command.add_parser(commands, parents=[common])
    return parser


def _jobs_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        "-j",
        type=_count,
        metavar="N",
        help="how many jobs to generate at once, in separate processes (default: one per core;"
        " 1 runs them one after another)",
    )


def _verbose_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="list every warning (by default, warnings of one kind print as one line, with a"
        " count of the others)",
    )


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args)
        if args.command == "check":
            return _check(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "diff":
            return diff_command.run(args)
        return _ir(args)
    except (SpecError, ConfigError, GenerationError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 -- a generator bug: one line, its own status
        if args.debug:
            traceback.print_exc()
        print(internal_error(exc), file=sys.stderr)
        return EXIT_INTERNAL


def _jobs(args: argparse.Namespace) -> list[Job]:
    if getattr(args, "spec", None) is None:
        return load_jobs(args.config)
    if args.output is None or args.package_name is None:
        print(
            "specgen generate: with a SPEC, --output and --package-name are required",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USAGE)
    try:
        job = Job(
            spec=args.spec,
            output=args.output,
            package_name=args.package_name,
            package_version=args.package_version,
        )
    except ConfigError as exc:
        raise ConfigError(f"specgen generate: {exc}") from None
    return [job]


def _warn(warnings: list[Diagnostic], args: argparse.Namespace) -> None:
    """Print one spec's warnings: one line per kind, or every one with --verbose."""
    for line in warning_lines(warnings, verbose=args.verbose):
        print(line, file=sys.stderr)


def _generate(args: argparse.Namespace) -> int:
    """Every job is generated in memory before any is written: a bad spec, or a warning under
    --strict, in the last job leaves the output of the first untouched too.  Jobs run at once
    in worker processes; what they say is printed in job order, as a serial run prints it."""
    jobs = _jobs(args)
    fresh = [not (args.profile or args.strict) and up_to_date(job) for job in jobs]
    outcomes = _run(args, generate_job, [job for job, done in zip(jobs, fresh) if not done])
    results: list[Generated] = []
    with closing(outcomes):  # stops the pool when a job failed
        for job, done in zip(jobs, fresh):
            if done:
                print(f"{job.spec} -> {job.output} (up to date)")
                continue
            outcome = next(outcomes)
            if isinstance(outcome, Failure):
                return _failed(outcome, args.debug)
            _warn(outcome.warnings, args)
            if args.strict and outcome.warnings:
                return EXIT_BAD_INPUT
            results.append(outcome)
    for result in results:
        with result.profile.stage("write"):
            write_tree(result.files, result.job.output)
        print(
            f"{result.job.spec} -> {result.job.output}"
            f" ({result.models} models, {result.operations} operations)"
        )
        if args.profile:
            for stage, seconds in result.profile.stages.items():
                print(f"  {stage:<14} {seconds:8.3f} s")
    return 0


def _check(args: argparse.Namespace) -> int:
    jobs = load_jobs(args.config)
    changed = [job for job in jobs if not up_to_date(job)]
    stale = False
    reports = _run(args, differences, changed)
    with closing(reports):
        for job, comparison in zip(changed, reports):
            if isinstance(comparison, Failure):
                return _failed(comparison, args.debug)
            _warn(comparison.warnings, args)
            if comparison.report:
                stale = True
                print(f"{job.output} is stale; run `specgen generate`:")
                for line in comparison.report:
                    print(f"  {line}")
    if not stale:
        print("generated output is up to date")
    return EXIT_BAD_INPUT if stale else 0


def _run(
    args: argparse.Namespace, function: Callable[..., Result], jobs: list[Job]
) -> Generator[Result | Failure, None, None]:
    """``function(job, background=...)`` for every job, in job order: one at a time with the
    validation in a forked child beside each (``--jobs 1``, or a single job), or in a pool of
    workers that validate inline (their cores are busy with the other jobs)."""
    workers = min(args.jobs or available_cores(), len(jobs))
    return in_order(partial(function, background=workers <= 1), jobs, workers)


def _failed(failure: Failure, debug: bool) -> int:
    """A job that failed in a worker, reported as the serial run reports it."""
    if failure.details and debug:
        print(failure.details, end="", file=sys.stderr)
    print(failure.message, file=sys.stderr)
    return failure.status


def _validate(args: argparse.Namespace) -> int:
    """Load, validate and read the spec through to the IR: every problem a generation would
    report is reported here."""
    api = build_ir(args.spec)
    _warn(api.diagnostics, args)
    if args.strict and api.diagnostics:
        return EXIT_BAD_INPUT
    kind = "Swagger" if api.spec_version.startswith("2") else "OpenAPI"
    print(f"{args.spec}: valid {kind} {api.spec_version}")
    return 0


def _ir(args: argparse.Namespace) -> int:
    api = build_ir(args.spec)
    print(json.dumps(to_jsonable(api), indent=2, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
