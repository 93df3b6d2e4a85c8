"""Many jobs at once: a pool of processes, results handed back in job order.

Generating a client is CPU-bound Python, so jobs run in separate processes (forked on Linux,
where the children share the parent's imported modules).  A worker never writes to the
terminal or to the output folders: it returns what it made, or the message of what went
wrong, as a value; the parent prints and writes them in job order, so a parallel run says and
does exactly what a serial one does.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    ConfigError,
    GenerationError,
    SpecError,
    internal_error,
)

Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, where the system has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class Failure:
    """A job that failed in a worker: the line(s) ``specgen`` prints for it."""

    message: str
    details: str = ""  # the worker's traceback, for a generator bug (shown by --debug)
    status: int = EXIT_BAD_INPUT


@dataclass
class _Task(Generic[Item, Result]):
    """``function(item)`` in a worker, any error caught and returned as a Failure."""

    function: Callable[[Item], Result]

    def __call__(self, item: Item) -> Result | Failure:
        try:
            return self.function(item)
        except (SpecError, ConfigError, GenerationError) as exc:
            return Failure(str(exc))
        except Exception as exc:  # noqa: BLE001 -- reported by the parent, in job order
            return Failure(internal_error(exc), traceback.format_exc(), EXIT_INTERNAL)


def in_order(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> Generator[Result | Failure, None, None]:
    """``function(item)`` for every item, yielded in the order of ``items`` as soon as it and
    every item before it are done.  With one worker it is the serial run: here, in this
    process, errors raised as they always were.  Otherwise ``function`` (a module-level
    function or a partial of one: workers receive it pickled) runs in a pool, and errors come
    back as Failure values.  Closing the iterator early (after a failed job) stops the pool."""
    if min(workers, len(items)) <= 1:
        yield from map(function, items)
        return
    warm_up()
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(min(workers, len(items)), mp_context=context) as executor:
        futures = [executor.submit(_Task(function), item) for item in items]
        try:
            for future in futures:
                yield future.result()
        finally:  # stopped early: the jobs not yet started never start
            for future in futures:
                future.cancel()


def _start_method() -> str:
    """Fork where it is cheap and safe (see ``validation.can_fork``), else a fresh process."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def warm_up() -> None:
    """Import the pipeline's stages once, before forking: every worker then starts with them
    instead of importing its own copy."""
    for module in (".loader", ".normalize", ".python.render", ".python.format"):
        importlib.import_module(module, __package__)
    importlib.import_module("openapi_spec_validator")  # about 0.2 s on its own
