"""Enum members."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from tsgen import tsmodel as m
from tsgen.docs import is_doc_comment, parse_doc
from tsgen.parse.context import Context, number_value, string_value
from tsgen.parse.types import member_name


def _value(ctx: Context, node: Node | None, previous: str | int | float | None) -> str | int | float | None:
    if node is None:
        return previous + 1 if isinstance(previous, int) else (0 if previous is None else None)
    text = ctx.text(node).strip()
    if node.type == "string":
        return string_value(text)
    if node.type == "number":
        return number_value(text)
    if node.type == "unary_expression" and text.startswith("-"):
        value = number_value(text[1:].strip())
        return -value
    ctx.warn(node, f"computed enum value `{text[:40]}` is not supported; the member has no value")
    return None


def enum_members(ctx: Context, body: Node) -> Iterator[m.EnumMember]:
    doc: m.DocComment | None = None
    previous: str | int | float | None = None
    first = True
    for child in body.named_children:
        if child.type == "comment":
            text = ctx.text(child)
            doc = parse_doc(text) if is_doc_comment(text) else doc
            continue
        name_node = child.child_by_field_name("name") if child.type == "enum_assignment" else child
        value_node = child.child_by_field_name("value") if child.type == "enum_assignment" else None
        name = member_name(ctx, name_node) or ctx.text(child)
        value = _value(ctx, value_node, None if first else previous) if value_node or first or previous is not None else None
        if value_node is None and first:
            value = 0
        first = False
        previous = value
        yield m.EnumMember(name, value, doc, ctx.pos(child))
        doc = None
