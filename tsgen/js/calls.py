"""Find the HTTP calls of a method (`this._client.<verb>`, `getAPIList`, `requestAPIList`,
`request`) wherever they sit, and what the method does with their answer (`_thenUnwrap`)."""

from __future__ import annotations


from tree_sitter import Node

from tsgen.js.syntax import FUNCTIONS, named, text, unparen, walk
from tsgen.records import record

VERBS = ("get", "post", "put", "patch", "delete")
PAGED = ("getAPIList", "requestAPIList")
KINDS = frozenset(VERBS + PAGED + ("request",))
_THEN = frozenset({"_thenUnwrap", "then"})


@record(frozen=True)
class HttpCall:
    node: Node  # the call_expression
    kind: str  # a verb, 'getAPIList', 'requestAPIList' or 'request'
    args: tuple[Node, ...]


def http_kind(node: Node) -> str | None:
    """The kind of a `this._client.<kind>(...)` call, else None."""
    func = node.child_by_field_name("function") if node.type == "call_expression" else None
    func = unparen(func) if func is not None else None
    if func is None or func.type != "member_expression":
        return None
    kind = text(func.child_by_field_name("property"))
    target = func.child_by_field_name("object")
    return kind if kind in KINDS and target is not None and _is_client(unparen(target)) else None


def _is_client(node: Node) -> bool:
    """`this._client` (or `this.client`)."""
    if node.type != "member_expression":
        return False
    obj = node.child_by_field_name("object")
    prop = text(node.child_by_field_name("property"))
    return obj is not None and obj.type == "this" and prop in ("_client", "client")


def http_calls(method: Node, name: str) -> list[HttpCall]:
    """The HTTP calls of a method, in source order, leaving out the overload branches that
    only call the method again (`if (isRequestOptions(q)) return this.list({}, q)`)."""
    body = method.child_by_field_name("body")
    if body is None:
        return []
    found: list[HttpCall] = []
    for node in walk(body, lambda n: _overload_branch(n, name)):
        kind = http_kind(node)
        if kind is not None:
            found.append(HttpCall(node, kind, tuple(named(node.child_by_field_name("arguments")))))
    return found


def _overload_branch(node: Node, name: str) -> bool:
    parent = node.parent
    if parent is None or parent.type != "if_statement" or parent.child_by_field_name("consequence") != node:
        return False
    calls = [n for n in walk(node) if n.type == "call_expression"]
    return any(_calls_method(c, name) for c in calls) and not any(http_kind(c) for c in calls if not _calls_method(c, name))


def _calls_method(call: Node, name: str) -> bool:
    func = call.child_by_field_name("function")
    if func is None or func.type != "member_expression":
        return False
    obj = func.child_by_field_name("object")
    return obj is not None and obj.type == "this" and text(func.child_by_field_name("property")) == name


def delegations(method: Node, name: str) -> list[str]:
    """`this.x(...)` and `this.a.b(...)` calls of a method without HTTP calls, sorted."""
    body = method.child_by_field_name("body")
    found: set[str] = set()
    for node in walk(body, lambda n: _overload_branch(n, name)) if body is not None else []:
        func = node.child_by_field_name("function") if node.type == "call_expression" else None
        called = "".join(text(func).split()) if func is not None else ""
        if called.startswith("this.") and "(" not in called:
            found.add(called)
    return sorted(found)


def envelope(call: Node, method: Node) -> tuple[str, ...]:
    """The field path the method returns instead of the whole answer:
    `._thenUnwrap((obj) => obj.result)` gives ('result',); () when the answer is returned."""
    path: list[str] = []
    current = call
    for _ in range(20):
        parent = _outer(current)
        if parent is None:
            break
        if parent.type == "member_expression" and text(parent.child_by_field_name("property")) in _THEN:
            outer = parent.parent
            if outer is None or outer.type != "call_expression":
                break
            path.extend(_picked(named(outer.child_by_field_name("arguments"))))
            current = outer
        elif parent.type in FUNCTIONS and parent.parent is not None and parent.parent.type == "variable_declarator":
            site = _first_call_of(text(parent.parent.child_by_field_name("name")), method)
            if site is None:
                break
            current = site
        else:
            break
    return tuple(path)


def _outer(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    return parent


def _picked(args: list[Node]) -> list[str]:
    """`(obj) => obj.a.b` gives ['a', 'b']; anything else (identity or a transformation) []."""
    func = unparen(args[0]) if args else None
    if func is None or func.type not in FUNCTIONS:
        return []
    params = named(func.child_by_field_name("parameters")) or [c for c in [func.child_by_field_name("parameter")] if c]
    body = func.child_by_field_name("body")
    if not params or params[0].type != "identifier" or body is None:
        return []
    if body.type == "statement_block":
        statements = named(body)
        body = named(statements[0])[0] if len(statements) == 1 and statements[0].type == "return_statement" and named(statements[0]) else None
    keys: list[str] = []
    node = unparen(body) if body is not None else None
    while node is not None and node.type == "member_expression":
        keys.insert(0, text(node.child_by_field_name("property")))
        node = unparen(node.child_by_field_name("object") or node)
    return keys if node is not None and node.type == "identifier" and text(node) == text(params[0]) else []


def _first_call_of(local: str, method: Node) -> Node | None:
    for node in walk(method):
        func = node.child_by_field_name("function") if node.type == "call_expression" else None
        if func is not None and func.type == "identifier" and text(func) == local:
            return node
    return None
