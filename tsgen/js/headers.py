"""The headers a client builds for every request: from `authHeaders()` (following the
`this.apiKeyAuth(opts)`-style helpers it calls), `defaultHeaders()` (through `super`) and the
`buildHeaders([...])` call of the request path. Each header made of one `this.x` (maybe after a
constant prefix: `Bearer ${this.apiKey}`) is that option's header; a header with a constant
value sent unconditionally is a static header."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tree_sitter import Node

from tsgen.js.options import header_value
from tsgen.js.syntax import callee_name, position, text, unparen, walk
from tsgen.js.thisflow import THIS, ClassEvaluator, Scope, leaves, parameter_names, substitute
from tsgen.js.values import UNDEFINED, Arr, Call, Cond, Field, Fn, Lit, Obj, Param, Tmpl, Value
from tsgen.records import record

_BODY_HEADERS = frozenset({"content-type", "content-length"})  # set per body by the runtime
_AUTH = "authHeaders"
_DEFAULTS = "defaultHeaders"
_BUILDER = "buildHeaders"

Warn = Callable[[Path, int, int, str], None]
OwnerOf = Callable[[tuple[str, ...]], "str | None"]


@record(frozen=True)
class Headers:
    options: dict[str, tuple[str, str]]  # option -> (header, prefix)
    static: tuple[tuple[str, str], ...]


@record(frozen=True)
class _Pair:
    name: str
    value: Value
    conditional: bool


class HeaderReader:
    def __init__(self, scope: Scope, owner_of: OwnerOf, warn: Warn) -> None:
        self.scope = scope
        self.owner_of = owner_of
        self.warn = warn

    def read(self) -> Headers:
        options: dict[str, tuple[str, str]] = {}
        static: dict[str, tuple[str, str | None]] = {}
        for where, value in self._sources():
            for pair in pairs(value):
                self._option(pair, options, where)
                constant = _constant(pair.value)
                if pair.name.lower() in _BODY_HEADERS:
                    continue
                keep = constant is not None and not pair.conditional
                static[pair.name.lower()] = (pair.name, constant if keep else None)
        kept = tuple((name, value) for name, value in static.values() if value is not None)
        return Headers(options, kept)

    def _sources(self) -> list[tuple[tuple[Path, Node], Value]]:
        """What the request path merges, as a request without options of its own sends it: the
        calls of `this.authHeaders(...)` (with the arguments they pass: a per-route security
        scheme defaults there), `defaultHeaders()`, and the `buildHeaders([...])` of the
        request path."""
        found = self._calls(lambda call: _this_call(call) == _AUTH)
        if not found:
            located = self._method(_AUTH)
            found += [self._default(located[0], located[1], located[0])] if located is not None else []
        located = self._method(_DEFAULTS)
        found += [self._default(located[0], located[1], located[0])] if located is not None else []
        located = self._method(_BUILDER)
        if located is not None:
            method, index = located
            calls = (n for n in walk(method) if n.type == "call_expression" and callee_name(n) == _BUILDER)
            found += [self._default(method, index, call) for call in calls if not _this_call(call)]
        return found

    def _calls(self, wanted: Callable[[Node], bool]) -> list[tuple[tuple[Path, Node], Value]]:
        """Each call the class chain's methods make that `wanted` picks, evaluated."""
        found = []
        for index, cls in enumerate(self.scope.classes):
            for method in (m for m in cls.members() if m.type == "method_definition"):
                if text(method.child_by_field_name("name")) == _AUTH:
                    continue
                for call in (n for n in walk(method) if n.type == "call_expression" and wanted(n)):
                    found.append(self._default(method, index, call))
        return found

    def _default(self, method: Node, index: int, node: Node) -> tuple[tuple[Path, Node], Value]:
        """The value of `node` (a call in `method`, or the method's result) for a request that
        gives no options: the method's parameters are undefined."""
        cls = self.scope.classes[index]
        flow = ClassEvaluator(method, self.scope, cls.module, index)
        value = flow.returned(method) if node == method else flow.eval(node)
        unset = {name: UNDEFINED for name in parameter_names(method) if name}
        return (cls.module.path, node), simplify(substitute(value, unset))

    def _method(self, name: str) -> tuple[Node, int] | None:
        for index, cls in enumerate(self.scope.classes):
            method = cls.method(name)
            if method is not None:
                return method, index
        return None

    def _option(self, pair: _Pair, options: dict[str, tuple[str, str]], where: tuple[Path, Node]) -> None:
        found = shape(pair.value)
        if found is None:
            return
        if isinstance(found, str):
            used = {self.owner_of(v.path) for v in leaves(pair.value) if isinstance(v, Field) and v.param == THIS and v.path}
            if used - {None}:
                message = f"header {pair.name!r} is built from {found} of option {', '.join(sorted(u for u in used if u))}"
                self.warn(where[0], *position(where[1]), message + ": not read as that option's header")
            return
        prefix, path = found
        option = self.owner_of(path)
        if option is not None and option not in options:
            options[option] = (pair.name, prefix)


def _this_call(call: Node) -> str | None:
    """m of a `this.m(...)` call."""
    func = unparen(call.child_by_field_name("function") or call)
    obj = func.child_by_field_name("object") if func.type == "member_expression" else None
    return text(func.child_by_field_name("property")) if obj is not None and obj.type == THIS else None


def simplify(value: Value) -> Value:
    """Branches whose test is now known are taken (after parameters became undefined)."""
    if isinstance(value, Cond):
        test = simplify(value.test)
        known = _known(test, value.present)
        if known is not None:
            return simplify(value.then if known else value.other)
        return Cond(test, simplify(value.then), simplify(value.other), value.present)
    if isinstance(value, Obj):
        return Obj(tuple((k, simplify(v)) for k, v in value.members))
    if isinstance(value, Arr):
        return Arr(tuple((s, simplify(v)) for s, v in value.items))
    if isinstance(value, Call):
        receiver = simplify(value.receiver) if value.receiver is not None else None
        return Call(value.name, tuple(simplify(a) for a in value.args), receiver)
    if isinstance(value, Tmpl):
        return Tmpl(tuple(p if isinstance(p, str) else simplify(p) for p in value.parts))
    return value


def pairs(value: Value, conditional: bool = False) -> list[_Pair]:
    """Header name/value pairs, in the order they are merged (later ones win)."""
    if isinstance(value, Call) and value.name == _BUILDER and value.receiver != Param(THIS):
        return [p for arg in value.args for p in pairs(arg, conditional)]
    if isinstance(value, Arr):
        return [p for _, item in value.items for p in pairs(item, conditional)]
    if isinstance(value, Cond):
        if value.then == value.other:
            return pairs(value.then, conditional)
        return pairs(value.then, True) + pairs(value.other, True)
    if not isinstance(value, Obj):
        return []
    found: list[_Pair] = []
    for key, member in value.members:
        if key is None:
            found.extend(pairs(member, conditional))
        elif key != "[computed]":
            found.append(_Pair(key, member, conditional))
    return found


def _known(test: Value, present: bool) -> bool | None:
    """Whether a test passes (`present`: is not null/undefined; else: is truthy), when known:
    literals, and objects, arrays and functions (never null, always truthy)."""
    if isinstance(test, Lit):
        return test.value is not None if present else bool(test.value)
    if isinstance(test, (Obj, Arr, Fn)):
        return True
    return None


def _constant(value: Value) -> str | None:
    if isinstance(value, Lit) and isinstance(value.value, str):
        return value.value
    if isinstance(value, Tmpl) and all(isinstance(p, str) for p in value.parts):
        return "".join(p for p in value.parts if isinstance(p, str))
    return None


def _this_field(value: Value) -> tuple[str, ...] | None:
    value = header_value(value)
    return value.path if isinstance(value, Field) and value.param == THIS and value.path else None


def shape(value: Value) -> tuple[str, tuple[str, ...]] | str | None:
    """(prefix, path of this.x) of a header made of one `this.x`; None when it uses no `this.x`;
    a description when it does in a way not understood (`Basic ${btoa(...)}`)."""
    if not any(isinstance(v, Field) and v.param == THIS for v in leaves(value, tests=False)):
        return None
    path = _this_field(value)
    if path is not None:
        return "", path
    if isinstance(value, Tmpl):
        holes = [(i, p) for i, p in enumerate(value.parts) if not isinstance(p, str)]
        if len(holes) == 1:
            index, hole = holes[0]
            path = _this_field(hole)
            if path is not None and all(p == "" for p in value.parts[index + 1 :]):
                return "".join(p for p in value.parts[:index] if isinstance(p, str)), path
    if isinstance(value, Cond):
        branches = [shape(value.then), shape(value.other)]
        readable = [b for b in branches if isinstance(b, tuple)]
        if len(set(readable)) == 1 and all(b is None or isinstance(b, tuple) for b in branches):
            return readable[0]
    return "a computed value"
