"""Shared state of one file's parse: its text, positions and diagnostics."""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

from tsgen.diagnostics import Diagnostics, Pos
from tsgen.kinds import Kind


@functools.lru_cache(maxsize=1)
def language() -> Language:
    return Language(tree_sitter_typescript.language_typescript())


def new_parser() -> Parser:
    return Parser(language())


MAX_DEPTH = 100  # nesting of types or namespaces beyond which tsgen degrades instead of recursing


@dataclass
class Context:
    file: str
    source: bytes
    diagnostics: Diagnostics
    depth: int = 0  # how many types or namespaces enclose the node being parsed
    import_types: dict[int, tuple[int, str]] = field(default_factory=dict)  # see parse.recover
    global_blocks: frozenset[int] = frozenset()  # where each `global { }` of a module's body starts (parse.recover)
    script: bool = False  # the file has no top-level import or export

    def pos(self, node: Node) -> Pos:
        row, col = node.start_point
        line_start = node.start_byte - col
        prefix = self.source[line_start : node.start_byte]
        return Pos(self.file, row + 1, (col if prefix.isascii() else len(prefix.decode("utf-8", "replace"))) + 1)

    def text(self, node: Node) -> str:
        """The node's source text; short ones (names, keywords, literals: the same few thousand
        strings again and again in an SDK) shared, which keeps a large package's model small."""
        text = self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")
        return sys.intern(text) if len(text) <= 64 else text

    def qualified(self, node: Node) -> tuple[str, ...]:
        """The parts of a (qualified) name; an import type's `import('./m')` is one part, the
        name of the module's import in the model (`import_namespace`)."""
        span = self.import_types.get(node.start_byte)
        if span is None:
            return tuple(part.strip() for part in self.text(node).split("."))
        end, specifier = span
        rest = self.source[end : node.end_byte].decode("utf-8", "replace")
        return (import_namespace(specifier),) + tuple(part.strip() for part in rest.split(".")[1:])

    def warn(self, node: Node, message: str, *, kind: Kind) -> None:
        self.diagnostics.warn(self.pos(node), message, kind=kind)


def import_namespace(specifier: str) -> str:
    """The name under which the model imports the module an import type names (`import("./m")`):
    not an identifier, so that it cannot meet a declared name."""
    return f'import("{specifier}")'


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)


def _unescape_one(match: re.Match[str]) -> str:
    esc = match.group(1)
    if esc.startswith("u{"):
        return chr(min(int(esc[2:-1], 16), 0x10FFFF))
    if esc[0] in "ux" and len(esc) > 1:
        return chr(int(esc[1:], 16))
    if esc in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
        return ""
    return _ESCAPES.get(esc, esc)


def string_value(literal: str) -> str:
    """The value of a JS string literal, quotes included in `literal`. JavaScript strings are
    UTF-16: escaped surrogate pairs (`\\uD83D\\uDE00`) make one character; a lone one stays."""
    body = literal[1:-1] if len(literal) >= 2 else ""
    value = _ESCAPE.sub(_unescape_one, body)
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def number_value(text: str) -> int | float:
    clean = text.replace("_", "")
    if clean.endswith("n"):  # a BigInt literal: `10n`
        clean = clean[:-1]
    try:
        if clean.lower().startswith(("0x", "0o", "0b")):
            return int(clean, 0)
        value = float(clean)
    except ValueError:
        return float("nan")
    return int(value) if value.is_integer() and "." not in clean and "e" not in clean.lower() else value
