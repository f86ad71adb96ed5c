"""Routes of the resource classes of a compiled `.js` file: for each method, the HTTP call it
makes, read from what the code does (see calls, flow, paths, options)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from tsgen.js.calls import PAGED, HttpCall, delegations, envelope, http_calls
from tsgen.js.flow import Evaluator
from tsgen.js.options import Options, read_options, sendable
from tsgen.js.paths import PathError, path_of
from tsgen.js.syntax import named, parser, position, string_value, text, unparen, walk
from tsgen.js.values import UNDEFINED, Param, Value, describe, field_uses, params_of
from tsgen.records import record


@record(frozen=True)
class JsRoute:
    """One method's HTTP call, in terms of the JS method's parameters (see tsgen.js.values)."""

    class_name: str
    method: str  # JS method name
    verb: str  # 'get' | 'post' | 'put' | 'patch' | 'delete' (after any `method:` override)
    path: str  # str.format template: '/threads/{threadId}/runs', literal braces doubled
    path_params: tuple[str, ...]  # the placeholder labels, in order
    path_values: tuple[Value, ...]  # the value of each placeholder
    body: Value | None
    query: Value | None
    headers: tuple[tuple[str, Value], ...]  # static (Lit) and from the parameters, in source order
    paginated: str | None  # page class for getAPIList, e.g. 'CursorPage'
    multipart: bool
    binary_response: bool
    stream: Value | None  # the `stream` option passed (the answer streams when it is true), None if none
    envelope: tuple[str, ...]  # the answer's field the method returns: ('result',); () for all of it
    line: int  # 1-based line of the method
    col: int  # 1-based column of the method
    multipart_when_files: bool = False  # multipart only when the body holds a file

    @property
    def params(self) -> set[str]:
        """The JS parameters the request is built from."""
        values = [*self.path_values, *(v for _, v in self.headers)]
        values += [v for v in (self.body, self.query) if v is not None]
        return set().union(*(params_of(v) for v in values))


@record(frozen=True)
class JsRouteWarning:
    class_name: str
    method: str
    line: int
    col: int
    message: str


Routes = dict[str, dict[str, JsRoute]]


class _Unsupported(Exception):
    """A call this module cannot rebuild (becomes a warning)."""


def _route(cls: str, name: str, method: Node, call: HttpCall) -> JsRoute:
    flow = Evaluator(method)
    paged = call.kind in PAGED
    args = list(call.args)
    page = args.pop(0 if call.kind == "requestAPIList" else 1) if paged and len(args) > (0 if call.kind == "requestAPIList" else 1) else None
    path_node = args.pop(0) if call.kind not in ("request", "requestAPIList") and args else None
    opts = read_options(flow.eval(args[0]) if args else UNDEFINED, Options())
    path_value = flow.eval(path_node) if path_node is not None else opts.path
    if path_value is None:
        raise _Unsupported(f"no path in this._client.{call.kind}(...)")
    try:
        path = path_of(path_value)
    except PathError as exc:
        raise _Unsupported(str(exc)) from None
    _check(opts)
    verb = opts.method or ("get" if paged or call.kind == "request" else call.kind)
    line, col = position(method)
    return JsRoute(
        cls, name, verb, path.template, path.labels, path.values, opts.body, opts.query, tuple(opts.headers),
        _page_name(page), opts.multipart, opts.binary_response, opts.stream, envelope(call.node, method), line, col,
        opts.multipart and opts.multipart_when_files,
    )  # fmt: skip


def _page_name(node: Node | None) -> str | None:
    if node is None:
        return None
    node = unparen(node)
    prop = node.child_by_field_name("property") if node.type == "member_expression" else None
    return text(prop or node, compact=True)


def _check(opts: Options) -> None:
    for slot, value in (("body", opts.body), ("query", opts.query), *((f"header {k!r}", v) for k, v in opts.headers)):
        if value is not None and not sendable(value):
            raise _Unsupported(f"{slot} not understood: {describe(value)}")


def _unsent(route: JsRoute) -> list[str]:
    """Keys destructured out of a parameter that the request does not send anywhere."""
    used = set().union(*(field_uses(v) for v in [*route.path_values, *(v for _, v in route.headers), route.body, route.query] if v is not None))
    problems = []
    for value in (route.body, route.query):
        if isinstance(value, Param) and value.via:
            problems.append(f"`{value.name}` goes through {value.via}(...) in the SDK first; sent as given")
        if isinstance(value, Param):
            lost = [k for k in value.omit if (value.name, k) not in used]
            if lost:
                problems.append(f"{', '.join(lost)} taken out of `{value.name}` but not sent where this analysis can see")
    return problems


def _method(cls: str, name: str, method: Node) -> tuple[JsRoute | None, list[str]]:
    calls = http_calls(method, name)
    if not calls:
        called = ", ".join(delegations(method, name))
        return None, ["no this._client HTTP call; the route is computed at run time" + (f" (calls {called})" if called else "")]
    routes: list[JsRoute] = []
    problems: list[str] = []
    for call in calls:
        try:
            routes.append(_route(cls, name, method, call))
        except _Unsupported as exc:
            problems.append(str(exc))
    if not routes:
        return None, problems
    distinct = list(dict.fromkeys((r.verb, r.path) for r in routes))
    chosen = routes[0]
    if len(distinct) > 1:
        problems.append(f"{len(calls)} HTTP calls ({', '.join(f'{v} {p}' for v, p in distinct)}); using the first")
    return chosen, problems + _unsent(chosen)


def _classes(root: Node) -> Iterator[Node]:
    """Classes extending APIResource, or a class of this file that does (`Zones extends BaseZones`)."""
    resources: set[str] = set()
    for node in walk(root):
        if node.type not in ("class_declaration", "class"):
            continue
        heritage = next((c for c in node.children if c.type == "class_heritage"), None)
        base = unparen(named(heritage)[0]) if heritage is not None and named(heritage) else None
        if base is not None and base.type == "member_expression":
            base = base.child_by_field_name("property")
        if base is not None and (text(base) == "APIResource" or text(base) in resources):
            resources.add(text(node.child_by_field_name("name")))
            yield node


def _methods(cls: Node) -> Iterator[tuple[str, Node]]:
    for member in named(cls.child_by_field_name("body")):
        if member.type == "method_definition":
            key = member.child_by_field_name("name")
            name = string_value(key) or text(key)
            static = any(c.type == "static" for c in member.children)
            if name != "constructor" and not static and key is not None and key.type != "private_property_identifier":
                yield name, member


def _collect(cls: Node, routes: Routes, warnings: list[JsRouteWarning]) -> None:
    cls_name = text(cls.child_by_field_name("name")) or "<anonymous>"
    table = routes.setdefault(cls_name, {})
    for name, method in _methods(cls):
        try:
            route, problems = _method(cls_name, name, method)
        except Exception as exc:  # never raise on odd input
            route, problems = None, [f"internal error: {exc!r}"]
        if route is not None:
            table.setdefault(name, route)
        line, col = position(method)
        warnings.extend(JsRouteWarning(cls_name, name, line, col, message) for message in problems)
    if not table:
        del routes[cls_name]


def extract_routes(source: bytes) -> tuple[Routes, list[JsRouteWarning]]:
    """class name -> JS method name -> route; plus a warning for each method of a resource
    class whose route could not be rebuilt, or that has more than one."""
    routes: Routes = {}
    warnings: list[JsRouteWarning] = []
    try:
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        root = parser().parse(data).root_node
    except Exception:  # never raise on odd input
        return routes, warnings
    for cls in _classes(root):
        _collect(cls, routes, warnings)
    return routes, warnings
