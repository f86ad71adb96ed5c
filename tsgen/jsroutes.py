"""Extract HTTP routes (``this._client.<verb>(path, options)`` and
``this._client.getAPIList(path, Page, options)`` calls) from the compiled ``.js``
files of Stainless-style SDKs; methods not understood yield a JsRouteWarning."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import tree_sitter_typescript as tst
from tree_sitter import Language, Node, Parser

VERBS = frozenset({"get", "post", "put", "patch", "delete"})
_PAGED = "getAPIList"


@dataclass(frozen=True)
class JsRoute:
    class_name: str
    method: str  # JS method name
    verb: str  # 'get' | 'post' | 'put' | 'patch' | 'delete'
    path: str  # str.format template keeping JS identifiers: '/threads/{threadId}/runs'
    path_params: tuple[str, ...]  # JS identifiers used in the path, in order
    body: str | None  # identifier passed as body (compact source text if not a name)
    query: str | None  # identifier passed as query (compact source text if not a name)
    headers: tuple[tuple[str, str], ...]  # static string headers, in source order
    paginated: str | None  # page class for getAPIList, e.g. 'CursorPage'
    multipart: bool
    binary_response: bool
    stream: bool  # a `stream` option is passed, so the request may stream
    line: int  # 1-based line of the method
    col: int  # 1-based column of the method


@dataclass(frozen=True)
class JsRouteWarning:
    class_name: str
    method: str
    line: int
    col: int
    message: str


Routes = dict[str, dict[str, JsRoute]]


class _Unsupported(Exception):
    """A call shape this module does not understand (becomes a warning)."""


@dataclass
class _Options:
    """The JsRoute fields read from the request options."""

    body: str | None = None
    query: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    paginated: str | None = None
    multipart: bool = False
    binary_response: bool = False
    stream: bool = False


@functools.cache
def _parser() -> Parser:
    return Parser(Language(tst.language_typescript()))


def _text(node: Node | None, compact: bool = False) -> str:
    raw = node.text if node is not None and node.text is not None else b""
    text = raw.decode("utf-8", "replace")
    return " ".join(text.split()) if compact else text


def _walk(node: Node, skip: Callable[[Node], bool] = lambda _n: False) -> Iterator[Node]:
    """Pre-order traversal in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        if not skip(current):
            yield current
            stack.extend(reversed(current.children))


def _string_value(node: Node | None) -> str | None:
    """Content of a string literal or substitution-free template, else None."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(c.type == "template_substitution" for c in node.children):
        return None
    return _text(node)[1:-1]


def _key_name(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    value = _string_value(key)
    return _text(key) if value is None else value


def _extends_api_resource(cls: Node) -> bool:
    for heritage in (c for c in cls.children if c.type == "class_heritage"):
        for clause in (c for c in heritage.children if c.type == "extends_clause"):
            value = clause.child_by_field_name("value")
            if value is not None and value.type == "member_expression":
                value = value.child_by_field_name("property")
            if _text(value) == "APIResource":
                return True
    return False


def _methods(cls: Node) -> Iterator[tuple[str, Node]]:
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        if member.type == "method_definition":
            name = member.child_by_field_name("name")
            text = _string_value(name) or _text(name)
            if text != "constructor":
                yield text, member


def _http_kind(node: Node) -> str | None:
    """'get'/'post'/.../'getAPIList' for a `this._client.<kind>(...)` call."""
    func = node.child_by_field_name("function") if node.type == "call_expression" else None
    if func is None or func.type != "member_expression":
        return None
    kind = _text(func.child_by_field_name("property"))
    target = _text(func.child_by_field_name("object"), compact=True)
    return kind if target == "this._client" and (kind in VERBS or kind == _PAGED) else None


def _is_guard_branch(node: Node) -> bool:
    """The `if (isRequestOptions(x)) { return this.m(...) }` overload branch."""
    parent = node.parent
    if parent is None or parent.type != "if_statement":
        return False
    guard = "isRequestOptions" in _text(parent.child_by_field_name("condition"))
    return guard and parent.child_by_field_name("consequence") == node


def _resolve(node: Node, scope: Node) -> Node:
    """The initial value of a local `const name = ...` when node is `name`."""
    if node.type != "identifier":
        return node
    for decl in (n for n in _walk(scope) if n.type == "variable_declarator"):
        value = decl.child_by_field_name("value")
        if value is not None and _text(decl.child_by_field_name("name")) == _text(node):
            return value
    return node


def _path(node: Node) -> tuple[str, tuple[str, ...]]:
    """str.format template and the identifiers of its placeholders."""
    if node.type not in ("string", "template_string"):
        raise _Unsupported(f"path not understood: {_text(node, compact=True)}")
    parts: list[str] = []
    params: list[str] = []
    for child in node.children[1:-1]:  # between the quotes / backticks
        if child.type != "template_substitution":
            parts.append(_text(child).replace("{", "{{").replace("}", "}}"))
            continue
        expr = child.named_children[0] if child.named_children else None
        if expr is None or expr.type != "identifier":
            raise _Unsupported(f"path placeholder not understood: {_text(child, compact=True)}")
        parts.append("{" + _text(expr) + "}")
        params.append(_text(expr))
    return "".join(parts), tuple(params)


def _value_name(value: Node) -> str:
    """Identifier, the identifier spread first into an object literal, or compact text."""
    spreads = [c for c in value.named_children if c.type == "spread_element"]
    first = spreads[0].named_children if value.type == "object" and spreads else []
    if first and first[0].type == "identifier":
        return _text(first[0])
    return _text(value, compact=True)


def _options(node: Node | None, opts: _Options) -> _Options:
    if node is None or node.type in ("identifier", "undefined"):
        return opts
    if node.type == "call_expression" and "ultipart" in _text(node.child_by_field_name("function")):
        opts.multipart = True
        args = node.child_by_field_name("arguments")
        return _options(args.named_children[0] if args and args.named_children else None, opts)
    if node.type != "object":
        raise _Unsupported(f"request options not understood: {_text(node, compact=True)[:60]}")
    for member in node.named_children:
        value = member.child_by_field_name("value") if member.type == "pair" else member
        if member.type == "shorthand_property_identifier":
            _option(_text(member), member, opts)
        elif member.type == "pair" and value is not None:
            _option(_key_name(member), value, opts)
    return opts


def _option(key: str, value: Node, opts: _Options) -> None:
    if key in ("body", "query"):
        setattr(opts, key, _value_name(value))
    elif key == "stream":
        opts.stream = _text(value) != "false"
    elif key == "__binaryResponse":
        opts.binary_response = _text(value) != "false"
    elif key == "headers" and value.type == "object":
        for pair in (c for c in value.named_children if c.type == "pair"):
            static = _string_value(pair.child_by_field_name("value"))
            if static is not None:
                opts.headers += ((_key_name(pair), static),)


def _route(cls: str, name: str, method: Node, call: Node) -> JsRoute:
    kind = _http_kind(call) or ""
    arguments = call.child_by_field_name("arguments")
    args = [a for a in (arguments.named_children if arguments else []) if a.type != "comment"]
    if len(args) < (2 if kind == _PAGED else 1):
        raise _Unsupported(f"too few arguments to this._client.{kind}")
    path, params = _path(_resolve(args[0], method))
    rest = args[2:] if kind == _PAGED else args[1:]
    opts = _options(rest[0] if rest else None, _Options())
    if kind == _PAGED:
        page = args[1].child_by_field_name("property") or args[1]
        opts.paginated = _text(page, compact=True)
    row, column = method.start_point
    verb = "get" if kind == _PAGED else kind
    return JsRoute(cls, name, verb, path, params, **vars(opts), line=row + 1, col=column + 1)


def _delegations(body: Node) -> list[str]:
    funcs = (n.child_by_field_name("function") for n in _walk(body, _is_guard_branch))
    names = {"".join(_text(f).split()) for f in funcs if f is not None}
    return sorted(n for n in names if n.startswith("this.") and "(" not in n)


def _method(cls: str, name: str, method: Node) -> tuple[JsRoute | None, list[str]]:
    body = method.child_by_field_name("body")
    calls = [n for n in _walk(body, _is_guard_branch) if _http_kind(n)] if body else []
    if body is None or not calls:
        called = ", ".join(_delegations(body)) if body is not None else ""
        return None, ["no this._client HTTP call" + (f"; calls {called}" if called else "")]
    routes: list[JsRoute] = []
    problems: list[str] = []
    for call in calls:
        try:
            routes.append(_route(cls, name, method, call))
        except _Unsupported as exc:
            problems.append(str(exc))
    if len({(r.verb, r.path) for r in routes}) > 1 or (routes and problems):
        first = routes[0]
        problems.append(f"{len(calls)} HTTP calls; using the first ({first.verb} {first.path})")
    return (routes[0] if routes else None), problems


def _collect(cls: Node, routes: Routes, warnings: list[JsRouteWarning]) -> None:
    cls_name = _text(cls.child_by_field_name("name")) or "<anonymous>"
    table = routes.setdefault(cls_name, {})
    for name, method in _methods(cls):
        try:
            route, problems = _method(cls_name, name, method)
        except Exception as exc:  # never raise on odd input
            route, problems = None, [f"internal error: {exc!r}"]
        if route is not None:
            table.setdefault(name, route)
        row, column = method.start_point
        for message in problems:
            warnings.append(JsRouteWarning(cls_name, name, row + 1, column + 1, message))
    if not table:
        del routes[cls_name]


def extract_routes(source: bytes) -> tuple[Routes, list[JsRouteWarning]]:
    """class name -> JS method name -> route; plus a warning for each method of
    a class extending APIResource whose route could not be understood."""
    routes: Routes = {}
    warnings: list[JsRouteWarning] = []
    try:
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        root = _parser().parse(data).root_node
    except Exception:  # never raise on odd input
        return routes, warnings
    for cls in _walk(root):
        if cls.type in ("class_declaration", "class") and _extends_api_resource(cls):
            _collect(cls, routes, warnings)
    return routes, warnings
