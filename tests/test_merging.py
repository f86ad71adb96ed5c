"""Declarations that merge across files (tsgen.merging), as declaration packages write them:
the global scope (a script's declarations, `declare global { }`, and `global { }` inside
`declare module 'm' { }` as @types/node writes it), module augmentations
(`declare module './a' { }` in a module), and `export =` of a namespace.

A merged declaration becomes one Python class, in the module of its home file, holding every
file's part; each part's types resolve where that part is written (its own imports), and
every file that declares a part finds the class through the manifest. The generated package
imports module by module, round-trips values, and passes mypy --strict and pyright strict."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checks import import_failures, modules, type_errors

FILES = {
    # a script: its declarations are global; `Shape` here is not the one b.d.ts imports
    "globals.d.ts": """
        interface Shape { corners: number }
        declare namespace NodeJS {
          /** A stream. */
          interface ReadStream { fd: number }
        }
        /** The process. */
        interface Process { pid: number }
        """,
    # @types/node's layout: a script declaring a module by name, with `global { }` inside
    "buffer.d.ts": """
        declare module "buffer" {
          global {
            interface Process { title: string; local: Local }
            namespace NodeJS { interface WriteStream { columns: number; input: ReadStream } }
            /** An array the package adds members to: TypeScript's own `Array` still. */
            interface Array<T> { extra: T }
          }
          interface Local { where: "buffer" }
          export interface BufferOptions { size: number; process: Process; writer: NodeJS.WriteStream }
          namespace Encodings { interface Latin1 { bytes: number } }
          export = Encodings;
        }
        """,
    # a module with `declare global`: its part's names are its own imports
    "b.d.ts": """
        import { Shape } from "./shapes";
        import { Latin1 } from "buffer";
        declare global {
          interface Process { shape: Shape; latin1: Latin1; tags: Array<string> }
        }
        export interface UsesGlobals { process: Process; stream: NodeJS.ReadStream }
        """,
    "shapes.d.ts": """
        export interface Shape { sides: string[] }
        export interface Square { side: number }
        """,
    # an augmentation of another module: the interface merges into shapes' Square
    "augment.d.ts": """
        import { Shape } from "./shapes";
        declare module "./shapes" {
          interface Square { outline: Shape }
          /** Declared by the augmentation alone. */
          interface Circle { radius: number }
        }
        export interface Both { square: import("./shapes").Square }
        """,
    # @types/lodash's layout: the module is a namespace (`export = _`), which other files augment;
    # names in an augmentation block are the namespace's, whichever file declares them
    "lodash/index.d.ts": """
        export = _;
        export as namespace _;
        declare const _: _.LoDashStatic;
        declare namespace _ {
          interface LoDashStatic {}
        }
        """,
    "lodash/common/common.d.ts": """
        import _ = require("../index");
        declare module "../index" {
          interface LoDashStatic {
            /** The semantic version number. */
            VERSION: string;
            templateSettings: TemplateSettings;
          }
          interface TemplateSettings { variable?: string }
        }
        """,
    "lodash/common/string.d.ts": """
        import _ = require("../index");
        declare module "../index" {
          interface TemplateOptions extends TemplateSettings { sourceURL?: string }
          interface LoDashStatic { kebabSeparator: string }
        }
        """,
}


def _write(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("merging")
    _write(root)
    out = root / "out"
    proc = subprocess.run([sys.executable, "-m", "tsgen", "generate", str(root), "-o", str(out), "--package", "merged"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stderr


def _fields(out: Path, module: str, name: str) -> dict[str, str]:
    script = (
        f"import dataclasses, json, {module} as m\n"
        "def shown(t): return t if isinstance(t, str) else t.__name__ if isinstance(t, type) else str(t)\n"
        f"print(json.dumps({{f.name: shown(f.type) for f in dataclasses.fields(m.{name})}}))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=out, check=True)
    fields: dict[str, str] = json.loads(proc.stdout)
    return fields


def test_a_global_interface_is_one_class_with_every_files_part(generated: tuple[Path, str]) -> None:
    out, _ = generated
    assert _fields(out, "merged.globals", "Process") == {
        "pid": "float",
        "title": "str",
        "local": "_buffer.Local",  # buffer.d.ts's own `Local`
        "shape": "_shapes.Shape",  # b.d.ts's import, not globals.d.ts's global `Shape`
        "latin1": "_buffer.Latin1",  # through `export =` of a namespace
        "tags": "list[str]",  # the package's global `Array` augments TypeScript's; still a list
    }
    text = (out / "merged" / "buffer.py").read_text() + (out / "merged" / "b.py").read_text()
    assert "class Process" not in text  # defined once, in the module of the script that declares it


def test_a_global_namespace_merges_across_files(generated: tuple[Path, str]) -> None:
    out, _ = generated
    assert _fields(out, "merged.buffer", "WriteStream") == {"columns": "float", "input": "_globals.ReadStream"}
    assert _fields(out, "merged.b", "UsesGlobals") == {"process": "_globals.Process", "stream": "_globals.ReadStream"}
    assert _fields(out, "merged.buffer", "BufferOptions")["writer"] == "WriteStream"


def test_a_module_augmentation_merges_into_the_module_it_augments(generated: tuple[Path, str]) -> None:
    out, _ = generated
    assert _fields(out, "merged.shapes", "Square") == {"side": "float", "outline": "Shape"}
    assert _fields(out, "merged.augment", "Circle") == {"radius": "float"}
    assert _fields(out, "merged.augment", "Both") == {"square": "_shapes.Square"}


def test_an_augmentation_of_a_module_that_is_a_namespace_merges_into_the_namespace(generated: tuple[Path, str]) -> None:
    out, stderr = generated
    assert _fields(out, "merged.lodash.index", "LoDashStatic") == {"VERSION": "str", "templateSettings": "_lodash_common_common.TemplateSettings", "kebabSeparator": "str"}
    assert _fields(out, "merged.lodash.common.string", "TemplateOptions") == {"variable": "str | None", "sourceURL": "str | None"}
    assert "class LoDashStatic" not in (out / "merged" / "lodash" / "common" / "string.py").read_text()
    symbols = json.loads((out / "tsgen-manifest.json").read_text())["symbols"]
    where = {(s["source"], s["ts_name"]): (s["module"], s["python_name"]) for s in symbols}
    assert where[("lodash/common/string.d.ts", "LoDashStatic")] == where[("lodash/index.d.ts", "_.LoDashStatic")] == ("merged.lodash.index", "LoDashStatic")
    assert "cannot find" not in stderr and "its properties are not included" not in stderr, stderr


def test_every_declaring_file_finds_the_class(generated: tuple[Path, str]) -> None:
    out, stderr = generated
    symbols = json.loads((out / "tsgen-manifest.json").read_text())["symbols"]
    where = {(s["source"], s["ts_name"]): (s["module"], s["python_name"]) for s in symbols}
    for source in ("globals.d.ts", "buffer.d.ts", "b.d.ts"):
        assert where[(source, "Process")] == ("merged.globals", "Process")
    assert where[("augment.d.ts", "Square")] == where[("shapes.d.ts", "Square")] == ("merged.shapes", "Square")
    assert where[("buffer.d.ts", "NodeJS.WriteStream")] == ("merged.buffer", "WriteStream")
    assert "cannot find" not in stderr, stderr


def test_the_package_imports_round_trips_and_type_checks(generated: tuple[Path, str]) -> None:
    out, _ = generated
    assert import_failures(out, modules(out, "merged")) == {}
    script = (
        "from pydantic import TypeAdapter\n"
        "from merged.globals import Process\n"
        "value = {'pid': 1.0, 'title': 't', 'local': {'where': 'buffer'}, 'shape': {'sides': ['a']},"
        " 'latin1': {'bytes': 2.0}, 'tags': ['x']}\n"
        "adapter = TypeAdapter(Process)\n"
        "p = adapter.validate_python(value)\n"
        "assert p.shape.sides == ['a'] and p.local.where == 'buffer', p\n"
        "assert adapter.dump_python(p) == value\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=out, check=True)
    mypy, mypy_out, pyright, pyright_out = type_errors(out, "merged")
    assert (mypy, pyright) == (0, 0), mypy_out + pyright_out


def test_global_block_inside_a_declared_module_parses(tmp_path: Path) -> None:
    """tree-sitter-typescript reads `global {` inside `declare module 'm' {` as an error; tsgen
    reads it as the global block it is (the positions after it unchanged)."""
    from tsgen.diagnostics import Diagnostics
    from tsgen.parse import parse_module

    source = b'declare module "m" {\n  type A = string;\n  global {\n    interface G { g: A }\n  }\n  interface After { a: A }\n}\n'
    module = parse_module("m.d.ts", source, Diagnostics())
    assert [d.name for d in module.body] == ["A", "G", "After"]
    assert [(x.name, x.into) for x in module.merges] == [("G", ""), ("A", "m"), ("After", "m")]  # another file's `declare module "m"` merges with these
    assert (module.body[2].pos.line, module.body[2].pos.col) == (6, 3)
    assert module.script and module.ambient == ("m",)


def test_declarations_for_other_typescript_versions_are_left_out(tmp_path: Path) -> None:
    """@types/node keeps in `ts5.6/` what TypeScript 5.6 and older read instead (package.json
    `typesVersions`): the same global names again. A directory converted whole leaves that one
    out, and says so; a directory a range of current compilers is sent to is converted."""
    pkg = tmp_path / "pkg"
    for rel, text in {
        "index.d.ts": "declare namespace NodeJS { type View = Uint8Array<ArrayBuffer> }\ninterface Uses { view: NodeJS.View }\n",
        "ts5.6/index.d.ts": "declare namespace NodeJS { type View = Uint8Array }\n",
        "ts4.0/index.d.ts": "interface Old { old: string }\n",
        "current/extra.d.ts": "interface Extra { e: number }\n",
    }.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    versions = {"<=4.0": {"*": ["ts4.0/*"]}, "<=5.6": {"*": ["ts5.6/*"]}, ">=5.7": {"*": ["current/*"]}}
    (pkg / "package.json").write_text(json.dumps({"name": "@types/x", "version": "1.0.0", "typesVersions": versions}))
    proc = subprocess.run([sys.executable, "-m", "tsgen", "generate", str(pkg), "-o", str(tmp_path / "out"), "--package", "x"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "tsgen: ts5.6/ holds the declarations for TypeScript <=5.6 (package.json typesVersions); not converted" in proc.stderr
    assert "tsgen: ts4.0/ holds the declarations for TypeScript <=4.0" in proc.stderr
    assert "more than once" not in proc.stderr and "current/" not in proc.stderr
    sources = {s["source"] for s in json.loads((tmp_path / "out" / "tsgen-manifest.json").read_text())["symbols"]}
    assert sources == {"index.d.ts", "current/extra.d.ts"}


def test_a_umd_modules_global_name_is_found_from_scripts(tmp_path: Path) -> None:
    """`export as namespace Sizzle` (a UMD module, as @types/sizzle and @types/lodash declare
    themselves): a script that names `Sizzle.Selectors` without importing it finds the module's."""
    (tmp_path / "sizzle.d.ts").write_text(
        "export as namespace Sizzle;\ndeclare const Sizzle: { version: string };\nexport = Sizzle;\n"
        "declare namespace Sizzle {\n  interface Selectors { cacheLength: number }\n}\n"
    )
    (tmp_path / "jq.d.ts").write_text('/// <reference path="sizzle.d.ts" />\ninterface Selectors extends Sizzle.Selectors { extra: string }\n')
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "tsgen", "generate", str(tmp_path / "jq.d.ts"), "--root", str(tmp_path), "-o", str(out), "--package", "umd"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "cannot find" not in proc.stderr, proc.stderr
    assert _fields(out, "umd.jq", "Selectors") == {"cacheLength": "float", "extra": "str"}


def test_a_modules_declarations_in_several_scripts_merge(tmp_path: Path) -> None:
    """`declare module 'inspector' { ... }` in two scripts (as @types/node's inspector.d.ts and
    inspector.generated.d.ts) is one module: a class in one and the interface of its name in the
    other are one class, not a class and a protocol of its methods."""
    (tmp_path / "inspector.d.ts").write_text("declare module 'inspector' {\n  class Session { connected: boolean }\n  interface Options { port: number }\n}\n")
    (tmp_path / "inspector.generated.d.ts").write_text("declare module 'inspector' {\n  interface Session {\n    post(method: string): void;\n  }\n  interface Event { name: string }\n}\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "tsgen", "generate", str(tmp_path), "-o", str(out), "--package", "insp"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    symbols = {(s["source"], s["ts_name"]): s["module"] for s in json.loads((out / "tsgen-manifest.json").read_text())["symbols"]}
    assert symbols[("inspector.d.ts", "Session")] == symbols[("inspector.generated.d.ts", "Session")]
    assert symbols[("inspector.generated.d.ts", "Event")] == "insp.inspector_generated"
    texts = "".join(p.read_text() for p in (out / "insp").glob("inspector*.py"))
    assert texts.count("class Session") == 1 and "(Protocol" not in texts
    assert import_failures(out, modules(out, "insp")) == {}
