"""TypeScript that tsc accepts and tree-sitter-typescript 0.23 does not: targeted rewrites of
the text the parser sees, each the same length as what it replaces and keeping every line
break, so that every position stays that of the original text (node text is always read
from the original bytes, never from the rewritten ones).

- Import types, `import('./m').T<A>` (the grammar reads `import('./m')` as a call and fails
  on type arguments, `[]` and `.` after it): every `import(...)` in a type becomes an
  identifier of the same length (`_____________.T<A>`), and `ImportTypes` remembers which
  specifier each such identifier stands for.
- Forms the grammar lacks whose difference the model does not hold, blanked where the file
  fails to parse: `readonly` after `keyof` (`keyof readonly T[]`: keyof is read as text),
  variance annotations on type parameters (`<in out T>`), `type` in `export type * from` and
  in `import type X = N.Y`, `export` in `export import X = require('m')`.
- `global { ... }` inside `declare module 'm' { ... }` (the grammar has `declare global` only):
  the word `global` is blanked, its block read as a block of statements, and `GlobalBlocks`
  holds where each such block starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from tree_sitter import Node, Tree

from tsgen.parse.context import new_parser, string_value
from tsgen.records import record

_STRING = rb"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
# `import('m')` and `import('m', { with: { 'resolution-mode': 'import' } })`
_IMPORT_CALL = re.compile(rb"import\s*\(\s*" + _STRING + rb"\s*(?:,[^()]*)?\)")
_IMPORT_WORD = re.compile(rb"\bimport\s*\(")
_NOT_IMPORT_TYPE = frozenset({"import_statement", "import_alias", "import_require_clause"})


ImportTypes = dict[int, tuple[int, str]]  # start byte of each import type -> (end byte, specifier)
GlobalBlocks = frozenset[int]  # start byte of the `{` of each `global { ... }` read as a block


@record(frozen=True)
class Recovered:
    """The parser's tree of a file, and what the rewrites that made it parse took out."""

    tree: Tree
    import_types: ImportTypes
    global_blocks: GlobalBlocks = frozenset()


def first_import_types(spans: ImportTypes) -> list[tuple[int, str]]:
    """(start byte, specifier) of the first import type of each specifier, in file order."""
    first: dict[str, int] = {}
    for start, (_end, specifier) in sorted(spans.items()):
        first.setdefault(specifier, start)
    return sorted((start, spec) for spec, start in first.items())


def _token(tree: Tree, start: int, end: int) -> Node | None:
    return tree.root_node.descendant_for_byte_range(start, end)


def _blank(text: bytes) -> bytes:
    """The same number of bytes, every line break kept, all else spaces."""
    return bytes(b if b in b"\r\n" else 0x20 for b in text)


def _placeholder(text: bytes) -> bytes:
    """An identifier (`___`) as long as the first line of `text`, then blanks."""
    head = len(re.split(rb"[\r\n]", text, maxsplit=1)[0])
    return b"_" * head + _blank(text[head:])


def _import_types(tree: Tree, text: bytes) -> Iterator[tuple[int, int, str]]:
    for word in _IMPORT_WORD.finditer(text):
        start = word.start()
        token = _token(tree, start, start + len(b"import"))
        if token is None or token.type != "import" or (token.parent is not None and token.parent.type in _NOT_IMPORT_TYPE):
            continue  # in a comment or string, or an import statement
        call = _IMPORT_CALL.match(text, start)
        if call is not None:
            yield start, call.end(), string_value(call.group(1).decode("utf-8", "replace"))


# ---------------------------------------------------------------- forms blanked on error


def _keyof_readonly(tree: Tree, text: bytes) -> Iterator[tuple[int, int]]:
    for match in re.finditer(rb"\bkeyof(\s+)readonly\s", text):
        if getattr(_token(tree, match.start(), match.start() + 5), "type", None) == "keyof":
            yield match.end(1), match.end(1) + len(b"readonly")


_VARIANCE = re.compile(rb"([<,]\s*)((?:(?:in|out)\s+)+)(?!extends\b)[A-Za-z_$][\w$]*\s*(?:[,>=]|extends\b)")


def _variance(tree: Tree, text: bytes) -> Iterator[tuple[int, int]]:
    for match in _VARIANCE.finditer(text):
        token = _token(tree, match.start(), match.start() + 1)
        if token is not None and token.type in ("<", ","):
            yield match.start(2), match.end(2)


def _export_type_star(tree: Tree, text: bytes) -> Iterator[tuple[int, int]]:
    for match in re.finditer(rb"\bexport(\s+)type\s+\*", text):
        if getattr(_token(tree, match.start(), match.start() + 6), "type", None) == "export":
            yield match.end(1), match.end(1) + len(b"type")


_IMPORT_EQUALS = re.compile(rb"\b(?:(export)\s+)?import\s+(?:(type)\s+)?[A-Za-z_$][\w$]*\s*=\s*(require\s*\()?")


def _import_equals(tree: Tree, text: bytes) -> Iterator[tuple[int, int]]:
    """`import type X = N.Y` (read as `import X = N.Y`) and `export import X = require('m')`
    (read as `import X = require('m')`: what a file imports is visible through it anyway)."""
    for match in _IMPORT_EQUALS.finditer(text):
        word = match.start(1) if match.group(1) else match.start()
        if getattr(_token(tree, word, word + 1), "type", None) not in ("export", "import"):
            continue
        if match.group(2):
            yield match.span(2)
        if match.group(1) and match.group(3):
            yield match.span(1)


_GLOBAL_BLOCK = re.compile(rb"\bglobal(\s*)\{")


def _global_blocks(tree: Tree, text: bytes) -> Iterator[tuple[int, int]]:
    """`global {` where the parser fails on it (in a module's body, not after `declare`)."""
    for match in _GLOBAL_BLOCK.finditer(text):
        token = _token(tree, match.start(), match.start() + len(b"global"))
        parent = token.parent if token is not None else None
        if token is not None and token.type == "identifier" and parent is not None and (parent.is_error or parent.type == "expression_statement"):
            yield match.start(), match.start() + len(b"global")


_ON_ERROR: tuple[Callable[[Tree, bytes], Iterator[tuple[int, int]]], ...] = (_keyof_readonly, _variance, _export_type_star, _import_equals, _global_blocks)


def parse_tree(text: bytes) -> Recovered:
    """Parse the parser's view of a file (NUL bytes already blanked), with the rewrites above."""
    parser = new_parser()
    tree = parser.parse(text)
    imports: ImportTypes = {}
    edited = bytearray(text)
    for start, end, specifier in _import_types(tree, text):
        imports[start] = (end, specifier)
        edited[start:end] = _placeholder(text[start:end])
    blocks: set[int] = set()
    if tree.root_node.has_error:
        for rewrite in _ON_ERROR:
            for start, end in rewrite(tree, text):
                edited[start:end] = _blank(text[start:end])
                if rewrite is _global_blocks:
                    blocks.add(text.index(b"{", end))
    if edited != text:
        tree = parser.parse(bytes(edited))
    return Recovered(tree, imports, frozenset(blocks))
