"""The parts of a mapped type (`{ readonly [K in keyof T]?: T[K] }`), which the model keeps as
text (an UnsupportedType): read again when its properties are computed (tsgen.lower.mapped)."""

from __future__ import annotations

from tree_sitter import Node

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.parse.context import Context, new_parser
from tsgen.parse.types import parse_type
from tsgen.records import record

_PREFIX = b"type _ = "
_OPTIONAL = {"opting_type_annotation": "?", "adding_type_annotation": "+?", "omitting_type_annotation": "-?", "type_annotation": ""}


@record(frozen=True)
class MappedParts:
    key: str  # the key's name (`K`)
    keys: m.TypeExpr  # what it ranges over (`keyof T`, `'a' | 'b'`)
    value: m.TypeExpr
    value_text: str
    optional: str  # "?", "+?", "-?" or ""
    renamed: bool  # an `as` clause renames the keys


class _Placed(Context):
    """Positions in the text read again, as positions in the file it is from."""

    def __init__(self, where: Pos, source: bytes) -> None:
        super().__init__(where.file, source, Diagnostics())
        self.where = where

    def pos(self, node: Node) -> Pos:
        row, col = node.start_point
        if row == 0:
            return Pos(self.where.file, self.where.line, self.where.col + col - len(_PREFIX))
        return Pos(self.where.file, self.where.line + row, col + 1)


def reparsed(t: m.UnsupportedType) -> tuple[Node, Context] | None:
    """The type a construct kept as text is, parsed again (positions in its file); None where
    the text does not parse."""
    source = _PREFIX + t.text.encode("utf-8")
    root = new_parser().parse(source).root_node
    alias = root.named_children[0] if root.named_children else None
    value = alias.child_by_field_name("value") if alias is not None else None
    if root.has_error or value is None:
        return None
    return value, _Placed(t.pos, source)


def parse_mapped(t: m.UnsupportedType) -> MappedParts | None:
    """The parts of a mapped type of one member; None for anything else."""
    found = reparsed(t)
    if found is None:
        return None
    value, ctx = found
    members = [c for c in value.named_children if c.type != "comment"] if value.type == "object_type" else []
    if len(members) != 1 or members[0].type != "index_signature":
        return None
    signature = members[0]
    clause = next((c for c in signature.named_children if c.type == "mapped_type_clause"), None)
    annotation = next((c for c in signature.named_children if c.type in _OPTIONAL), None)
    name, keys = (clause.child_by_field_name(f) for f in ("name", "type")) if clause is not None else (None, None)
    if clause is None or annotation is None or name is None or keys is None or not annotation.named_children:
        return None
    value_node = annotation.named_children[-1]
    return MappedParts(ctx.text(name), parse_type(ctx, keys), parse_type(ctx, value_node), ctx.text(value_node), _OPTIONAL[annotation.type], clause.child_by_field_name("alias") is not None)
