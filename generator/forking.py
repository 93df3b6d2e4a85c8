"""Work handed to a forked child, its result sent back pickled through a pipe.

A generation uses the second core twice: a child validates the spec while the parent builds
and renders the package (``validation``), and children format part of a large package's
files (``python.format``).  Forking shares the parent's loaded modules and data without
copying or pickling them on the way in; only the result travels.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Generic, TypeVar

T = TypeVar("T")
Item = TypeVar("Item")


def can_fork() -> bool:
    """Forking is cheap and safe here: Linux (not macOS, whose system libraries may not
    survive a fork), more than one core, and no other thread that could hold a lock the
    child needs (pytest's servers, an embedding application)."""
    return (
        sys.platform == "linux"
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and os.environ.get("SPECGEN_PARALLEL", "on") != "off"
    )


class Child(Generic[T]):
    """``work()`` running in a forked child.  The child says nothing (its output goes to
    /dev/null) and leaves without cleanup; ``result`` waits for it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self._pid = pid
        self._read_end = read_end
        self._reaped = False

    @classmethod
    def start(cls, work: Callable[[], T]) -> Child[T]:
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child's copy of unwritten output could be written twice
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                quiet = os.open(os.devnull, os.O_WRONLY)
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
                try:
                    outcome: tuple[bool, object] = (True, work())
                except BaseException as exc:  # noqa: BLE001 -- handed to the parent
                    outcome = (False, exc)
                try:
                    payload = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
                    pickle.loads(payload)  # what cannot be read back would pass for a death
                except Exception as exc:  # noqa: BLE001 -- a value that cannot travel
                    what = outcome[1] if not outcome[0] else exc
                    payload = pickle.dumps((False, RuntimeError(f"{type(what).__name__}: {what}")))
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> T:
        """What ``work()`` returned; what it raised is raised here, and a child that died
        without an answer (killed, out of memory) raises ``ChildDied``."""
        if self._reaped:
            raise ChildDied(f"process {self._pid} was already waited for")
        with os.fdopen(self._read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self._pid, 0)
        self._reaped = True
        try:
            ok, value = pickle.loads(payload)
        except Exception as exc:
            raise ChildDied(f"process {self._pid} ended without an answer") from exc
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def reap(self) -> None:
        """Stop waiting for an answer no one will read: the child is ended and waited for
        (no zombie, no open pipe left behind).  Nothing happens if ``result`` was called."""
        if self._reaped:
            return
        self._reaped = True
        os.close(self._read_end)
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)


class ChildDied(Exception):
    """A forked child ended without sending its result."""


def shares(items: Sequence[Item], weight: Callable[[Item], int], count: int) -> list[list[Item]]:
    """``items`` in at most ``count`` shares of about equal weight: heaviest first, each to
    the lightest share (no share is empty)."""
    parts: list[list[Item]] = [[] for _ in range(max(count, 1))]
    loads = [0] * len(parts)
    for item in sorted(items, key=weight, reverse=True):
        lightest = loads.index(min(loads))
        parts[lightest].append(item)
        loads[lightest] += weight(item)
    return [part for part in parts if part]


def in_shares(
    work: Callable[[list[Item]], dict[str, str]], parts: list[list[Item]]
) -> dict[str, str]:
    """``work`` over each share, the first in this process and the others in forked
    children (where forking is safe, see ``can_fork``; else here, one after another); the
    results merged.  Every child is waited for, whatever happens."""
    if len(parts) < 2 or not can_fork():
        done: dict[str, str] = {}
        for part in parts:
            done.update(work(part))
        return done
    children: list[Child[dict[str, str]]] = []
    try:
        for part in parts[1:]:
            children.append(Child.start(partial(work, part)))
        done = work(parts[0])
        for child in children:
            done.update(child.result())
        return done
    finally:
        for child in children:
            child.reap()
