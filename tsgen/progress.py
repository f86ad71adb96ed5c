"""Progress of a run: the phases (files parsed, declarations lowered, files written) with their
counts and times, shown as a progress bar on stderr when it is a terminal, and nothing
elsewhere. The pipeline reports through `phase` and `advance`, which cost nothing when no run
is watching (tests, `tsgen.generate.build`).

The bar is drawn by rich without its refresh thread: a process with a second thread cannot
fork safely, and the run forks (`tsgen.sharing`); the bar is redrawn as work advances, at most
ten times a second, and only once the run has lasted a moment (a run answered in a fraction of
a second shows nothing)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tsgen.records import record

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

_SHOWN_AFTER = 0.5  # seconds
_REDRAWN_EVERY = 0.1


@record(frozen=True)
class Phase:
    name: str
    count: int
    seconds: float


class Watch:
    """One run's phases as they happen; drawn when `display` (stderr is a terminal)."""

    def __init__(self, display: bool) -> None:
        self.display = display
        self.started = time.monotonic()
        self.done: list[Phase] = []
        self._name: str | None = None
        self._count = 0
        self._total: int | None = None
        self._since = self.started
        self._drawn = 0.0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def phase(self, name: str, total: int | None) -> None:
        self._close_phase()
        self._name, self._count, self._total, self._since = name, 0, total, time.monotonic()
        if self._bar is not None:
            self._task = self._bar.add_task(name, total=total)
        self._draw()

    def advance(self, n: int) -> None:
        self._count += n
        self._draw()

    def _close_phase(self) -> None:
        if self._name is not None:
            self.done.append(Phase(self._name, self._count, time.monotonic() - self._since))
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, completed=self._count, total=self._count, visible=False)

    def _draw(self) -> None:
        now = time.monotonic()
        if not self.display or now - self._drawn < _REDRAWN_EVERY or now - self.started < _SHOWN_AFTER:
            return
        self._drawn = now
        if self._bar is None:
            self._bar = _bar()
            self._bar.start()
            if self._name is not None:
                self._task = self._bar.add_task(self._name, total=self._total)
        if self._task is not None:
            self._bar.update(self._task, completed=self._count)
        self._bar.refresh()

    def suspend(self) -> None:
        """The bar taken off the terminal (for other lines to be written); drawn again, below
        them, as work advances."""
        if self._bar is not None:
            self._bar.stop()
            self._bar, self._task = None, None

    def close(self) -> None:
        self._close_phase()
        self._name = None
        self.suspend()


def _bar() -> Progress:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console, auto_refresh=False, transient=True)


_watch: Watch | None = None


def phase(name: str, total: int | None = None) -> None:
    """A phase of the run begins (the one before, if any, ends): `total` things to do, if known."""
    if _watch is not None:
        _watch.phase(name, total)


def advance(n: int = 1) -> None:
    if _watch is not None:
        _watch.advance(n)


def suspend() -> None:
    """The bar off the terminal while other lines are written (see `Watch.suspend`)."""
    if _watch is not None:
        _watch.suspend()


@contextlib.contextmanager
def watched(display: bool) -> Iterator[Watch]:
    """The run inside is watched: its phases recorded (and drawn when `display`)."""
    global _watch
    previous, _watch = _watch, Watch(display)
    try:
        yield _watch
    finally:
        _watch.close()
        _watch = previous
