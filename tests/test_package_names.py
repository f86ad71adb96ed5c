"""Every way a package names its own parts: import aliases (`import X = Y.Z`, `export import`,
in namespaces too), imports through the package's own name (`package.json` `name`, then
`exports`), `export * as ns`, `export type *`, and re-export shims (`x.d.ts` beside `x/`),
which are the package `x` itself in Python."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing
from pathlib import Path

from checks import import_failures, modules
from conftest import ROOT
from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.parse import parse_module
from tsgen.program import Found, Program
from util import assert_mypy_strict, generate, imported, write_tree

OPENAI_4_20 = ROOT / "tests" / "tsc" / "node_modules" / "openai-4.20.0"
RESOURCE = b"import { APIResource } from './resource';\n"


def _program(root: Path, *inputs: str) -> Program:
    program = Program(root, frozenset({"resource", "core"}), Diagnostics(), inputs=frozenset(inputs))
    for rel in inputs:
        program.load(rel)
    return program


def test_import_aliases_are_parsed_with_their_targets() -> None:
    module = parse_module("t.d.ts", b"import L = T.Local;\nexport import X = T.X;\nexport declare namespace N { export import Y = T.Y; }\n", Diagnostics())
    assert module.aliases == (m.ImportAlias("L", ("T", "Local")), m.ImportAlias("X", ("T", "X"), exported=True))
    (namespace,) = module.body
    assert isinstance(namespace, m.Namespace) and namespace.aliases == (m.ImportAlias("Y", ("T", "Y"), exported=True),)


def test_import_aliases_resolve_in_modules_and_namespaces(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "t.d.ts": b"export interface Local { a: string }\nexport interface X { b: number }\nexport interface Y { c: boolean }\n",
        "a.d.ts": b"import * as T from './t';\nimport L = T.Local;\nexport import X = T.X;\n"
                  b"export declare namespace N { export import Y = T.Y; import Hidden = T.Local; interface Uses { h: Hidden } }\n"
                  b"export interface Uses { l: L; y: N.Y }\n",
        "b.d.ts": b"import { X, N } from './a';\nexport interface Other { x: X; y: N.Y }\n",
    })
    program = _program(tmp_path, "b.d.ts")
    queries = [("a.d.ts", (), ("L",)), ("a.d.ts", ("N",), ("Hidden",)), ("b.d.ts", (), ("X",)), ("b.d.ts", (), ("N", "Y"))]
    assert [found_path(program.lookup(*q)) for q in queries] == [
        ("t.d.ts", ("Local",)), ("t.d.ts", ("Local",)), ("t.d.ts", ("X",)), ("t.d.ts", ("Y",))
    ]
    assert found_path(program.lookup("b.d.ts", (), ("N", "Hidden"))) is None  # not exported from N
    result = generate(tmp_path, ("b.d.ts",), package="pkg")
    assert not [str(d) for d in result.diagnostics.items]
    assert 'class Other:\n    x: "_t.X"\n\n    y: "_t.Y"\n' in result.files["pkg/b.py"].decode()


def found_path(found: object) -> tuple[str, tuple[str, ...]] | None:
    return (found.module, found.path) if isinstance(found, Found) else None


def test_a_resource_namespace_of_import_aliases_keeps_its_sub_resources(tmp_path: Path) -> None:
    """openai 4.20.0's layout: `namespace Audio { export import Speech = SpeechAPI.Speech }`."""
    write_tree(tmp_path, {
        "package.json": b'{"name": "sdk", "types": "./index.d.ts"}',
        "resources/audio/speech.d.ts": RESOURCE.replace(b"./", b"../../") + b"export declare class Speech extends APIResource {}\nexport interface SpeechCreateParams { input: string }\n",
        "resources/audio/audio.d.ts": RESOURCE.replace(b"./", b"../../") + b"import * as SpeechAPI from 'sdk/resources/audio/speech';\n"
        b"export declare class Audio extends APIResource {\n    speech: SpeechAPI.Speech;\n}\n"
        b"export declare namespace Audio {\n    export import Speech = SpeechAPI.Speech;\n    export import SpeechCreateParams = SpeechAPI.SpeechCreateParams;\n}\n",
        "resources/uses.d.ts": b"import { Audio } from './audio/audio';\nexport interface Uses { p: Audio.SpeechCreateParams }\n",
    })
    result = generate(tmp_path, ("resources/audio/audio.d.ts", "resources/uses.d.ts"), package="pkg")
    assert not [str(d) for d in result.diagnostics.items]
    audio = result.files["pkg/resources/audio/audio.py"].decode()
    assert '    def speech(self) -> "_resources_audio_speech.Speech":\n        return _resources_audio_speech.Speech(self._client)\n' in audio
    assert 'p: "_resources_audio_speech.SpeechCreateParams"' in result.files["pkg/resources/uses.py"].decode()


def test_the_package_imports_itself_by_its_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "package.json": json.dumps({"name": "@acme/sdk", "types": "./index.d.ts", "exports": {
            ".": {"require": {"types": "./index.d.ts"}, "default": "./index.mjs"},
            "./mapped/*": {"import": "./dist/mapped/*.mjs", "require": "./dist/mapped/*.js"},
            "./resources/*": {"types": "./resources/*.d.ts", "default": "./resources/*.mjs"},
        }}).encode(),
        "index.d.ts": b"export interface Root { r: string }\n",
        "resources/shared.d.ts": b"export interface Shared { s: string }\n",
        "dist/mapped/deep.d.ts": b"export interface Deep { d: number }\n",
        "resources/api.d.ts": b"import * as S from '@acme/sdk/resources/shared';\nimport { Root } from '@acme/sdk';\nimport { Deep } from '@acme/sdk/mapped/deep';\n"
        b"export interface Api { shared: S.Shared; root: Root; deep: Deep; viaType: import('@acme/sdk/resources/shared').Shared; other: import('other-pkg').X }\n",
    })
    result = generate(tmp_path, ("resources/api.d.ts",), package="pkg")
    assert [str(d) for d in result.diagnostics.items] == ["resources/api.d.ts:4:127: warning: cannot find module `other-pkg` for `X`; using Any"]
    text = result.files["pkg/resources/api.py"].decode()
    assert '    shared: "_resources_shared.Shared"\n\n    root: "_index.Root"\n\n    deep: "_dist_mapped_deep.Deep"\n\n    viaType: "_resources_shared.Shared"\n\n    other: Any\n' in text


def test_another_package_of_that_name_is_not_this_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "package.json": b'{"name": "sdk"}',
        "shared.d.ts": b"export interface Shared { s: string }\n",
        "api.d.ts": b"import { Shared } from 'other/shared';\nexport interface Api { s: Shared }\n",
    })
    diagnostics = generate(tmp_path, ("api.d.ts",), package="pkg").diagnostics
    assert [d.message for d in diagnostics.items] == ["cannot find module `other/shared` for `Shared`; using Any"]


SHIMS = {
    "x.d.ts": b"export * from './x/index';\n",
    "x/index.d.ts": b"export * from './x';\nexport { Sub, type SubParams } from './sub';\n",
    "x/x.d.ts": b"export interface A { a: string }\nexport interface B { b: A }\n",
    "x/sub.d.ts": b"export interface Sub { s: number }\nexport interface SubParams { p: string }\n",
    "y.d.ts": b"export * from './y/y';\n",
    "y/y.d.ts": b"export interface Y { y: string }\n",
    "ns.d.ts": b"export * as things from './x/x';\nexport type * from './y/y';\nexport type * as subs from './x/sub';\n",
    "user.d.ts": b"import { A, Sub } from './x';\nimport { things } from './ns';\nexport interface User { a: A; s: Sub; b: things.B }\n",
}


def test_a_reexport_shim_is_its_directorys_package(tmp_path: Path) -> None:
    write_tree(tmp_path / "src", SHIMS)
    result = generate(tmp_path / "src", package="pkg")
    assert not [str(d) for d in result.diagnostics.items]
    files = result.files
    assert "pkg/x_2.py" not in files and "pkg/y_2.py" not in files and "pkg/x.py" not in files
    assert {"pkg/x/__init__.py", "pkg/x/index.py", "pkg/x/x.py", "pkg/x/sub.py", "pkg/y/__init__.py", "pkg/y/y.py"} <= set(files)
    init = files["pkg/x/__init__.py"].decode()
    assert init.startswith("# File generated by tsgen 0.1.0 from x.d.ts.\n")
    assert re.findall(r"^from .*$", init, re.M) == [
        "from .sub import Sub as Sub", "from .sub import SubParams as SubParams", "from .x import A as A", "from .x import B as B"
    ]
    assert re.findall(r"^from .*$", files["pkg/x/index.py"].decode(), re.M) == re.findall(r"^from .*$", init, re.M)
    assert re.findall(r"^from .*$", files["pkg/y/__init__.py"].decode(), re.M) == ["from .y import Y as Y"]
    assert re.findall(r"^from .*$", files["pkg/ns.py"].decode(), re.M) == [
        "from .x import sub as subs", "from .x import x as things", "from .y.y import Y as Y"
    ]
    out = write_tree(tmp_path / "out", files)
    with imported(out, "pkg.user") as user:
        import pkg.ns as ns  # type: ignore[import-not-found]
        import pkg.x as x  # type: ignore[import-not-found]

        assert x.A is sys.modules["pkg.x.x"].A and user.User.__module__ == "pkg.user"
        assert x.Sub is sys.modules["pkg.x.sub"].Sub and ns.things is sys.modules["pkg.x.x"] and ns.Y is sys.modules["pkg.y.y"].Y
    manifest = json.loads(files["tsgen-manifest.json"])
    assert {s["module"] for s in manifest["symbols"] if s["source"] == "x/x.d.ts"} == {"pkg.x.x"}
    assert_mypy_strict(out)


def test_a_file_beside_its_directory_is_the_package(tmp_path: Path) -> None:
    """Not only a re-export shim: `fs.d.ts` beside `fs/promises.d.ts` (as in @types/node) is
    `fs/__init__.py`, importing its submodule and imported by it."""
    write_tree(tmp_path / "src", {
        "fs.d.ts": b"import { Handle } from './fs/promises';\nexport interface Stats { size: number; handle?: Handle }\n",
        "fs/promises.d.ts": b"import { Stats } from '../fs';\nexport interface Handle { stat: Stats }\n",
    })
    result = generate(tmp_path / "src", package="pkg")
    assert not [str(d) for d in result.diagnostics.items]
    assert {"pkg/fs/__init__.py", "pkg/fs/promises.py"} <= set(result.files) and "pkg/fs_2.py" not in result.files
    out = write_tree(tmp_path / "out", result.files)
    assert import_failures(out, modules(out, "pkg")) == {}
    with imported(out, "pkg.fs.promises") as promises:
        import pkg.fs as fs  # type: ignore[import-not-found]

        hints = typing.get_type_hints(fs.Stats)
        assert hints["handle"] == promises.Handle | None and typing.get_type_hints(promises.Handle)["stat"] is fs.Stats
    assert_mypy_strict(out)


def test_a_shim_is_the_package_and_a_file_of_the_same_python_name_is_renamed(tmp_path: Path) -> None:
    write_tree(tmp_path / "src", {
        "x.d.ts": b"export * from './x/index';\n",
        "x/index.d.ts": b"export interface A { a: string }\n",
        "X.d.ts": b"export interface Other { o: string }\n",
    })
    result = generate(tmp_path / "src", package="pkg")
    assert [str(d) for d in result.diagnostics.items] == [
        "X.d.ts:1:1: warning: module name `x` is taken (the directory `x/` is a package of that name); this file becomes `x_2`"
    ]
    assert re.findall(r"^from .*$", result.files["pkg/x/__init__.py"].decode(), re.M) == ["from .index import A as A"]
    assert "class Other" in result.files["pkg/x_2.py"].decode()


def test_openai_4_20_keeps_its_sub_resources_and_self_name_imports(tmp_path: Path) -> None:
    """openai 4.20.0 (pinned in tests/tsc) imports itself as `openai/...` and declares its
    sub-resources through import aliases: nothing of it is lost."""
    assert OPENAI_4_20.is_dir(), "run `npm ci --prefix tests/tsc` (the Makefile's setup does)"
    result = subprocess.run(
        [sys.executable, "-m", "tsgen", "generate", str(OPENAI_4_20 / "resources"), "--root", str(OPENAI_4_20), "-o", str(tmp_path / "out"), "--package", "g"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "cannot find module `openai/" not in result.stderr
    assert "is not a resource" not in result.stderr and "unsupported statement" not in result.stderr
    out = tmp_path / "out" / "g" / "resources"
    subresources = {
        path.relative_to(out).as_posix(): sorted(re.findall(r"^    def (\w+)\(self\) -> \"", path.read_text(), re.M))
        for path in sorted(out.rglob("*.py"))
        if "@cached_property" in path.read_text()
    }
    assert {k: v for k, v in subresources.items() if v} == {
        "audio/audio.py": ["speech", "speech", "transcriptions", "transcriptions", "translations", "translations"],
        "beta/assistants/assistants.py": ["files", "files"],
        "beta/beta.py": ["assistants", "assistants", "chat", "chat", "threads", "threads"],
        "beta/chat/chat.py": ["completions", "completions"],
        "beta/threads/messages/messages.py": ["files", "files"],
        "beta/threads/runs/runs.py": ["steps", "steps"],
        "beta/threads/threads.py": ["messages", "messages", "runs", "runs"],
        "chat/chat.py": ["completions", "completions"],
        "fine_tuning/fine_tuning.py": ["jobs", "jobs"],
    }


def test_a_name_reexported_under_another_name_is_imported_by_that_name(tmp_path: Path) -> None:
    """`export { X as Y } from './a'`: users import `Y` from the module in TypeScript, so they
    import `Y` in Python (the same class as `a.X`); a name exported as `default` keeps its own."""
    write_tree(tmp_path / "src", {
        "a.d.ts": b"export interface X { a: string }\nexport type T = string | number;\nexport interface D { d: boolean }\n",
        "b.d.ts": b"export { X as Y, T as U, D as default } from './a';\nexport interface Z { y: Y }\nimport { X as Y } from './a';\n",
    })
    result = generate(tmp_path / "src", package="pkg")
    assert not [str(d) for d in result.diagnostics.items]
    text = result.files["pkg/b.py"].decode()
    assert re.findall(r"^from \.a import .*$", text, re.M) == ["from .a import D as D", "from .a import T as U", "from .a import X as Y"]
    out = write_tree(tmp_path / "out", result.files)
    with imported(out, "pkg.b") as b:
        import pkg.a as a  # type: ignore[import-not-found]

        assert b.Y is a.X and b.U is a.T and {"Y", "U", "Z"} <= set(b.__all__)
    assert_mypy_strict(out)
