"""Value flow inside one method: evaluate a JavaScript expression to an abstract value,
following local declarations (with destructuring, renames, defaults and rest), spreads,
`??`/`||` defaults, ternaries, tagged templates and local arrow functions called in the method."""

from __future__ import annotations

from tree_sitter import Node

from tsgen.js.syntax import FUNCTIONS, callee_name, fragment, key_name, named, string_value, text, unparen, walk
from tsgen.js.values import (
    UNDEFINED, Arr, Call, Cond, Fn, Lit, Obj, Opaque, Param, Tmpl, Value, get_field, is_empty, without,
)  # fmt: skip

_MAX_DEPTH = 60
_SCOPES = frozenset({"statement_block", "program", "class_body"}) | FUNCTIONS | {"method_definition"}


class Evaluator:
    """Evaluates expressions of one method (`method_definition` node)."""

    def __init__(self, method: Node) -> None:
        self.method = method
        self._depth = 0

    def eval(self, node: Node | None) -> Value:
        if node is None:
            return UNDEFINED
        if self._depth > _MAX_DEPTH:
            return Opaque("(too deep)")
        self._depth += 1
        try:
            return self._eval(unparen(node))
        finally:
            self._depth -= 1

    def _eval(self, node: Node) -> Value:
        kind = node.type
        handler = _HANDLERS.get(kind)
        if handler is not None:
            return handler(self, node)
        if kind in FUNCTIONS:
            return Fn(self.returned(node))
        return Opaque(text(node, compact=True)[:60])

    # -- leaves ---------------------------------------------------------------------------

    def _identifier(self, node: Node) -> Value:
        if text(node) == "undefined":
            return UNDEFINED
        return self.lookup(text(node), node)

    def _string(self, node: Node) -> Value:
        value = string_value(node)
        return Lit(value) if value is not None else Opaque("string")

    def _number(self, node: Node) -> Value:
        raw = text(node).replace("_", "")
        try:
            return Lit(int(raw, 0) if raw.isdigit() or raw[:2].lower() in ("0x", "0o", "0b") else float(raw))
        except ValueError:
            return Opaque(raw)

    def _template(self, node: Node) -> Value:
        parts: list[str | Value] = []
        for child in node.children[1:-1]:
            if child.type == "template_substitution":
                inner = named(child)
                parts.append(self.eval(inner[0]) if inner else UNDEFINED)
            else:
                parts.append(fragment(child))
        return Tmpl(tuple(parts))

    # -- compound ---------------------------------------------------------------------------

    def _object(self, node: Node) -> Value:
        members: list[tuple[str | None, Value]] = []
        for member in named(node):
            if member.type == "pair":
                key = key_name(member)
                members.append((key if key is not None else "[computed]", self.eval(member.child_by_field_name("value"))))
            elif member.type == "shorthand_property_identifier":
                members.append((text(member), self.lookup(text(member), member)))
            elif member.type == "spread_element":
                inner = named(member)
                members.append((None, self.eval(inner[0]) if inner else UNDEFINED))
        return Obj(tuple(members))

    def _array(self, node: Node) -> Value:
        items: list[tuple[bool, Value]] = []
        for item in named(node):
            spread = item.type == "spread_element"
            inner = named(item)[0] if spread and named(item) else item
            items.append((spread, self.eval(inner)))
        return Arr(tuple(items))

    def _member(self, node: Node) -> Value:
        prop = node.child_by_field_name("property")
        return get_field(self.eval(node.child_by_field_name("object")), text(prop))

    def _subscript(self, node: Node) -> Value:
        index = string_value(unparen(node.child_by_field_name("index") or node))
        base = self.eval(node.child_by_field_name("object"))
        return get_field(base, index) if index is not None else Opaque(text(node, compact=True)[:60])

    def _ternary(self, node: Node) -> Value:
        test = unparen(node.child_by_field_name("condition") or node)
        then, other = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if test.type == "binary_expression" and text(test.child_by_field_name("operator")) in ("!=", "!=="):
            right = unparen(test.child_by_field_name("right") or test)
            if text(right) in ("null", "undefined"):
                return Cond(self.eval(test.child_by_field_name("left")), self.eval(then), self.eval(other), True)
        value = self.eval(test)
        if isinstance(value, Cond) and (value.then, value.other, value.present) == (Lit(True), Lit(False), False):
            value = value.test  # `!!x ? a : b` tests x
        return Cond(value, self.eval(then), self.eval(other))

    def _unary(self, node: Node) -> Value:
        if text(node.child_by_field_name("operator")) != "!":
            return Opaque(text(node, compact=True)[:60])
        inner = self.eval(node.child_by_field_name("argument"))
        if isinstance(inner, Cond) and inner.then == Lit(False) and inner.other == Lit(True):
            return Cond(inner.test, Lit(True), Lit(False), inner.present)  # `!!x`
        return Cond(inner, Lit(False), Lit(True))

    def _binary(self, node: Node) -> Value:
        operator = text(node.child_by_field_name("operator"))
        if operator == "+":
            return self._concat(node)
        if operator not in ("??", "||"):
            return Opaque(text(node, compact=True)[:60])
        left, right = self.eval(node.child_by_field_name("left")), self.eval(node.child_by_field_name("right"))
        if is_empty(right) and not isinstance(left, Opaque):
            return left  # `params ?? {}`: an absent object is an empty one
        return Cond(left, left, right, operator == "??")

    def _concat(self, node: Node) -> Value:
        """`'/a/' + id`: a template when one side is text."""
        left, right = self.eval(node.child_by_field_name("left")), self.eval(node.child_by_field_name("right"))
        sides = [s.parts if isinstance(s, Tmpl) else (s.value,) if isinstance(s, Lit) and isinstance(s.value, str) else (s,) for s in (left, right)]
        if not any(isinstance(p, str) for side in sides for p in side):
            return Opaque(text(node, compact=True)[:60])
        return Tmpl(sides[0] + sides[1])

    def _passthrough(self, node: Node) -> Value:
        inner = node.child_by_field_name("right") if node.type == "assignment_expression" else None
        rest = named(node)
        return self.eval(inner if inner is not None else rest[-1] if rest else None)

    def _call(self, node: Node) -> Value:
        func = unparen(node.child_by_field_name("function") or node)
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and arguments.type == "template_string":
            return self._template(arguments)  # tagged template: any tag builds the same text
        args = tuple(self.eval(a) for a in named(arguments))
        if func.type in FUNCTIONS:
            return self.returned(func, args)
        local = self._local_function(func)
        if local is not None:
            return self.returned(local, args)
        receiver = self.eval(func.child_by_field_name("object")) if func.type == "member_expression" else None
        name = callee_name(node)
        copied = _entries_of(args[0]) if name == "fromEntries" and args else None
        return copied if copied is not None else Call(name, args, receiver)

    # -- functions ----------------------------------------------------------------------------

    def returned(self, function: Node, args: tuple[Value, ...] | None = None) -> Value:
        """What a function returns (its arguments bound when given)."""
        body = function.child_by_field_name("body")
        if body is None:
            return UNDEFINED
        if body.type != "statement_block":
            return self.eval(body)
        returns = [n for n in walk(body, lambda n: n is not body and n.type in FUNCTIONS) if n.type == "return_statement"]
        return self.eval(named(returns[-1])[0]) if returns and named(returns[-1]) else Opaque("function")

    def _local_function(self, func: Node) -> Node | None:
        """The arrow function bound to a local name, when `func` is that name."""
        if func.type != "identifier":
            return None
        declarator = _declarator(func, text(func), self.method)
        value = declarator.child_by_field_name("value") if declarator is not None else None
        value = unparen(value) if value is not None else None
        return value if value is not None and value.type in FUNCTIONS else None

    # -- names --------------------------------------------------------------------------------

    def lookup(self, name: str, use: Node) -> Value:
        """The value of `name` where `use` reads it."""
        scope: Node | None = use
        while scope is not None:
            if scope.type in FUNCTIONS or scope.type == "method_definition":
                found = self._param(scope, name)
                if found is not None:
                    return found
                if scope == self.method:
                    break
            elif scope.type in _SCOPES:
                declarator = _declared_in(scope, name, use)
                if declarator is not None:
                    return self._declared(declarator, name)
            scope = scope.parent
        return Opaque(name)

    def _declared(self, declarator: Node, name: str) -> Value:
        value = self.eval(declarator.child_by_field_name("value"))
        pattern = declarator.child_by_field_name("name")
        return _destructure(value, pattern, name) if pattern is not None else Opaque(name)

    def _param(self, function: Node, name: str) -> Value | None:
        params = named(function.child_by_field_name("parameters"))
        single = function.child_by_field_name("parameter")
        params = params or ([single] if single is not None else [])
        for index, param in enumerate(params):
            pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else param
            if pattern is None or name not in _bound_names(pattern):
                continue
            if function == self.method:
                base: Value = Param(name) if pattern.type == "identifier" else Param(f"#{index}")
            else:
                base = self._argument(function, index)
            return base if pattern.type == "identifier" else _destructure(base, pattern, name)
        return None

    def _argument(self, function: Node, index: int) -> Value:
        """The argument a function is called with: called at once (`((o) => ...)(x)`), or bound
        to a local and called in the method (its first call outside itself)."""
        outer = function.parent
        while outer is not None and outer.type == "parenthesized_expression":
            outer = outer.parent
        if outer is not None and outer.type == "call_expression" and unparen(outer.child_by_field_name("function") or outer) == function:
            args = named(outer.child_by_field_name("arguments"))
            return self.eval(args[index]) if index < len(args) else UNDEFINED
        if outer is None or outer.type != "variable_declarator":
            return Opaque("callback parameter")
        local = text(outer.child_by_field_name("name"))
        for call in (n for n in walk(self.method, lambda n: n == function) if n.type == "call_expression"):
            func = call.child_by_field_name("function")
            if func is not None and func.type == "identifier" and text(func) == local:
                args = named(call.child_by_field_name("arguments"))
                return self.eval(args[index]) if index < len(args) else UNDEFINED
        return Opaque("callback parameter")


def _entries_of(value: Value) -> Value | None:
    """`Object.fromEntries(Object.entries(x).filter(...).map(...))` is a copy of x."""
    while isinstance(value, Call):
        if value.name == "entries" and value.args:
            return value.args[0]
        if value.receiver is None:
            return None
        value = value.receiver
    return None


def _bound_names(pattern: Node) -> set[str]:
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return {text(pattern)}
    return {text(n) for n in walk(pattern) if n.type in ("identifier", "shorthand_property_identifier_pattern") and _binds(n)}


def _binds(node: Node) -> bool:
    """An identifier in a pattern that binds a name (not a key, not a default value)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "pair_pattern":
        return parent.child_by_field_name("value") == node
    if parent.type in ("assignment_pattern", "object_assignment_pattern"):
        return parent.child_by_field_name("left") == node
    return parent.type in ("object_pattern", "array_pattern", "rest_pattern")


def _destructure(value: Value, pattern: Node, name: str) -> Value:
    """The value bound to `name` by `pattern = value`."""
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return value if text(pattern) == name else Opaque(name)
    if pattern.type in ("assignment_pattern", "object_assignment_pattern"):
        left = pattern.child_by_field_name("left")
        return _destructure(value, left, name) if left is not None else Opaque(name)
    if pattern.type != "object_pattern":
        return Opaque(name)
    keys: list[str] = []
    for member in named(pattern):
        if member.type == "rest_pattern":
            inner = named(member)
            if inner and text(inner[0]) == name:
                return without(value, tuple(keys))
            continue
        key, target = _pattern_member(member)
        keys.append(key)
        if name in _bound_names(target):
            return _destructure(get_field(value, key), target, name)
    return Opaque(name)


def _pattern_member(member: Node) -> tuple[str, Node]:
    """(key, target pattern) of `{ key }`, `{ key = d }`, `{ 'k-k': target }`, `{ k: t = d }`."""
    if member.type == "pair_pattern":
        key = key_name(member) or "[computed]"
        return key, member.child_by_field_name("value") or member
    if member.type == "object_assignment_pattern":
        left = member.child_by_field_name("left") or member
        return text(left), left
    return text(member), member


def _declared_in(scope: Node, name: str, use: Node) -> Node | None:
    """The declarator of `name` directly in `scope` (a block), before `use` when possible."""
    found: Node | None = None
    for statement in named(scope):
        if statement.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in (d for d in named(statement) if d.type == "variable_declarator"):
            pattern = declarator.child_by_field_name("name")
            if pattern is not None and name in _bound_names(pattern):
                if declarator.start_byte < use.start_byte or found is None:
                    found = declarator
    return found


def _declarator(use: Node, name: str, method: Node) -> Node | None:
    scope: Node | None = use
    while scope is not None and scope != method.parent:
        if scope.type in _SCOPES:
            found = _declared_in(scope, name, use)
            if found is not None:
                return found
        scope = scope.parent
    return None


_HANDLERS = {
    "identifier": Evaluator._identifier,
    "shorthand_property_identifier": Evaluator._identifier,
    "string": Evaluator._string,
    "number": Evaluator._number,
    "template_string": Evaluator._template,
    "true": lambda self, node: Lit(True),
    "false": lambda self, node: Lit(False),
    "null": lambda self, node: Lit(None),
    "undefined": lambda self, node: UNDEFINED,
    "object": Evaluator._object,
    "array": Evaluator._array,
    "member_expression": Evaluator._member,
    "subscript_expression": Evaluator._subscript,
    "ternary_expression": Evaluator._ternary,
    "binary_expression": Evaluator._binary,
    "unary_expression": Evaluator._unary,
    "await_expression": Evaluator._passthrough,
    "assignment_expression": Evaluator._passthrough,
    "call_expression": Evaluator._call,
}
