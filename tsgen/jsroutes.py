"""Extract HTTP routes from the compiled `.js` files of Stainless-style SDKs (see tsgen.js)."""

from __future__ import annotations

import pickle
from pathlib import Path

from tsgen.cache import Cache, code_version, key
from tsgen.js import JsRoute, JsRouteWarning, Routes, extract_routes
from tsgen.js.calls import VERBS

__all__ = ["VERBS", "JsRoute", "JsRouteWarning", "Routes", "extract_routes", "routes_of"]


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
