"""Type expressions, members and parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from tsgen.diagnostics import Pos
from tsgen.docs import is_doc_comment, parse_doc
from tsgen.parse.context import MAX_DEPTH, Context, number_value, string_value
from tsgen import tsmodel as m
from tsgen.kinds import UNSUPPORTED_SYNTAX

_UNSUPPORTED = {
    "index_type_query": "keyof operator",
    "type_query": "typeof",
    "lookup_type": "indexed access type",
    "conditional_type": "conditional type",
    "template_literal_type": "template literal type",
    "infer_type": "infer type",
    "type_predicate": "type predicate",
    "asserts": "assertion signature",
    "asserts_annotation": "assertion signature",
    "this_type": "this type",
    "existential_type": "existential type",
    "constructor_type": "constructor type",
    "readonly_type": "readonly type operator",
    "optional_type": "optional type",
    "rest_type": "rest type",
    "flow_maybe_type": "maybe type",
}


def parse_type(ctx: Context, node: Node) -> m.TypeExpr:
    """Convert a type node; unknown constructs become UnsupportedType, never an exception."""
    if node.type in ("type_annotation", "omitting_type_annotation", "opting_type_annotation"):
        node = node.named_children[-1]
    handler = _HANDLERS.get(node.type)
    if ctx.depth >= MAX_DEPTH:
        return m.UnsupportedType(f"type nested more than {MAX_DEPTH} levels deep", ctx.text(node)[:60], ctx.pos(node))
    if handler is not None:
        ctx.depth += 1
        try:
            return handler(ctx, node)
        finally:
            ctx.depth -= 1
    construct = _UNSUPPORTED.get(node.type, node.type.replace("_", " "))
    return m.UnsupportedType(construct, ctx.text(node), ctx.pos(node))


def _keyword(ctx: Context, node: Node) -> m.TypeExpr:
    return m.KeywordType(ctx.text(node), ctx.pos(node))


def _ref(ctx: Context, node: Node) -> m.TypeExpr:
    name = ctx.qualified(node)
    if len(name) == 1 and node.start_byte in ctx.import_types:
        return m.UnsupportedType("import type of a whole module", ctx.text(node), ctx.pos(node))
    return m.TypeRef(name, (), ctx.pos(node))


def _generic(ctx: Context, node: Node) -> m.TypeExpr:
    name_node = node.child_by_field_name("name") or node.named_children[0]
    args_node = node.child_by_field_name("type_arguments")
    args = tuple(parse_type(ctx, a) for a in args_node.named_children if a.type != "comment") if args_node else ()
    return m.TypeRef(ctx.qualified(name_node), args, ctx.pos(node))


def _is_entity_name(node: Node) -> bool:
    if node.type in ("identifier", "property_identifier"):
        return True
    parts_ok = all(_is_entity_name(c) for c in node.named_children)
    return node.type == "member_expression" and parts_ok and all(c.type == "." for c in node.children if not c.is_named)


def _entity_expression(ctx: Context, node: Node) -> m.TypeExpr:
    """`Core.APIResource` where the grammar reads an expression (a class's `extends`)."""
    if _is_entity_name(node):
        return _ref(ctx, node)
    return m.UnsupportedType("member expression", ctx.text(node), ctx.pos(node))


def _literal(ctx: Context, node: Node) -> m.TypeExpr:
    child = node.named_children[0] if node.named_children else node.children[0]
    pos = ctx.pos(node)
    if child.type == "string":
        return m.LiteralType(string_value(ctx.text(child)), pos)
    if child.type == "number":
        return m.LiteralType(number_value(ctx.text(child)), pos)
    if child.type in ("true", "false"):
        return m.LiteralType(child.type == "true", pos)
    if child.type in ("null", "undefined"):
        return m.KeywordType(child.type, pos)
    if child.type == "unary_expression":
        value = number_value(ctx.text(child.named_children[-1]))
        return m.LiteralType(-value if ctx.text(child).lstrip().startswith("-") else value, pos)
    return m.UnsupportedType("literal type", ctx.text(node), pos)


def _flatten(ctx: Context, node: Node, kind: str) -> Iterator[m.TypeExpr]:
    """The members of `A | B | C` (parsed as nested binary nodes), in order, without recursion:
    a union of thousands of members is a long chain."""
    stack = [iter(node.named_children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.type == kind:
            stack.append(iter(child.named_children))
        elif child.type != "comment":
            yield parse_type(ctx, child)


def _union(ctx: Context, node: Node) -> m.TypeExpr:
    members = tuple(_flatten(ctx, node, "union_type"))
    return members[0] if len(members) == 1 else m.UnionType(members, ctx.pos(node))


def _intersection(ctx: Context, node: Node) -> m.TypeExpr:
    members = tuple(_flatten(ctx, node, "intersection_type"))
    return members[0] if len(members) == 1 else m.IntersectionType(members, ctx.pos(node))


def _paren(ctx: Context, node: Node) -> m.TypeExpr:
    return m.ParenType(parse_type(ctx, node.named_children[0]), ctx.pos(node))


def _array(ctx: Context, node: Node) -> m.TypeExpr:
    return m.ArrayType(parse_type(ctx, node.named_children[0]), False, ctx.pos(node))


def _readonly(ctx: Context, node: Node) -> m.TypeExpr:
    inner = parse_type(ctx, node.named_children[0])
    if isinstance(inner, (m.ArrayType, m.TupleType)):
        return _readonly_of(inner, ctx.pos(node))
    first = inner.members[0] if isinstance(inner, (m.UnionType, m.IntersectionType)) and inner.members else None
    if isinstance(inner, (m.UnionType, m.IntersectionType)) and isinstance(first, (m.ArrayType, m.TupleType)):
        # tree-sitter reads `readonly T[] | null` as readonly (T[] | null); in TypeScript the
        # operator binds tighter: (readonly T[]) | null
        return type(inner)((_readonly_of(first, ctx.pos(node)), *inner.members[1:]), inner.pos)
    return m.UnsupportedType("readonly type operator", ctx.text(node), ctx.pos(node))


def _readonly_of(inner: m.ArrayType | m.TupleType, pos: Pos) -> m.TypeExpr:
    return m.ArrayType(inner.element, True, pos) if isinstance(inner, m.ArrayType) else inner


def _tuple_element(ctx: Context, node: Node) -> m.TupleElement:
    if node.type in ("required_parameter", "optional_parameter"):
        name_node = node.child_by_field_name("name") or node.child_by_field_name("pattern")
        rest = name_node is not None and name_node.type == "rest_pattern"
        name = ctx.text(name_node).lstrip(".") if name_node is not None else None
        type_node = node.child_by_field_name("type")
        type_ = parse_type(ctx, type_node) if type_node else m.KeywordType("unknown")
        return m.TupleElement(type_, name, node.type == "optional_parameter", rest)
    if node.type == "optional_type":
        return m.TupleElement(parse_type(ctx, node.named_children[0]), None, True)
    if node.type == "rest_type":
        return m.TupleElement(parse_type(ctx, node.named_children[0]), None, False, True)
    return m.TupleElement(parse_type(ctx, node))


def _tuple(ctx: Context, node: Node) -> m.TypeExpr:
    elements = tuple(_tuple_element(ctx, c) for c in node.named_children if c.type != "comment")
    return m.TupleType(elements, ctx.pos(node))


def _object(ctx: Context, node: Node) -> m.TypeExpr:
    if any(c.type == "index_signature" and c.child_by_field_name("index_type") is None for c in node.named_children):
        return m.UnsupportedType("mapped type", ctx.text(node), ctx.pos(node))
    return m.ObjectType(tuple(parse_members(ctx, node)), ctx.pos(node))


def _function(ctx: Context, node: Node) -> m.TypeExpr:
    params = parse_params(ctx, node.child_by_field_name("parameters"))
    ret = node.child_by_field_name("return_type")
    returns = parse_type(ctx, ret) if ret else m.KeywordType("void")
    return m.FunctionType(params, returns, ctx.pos(node))


_HANDLERS: dict[str, Callable[[Context, Node], m.TypeExpr]] = {
    "predefined_type": _keyword,
    "type_identifier": _ref,
    "identifier": _ref,
    "nested_type_identifier": _ref,
    "member_expression": _entity_expression,
    "generic_type": _generic,
    "literal_type": _literal,
    "union_type": _union,
    "intersection_type": _intersection,
    "parenthesized_type": _paren,
    "array_type": _array,
    "readonly_type": _readonly,
    "tuple_type": _tuple,
    "object_type": _object,
    "function_type": _function,
}

# ---------------------------------------------------------------- parameters


def parse_type_params(ctx: Context, node: Node | None) -> tuple[m.TypeParam, ...]:
    if node is None:
        return ()
    result = []
    for child in node.named_children:
        if child.type != "type_parameter":
            continue
        name = child.child_by_field_name("name")
        constraint = child.child_by_field_name("constraint")
        default = child.child_by_field_name("value")
        result.append(
            m.TypeParam(
                ctx.text(name) if name else ctx.text(child),
                parse_type(ctx, constraint.named_children[-1]) if constraint else None,
                parse_type(ctx, default.named_children[-1]) if default else None,
            )
        )
    return tuple(result)


def parse_params(ctx: Context, node: Node | None) -> tuple[m.Param, ...]:
    if node is None:
        return ()
    params = []
    for child in node.named_children:
        if child.type not in ("required_parameter", "optional_parameter"):
            continue
        pattern = child.child_by_field_name("pattern") or child.named_children[0]
        if pattern.type == "this":
            continue
        rest = pattern.type == "rest_pattern"
        name = ctx.text(pattern.named_children[-1] if rest else pattern)
        type_node = child.child_by_field_name("type")
        type_ = parse_type(ctx, type_node) if type_node else None
        params.append(m.Param(name, type_, child.type == "optional_parameter", rest))
    return tuple(params)


# ---------------------------------------------------------------- members


def member_name(ctx: Context, node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        return string_value(ctx.text(node))
    if node.type == "number":
        return str(number_value(ctx.text(node)))
    if node.type in ("property_identifier", "identifier", "private_property_identifier"):
        return ctx.text(node)
    return None


def _tokens(node: Node) -> set[str]:
    """The kinds of the node's children (`?`, `readonly`, `get`...)."""
    return {c.type for c in node.children}


def _has_token(node: Node, token: str) -> bool:
    return token in _tokens(node)


def _property(ctx: Context, node: Node, doc: m.DocComment | None) -> m.Member | None:
    name_node = node.child_by_field_name("name")
    name = member_name(ctx, name_node)
    if name is None:
        ctx.warn(node, f"computed property name `{ctx.text(name_node or node)}` is not supported; member skipped", kind=UNSUPPORTED_SYNTAX)
        return None
    type_node = node.child_by_field_name("type")
    tokens = _tokens(node)
    return m.Property(
        name,
        parse_type(ctx, type_node) if type_node else None,
        optional="?" in tokens,
        readonly="readonly" in tokens or "get" in tokens,
        doc=doc,
        pos=ctx.pos(name_node or node),
    )


def _method(ctx: Context, node: Node, doc: m.DocComment | None) -> m.Member | None:
    tokens = _tokens(node)
    if "get" in tokens or "set" in tokens:
        return _accessor(ctx, node, doc)
    name_node = node.child_by_field_name("name")
    name = member_name(ctx, name_node)
    if name is None:
        ctx.warn(node, f"computed method name `{ctx.text(name_node or node)}` is not supported; member skipped", kind=UNSUPPORTED_SYNTAX)
        return None
    ret = node.child_by_field_name("return_type")
    return m.Method(
        name,
        parse_params(ctx, node.child_by_field_name("parameters")),
        parse_type(ctx, ret) if ret else None,
        parse_type_params(ctx, node.child_by_field_name("type_parameters")),
        optional="?" in tokens,
        doc=doc,
        pos=ctx.pos(name_node or node),
    )


def _accessor(ctx: Context, node: Node, doc: m.DocComment | None) -> m.Member | None:
    name_node = node.child_by_field_name("name")
    name = member_name(ctx, name_node)
    if name is None or _has_token(node, "set"):
        return None  # a setter adds nothing a getter or property does not already declare
    ret = node.child_by_field_name("return_type")
    return m.Property(name, parse_type(ctx, ret) if ret else None, readonly=True, doc=doc, pos=ctx.pos(node))


def _index(ctx: Context, node: Node, doc: m.DocComment | None) -> m.Member | None:
    key = node.child_by_field_name("name")
    key_type = node.child_by_field_name("index_type")
    value = node.child_by_field_name("type")
    if key is None or key_type is None:
        ctx.warn(node, "mapped type member is not supported; member skipped", kind=UNSUPPORTED_SYNTAX)
        return None
    return m.IndexSignature(
        ctx.text(key),
        parse_type(ctx, key_type),
        parse_type(ctx, value) if value else None,
        readonly=_has_token(node, "readonly"),
        doc=doc,
        pos=ctx.pos(node),
    )


def _call(ctx: Context, node: Node, doc: m.DocComment | None) -> m.Member | None:
    ret = node.child_by_field_name("return_type") or node.child_by_field_name("type")
    return m.CallSignature(
        node.type == "construct_signature",
        parse_params(ctx, node.child_by_field_name("parameters")),
        parse_type(ctx, ret) if ret else None,
        doc=doc,
        pos=ctx.pos(node),
    )


_MEMBERS: dict[str, Callable[[Context, Node, m.DocComment | None], m.Member | None]] = {
    "property_signature": _property,
    "public_field_definition": _property,
    "method_signature": _method,
    "abstract_method_signature": _method,
    "method_definition": _method,
    "index_signature": _index,
    "call_signature": _call,
    "construct_signature": _call,
}


def parse_members(ctx: Context, body: Node) -> Iterator[m.Member]:
    """Members of an interface body, object type or class body, each with its doc comment."""
    doc: m.DocComment | None = None
    for child in body.named_children:
        if child.type == "comment":
            text = ctx.text(child)
            if is_doc_comment(text):
                doc = parse_doc(text)
            continue
        handler = _MEMBERS.get(child.type)
        if handler is None:
            if child.type not in ("class_static_block", "decorator"):
                ctx.warn(child, f"unsupported member `{child.type}` skipped", kind=UNSUPPORTED_SYNTAX)
            doc = None
            continue
        member = handler(ctx, child, doc)
        doc = None
        if member is not None:
            yield member
