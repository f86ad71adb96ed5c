"""Enum members."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from tsgen import tsmodel as m
from tsgen.docs import is_doc_comment, parse_doc
from tsgen.parse.context import Context, number_value, string_value
from tsgen.parse.types import member_name
from tsgen.kinds import UNREPRESENTABLE


def _value(ctx: Context, node: Node) -> str | int | float | None:
    text = ctx.text(node).strip()
    if node.type == "string":
        return string_value(text)
    if node.type == "number":
        return number_value(text)
    if node.type == "unary_expression" and text.startswith("-") and node.named_children[-1].type == "number":
        return -number_value(ctx.text(node.named_children[-1]))
    ctx.warn(node, f"computed enum value `{text[:40]}` is not supported; the member has no value", kind=UNREPRESENTABLE)
    return None


def _implicit(previous: str | int | float | None, first: bool) -> int | None:
    """A member without initializer: 0 first, else the previous numeric value plus one."""
    if first:
        return 0
    return previous + 1 if isinstance(previous, int) else None


def enum_members(ctx: Context, body: Node) -> Iterator[m.EnumMember]:
    doc: m.DocComment | None = None
    previous: str | int | float | None = None
    first = True
    for child in body.named_children:
        if child.type == "comment":
            text = ctx.text(child)
            doc = parse_doc(text) if is_doc_comment(text) else doc
            continue
        assigned = child.type == "enum_assignment"
        name_node = child.child_by_field_name("name") if assigned else child
        value_node = child.child_by_field_name("value") if assigned else None
        value = _value(ctx, value_node) if value_node is not None else _implicit(previous, first)
        previous, first = value, False
        yield m.EnumMember(member_name(ctx, name_node) or ctx.text(child), value, doc, ctx.pos(child))
        doc = None
