"""black, the default formatter: in this process for a handful of modules, else in worker
processes started from a fork server that has black imported, modules sent in batches.

black formats twice whenever its first pass changes anything (its output must be stable), and
rendered text always needs changes. So each module is laid out by ruff first (black-compatible,
a hundred times faster): black's first pass nearly always finds nothing to change, and there is
no second. The output is black's either way: where ruff and black disagree, black's passes
decide. When ruff cannot format a text, black has it as it is (and reports what is wrong with it).

Small modules go to a worker together (a batch of about `_BATCH_CHARS`): ruff starts once per
batch, not once per module (on a package of 1,900 modules, starting ruff was 7 s of CPU time)."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tsgen.formatting import FormatSettings, Unformatted, not_python, ruff_or_none

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

_IN_PROCESS_BELOW = 8  # fewer modules than this to format: not worth starting processes (unless
# the fork server has black imported already: then even one module goes to a worker, rather than
# importing black here)
_BATCH_CHARS = 64_000  # modules sent to a worker together, up to about this much text

Item = tuple[str, Unformatted, str]  # path, text, cache key
Result = tuple[str | None, str | None]  # the formatted text, or None and black's error


def black_many(texts: list[str], line_length: int, ruff: str | None = None) -> list[Result]:
    """black's layout of each text (laid out by one ruff run over all of them first); in a worker
    (the collector off), the collector run after each."""
    import gc

    import black

    mode = black.Mode(line_length=line_length, target_versions={black.mode.TargetVersion.PY310})
    results: list[Result] = []
    for text in _ruff_many(ruff, texts, line_length) if ruff is not None else texts:
        try:
            results.append((black.format_str(text, mode=mode), None))
        except black.parsing.InvalidInput as exc:
            results.append((None, str(exc)))
        if not gc.isenabled():
            gc.collect()
    return results


def _ruff_command(ruff: str, line_length: int) -> list[str]:
    return [ruff, "format", "--isolated", "--no-cache", "--line-length", str(line_length), "--target-version", "py310"]


def _ruff_many(ruff: str, texts: list[str], line_length: int) -> list[str]:
    """Each text as ruff lays it out; as it is where ruff cannot (ruff formats the files it can
    parse, and leaves the others as they are)."""
    if len(texts) == 1:
        try:
            done = subprocess.run([*_ruff_command(ruff, line_length), "-"], input=texts[0].encode(), capture_output=True)
        except OSError:
            return texts
        return [done.stdout.decode()] if done.returncode == 0 else texts
    scratch = tempfile.mkdtemp(prefix="tsgen-black-")
    try:
        files = [os.path.join(scratch, f"m{i}.py") for i in range(len(texts))]
        for file, text in zip(files, texts):
            with open(file, "w", encoding="utf-8") as f:
                f.write(text)
        try:
            subprocess.run([*_ruff_command(ruff, line_length), *files], capture_output=True)
        except OSError:
            return texts
        out = []
        for file in files:
            with open(file, encoding="utf-8") as f:
                out.append(f.read())
        return out
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers started from a small server process that has imported black, not forked from
    this one: by the time modules are formatted this process holds the whole package's model,
    which forked workers would carry (and count) for nothing. Where there is no fork server
    (Windows), the platform's default."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["black", "tsgen.blackpool"])
    return context


_server_started = False  # black's fork server, by `prepare`


def prepare(formatter: str, jobs: int) -> None:
    """Start black's fork server now: it imports black in a process of its own, on another core,
    while this one parses and lowers the package. Then the modules left to format, however few,
    go to workers that have black ready, rather than to black imported here (after one input
    changed, the one or two modules that come out different: 3% faster on openai's 78 files)."""
    import multiprocessing

    if formatter != "black" or (jobs or os.cpu_count() or 1) <= 1 or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    global _server_started
    _worker_context()
    forkserver.ensure_running()
    _server_started = True


def _worker_start() -> None:
    """black and its grammar, imported, are there for the worker's life: out of the collector's
    way (each full collection would walk them again). black makes a syntax tree per module whose
    cycles (parent to child and back) only the collector frees: rather than collecting every
    700 new objects (a tenth of black's time went there, most of it walking the tree of the
    module still being formatted), the collector is off and `black_many` collects once after
    each module (a module's tree and its garbage are held until it is done: 200 MB for 1.4 MB
    of Python)."""
    import gc

    import black  # noqa: F401

    gc.freeze()
    gc.disable()


@dataclass
class _InFlight:
    items: list[Item]
    future: Future[list[Result]]
    order: int = field(default_factory=itertools.count().__next__)


class Black:
    """black in this process for a handful of modules (unless `prepare` started the fork
    server); else in `jobs` worker processes, started once that many are waiting, modules sent
    as they are rendered (in batches of about `_BATCH_CHARS`); results are taken as they are
    done, whatever their order, with a few batches per worker in flight (so a worker busy with a
    large module never holds the others up). When a module does not parse, the error reported
    is that of the first such module sent, whatever finished first."""

    def __init__(self, settings: FormatSettings) -> None:
        self.settings = settings
        self.jobs = settings.jobs or os.cpu_count() or 1
        self.waiting: list[Item] = []  # not sent yet: before the workers start, or a batch filling
        self.pool: ProcessPoolExecutor | None = None
        self.flight: list[_InFlight] = []
        self.ruff = ruff_or_none()

    def add(self, path: str, source: Unformatted, key: str) -> Iterator[tuple[str, str, str]]:
        self.waiting.append((path, source, key))
        if self.pool is None and self.jobs > 1 and len(self.waiting) >= _IN_PROCESS_BELOW:
            self._start(self.jobs)
        if self.pool is not None:
            self._send(whole_batches_only=True)
            yield from self._done(block=len(self.flight) > 4 * self.jobs)
        elif self.jobs <= 1 and sum(len(s.text) for _, s, _ in self.waiting) >= _BATCH_CHARS:
            yield from self._here()

    def _start(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(), initializer=_worker_start)

    def _send(self, whole_batches_only: bool) -> None:
        """The modules waiting sent in batches, each of about `_BATCH_CHARS` (or one module);
        with `whole_batches_only`, the last batch waits until it is full."""
        assert self.pool is not None
        batch: list[Item] = []
        size = 0
        for item in self.waiting:
            batch.append(item)
            size += len(item[1].text)
            if size >= _BATCH_CHARS:
                self._submit(batch)
                batch, size = [], 0
        self.waiting = batch if whole_batches_only else []
        if batch and not whole_batches_only:
            self._submit(batch)

    def _submit(self, batch: list[Item]) -> None:
        assert self.pool is not None
        texts = [source.text for _, source, _ in batch]
        self.flight.append(_InFlight(batch, self.pool.submit(black_many, texts, self.settings.line_length, self.ruff)))

    def finish(self) -> Iterator[tuple[str, str, str]]:
        if self.pool is None and self.waiting and _server_started and self.jobs > 1:
            self._start(min(self.jobs, len(self.waiting)))  # black is imported there already
        if self.pool is not None:
            self._send(whole_batches_only=False)
        elif self.waiting:
            yield from self._here()
        while self.flight:
            yield from self._done(block=True)

    def _here(self) -> Iterator[tuple[str, str, str]]:
        """The modules waiting formatted in this process."""
        waiting, self.waiting = self.waiting, []
        done = black_many([source.text for _, source, _ in waiting], self.settings.line_length, self.ruff)
        yield from map(self._checked, waiting, done)

    def _done(self, block: bool) -> Iterator[tuple[str, str, str]]:
        if block:
            from concurrent.futures import FIRST_COMPLETED, wait

            wait([f.future for f in self.flight], return_when=FIRST_COMPLETED)
        done = [f for f in self.flight if f.future.done()]
        self.flight = [f for f in self.flight if not f.future.done()]
        if any(text is None for f in done for text, _ in f.future.result()):
            self._fail(done)
        for f in done:
            yield from map(self._checked, f.items, f.future.result())

    def _fail(self, done: list[_InFlight]) -> None:
        """Raise the error of the first module sent that does not parse (the others still in
        flight are waited for: one of them may have been sent earlier)."""
        everything = sorted(done + self.flight, key=lambda f: f.order)
        self.flight = []
        for f in everything:
            for item, result in zip(f.items, f.future.result()):
                self._checked(item, result)

    @staticmethod
    def _checked(item: Item, result: Result) -> tuple[str, str, str]:
        path, source, key = item
        text, error = result
        if text is None:
            raise not_python(source.template, error or "")
        return path, text, key

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
