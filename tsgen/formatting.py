"""Formatting the rendered modules: black (the default), ruff, or none; across processes; and
cached by content, so that a module whose unformatted text was formatted before (with the same
formatter, version and settings) is never formatted again.

The cache is a directory of files named by that key (safe to delete; never part of the output).
Formatting is a pure function of its input, so the output is the same whatever the number of
jobs and whatever the cache holds."""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError, template_error

FORMATTERS = ("black", "ruff", "none")
_IN_PROCESS_BELOW = 8  # fewer modules than this to format: not worth starting processes


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
    if settings.formatter == "none":
        return {path: source.text for path, source in sources.items()}
    prefix = _key_prefix(settings)
    keys = {path: hashlib.sha256((prefix + source.text).encode()).hexdigest() for path, source in sources.items()}
    cache = _Cache(settings.cache_dir) if settings.cache_dir is not None else None
    done = {path: text for path in sources if cache is not None and (text := cache.get(keys[path])) is not None}
    todo = {path: source for path, source in sources.items() if path not in done}
    formatted = _ruff(todo, settings) if settings.formatter == "ruff" else _black_all(todo, settings)
    for path, text in formatted.items():
        if cache is not None:
            cache.put(keys[path], text)
    return {path: done.get(path, formatted.get(path, "")) for path in sources}


def _key_prefix(settings: FormatSettings) -> str:
    return f"{settings.formatter}\0{formatter_version(settings.formatter)}\0{settings.line_length}\0py310\0"


@functools.lru_cache(maxsize=4)
def formatter_version(name: str) -> str:
    if name == "black":
        from importlib.metadata import version

        return version("black")
    if name == "ruff":
        return subprocess.run([ruff_binary(), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return ""


def _not_python(template: str, message: str) -> TsgenError:
    return template_error(template or "<template>", 1, f"the rendered module is not valid Python ({message})")


# ---- black ----


def _black_one(text: str, line_length: int) -> tuple[str | None, str | None]:
    import black

    mode = black.Mode(line_length=line_length, target_versions={black.mode.TargetVersion.PY310})
    try:
        return black.format_str(text, mode=mode), None
    except black.parsing.InvalidInput as exc:
        return None, str(exc)


def _black_all(todo: dict[str, Unformatted], settings: FormatSettings) -> dict[str, str]:
    jobs = settings.jobs or os.cpu_count() or 1
    paths = sorted(todo)
    texts = [todo[p].text for p in paths]
    if jobs <= 1 or len(paths) < _IN_PROCESS_BELOW:
        results = [_black_one(t, settings.line_length) for t in texts]
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
            results = list(pool.map(_black_one, texts, [settings.line_length] * len(texts), chunksize=max(1, len(texts) // (jobs * 4))))
    formatted = {}
    for path, (text, error) in zip(paths, results):
        if text is None:
            raise _not_python(todo[path].template, error or "")
        formatted[path] = text
    return formatted


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


def _ruff(todo: dict[str, Unformatted], settings: FormatSettings) -> dict[str, str]:
    """One `ruff format` over a scratch directory holding every module (ruff is parallel itself)."""
    if not todo:
        return {}
    with tempfile.TemporaryDirectory(prefix="tsgen-ruff-") as scratch:
        files = {path: Path(scratch) / f"m{i}.py" for i, path in enumerate(sorted(todo))}
        for path, file in files.items():
            file.write_text(todo[path].text, encoding="utf-8")
        command = [ruff_binary(), "format", "--isolated", "--no-cache", "--line-length", str(settings.line_length), "--target-version", "py310", scratch]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            bad = next((p for p, f in files.items() if f.name in result.stderr), next(iter(todo)))
            raise _not_python(todo[bad].template, result.stderr.strip().splitlines()[0] if result.stderr.strip() else "ruff failed")
        return {path: file.read_text(encoding="utf-8") for path, file in files.items()}


# ---- the cache ----


class _Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / "format"

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> str | None:
        try:
            return self._file(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, text: str) -> None:
        """Written whole or not at all (a temporary file renamed); a cache that cannot be written is skipped."""
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp") as handle:
                handle.write(text)
            os.replace(handle.name, target)
        except OSError:
            pass


def entries(root: Path) -> Iterator[Path]:
    """The cache's files (for `tsgen cache` listings and tests)."""
    yield from (p for p in (root / "format").rglob("*") if p.is_file())
