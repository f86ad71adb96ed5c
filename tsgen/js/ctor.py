"""What the constructors of a class chain store on `this` (`this.apiKey = apiKey`, class fields),
in terms of the parameters of the constructor that takes the options, through `super(...)`
calls into base classes; and what a value is when nothing is given."""

from __future__ import annotations


from tree_sitter import Node

from tsgen.js.syntax import FUNCTIONS, key_name, named, string_value, text, unparen, walk
from tsgen.js.thisflow import INDEX, ClassEvaluator, Scope, leaves, member, parameter_names, substitute
from tsgen.js.values import Call, Cond, Field, Lit, Opaque, Param, Tmpl, Value
from tsgen.records import record

Props = dict[str, list[Value]]  # this.x -> its values, the last one unconditional when there is one
_BRANCHES = frozenset({
    "if_statement", "switch_statement", "for_statement", "for_in_statement", "while_statement",
    "do_statement", "catch_clause", "ternary_expression", "binary_expression",
})  # fmt: skip


@record(frozen=True)
class Ctor:
    """The constructor that takes the options (the first of the chain with parameters)."""

    index: int  # in scope.classes
    node: Node
    params: tuple[str, ...]  # as the Evaluator names them


def options_ctor(scope: Scope) -> Ctor | None:
    for index, cls in enumerate(scope.classes):
        ctor = cls.constructor()
        names = parameter_names(ctor) if ctor is not None else []
        if ctor is not None and any(names):
            return Ctor(index, ctor, tuple(names))
    return None


def props(scope: Scope, index: int = 0) -> Props:
    """`this.x` -> the values assigned to it, in order (base constructors first)."""
    if index >= len(scope.classes):
        return {}
    cls = scope.classes[index]
    ctor = cls.constructor()
    if ctor is None:
        found = props(scope, index + 1)
        _add_fields(found, scope, index, None)
        return found
    flow = ClassEvaluator(ctor, scope, cls.module, index)
    found = _from_super(scope, index, ctor, flow)
    _add_fields(found, scope, index, flow)
    conditional: Props = {}
    for target, value, branch in this_assignments(ctor):
        (conditional if branch else found).setdefault(target, []).append(flow.eval(value))
    for target, values in conditional.items():
        found[target] = values + found.get(target, [])  # an unconditional value stays the last one
    return found


def _from_super(scope: Scope, index: int, ctor: Node, flow: ClassEvaluator) -> Props:
    call = next((n for n in walk(ctor, _nested) if n.type == "call_expression" and _is_super(n)), None)
    if call is None:
        return {}
    base = props(scope, index + 1)
    args = named(call.child_by_field_name("arguments"))
    if args and args[0].type == "spread_element":
        return base  # super(...arguments): the same parameters
    base_ctor = options_ctor(Scope(scope.modules, scope.classes[index + 1 :]))
    if base_ctor is None:
        return base
    mapping = {name: flow.eval(args[i]) if i < len(args) else Lit(None) for i, name in enumerate(base_ctor.params) if name}
    return {key: [substitute(v, mapping) for v in values] for key, values in base.items()}


def _add_fields(found: Props, scope: Scope, index: int, flow: ClassEvaluator | None) -> None:
    cls = scope.classes[index]
    for key, value in cls.fields(static=False):
        evaluator = flow or ClassEvaluator(value, scope, cls.module, index)
        found.setdefault(key, []).append(evaluator.eval(value))


def _is_super(call: Node) -> bool:
    func = call.child_by_field_name("function")
    return func is not None and func.type == "super"


def _nested(node: Node) -> bool:
    return node.type in FUNCTIONS


def this_assignments(function: Node) -> list[tuple[str, Node, bool]]:
    """(x, value, conditional) of each `this.x = value` in the function body (not in nested
    functions); conditional when it sits in a branch."""
    body = function.child_by_field_name("body")
    found = []
    for node in walk(body, _nested) if body is not None else []:
        if node.type != "assignment_expression":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            continue
        obj = left.child_by_field_name("object")
        if obj is not None and obj.type == "this":
            found.append((text(left.child_by_field_name("property")), right, in_branch(node, body)))
    return found


def in_branch(node: Node, body: Node | None) -> bool:
    """Whether `node` runs only under a condition inside `body`."""
    current = node.parent
    while current is not None and current != body:
        if current.type in _BRANCHES:
            return True
        current = current.parent
    return False


def destructured(ctor: Node, param: str) -> list[tuple[str, str, Node]]:
    """(key, local name, pattern member) of the keys destructured from the options parameter,
    in the parameter itself or in `const { ... } = options` in the body."""
    params = named(ctor.child_by_field_name("parameters"))
    patterns: list[Node] = []
    if params:
        first = params[0].child_by_field_name("left") if params[0].type == "assignment_pattern" else params[0]
        if first is not None and first.type == "object_pattern":
            patterns.append(first)
    body = ctor.child_by_field_name("body")
    for node in walk(body, _nested) if body is not None else []:
        if node.type == "variable_declarator":
            value = node.child_by_field_name("value")
            pattern = node.child_by_field_name("name")
            if value is not None and unparen(value).type == "identifier" and text(unparen(value)) == param and pattern is not None and pattern.type == "object_pattern":
                patterns.append(pattern)
    found = []
    for pattern in patterns:
        for member in named(pattern):
            key, local = _member_names(member)
            if key and local:
                found.append((key, local, member))
    return found


def _member_names(member: Node) -> tuple[str, str]:
    if member.type == "shorthand_property_identifier_pattern":
        return text(member), text(member)
    if member.type == "object_assignment_pattern":
        left = member.child_by_field_name("left")
        return text(left), text(left)
    if member.type == "pair_pattern":
        key = member.child_by_field_name("key")
        if key is None or key.type == "computed_property_name":
            return "", ""
        value = member.child_by_field_name("value")
        value = value.child_by_field_name("left") if value is not None and value.type == "assignment_pattern" else value
        return key_name(member) or "", text(value) if value is not None and value.type == "identifier" else ""
    return "", ""


UNKNOWN = Opaque("unknown")


def absent(value: Value, param: str) -> Value:
    """What `value` is when the options parameter gives nothing and no environment variable is
    set: a Lit, or UNKNOWN."""
    if isinstance(value, Lit):
        return value
    if isinstance(value, Tmpl) and all(isinstance(p, str) for p in value.parts):
        return Lit("".join(p for p in value.parts if isinstance(p, str)))
    if isinstance(value, Field) and value.param == param:
        return Lit(None)
    if isinstance(value, Call) and env_name(value) is not None:
        return Lit(None)
    if isinstance(value, Cond):
        return _absent_cond(value, param)
    if isinstance(value, Call) and value.name == INDEX and len(value.args) == 2:
        key = absent(value.args[1], param)
        return absent(member(value.args[0], key.value), param) if isinstance(key, Lit) and isinstance(key.value, str) else UNKNOWN
    if isinstance(value, Call):
        # a helper that checks a value (`validatePositiveInteger('maxRetries', x)`) gives it back
        carried = [a for a in value.args if _of_one_option(a, param)]
        plain = all(isinstance(a, Lit) for a in value.args if a not in carried)
        return absent(carried[0], param) if len(carried) == 1 and plain else UNKNOWN
    return UNKNOWN


def _absent_cond(value: Cond, param: str) -> Value:
    test = absent(value.test, param)
    if isinstance(test, Lit):
        if value.present:
            return absent(value.other, param) if test.value is None else absent(value.then, param)
        return absent(value.then, param) if test.value else absent(value.other, param)
    then, other = absent(value.then, param), absent(value.other, param)
    if then == other:
        return then
    if then == Lit(None) and isinstance(other, Lit):
        return other  # `ok(x) ? x : 2`: when x is missing the value is 2 or nothing
    if other == Lit(None) and isinstance(then, Lit):
        return then
    return UNKNOWN


def _of_one_option(value: Value, param: str) -> bool:
    """A value made from one option field (`options.maxRetries ?? 2`), not the whole options."""
    inner = leaves(value)
    fields = {v.path[:1] for v in inner if isinstance(v, Field) and v.param == param}
    return len(fields) == 1 and not any(isinstance(v, Param) and v.name == param for v in inner)


def env_name(value: Value) -> str | None:
    """The variable of `readEnv('X')` or `process.env.X`."""
    if isinstance(value, Call) and value.name == "readEnv" and value.args:
        arg = value.args[0]
        return arg.value if isinstance(arg, Lit) and isinstance(arg.value, str) else None
    if isinstance(value, Opaque) and value.text.startswith("process.env."):
        return value.text[len("process.env.") :] or None
    return None


def env_call(node: Node) -> str | None:
    """The variable a syntax node reads: `readEnv('X')`, `Core.readEnv('X')`, `process.env['X']`."""
    if node.type == "call_expression":
        func = unparen(node.child_by_field_name("function") or node)
        name = text(func.child_by_field_name("property")) if func.type == "member_expression" else text(func)
        args = named(node.child_by_field_name("arguments"))
        return string_value(args[0]) if name == "readEnv" and args else None
    if node.type in ("member_expression", "subscript_expression"):
        obj = node.child_by_field_name("object")
        if obj is None or "".join(text(obj).split()) != "process.env":
            return None
        if node.type == "member_expression":
            return text(node.child_by_field_name("property"))
        return string_value(unparen(node.child_by_field_name("index") or node))
    return None
