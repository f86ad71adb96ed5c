"""Routes from the compiled JavaScript of an SDK: what each resource method sends."""

from tsgen.js.routes import JsRoute, JsRouteWarning, Routes, extract_routes

__all__ = ["JsRoute", "JsRouteWarning", "Routes", "extract_routes"]
