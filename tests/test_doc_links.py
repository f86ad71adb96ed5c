"""`{@link X}` and `@see X` in docstrings as Python names (tsgen.lower.doc_links): a declaration
by its dotted Python name, a member after it as written, a URL as a URL, an unknown name as its
text; and nothing in a link breaks out of the docstring."""

from __future__ import annotations

import ast
from pathlib import Path

from util import generate

SOURCE = '''
export declare namespace Shapes {
    /** A corner. */
    interface Corner { x: number; }
}
/** A point: see {@link Shapes.Corner} and {@link Line.start the start of a line}. */
export interface Point { x: number; }
/**
 * Between two {@link Point points}, unlike {@link Missing} or {@linkcode Missing.thing | a thing}.
 * Read {@link https://example.com/lines the guide} or {@link https://example.com/raw}.
 *
 * @see Point
 * @see https://example.com/see
 * @see Nowhere.at.all
 */
export interface Line { start: Point; end: Point; }
/** Hostile: {@link a"""b} {@link x`y} {@link \\u0000}. */
export interface Odd { a: string; }
'''


def _docs(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "shapes.d.ts").write_text(SOURCE)
    result = generate(tmp_path / "in", package="pkg")
    text = result.files["pkg/shapes.py"].decode()
    tree = ast.parse(text)
    return {n.name: ast.get_docstring(n) or "" for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}


def test_links_name_the_python_declarations(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    assert docs["Point"] == "A point: see `pkg.shapes.Corner` and the start of a line (`pkg.shapes.Line.start`)."
    assert docs["Line"].split("\n")[:2] == [
        "Between two points (`pkg.shapes.Point`), unlike `Missing` or a thing (`Missing.thing`).",
        "Read [the guide](https://example.com/lines) or https://example.com/raw.",
    ]
    assert "@see `pkg.shapes.Point`\n\n@see https://example.com/see\n\n@see `Nowhere.at.all`" in docs["Line"]


def test_a_hostile_link_stays_text_of_the_docstring(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    assert set(docs) >= {"Odd", "Point", "Line"}
    assert docs["Odd"] == 'Hostile: `a"""b` x`y `\\u0000`.'
