"""The parts of a template literal type (`` `${Prefix}-${'a' | 'b'}` ``), which the model keeps as
text (an UnsupportedType): read again when its values are computed (tsgen.lower.template_literals)."""

from __future__ import annotations

from tsgen import tsmodel as m
from tsgen.parse.mapped import reparsed
from tsgen.parse.types import parse_type

Span = str | m.TypeExpr  # text, or a placeholder's type


def parse_template(t: m.UnsupportedType) -> tuple[Span, ...] | None:
    """The text and the placeholders of a template literal type, in order; None for anything
    else, or where the text has escapes (not read)."""
    found = reparsed(t)
    if found is None:
        return None
    value, ctx = found
    if value.type != "template_literal_type":
        return None
    spans: list[Span] = []
    for child in value.named_children:
        if child.type == "string_fragment":
            spans.append(ctx.text(child))
        elif child.type == "template_type" and child.named_children:
            spans.append(parse_type(ctx, child.named_children[0]))
        else:  # an escape sequence
            return None
    return tuple(spans)
