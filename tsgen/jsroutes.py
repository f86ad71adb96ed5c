"""Extract HTTP routes from the compiled `.js` files of Stainless-style SDKs (see tsgen.js)."""

from __future__ import annotations

import pickle
from pathlib import Path

from tsgen.cache import Cache, code_version, key
from tsgen.js import JsRoute, JsRouteWarning, Routes, extract_routes
from tsgen.js.calls import VERBS
from tsgen.workers import Background

__all__ = ["VERBS", "JsRoute", "JsRouteWarning", "RouteReader", "Routes", "extract_routes", "routes_of"]

Found = tuple[Routes, list[JsRouteWarning]]
_IN_WORKER_FROM = 16  # .js files: fewer are read in this process (a worker costs more than they do)


def routes_of(source: bytes, cache_dir: Path | None, admit: bool = True) -> tuple[Routes, list[JsRouteWarning]]:
    """`extract_routes`, kept in the cache by the file's bytes (and the code that reads them);
    written there only when `admit` (see `Program._parsed`)."""
    if cache_dir is None:
        return extract_routes(source)
    cache, entry = Cache(cache_dir, "parse"), key(code_version(), "routes", source)
    data = cache.get(entry)
    if data is not None:
        try:
            cached: tuple[Routes, list[JsRouteWarning]] = pickle.loads(data)
            if isinstance(cached, tuple) and len(cached) == 2:
                return cached
        except Exception:  # a damaged entry: read the file again
            pass
    found = extract_routes(source)
    if admit:
        cache.put(entry, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    return found


def _read_all(root: Path, files: list[str], cache_dir: Path | None, seen: frozenset[str]) -> dict[str, Found]:
    """In the worker: the routes of each file that exists."""
    found: dict[str, Found] = {}
    for rel in files:
        try:
            source = (root / rel).read_bytes()
        except OSError:
            continue
        found[rel] = routes_of(source, cache_dir, admit=rel in seen)
    return found


class RouteReader:
    """The routes of the `.js` files beside the converted declarations. Reading them does not
    depend on the declarations, so for a package of any size a worker process reads them while
    this one parses and lowers the declarations; a file not among them, or one the worker
    could not read, is read here."""

    def __init__(self, root: Path, files: list[str], cache_dir: Path | None, seen: frozenset[str]) -> None:
        self.cache_dir, self.seen = cache_dir, seen
        self._found: dict[str, Found] = {}
        jobs: list[tuple[object, ...]] = [(root, files, cache_dir, seen)] if len(files) >= _IN_WORKER_FROM else []
        self._background = Background(_read_all, jobs)

    def routes(self, rel: str, path: Path) -> Found:
        for found in self._background.results():
            self._found.update(found)
        if rel in self._found:
            return self._found[rel]
        return routes_of(path.read_bytes(), self.cache_dir, admit=rel in self.seen)
