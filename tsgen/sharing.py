"""Work shared with a forked process: rendering the modules of a lowered package.

Rendering a module reads the lowered package and nothing else, and its result is text, cheap
to send. So rather than this process rendering every module alone (while ruff waits for all of
them, or black's workers for the next), a child forked once the package is lowered renders every
other module of the list (it has the package as it is in this process's memory, copied on write) and
sends the texts back while this process renders the rest. Rendering is a pure function of the
package and the templates: the texts are the same bytes whichever process renders them.

A module the child could not render (an error in a template) is rendered here, which raises
the error as it would without a child; a child that is gone leaves its modules to this process.
Where there is no safe fork (macOS, Windows, or a process already running threads) everything is
rendered here."""

from __future__ import annotations

import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import multiprocessing
    import multiprocessing.context

T = TypeVar("T")
R = TypeVar("R")

SHARED_FROM = 24  # fewer jobs than this: forking costs more than it saves
_IN_FLIGHT = 4  # results the child may have sent and this process not taken yet (then it waits)


def _fork() -> multiprocessing.context.ForkContext | None:
    import multiprocessing

    if sys.platform in ("darwin", "win32") or threading.active_count() > 1:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _child(jobs: list[tuple[str, T]], work: Callable[[T], R], results: multiprocessing.Queue[tuple[str, R | None]]) -> None:
    """In the child: each job's result sent as it is done; at the first that fails, its path with
    None (the parent does it, and meets the error itself), and nothing more."""
    for path, job in jobs:
        try:
            results.put((path, work(job)))
        except Exception:
            results.put((path, None))
            return


class Shared(Generic[T, R]):
    """`work` done on each job, by this process and (where worth it) a forked child."""

    def __init__(self, jobs: list[tuple[str, T]], work: Callable[[T], R], allowed: bool = True) -> None:
        self.jobs, self.work = jobs, work
        self.allowed = allowed and len(jobs) >= SHARED_FROM

    def __iter__(self) -> Iterator[tuple[str, R]]:
        """(path, result) for every job, in no particular order."""
        context = _fork() if self.allowed else None
        jobs, self.jobs = deque(self.jobs), []  # each job released once done
        if context is None:
            while jobs:
                path, job = jobs.popleft()
                yield path, self.work(job)
            return
        mine, theirs = deque(jobs[i] for i in range(0, len(jobs), 2)), dict(jobs[i] for i in range(1, len(jobs), 2))
        jobs.clear()
        results: multiprocessing.Queue[tuple[str, R | None]] = context.Queue(_IN_FLIGHT)
        for stream in (sys.stdout, sys.stderr):  # or the child's copy of what is buffered is written too
            stream.flush()
        child = context.Process(target=_child, args=(list(theirs.items()), self.work, results), daemon=True)
        child.start()
        try:
            while mine:
                path, job = mine.popleft()
                yield path, self.work(job)
                yield from self._taken(results, theirs, wait=False)
            while theirs and (child.is_alive() or not results.empty()):
                yield from self._taken(results, theirs, wait=True)
            for path, job in list(theirs.items()):  # the child's, where it stopped or is gone
                del theirs[path]
                yield path, self.work(job)
        finally:
            if child.is_alive():
                child.terminate()
            child.join()
            results.close()

    def _taken(self, results: multiprocessing.Queue[tuple[str, R | None]], theirs: dict[str, T], wait: bool) -> Iterator[tuple[str, R]]:
        """The child's results that are here (with `wait`: the next one, waited for a moment)."""
        while theirs:
            try:
                path, result = results.get(timeout=0.1) if wait else results.get_nowait()
            except queue.Empty:
                return
            if result is None:
                return  # the child stopped at this job: it is left to this process
            del theirs[path]
            yield path, result
            wait = False
