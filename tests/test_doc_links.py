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


def test_a_link_into_a_package_module_names_the_package(tmp_path: Path) -> None:
    """`shapes.d.ts` beside `shapes/` becomes `pkg/shapes/__init__.py`: what it declares is
    `pkg.shapes.Name` to Python (and to the differential test's manifest), not `pkg.shapes.__init__.Name`."""
    (tmp_path / "in" / "shapes").mkdir(parents=True)
    (tmp_path / "in" / "shapes.d.ts").write_text("/** A corner. */\nexport interface Corner { x: number; }\n")
    (tmp_path / "in" / "shapes" / "more.d.ts").write_text(
        "import { Corner } from '../shapes';\n/** Starts at a {@link Corner}. */\nexport interface Edge { start: Corner; }\n"
    )
    result = generate(tmp_path / "in", package="pkg")
    assert "pkg/shapes/__init__.py" in result.files
    tree = ast.parse(result.files["pkg/shapes/more.py"].decode())
    docs = {n.name: ast.get_docstring(n) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    assert docs["Edge"] == "Starts at a `pkg.shapes.Corner`."


def test_an_inherited_field_links_from_where_it_is_written(tmp_path: Path) -> None:
    """A field a class inherits keeps its base's doc comment, whose links name what they name in
    the base's file (as tsc resolves them), not what the same name is in the inheriting one."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "http.d.ts").write_text(
        "export interface Server { timeout: number; }\n"
        "export interface Options {\n    /** See {@link Server.timeout}. */\n    timeout?: number;\n    other?: string;\n}\n"
    )
    (tmp_path / "in" / "https.d.ts").write_text(
        "import * as http from './http';\nexport interface Server { secure: boolean; }\n"
        "export interface Options extends Omit<http.Options, 'other'> { key?: string; }\n"  # computed: the fields are its own
    )
    result = generate(tmp_path / "in", package="pkg")
    text = result.files["pkg/https.py"].decode()
    assert "See `pkg.http.Server.timeout`." in text
    assert "pkg.https.Server.timeout" not in text


def test_a_member_link_past_a_type_without_it_names_the_class_of_an_enclosing_scope(tmp_path: Path) -> None:
    """`{@link EventEmitter.defaultMaxListeners}` written in `NodeJS.EventEmitter` (an interface
    without that member) names the `EventEmitter` class, as the TypeScript compiler reads it;
    `{@link EventEmitter.getMaxListeners}` names the interface's own member."""
    (tmp_path / "events.d.ts").write_text(
        "export declare class EventEmitter {\n  defaultMaxListeners: number;\n}\n"
        "export declare namespace NodeJS {\n  interface EventEmitter {\n"
        "    /** Default: {@link EventEmitter.defaultMaxListeners}; see {@link EventEmitter.getMaxListeners}. */\n"
        "    getMaxListeners: number;\n  }\n}\n"
    )
    text = generate(tmp_path, package="ev").files["ev/events.py"].decode()
    assert "Default: `ev.events.EventEmitter.defaultMaxListeners`; see `ev.events.NodeJSEventEmitter.getMaxListeners`." in text, text
