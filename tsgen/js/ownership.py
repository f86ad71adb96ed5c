"""Which client option a value, a `this.x`, an environment read or a `throw` is about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tree_sitter import Node

from tsgen.js.ctor import Ctor, Props, destructured, env_call, in_branch
from tsgen.js.syntax import FUNCTIONS, key_name, named, position, string_value, text, unparen, walk
from tsgen.js.thisflow import ClassEvaluator, Scope, leaves, member
from tsgen.js.values import Field, Value

Warn = Callable[[Path, int, int, str], None]
_STATEMENTS = frozenset({
    "expression_statement", "lexical_declaration", "variable_declaration", "return_statement",
    "if_statement", "statement_block", "formal_parameters",
})  # fmt: skip
_NULLISH = frozenset({"null", "undefined", "void 0"})


class Owners:
    """Which option a `this.x` (or `this.x.y`) holds: the option its value is made of (data
    flow), else the option of the same name."""

    def __init__(self, stored: Props, param: str, names: list[str]) -> None:
        self.stored = stored
        self.param = param
        self.names = names

    def options_in(self, value: Value, tests: bool = False) -> set[str]:
        return {v.path[0] for v in leaves(value, tests) if isinstance(v, Field) and v.param == self.param and v.path}

    def of_prop(self, prop: str) -> str | None:
        return self.of_path((prop,))

    def of_path(self, path: tuple[str, ...]) -> str | None:
        found: set[str] = set()
        for value in self.stored.get(path[0], []):
            for key in path[1:]:
                value = member(value, key)
            found |= self.options_in(value)
        if len(found) == 1:
            return found.pop()
        return path[0] if len(path) == 1 and path[0] in self.names else None


class _Context:
    def __init__(self, scope: Scope, ctor: Ctor, owners: Owners) -> None:
        cls = scope.classes[ctor.index]
        self.ctor = ctor
        self.owners = owners
        self.flow = ClassEvaluator(ctor.node, scope, cls.module, ctor.index)
        self.locals = {local: key for key, local, _ in destructured(ctor.node, owners.param)}

    def option_of(self, node: Node) -> str | None:
        """The one option an expression is (`apiKey`, `options.apiKey`, `this.apiKey`)."""
        node = unparen(node)
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "this":
                return self.owners.of_prop(text(node.child_by_field_name("property")))
        found = self.owners.options_in(self.flow.eval(node))
        return found.pop() if len(found) == 1 else None


def env_owners(scope: Scope, ctor: Ctor, owners: Owners, warn: Warn) -> dict[str, str]:
    """Option -> the environment variable the constructor reads for it."""
    context = _Context(scope, ctor, owners)
    path = scope.classes[ctor.index].module.path
    found: dict[str, str] = {}
    for node in walk(ctor.node):
        name = env_call(node)
        if not name:
            continue
        owner = _env_owner(node, context)
        if owner is None:
            continue
        if owner in found and found[owner] != name:
            warn(path, *position(node), f"option {owner} reads {found[owner]} and {name}; using {found[owner]}")
            continue
        found.setdefault(owner, name)
    return found


def _env_owner(node: Node, context: _Context) -> str | None:
    """The option an environment read stands for, from where it sits: a destructuring default,
    an object member named after the option, an assignment, `option ?? read`."""
    candidates: list[tuple[int, str]] = []
    current = node
    while current.parent is not None and current != context.ctor.node and current.type not in _STATEMENTS:
        parent = current.parent
        found = _owner_step(parent, current, context)
        if found is not None:
            candidates.append(found)
        current = parent
    return min(candidates)[1] if candidates else None


def _owner_step(parent: Node, child: Node, context: _Context) -> tuple[int, str] | None:
    kind = parent.type
    right = parent.child_by_field_name("right")
    if kind == "object_assignment_pattern" and right == child:
        return 0, text(parent.child_by_field_name("left"))
    if kind == "assignment_pattern" and right == child and parent.parent is not None and parent.parent.type == "pair_pattern":
        key = key_name(parent.parent)
        return (0, key) if key else None
    if kind == "pair" and parent.child_by_field_name("value") == child:
        key = key_name(parent)
        return (1, key) if key else None
    if kind == "variable_declarator" and parent.child_by_field_name("value") == child:
        local = text(parent.child_by_field_name("name"))
        return (2, context.locals[local]) if local in context.locals else None
    if kind == "assignment_expression" and right == child:
        left = parent.child_by_field_name("left")
        owner = context.option_of(left) if left is not None else None
        return (2, owner) if owner is not None else None
    if kind == "binary_expression" and right == child and text(parent.child_by_field_name("operator")) in ("??", "||"):
        left = parent.child_by_field_name("left")
        owner = context.option_of(left) if left is not None else None
        return (3, owner) if owner is not None else None
    if kind == "ternary_expression":
        return _ternary_owner(parent, child, context)
    return None


def _ternary_owner(parent: Node, child: Node, context: _Context) -> tuple[int, str] | None:
    """`x === undefined ? read : x`: the read stands for x when the other branch is x."""
    then, other = parent.child_by_field_name("consequence"), parent.child_by_field_name("alternative")
    sibling = other if child == then else then if child == other else None
    owner = context.option_of(sibling) if sibling is not None else None
    test = parent.child_by_field_name("condition")
    tested = context.owners.options_in(context.flow.eval(test), tests=True) if test is not None else set()
    return (3, owner) if owner is not None and tested == {owner} else None


def required_options(scope: Scope, ctor: Ctor, owners: Owners) -> set[str]:
    """Options whose absence alone makes the constructor throw (`if (apiKey === undefined) throw`)."""
    context = _Context(scope, ctor, owners)
    found: set[str] = set()
    body = ctor.node.child_by_field_name("body")
    for node in walk(body, lambda n: n.type in FUNCTIONS) if body is not None else []:
        if node.type != "if_statement" or not _throws(node.child_by_field_name("consequence")) or in_branch(node, body):
            continue  # (a throw under another condition is not about this option alone)
        condition = node.child_by_field_name("condition")
        for test in _disjuncts(unparen(condition)) if condition is not None else []:
            tested = _missing(test)
            owner = context.option_of(tested) if tested is not None else None
            if owner is not None:
                found.add(owner)
    return found


def _throws(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type == "statement_block":
        inner = named(node)
        return bool(inner) and inner[0].type == "throw_statement"
    return node.type == "throw_statement"


def _disjuncts(node: Node) -> list[Node]:
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "||":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return [*_disjuncts(unparen(left)), *_disjuncts(unparen(right))] if left is not None and right is not None else []
    return [node]


def _missing(node: Node) -> Node | None:
    """x in `!x`, `x === undefined`, `x == null`, `typeof x === 'undefined'`."""
    if node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "!":
        return node.child_by_field_name("argument")
    if node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in ("===", "=="):
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    for side, other in ((left, right), (right, left)):
        if text(unparen(other)) in _NULLISH:
            return side
        if string_value(other) == "undefined" and side.type == "unary_expression" and text(side.child_by_field_name("operator")) == "typeof":
            return side.child_by_field_name("argument")
    return None
