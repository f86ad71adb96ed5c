"""What an SDK's compiled JavaScript does: the routes of its resource methods, its root
client's defaults, and how its page classes ask for the next page."""

from tsgen.js.client import ClientOptionSpec, ClientSpec, JsClientWarning, read_client
from tsgen.js.pages import JsPageWarning, NextRule, NextValue, PageSpec, read_pages
from tsgen.js.routes import JsRoute, JsRouteWarning, Routes, extract_routes

__all__ = [
    "ClientOptionSpec", "ClientSpec", "JsClientWarning", "JsPageWarning", "JsRoute", "JsRouteWarning", "NextRule",
    "NextValue", "PageSpec", "Routes", "extract_routes", "read_client", "read_pages",
]  # fmt: skip
