"""Extract HTTP routes from the compiled `.js` files of Stainless-style SDKs (see tsgen.js)."""

from tsgen.js import JsRoute, JsRouteWarning, Routes, extract_routes
from tsgen.js.calls import VERBS

__all__ = ["VERBS", "JsRoute", "JsRouteWarning", "Routes", "extract_routes"]
