"""Syntax helpers over the tree-sitter JavaScript grammar: parsing, text, traversal, literals.

The compiled `.js` of an SDK is JavaScript, so it is read with the JavaScript grammar (the
TypeScript grammar reads `a < b > (c)` as a call with type arguments and shapes classes
differently)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import tree_sitter_javascript as tsj
from tree_sitter import Language, Node, Parser

FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "function_declaration", "generator_function"})


@functools.cache
def parser() -> Parser:
    return Parser(Language(tsj.language()))


def text(node: Node | None, compact: bool = False) -> str:
    raw = node.text if node is not None and node.text is not None else b""
    value = raw.decode("utf-8", "replace")
    return " ".join(value.split()) if compact else value


def walk(node: Node, skip: Callable[[Node], bool] = lambda _n: False) -> Iterator[Node]:
    """Pre-order traversal in source order, without recursion; `skip` prunes a subtree."""
    stack = [node]
    while stack:
        current = stack.pop()
        if not skip(current):
            yield current
            stack.extend(reversed(current.children))


def named(node: Node | None) -> list[Node]:
    """Named children that are not comments."""
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


def unparen(node: Node) -> Node:
    """The expression inside parentheses (and the last of a `(0, f)` sequence)."""
    while node.type in ("parenthesized_expression", "sequence_expression"):
        inner = named(node)
        if not inner:
            break
        node = inner[-1]
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a string literal or of a template without substitutions, else None."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(c.type == "template_substitution" for c in node.children):
        return None
    return "".join(fragment(c) for c in node.children[1:-1])


def fragment(node: Node) -> str:
    """The text of a string or template piece, escapes decoded."""
    if node.type == "escape_sequence":
        return _unescape(text(node))
    return text(node)


def _unescape(escape: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}
    body = escape[1:]
    if body[:1] == "u" and body[1:2] == "{":
        return chr(int(body[2:-1], 16))
    if body[:1] in ("u", "x"):
        try:
            return chr(int(body[1:], 16))
        except ValueError:
            return body
    return simple.get(body, body)


def key_name(pair: Node) -> str | None:
    """The key of an object member (`a: 1`, `'a-b': 1`, `1: x`); None when computed (`[k]: v`)."""
    key = pair.child_by_field_name("key")
    if key is None or key.type == "computed_property_name":
        return None
    value = string_value(key)
    return text(key) if value is None else value


def callee_name(call: Node) -> str:
    """The called name: `f(...)`, `a.b.f(...)`, `(0, m.f)(...)` all give 'f'."""
    func = call.child_by_field_name("function")
    func = unparen(func) if func is not None else None
    if func is not None and func.type == "member_expression":
        return text(func.child_by_field_name("property"))
    return text(func) if func is not None and func.type == "identifier" else ""


def position(node: Node) -> tuple[int, int]:
    """1-based line and column."""
    row, column = node.start_point
    return row + 1, column + 1
