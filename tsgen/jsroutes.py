"""Extract HTTP routes from the compiled `.js` files of Stainless-style SDKs (see tsgen.js)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tsgen.cache import Cache, code_version, key, unchanged_since_last_run
from tsgen.js import JsRoute, JsRouteWarning, Routes, extract_routes
from tsgen.js.calls import VERBS
from tsgen.workers import Background

__all__ = ["VERBS", "JsRoute", "JsRouteWarning", "RouteReader", "Routes", "extract_routes", "routes_of"]

Found = tuple[Routes, list[JsRouteWarning]]
_IN_WORKER_FROM = 16  # .js files: fewer are read in this process (a worker costs more than they do)


def routes_of(rel: str, source: bytes, cache_dir: Path | None, seen: Mapping[str, str]) -> Found:
    """`extract_routes`, from the cache by the file's bytes and the code that reads them (kept
    there for a file the last run read unchanged, as parses are)."""
    if cache_dir is None:
        return extract_routes(source)
    cache, entry = Cache(cache_dir, "parse"), key(code_version(), "routes", source)
    found = cache.get_object(entry)
    if isinstance(found, tuple) and len(found) == 2:
        return found
    routes = extract_routes(source)
    if unchanged_since_last_run(seen, rel, source):
        cache.put_object(entry, routes)
    return routes


def _read_all(root: Path, files: list[str], cache_dir: Path | None, seen: Mapping[str, str]) -> dict[str, Found]:
    """In the worker: the routes of each file that exists."""
    found: dict[str, Found] = {}
    for rel in files:
        try:
            source = (root / rel).read_bytes()
        except OSError:
            continue
        found[rel] = routes_of(rel, source, cache_dir, seen)
    return found


class RouteReader:
    """The routes of the `.js` files beside the converted declarations. Reading them does not
    depend on the declarations, so for a package of any size a worker process reads them while
    this one parses and lowers the declarations; a file not among them, or one the worker
    could not read, is read here."""

    def __init__(self, root: Path, files: list[str], cache_dir: Path | None, seen: Mapping[str, str]) -> None:
        self.cache_dir, self.seen = cache_dir, seen
        self._found: dict[str, Found] = {}
        jobs: list[tuple[object, ...]] = [(root, files, cache_dir, seen)] if len(files) >= _IN_WORKER_FROM else []
        self._background = Background(_read_all, jobs)

    def routes(self, rel: str, path: Path) -> Found:
        for found in self._background.results():
            self._found.update(found)
        if rel in self._found:
            return self._found[rel]
        return routes_of(rel, path.read_bytes(), self.cache_dir, self.seen)
