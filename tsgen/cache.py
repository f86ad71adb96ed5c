"""A content-addressed cache on disk: entries named by a key that hashes everything their value
depends on, so an entry is never stale, only unused. Safe to delete at any time; a cache that
cannot be read or written is skipped (the run does the work instead).

Two kinds share it: formatted modules (`format/`, keyed by the unformatted text, the formatter,
its version and settings) and parsed declaration files (`parse/`, keyed by the file's bytes, its
path and the code of tsgen that parses it)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path


class Cache:
    def __init__(self, root: Path, kind: str) -> None:
        self.root = root / kind
        self._made: set[Path] = set()

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> bytes | None:
        try:
            return self._file(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Written whole or not at all (a temporary file renamed)."""
        target = self._file(key)
        temporary = target.with_name(f"{key}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            if target.parent not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()


    def get_object(self, key: str) -> object | None:
        """A pickled entry (the code that wrote it is part of its key, see `code_version`); None
        when there is none or it is damaged (truncated, foreign): the caller does the work again."""
        data = self.get(key)
        if data is None:
            return None
        try:
            value: object = pickle.loads(data)
        except Exception:
            return None
        return value

    def put_object(self, key: str, value: object) -> None:
        self.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def unchanged_since_last_run(seen: Mapping[str, str], rel: str, source: bytes) -> bool:
    """Whether the previous run read this file with these bytes: what a run keeps in the cache
    (a first run, a one-off conversion or a CI job on a fresh machine do not pay for writing
    entries no later run would read)."""
    return seen.get(rel) == hashlib.sha256(source).hexdigest()


def key(*parts: str | bytes) -> str:
    """The hash of the parts, each length-prefixed (no two sequences of parts share a key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The hash of tsgen's own Python sources: a parse made by other code is never reused (a
    release number alone would not change while tsgen is being developed)."""
    package = Path(__file__).parent
    return key(*(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes() for p in sorted(package.rglob("*.py"))))


def entries(root: Path, kind: str) -> Iterator[Path]:
    """The files of one kind of entry (for tests and listings)."""
    yield from (p for p in (root / kind).rglob("*") if p.is_file() and p.suffix != ".tmp")
