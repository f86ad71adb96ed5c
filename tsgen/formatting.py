"""Formatting the rendered modules: black (the default), ruff, or none; across processes; and
cached by content, so that a module whose unformatted text was formatted before (with the same
formatter, version and settings) is never formatted again.

black's input is laid out by ruff first (see `_black_one`): black alone formats every module
twice, as its first pass always has something to change in rendered text.

The cache is a directory of files named by that key (safe to delete; never part of the output);
ruff's output is not kept there (ruff formats a module faster than its cache entry is read).
Formatting is a pure function of its input, so the output is the same whatever the number of
jobs and whatever the cache holds."""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tsgen.cache import Cache
from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError, template_error

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

FORMATTERS = ("black", "ruff", "none")
_IN_PROCESS_BELOW = 8  # fewer modules than this to format: not worth starting processes
_TO_SERVER_FROM = 3  # ... unless the fork server has black imported already; but one or two are
# still formatted here (importing black costs less than a worker's start and round trip)


@dataclass(frozen=True)
class FormatSettings:
    formatter: str = "black"
    line_length: int = 88
    jobs: int = 1  # processes formatting at once (black); 0: one per core
    cache_dir: Path | None = None  # None: no cache


@dataclass(frozen=True)
class Unformatted:
    text: str
    template: str  # reported when the text does not parse


def default_cache_dir() -> Path:
    """$TSGEN_CACHE_DIR, else $XDG_CACHE_HOME/tsgen, else ~/.cache/tsgen."""
    explicit = os.environ.get("TSGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tsgen"


def format_modules(sources: dict[str, Unformatted], settings: FormatSettings) -> dict[str, str]:
    """Each module formatted (path -> text), from the cache where it holds the module."""
    formatted = dict(format_stream(sources.items(), settings))
    return {path: formatted[path] for path in sources}


def format_stream(sources: Iterable[tuple[str, Unformatted]], settings: FormatSettings) -> Iterator[tuple[str, str]]:
    """Each module formatted as it comes (in an order of their finishing, not necessarily the
    order given): from the cache, by black in worker processes while later modules are still
    being rendered, or by one ruff run over a scratch directory. Nothing but a bounded window
    of modules is held in memory."""
    if settings.formatter == "none":
        yield from ((path, source.text) for path, source in sources)
        return
    prefix = _key_prefix(settings)
    # ruff formats a module in less time than writing and reading its cache entry takes
    cache = Cache(settings.cache_dir, "format") if settings.cache_dir is not None and settings.formatter != "ruff" else None
    engine: _Engine = _Ruff(settings) if settings.formatter == "ruff" else _Black(settings)
    try:
        for path, source in sources:
            key = hashlib.sha256((prefix + source.text).encode()).hexdigest()
            text = _cached(cache, key)
            if text is not None:
                yield path, text
                continue
            for path_, text_, key_ in engine.add(path, source, key):
                _keep(cache, key_, text_)
                yield path_, text_
        for path_, text_, key_ in engine.finish():
            _keep(cache, key_, text_)
            yield path_, text_
    finally:
        engine.close()


def _cached(cache: Cache | None, key: str) -> str | None:
    data = cache.get(key) if cache is not None else None
    try:
        return data.decode() if data is not None else None
    except UnicodeDecodeError:
        return None


def _keep(cache: Cache | None, key: str, text: str) -> None:
    if cache is not None:
        cache.put(key, text.encode())


class _Engine(Protocol):
    def add(self, path: str, source: Unformatted, key: str) -> Iterator[tuple[str, str, str]]: ...
    def finish(self) -> Iterator[tuple[str, str, str]]: ...
    def close(self) -> None: ...


def _key_prefix(settings: FormatSettings) -> str:
    return f"{settings.formatter}\0{formatter_version(settings.formatter)}\0{settings.line_length}\0py310\0"


@functools.lru_cache(maxsize=4)
def formatter_version(name: str) -> str:
    """The installed formatter's version (in the cache key and in the manifest's stamp); a ruff
    binary without its Python package says its own."""
    if name not in ("black", "ruff"):
        return ""
    own = _installed_version(name)
    if own is None:
        if name == "ruff":
            return subprocess.run([ruff_binary(), "--version"], capture_output=True, text=True, check=True).stdout.strip()
        return "?"
    if name == "black":  # black after ruff: the output can depend on both
        return f"{own} (after ruff {formatter_version('ruff')})" if _ruff_or_none() else own
    return own


def _installed_version(name: str) -> str | None:
    """The version of an installed distribution (None: not installed): from the name of its
    `NAME-VERSION.dist-info` directory beside the package, as installers lay it out (a tenth of
    the time importlib.metadata takes, which imports the email package to read the metadata);
    where there is no such one directory, from importlib.metadata."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is not None and spec.origin:
        site = os.path.dirname(os.path.dirname(spec.origin))
        prefix, suffix = f"{name}-", ".dist-info"
        try:
            found = [entry for entry in os.listdir(site) if entry.startswith(prefix) and entry.endswith(suffix)]
        except OSError:
            found = []
        if len(found) == 1:
            return found[0][len(prefix) : -len(suffix)]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _not_python(template: str, message: str) -> TsgenError:
    return template_error(template or "<template>", 1, f"the rendered module is not valid Python ({message})")


# ---- black ----


def _black_one(text: str, line_length: int, ruff: str | None = None) -> tuple[str | None, str | None]:
    """black's layout of `text`. black formats twice whenever its first pass changes anything
    (its output must be stable), and the rendered text always needs changes: laid out by ruff
    first (black-compatible, a hundred times faster), black's first pass nearly always finds
    nothing to change, and there is no second. The output is black's either way: where ruff
    and black disagree, black's passes decide. When ruff cannot format the text, black has it
    as it is (and reports what is wrong with it)."""
    import black

    mode = black.Mode(line_length=line_length, target_versions={black.mode.TargetVersion.PY310})
    if ruff is not None:
        text = _ruff_one(ruff, text, line_length) or text
    try:
        return black.format_str(text, mode=mode), None
    except black.parsing.InvalidInput as exc:
        return None, str(exc)


def _ruff_one(ruff: str, text: str, line_length: int) -> str | None:
    command = [ruff, "format", "--isolated", "--no-cache", "--line-length", str(line_length), "--target-version", "py310", "-"]
    try:
        result = subprocess.run(command, input=text.encode(), capture_output=True)
    except OSError:
        return None
    return result.stdout.decode() if result.returncode == 0 else None


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers started from a small server process that has imported black, not forked from
    this one: by the time modules are formatted this process holds the whole package's model,
    which forked workers would carry (and count) for nothing. Where there is no fork server
    (Windows), the platform's default."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["black", "tsgen.formatting"])
    return context


_server_started = False  # black's fork server, by `prepare`


def prepare(formatter: str, jobs: int) -> None:
    """Start black's fork server now: it imports black in a process of its own, on another core,
    while this one parses and lowers the package. Then a handful of modules left to format (from
    `_TO_SERVER_FROM`) go to workers that have black ready, rather than to black imported here."""
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
    way (each full collection would walk them again). black makes many short-lived objects, a
    module's syntax tree (its cycles, parent to child and back, are freed by the collector):
    collecting every 20,000 new objects rather than 700 formats about a tenth faster and still
    frees each module's tree soon after it is done."""
    import gc

    import black  # noqa: F401

    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


class _Black:
    """black in this process for a handful of modules (unless `prepare` started the fork
    server); else in `jobs` worker processes, started once that many are waiting, each module
    sent as soon as it is rendered; results are taken as they are done, whatever their order,
    with a few modules per worker in flight (so a worker busy with a large module never holds
    the others up). When a module does not parse, the error reported is that of the first such
    module sent, whatever finished first."""

    def __init__(self, settings: FormatSettings) -> None:
        self.settings = settings
        self.jobs = settings.jobs or os.cpu_count() or 1
        self.waiting: list[tuple[str, Unformatted, str]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.flight: list[_InFlight] = []
        self.ruff = _ruff_or_none()

    def add(self, path: str, source: Unformatted, key: str) -> Iterator[tuple[str, str, str]]:
        if self.pool is None:
            self.waiting.append((path, source, key))
            if self.jobs <= 1 or len(self.waiting) < _IN_PROCESS_BELOW:
                return
            self._start(self.jobs)
        else:
            self._submit(path, source, key)
        yield from self._done(block=len(self.flight) > 4 * self.jobs)

    def _start(self, workers: int) -> None:
        """The worker processes started, and every module waiting sent to them."""
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(), initializer=_worker_start)
        pending, self.waiting = self.waiting, []
        for item in pending:
            self._submit(*item)

    def _submit(self, path: str, source: Unformatted, key: str) -> None:
        assert self.pool is not None
        self.flight.append(_InFlight(path, source, key, self.pool.submit(_black_one, source.text, self.settings.line_length, self.ruff)))

    def finish(self) -> Iterator[tuple[str, str, str]]:
        if len(self.waiting) >= _TO_SERVER_FROM and _server_started and self.jobs > 1:  # black is imported there already
            self._start(min(self.jobs, len(self.waiting)))
        for path, source, key in self.waiting:
            yield self._checked(path, source, key, _black_one(source.text, self.settings.line_length, self.ruff))
        self.waiting = []
        while self.flight:
            yield from self._done(block=True)

    def _done(self, block: bool) -> Iterator[tuple[str, str, str]]:
        if block:
            from concurrent.futures import FIRST_COMPLETED, wait

            wait([f.future for f in self.flight], return_when=FIRST_COMPLETED)
        done = [f for f in self.flight if f.future.done()]
        self.flight = [f for f in self.flight if not f.future.done()]
        if any(f.future.result()[0] is None for f in done):
            self._fail(done)
        for f in done:
            yield self._checked(f.path, f.source, f.key, f.future.result())

    def _fail(self, done: list[_InFlight]) -> None:
        """Raise the error of the first module sent that does not parse (the others still in
        flight are waited for: one of them may have been sent earlier)."""
        everything = sorted(done + self.flight, key=lambda f: f.order)
        self.flight = []
        for f in everything:
            self._checked(f.path, f.source, f.key, f.future.result())

    @staticmethod
    def _checked(path: str, source: Unformatted, key: str, result: tuple[str | None, str | None]) -> tuple[str, str, str]:
        text, error = result
        if text is None:
            raise _not_python(source.template, error or "")
        return path, text, key

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


@dataclass
class _InFlight:
    path: str
    source: Unformatted
    key: str
    future: Future[tuple[str | None, str | None]]
    order: int = field(default_factory=itertools.count().__next__)


# ---- ruff ----


@functools.lru_cache(maxsize=1)
def ruff_binary() -> str:
    """The `ruff` executable of the ruff Python package (no network, no PATH lookup first)."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        candidate = Path(sys.executable).parent / "ruff"
        if candidate.is_file():
            return str(candidate)
        raise TsgenError([Diagnostic(Level.ERROR, Pos("<config>", 1, 1), "formatter `ruff`: the ruff package is not installed (pip install ruff)")]) from None


def _ruff_or_none() -> str | None:
    """ruff's binary, for laying out black's input; None where it is missing (black alone)."""
    try:
        return ruff_binary()
    except TsgenError:
        return None


class _Ruff:
    """Each module written to a scratch directory as it comes; one `ruff format` over all of
    them at the end (ruff is parallel itself); read back one by one."""

    def __init__(self, settings: FormatSettings) -> None:
        self.settings = settings
        self.scratch: tempfile.TemporaryDirectory[str] | None = None
        self.files: list[tuple[str, Path, str, str]] = []  # path, scratch file, template, key

    def add(self, path: str, source: Unformatted, key: str) -> Iterator[tuple[str, str, str]]:
        if self.scratch is None:
            self.scratch = tempfile.TemporaryDirectory(prefix="tsgen-ruff-")
        file = Path(self.scratch.name) / f"m{len(self.files)}.py"
        file.write_text(source.text, encoding="utf-8")
        self.files.append((path, file, source.template, key))
        return iter(())

    def finish(self) -> Iterator[tuple[str, str, str]]:
        if self.scratch is None:
            return
        settings = self.settings
        command = [ruff_binary(), "format", "--isolated", "--no-cache", "--line-length", str(settings.line_length), "--target-version", "py310", self.scratch.name]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            bad = next((t for _, f, t, _ in self.files if f"{os.sep}{f.name}:" in result.stderr), self.files[0][2])
            raise _not_python(bad, result.stderr.strip().splitlines()[0] if result.stderr.strip() else "ruff failed")
        for path, file, _, key in self.files:
            yield path, file.read_text(encoding="utf-8"), key

    def close(self) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None
