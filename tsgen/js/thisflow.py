"""Value flow across the methods of a class chain: the Evaluator of tsgen.js.flow, extended for
code that is not a resource method. `this` and `super` are values (`this.x` is the abstract
`Field('this', ('x',))`); `this.m(...)`, `super.m(...)`, module-level helpers and
`helper.call(this, ...)` are followed into what they return; destructuring defaults are kept
(`{ a = 2 }` gives `a ?? 2`); `C.STATIC` reads a static member; `x === undefined`, `a && b`
and numeric `a + 1` are modelled; `xs[xs.length - 1]` is the last item of a list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tree_sitter import Node

from tsgen.js.classes import ClassRef, Module, Modules, class_named, static_value
from tsgen.js.flow import Evaluator
from tsgen.js.syntax import FUNCTIONS, named, text, unparen, walk
from tsgen.js.values import (
    UNDEFINED, Arr, Call, Cond, Field, Fn, Lit, Obj, Opaque, Param, Tmpl, Value, get_field, is_empty, without,
)  # fmt: skip

THIS = "this"
SUPER = "super"
LAST = "#last"  # Field(LAST, path): a field of the last item of a list
FIRST = "#first"
INDEX = "#index"  # Call(INDEX, (obj, key)): an object literal indexed by a computed key
ADD = "#add"  # Call(ADD, (a, b)): a + b where neither side is text
MAX_INLINE = 8
_NULLISH = frozenset({"null", "undefined", "void 0"})
_PRIMITIVES = frozenset({"readEnv"})  # kept as calls: what they read is the point


@dataclass
class Scope:
    """What the evaluators of one reading share: the files, the class chain (most derived
    first), how deep calls are followed, and the list whose items `xs[xs.length - 1]` may pick."""

    modules: Modules
    classes: list[ClassRef]
    items: Value | None = None
    depth: int = 0


class ClassEvaluator(Evaluator):
    def __init__(self, method: Node, scope: Scope, module: Module, index: int | None = None) -> None:
        super().__init__(method)
        self.scope = scope
        self.module = module
        self.index = index  # the class (in scope.classes) whose method this is
        self._memo: dict[int, Value] = {}

    def eval(self, node: Node | None) -> Value:
        """As Evaluator.eval, each node evaluated once (values are re-read many times)."""
        if node is None:
            return super().eval(node)
        if node.id not in self._memo:
            self._memo[node.id] = super().eval(node)
        return self._memo[node.id]

    def _eval(self, node: Node) -> Value:
        kind = node.type
        if kind in (THIS, SUPER):
            return Param(kind)
        if kind == "member_expression":
            return self._member_of(node)
        if kind == "subscript_expression":
            return self._item(node)
        if kind == "binary_expression":
            found = self._compare(node)
            if found is not None:
                return found
        if kind == "call_expression":
            found = self._followed(node)
            if found is not None:
                return found
        return super()._eval(node)

    # -- members --------------------------------------------------------------------------

    def _member_of(self, node: Node) -> Value:
        obj = unparen(node.child_by_field_name("object") or node)
        prop = text(node.child_by_field_name("property"))
        if obj.type == "identifier" and self.lookup(text(obj), obj) == Opaque(text(obj)):
            static = self._static(text(obj), prop)
            if static is not None:
                return static
        return member(self.eval(obj), prop)

    def _static(self, name: str, prop: str) -> Value | None:
        cls = class_named(self.scope.modules, self.module, name)
        value = static_value(self.scope.modules, cls, prop) if cls is not None else None
        if value is None or cls is None:
            return None
        return ClassEvaluator(value, self.scope, cls.module).eval(value)

    def _item(self, node: Node) -> Value:
        """`xs[xs.length - 1]` and `xs[0]`: an item of the list `scope.items`."""
        obj = node.child_by_field_name("object")
        index = unparen(node.child_by_field_name("index") or node)
        if obj is not None and index.type == "number" and text(index) == "0":
            return self._picked(obj, FIRST)
        if obj is not None and index.type == "binary_expression" and text(index.child_by_field_name("operator")) == "-":
            left, right = index.child_by_field_name("left"), index.child_by_field_name("right")
            if right is not None and text(right) == "1" and left is not None and _is_length_of(left, obj):
                return self._picked(obj, LAST)
        if obj is not None and index.type not in ("string", "number"):
            base, key = self.eval(obj), self.eval(index)
            if isinstance(key, Lit) and isinstance(key.value, str):
                return member(base, key.value)
            if isinstance(base, Obj):
                return Call(INDEX, (base, key))  # `environments[options.environment || 'production']`
        return super()._eval(node)

    def _picked(self, obj: Node, which: str) -> Value:
        base = self.eval(obj)
        if self.scope.items is not None and base == self.scope.items:
            return Field(which, ())
        return Opaque(f"an item of {text(obj, compact=True)[:40]}")

    # -- operators ------------------------------------------------------------------------

    def _compare(self, node: Node) -> Value | None:
        operator = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        if operator in ("===", "==", "!==", "!="):
            if text(unparen(right)) in _NULLISH or text(unparen(left)) in _NULLISH:
                tested = self.eval(left if text(unparen(right)) in _NULLISH else right)
                missing = operator in ("===", "==")
                return Cond(tested, Lit(not missing), Lit(missing), True)
            return None
        if operator in ("||", "??") and text(unparen(right)) == "false":
            first = self.eval(left)  # kept (the Evaluator drops empty fallbacks): `x || false` is a boolean
            return Cond(first, first, Lit(False), operator == "??")
        if operator == "&&":
            first = self.eval(left)
            return Cond(first, self.eval(right), first)
        if operator == "+":
            a, b = self.eval(left), self.eval(right)
            if not _textual(a) and not _textual(b):
                return Call(ADD, (a, b))
        return None

    # -- calls ----------------------------------------------------------------------------

    def _followed(self, node: Node) -> Value | None:
        func = unparen(node.child_by_field_name("function") or node)
        arguments = node.child_by_field_name("arguments")
        if arguments is None or arguments.type == "template_string":
            return None
        arg_nodes = named(arguments)
        if func.type == "identifier":
            if self._local_function(func) is not None:
                return None
            target = self.module.function(text(func)) if text(func) not in _PRIMITIVES else None
            return self._inline(target, self.module, None, arg_nodes) if target is not None else None
        if func.type != "member_expression":
            return None
        obj = unparen(func.child_by_field_name("object") or func)
        prop = text(func.child_by_field_name("property"))
        if prop == "at" and len(arg_nodes) == 1 and text(arg_nodes[0]).replace(" ", "") in ("-1", "0"):
            return self._picked(obj, LAST if "-" in text(arg_nodes[0]) else FIRST)
        if prop in ("call", "apply") and arg_nodes:
            found = self._function_of(obj)
            if found is None:
                return None
            target, module, index = found
            rest = arg_nodes[1:] if prop == "call" else []
            return self._inline(target, module, index, rest)
        if obj.type in (THIS, SUPER):
            method = self._method(prop, obj.type == SUPER)
            return self._inline(method[0], method[1].module, method[2], arg_nodes) if method is not None else None
        return None

    def _function_of(self, node: Node) -> tuple[Node, Module, int | None] | None:
        """The function `f` in `f.call(...)`: a name, `this.m`, or the function a
        private-method accessor hands back (`__classPrivateFieldGet(this, set, "m", f)`)."""
        if node.type == "identifier":
            target = self.module.function(text(node))
            return (target, self.module, None) if target is not None else None
        if node.type == "member_expression":
            obj = unparen(node.child_by_field_name("object") or node)
            if obj.type in (THIS, SUPER):
                found = self._method(text(node.child_by_field_name("property")), obj.type == SUPER)
                return (found[0], found[1].module, found[2]) if found is not None else None
        if node.type == "call_expression":
            names = [a for a in named(node.child_by_field_name("arguments")) if a.type == "identifier"]
            targets = [t for t in (self.module.function(text(n)) for n in names) if t is not None]
            return (targets[0], self.module, self.index) if len(targets) == 1 else None
        return None

    def _method(self, name: str, from_super: bool) -> tuple[Node, ClassRef, int] | None:
        start = (self.index or 0) + 1 if from_super else 0
        for index, cls in enumerate(self.scope.classes[start:], start):
            method = cls.method(name)
            if method is not None:
                return method, cls, index
        return None

    def _inline(self, function: Node, module: Module, index: int | None, arg_nodes: list[Node]) -> Value | None:
        if self.scope.depth >= MAX_INLINE:
            return None
        args = [self.eval(a) for a in arg_nodes if a.type != "spread_element"]
        self.scope.depth += 1
        try:
            result = ClassEvaluator(function, self.scope, module, index).returned(function)
        finally:
            self.scope.depth -= 1
        names = parameter_names(function)
        mapping = {name: args[i] if i < len(args) else UNDEFINED for i, name in enumerate(names) if name}
        return substitute(result, mapping)

    # -- names ------------------------------------------------------------------------------

    def lookup(self, name: str, use: Node) -> Value:
        """As Evaluator.lookup; a name not bound in the method may be a constant of the module
        (`const environments = { production: 'https://...' }`)."""
        found = super().lookup(name, use)
        if found != Opaque(name):
            return found
        value = self.module.constant(name)
        return ClassEvaluator(value, self.scope, self.module).eval(value) if value is not None else found

    # -- destructuring defaults ----------------------------------------------------------------

    def _param(self, function: Node, name: str) -> Value | None:
        value = super()._param(function, name)
        if value is None or function != self.method:
            return value
        params = named(function.child_by_field_name("parameters")) or [p for p in [function.child_by_field_name("parameter")] if p]
        return self._defaulted(value, params, name)

    def _declared(self, declarator: Node, name: str) -> Value:
        value = super()._declared(declarator, name)
        pattern = declarator.child_by_field_name("name")
        return self._defaulted(value, [pattern] if pattern is not None else [], name)

    def _defaulted(self, value: Value, patterns: list[Node], name: str) -> Value:
        for pattern in patterns:
            default = default_node(pattern, name)
            if default is not None:
                fallback = self.eval(default)
                return value if is_empty(fallback) else Cond(value, value, fallback, True)
        return value


def _textual(value: Value) -> bool:
    """A string (or what may be one): `+` on it concatenates."""
    return isinstance(value, Tmpl) or (isinstance(value, Lit) and isinstance(value.value, str)) or isinstance(value, Opaque)


def _is_length_of(node: Node, obj: Node) -> bool:
    node = unparen(node)
    if node.type != "member_expression" or text(node.child_by_field_name("property")) != "length":
        return False
    return text(node.child_by_field_name("object"), compact=True) == text(obj, compact=True)


def member(value: Value, key: str) -> Value:
    """`value.key`, where a missing value gives undefined (`x?.key`) and a branch gives a branch."""
    if value == UNDEFINED:
        return UNDEFINED
    if isinstance(value, Cond):
        return Cond(value.test, member(value.then, key), member(value.other, key), value.present)
    return get_field(value, key)


def parameter_names(function: Node) -> list[str]:
    """The name each parameter binds as the Evaluator names it ('#i' for a pattern, '' for a rest)."""
    params = named(function.child_by_field_name("parameters")) or [p for p in [function.child_by_field_name("parameter")] if p]
    names = []
    for index, param in enumerate(params):
        pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else param
        if pattern is not None and pattern.type == "identifier":
            names.append(text(pattern))
        else:
            names.append("" if param.type == "rest_pattern" else f"#{index}")
    return names


def default_node(pattern: Node, name: str) -> Node | None:
    """The default of `name` inside a destructuring pattern (`{ a = 1 }`, `{ k: a = 1 }`)."""
    for node in walk(pattern, lambda n: n.type in FUNCTIONS):
        if node.type not in ("object_assignment_pattern", "assignment_pattern"):
            continue
        left = node.child_by_field_name("left")
        if left is not None and left.type in ("identifier", "shorthand_property_identifier_pattern") and text(left) == name:
            return node.child_by_field_name("right")
    return None


def substitute(value: Value, mapping: Mapping[str, Value]) -> Value:
    """The value with parameters replaced by what they are bound to."""
    if isinstance(value, Param) and value.name in mapping:
        bound = mapping[value.name]
        return without(bound, value.omit) if value.omit else bound
    if isinstance(value, Field) and value.param in mapping:
        result = mapping[value.param]
        for key in value.path:
            result = member(result, key)
        return result
    if isinstance(value, Obj):
        return Obj(tuple((k, substitute(v, mapping)) for k, v in value.members))
    if isinstance(value, Arr):
        return Arr(tuple((s, substitute(v, mapping)) for s, v in value.items))
    if isinstance(value, Tmpl):
        return Tmpl(tuple(p if isinstance(p, str) else substitute(p, mapping) for p in value.parts))
    if isinstance(value, Cond):
        test, then, other = (substitute(v, mapping) for v in (value.test, value.then, value.other))
        return Cond(test, then, other, value.present)
    if isinstance(value, Call):
        receiver = substitute(value.receiver, mapping) if value.receiver is not None else None
        return Call(value.name, tuple(substitute(a, mapping) for a in value.args), receiver)
    if isinstance(value, Fn):
        return Fn(substitute(value.result, mapping))
    return value


def leaves(value: Value, tests: bool = True) -> list[Value]:
    """Every value inside (pre-order); `tests=False` leaves out what conditions test."""
    found = [value]
    if isinstance(value, Cond):
        inner = [value.then, value.other] + ([value.test] if tests else [])
    elif isinstance(value, Obj):
        inner = [v for _, v in value.members]
    elif isinstance(value, Arr):
        inner = [v for _, v in value.items]
    elif isinstance(value, Tmpl):
        inner = [p for p in value.parts if not isinstance(p, str)]
    elif isinstance(value, Call):
        inner = list(value.args) + ([value.receiver] if value.receiver is not None else [])
    elif isinstance(value, Fn):
        inner = [value.result]
    else:
        inner = []
    for item in inner:
        found.extend(leaves(item, tests))
    return found
