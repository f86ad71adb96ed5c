"""TypeScript that tsc accepts and tree-sitter-typescript does not read is recovered (import
types with type arguments, `keyof readonly`, variance annotations, `export type *`), with
every position kept; real syntax errors stop the run in the files to convert and skip the
broken statement in files read only for their names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.parse import parse_module
from util import generate, write_tree


def parse(text: str, names_only: bool = False) -> tuple[m.Module, Diagnostics]:
    diagnostics = Diagnostics()
    return parse_module("t.d.ts", text.encode(), diagnostics, names_only), diagnostics


def test_an_import_type_with_type_arguments_is_a_reference_through_an_import() -> None:
    module, diagnostics = parse("type _NodeReadableStream<R = any> = import('stream/web').ReadableStream<R>;\n")
    assert module.body == (
        m.TypeAlias(
            "_NodeReadableStream",
            m.TypeRef(('import("stream/web")', "ReadableStream"), (m.TypeRef(("R",)),)),
            (m.TypeParam("R", None, m.KeywordType("any")),),
        ),
    )
    assert module.imports == (m.Import("stream/web", namespace='import("stream/web")'),)
    assert module.imports[0].pos == Pos("t.d.ts", 1, 37)
    assert diagnostics.items == []


def test_import_types_in_arrays_qualified_names_and_class_bases() -> None:
    module, _ = parse(
        "export declare const x: import(\"./a\").B<import('./b').C>[];\n"
        "type Q = import('./a').N.Inner;\n"
        "declare class K extends import('./a').Base<string> {}\n"
        "type W = import('./a');\n"
    )
    x, q, k, w = module.body
    assert isinstance(x, m.Variable) and x.type == m.ArrayType(m.TypeRef(('import("./a")', "B"), (m.TypeRef(('import("./b")', "C")),)))
    assert isinstance(q, m.TypeAlias) and q.type == m.TypeRef(('import("./a")', "N", "Inner"))
    assert isinstance(k, m.Class) and k.extends == m.TypeRef(('import("./a")', "Base"), (m.KeywordType("string"),))
    assert isinstance(w, m.TypeAlias) and w.type == m.UnsupportedType("import type of a whole module", "import('./a')")
    assert [i.specifier for i in module.imports] == ["./a", "./b"]


def test_positions_after_an_import_type_are_those_of_the_source() -> None:
    text = "type A = import('./é').B<C>; interface I { x: string }\ntype D = import(\n  './m'\n).E<F>; interface J { y: number }\n"
    module, _ = parse(text)
    i, j = (d for d in module.body if isinstance(d, m.Interface))
    assert i.members[0].pos == Pos("t.d.ts", 1, text.index("x:") + 1)
    assert j.members[0].pos == Pos("t.d.ts", 4, text.splitlines()[3].index("y:") + 1)
    d = next(d for d in module.body if d.name == "D")
    assert isinstance(d, m.TypeAlias) and d.type == m.TypeRef(('import("./m")', "E"), (m.TypeRef(("F",)),))
    assert d.type.pos == Pos("t.d.ts", 2, 10)


def test_an_import_type_in_a_comment_or_string_stays_text() -> None:
    module, _ = parse("/** see import('./a').B<C> */\nexport interface I { k: \"import('./a').B\" }\n")
    (i,) = module.body
    assert isinstance(i, m.Interface) and i.doc is not None and i.doc.summary == "see import('./a').B<C>"
    assert i.members[0] == m.Property("k", m.LiteralType("import('./a').B"))
    assert module.imports == ()


def test_forms_the_grammar_lacks_parse_and_keep_their_text() -> None:
    module, diagnostics = parse(
        "interface ReadonlyArray<T> { readonly [Symbol.unscopables]: { [K in keyof readonly any[]]?: boolean } }\n"
        "type K = keyof readonly string[];\n"
        "interface Box<in out T> { value: T }\n"
        "export type * from './a';\n"
        "export type * as ns from './b';\n"
        "export import Y = require('./y');\n"
        "import type T = N.T;\n"
    )
    k = next(d for d in module.body if d.name == "K")
    assert isinstance(k, m.TypeAlias) and k.type == m.UnsupportedType("keyof operator", "keyof readonly string[]")
    box = next(d for d in module.body if d.name == "Box")
    assert isinstance(box, m.Interface) and box.type_params == (m.TypeParam("T"),)
    assert box.members == (m.Property("value", m.TypeRef(("T",))),)
    assert module.exports == (m.Export((), "./a", True), m.Export((), "./b", True, "ns"))
    assert module.imports == (m.Import("./y", namespace="Y"),) and module.aliases == (m.ImportAlias("T", ("N", "T")),)
    assert not [d for d in diagnostics.items if "syntax" in d.message]


def test_a_file_read_for_names_skips_only_its_broken_statements() -> None:
    text = (
        "export interface A { a: string }\n"
        "export type B = string %% number;\n"
        "declare namespace N {\n  interface D { d: string }\n  let = ;\n  interface F { f: string }\n}\n"
        "export interface H { h: string }\n"
    )
    module, diagnostics = parse(text, names_only=True)
    assert [d.name for d in module.body] == ["A", "B", "N", "H"]
    b = module.body[1]
    assert isinstance(b, m.TypeAlias) and isinstance(b.type, m.UnsupportedType)
    n = module.body[2]
    assert isinstance(n, m.Namespace) and [d.name for d in n.body] == ["D", "F"]
    assert [str(d) for d in diagnostics.items] == [
        "t.d.ts:2:24: warning: syntax error: unexpected `%% number`; `B` is read as Any (the file is only read for its names)",
        "t.d.ts:5:7: warning: syntax error: unexpected `=`; statement skipped (the file is only read for its names)",
    ]


def test_the_python_of_an_import_type_with_type_arguments(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "m.d.ts": b"export interface Box<T> { value: T }\nexport interface Plain { n: number }\n",
        "a.d.ts": b"export interface Holder {\n    box: import('./m').Box<string>;\n    boxes: import(\"./m\").Box<number>[];\n    plain: import('./m').Plain;\n}\n",
    })
    result = generate(tmp_path, ("a.d.ts",), package="pkg")
    assert result.diagnostics.items == []
    text = result.files["pkg/a.py"].decode()
    assert 'class Holder:\n    box: "_m.Box[str]"\n\n    boxes: "list[_m.Box[float]]"\n\n    plain: "_m.Plain"\n' in text
    assert "from . import m as _m\n" in text
    assert "class Box(Generic[T]):" in result.files["pkg/m.py"].decode()


def _tsgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", "generate", "--warnings", "all", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_a_syntax_error_in_a_file_read_for_names_is_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "src/api.d.ts": b"import { Good, Bad } from '../lib/shared';\nexport interface Uses { good: Good; bad: Bad }\n",
        "lib/shared.d.ts": b"export interface Good { a: string }\nexport type Bad = string %% number;\nexport interface Later { b: number }\n",
    })
    result = _tsgen(tmp_path, "src", "--root", ".", "-o", "out", "--package", "pkg")
    assert result.returncode == 0, result.stderr
    assert "lib/shared.d.ts:2:26: warning: syntax error: unexpected `%% number`; `Bad` is read as Any" in result.stderr
    shared = (tmp_path / "out/pkg/lib/shared.py").read_text()
    assert "class Good" in shared and "Bad: TypeAlias = Any" in shared
    assert 'bad: "_lib_shared.Bad"' in (tmp_path / "out/pkg/src/api.py").read_text()


def test_a_syntax_error_in_a_file_to_convert_stops_the_run_even_when_another_input_imports_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "src/a.d.ts": b"import { Bad } from './b';\nexport interface Uses { bad: Bad }\n",
        "src/b.d.ts": b"export type Bad = string %% number;\n",
    })
    result = _tsgen(tmp_path, "src", "-o", "out", "--package", "pkg")
    assert result.returncode == 1
    assert result.stderr.startswith("b.d.ts:1:26: error: syntax error: unexpected `%% number`"), result.stderr
    assert not (tmp_path / "out").exists()
