"""Formatting the rendered modules: black (the default), ruff, or none; across processes; and
cached by content, so that a module whose unformatted text was formatted before (with the same
formatter, version and settings) is never formatted again.

black formats in worker processes (`tsgen.blackpool`), its input laid out by ruff first.

The cache is a directory of files named by that key (safe to delete; never part of the output);
ruff's output is not kept there (ruff formats a module faster than its cache entry is read).
Formatting is a pure function of its input, so the output is the same whatever the number of
jobs and whatever the cache holds."""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from tsgen.cache import Cache
from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError, template_error
from tsgen.records import record

FORMATTERS = ("black", "ruff", "none")


@record(frozen=True)
class FormatSettings:
    formatter: str = "black"
    line_length: int = 88
    jobs: int = 1  # processes formatting at once (black); 0: one per core
    cache_dir: Path | None = None  # None: no cache


@record(frozen=True)
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
    engine: _Engine = _Ruff(settings) if settings.formatter == "ruff" else _black(settings)
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


def _black(settings: FormatSettings) -> _Engine:
    from tsgen.blackpool import Black  # black's workers and their pool: only when black formats

    return Black(settings)


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
        return f"{own} (after ruff {formatter_version('ruff')})" if ruff_or_none() else own
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


def not_python(template: str, message: str) -> TsgenError:
    return template_error(template or "<template>", 1, f"the rendered module is not valid Python ({message})")


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


def ruff_or_none() -> str | None:
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
            raise not_python(bad, result.stderr.strip().splitlines()[0] if result.stderr.strip() else "ruff failed")
        for path, file, _, key in self.files:
            yield path, file.read_text(encoding="utf-8"), key

    def close(self) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None
