"""One TypeScript construct at a time, with the exact Python expected, and the warning for
each construct that degrades. Each case also passes mypy --strict."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from util import generate, write_tree


def convert(tmp_path: Path, ts: str, **files: str) -> tuple[str, list[str]]:
    (tmp_path / "api.d.ts").write_text(textwrap.dedent(ts).lstrip())
    for name, text in files.items():
        (tmp_path / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name.replace("__", "/")).write_text(textwrap.dedent(text).lstrip())
    result = generate(tmp_path, ("api.d.ts",), package="pkg")
    out = write_tree(tmp_path / "out", result.files)
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "-p", "pkg"], cwd=out, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout
    return result.files["pkg/api.py"].decode(), [str(d) for d in result.diagnostics.sorted()]


CASES = {
    "number and const enums": (
        "export declare enum Level { Low = 1, High = 2 }\nexport declare const enum Mode { A = 'a', B = 'b' }\n",
        ["class Level(int, Enum):\n    Low = 1\n\n    High = 2\n", 'class Mode(str, Enum):\n    A = "a"\n\n    B = "b"\n'],
        [],
    ),
    "interface merging": (
        "export interface A { x: string }\nexport interface A { y?: number }\n",
        ["class A:\n    x: str\n\n    y: float | None = None\n"],
        [],
    ),
    "extends chains": (
        "export interface A { a: string }\nexport interface B extends A { b: number }\nexport interface C extends B { c: boolean; a: 'only' }\n",
        ["class B(A):\n    b: float\n", 'class C:\n    a: Literal["only"]\n\n    b: float\n\n    c: bool\n'],
        ["api.d.ts:3:8: warning: `C` redeclares property `a` with another type than its base's; a Python subclass cannot change it, so its class declares all its fields and extends nothing"],
    ),
    "readonly and Record": (
        "export interface A { readonly id: string; readonly tags: readonly string[]; meta: Record<string, number> }\n",
        ["class A:\n    id: str\n\n    tags: list[str]\n\n    meta: dict[str, float]\n"],
        [],
    ),
    "function types": (
        "export interface A { cb: (x: string, y: number) => boolean; rest: (...a: string[]) => void }\n",
        ["    cb: Callable[[str, float], bool]\n", "    rest: Callable[..., None]\n"],
        [],
    ),
    "string literal escaping": (
        "export type Q = 'it\\'s' | \"say \\\"hi\\\"\" | 'back\\\\slash';\n",
        ["Q: TypeAlias = Literal[\"it's\", 'say \"hi\"', \"back\\\\slash\"]\n"],
        [],
    ),
    "namespace with const and function": (
        "export declare namespace Kind {\n    const Text: 'text';\n    function is(v: any): v is Kind;\n}\nexport type Kind = 'text' | 'html';\n",
        ['Kind: TypeAlias = Literal["text", "html"]\n'],
        [
            "api.d.ts:2:11: warning: variable `Kind.Text` is not converted (only types and resource classes are)",
            "api.d.ts:3:5: warning: function `Kind.is` is not converted (only types and resource classes are)",
        ],
    ),
    "typeof and indexed access": (
        "export declare const config: { a: string };\nexport type C = typeof config;\nexport interface A { b: string }\nexport type B = A['b'];\nexport type D = A['c'];\n"
        "export declare const VERSION: '1.0';\nexport type V = typeof VERSION;\nexport declare enum Color { Red = 'red' }\nexport type CT = typeof Color;\n"
        "export declare function f(): void;\nexport type F = typeof f;\nexport declare namespace ns { const limit: number; }\nexport type L = typeof ns.limit;\n",
        ["C: TypeAlias = dict[str, Any]\n", "B: TypeAlias = str\n", "D: TypeAlias = Any\n", 'V: TypeAlias = Literal["1.0"]\n', "CT: TypeAlias = type[Color]\n", "F: TypeAlias = Any\n", "L: TypeAlias = float\n"],
        [
            "api.d.ts:1:22: warning: variable `config` is not converted (only types and resource classes are)",
            "api.d.ts:1:30: warning: inline object type is not supported yet; using dict[str, Any]",
            "api.d.ts:5:17: warning: indexed access type `A['c']` cannot be computed (no property `c`); using Any",
            "api.d.ts:6:22: warning: variable `VERSION` is not converted (only types and resource classes are)",
            "api.d.ts:10:16: warning: function `f` is not converted (only types and resource classes are)",
            "api.d.ts:11:17: warning: typeof `typeof f` is not supported; using Any",
            "api.d.ts:12:37: warning: variable `ns.limit` is not converted (only types and resource classes are)",
        ],
    ),
    "keyof, and indexed access on unions and tuples": (
        "export interface Point { type: 'Point'; x: number }\nexport interface Line { type: 'Line'; points: Array<Point> }\n"
        "export type Shape = Point | Line;\nexport type Kind = Shape['type'];\nexport type PointKey = keyof Point;\n"
        "export interface Bag { [key: string]: number; size: number }\nexport type BagKey = keyof Bag;\n"
        "export type Pair = [string, number];\nexport type PairItem = Pair[number];\nexport type Nothing = keyof {};\n",
        ['Kind: TypeAlias = Literal["Point", "Line"]\n', 'PointKey: TypeAlias = Literal["type", "x"]\n', "BagKey: TypeAlias = str\n", "PairItem: TypeAlias = str | float\n"],
        [
            "api.d.ts:6:24: warning: index signature of `Bag` cannot be expressed on a class; extra keys are accepted but not typed",
            "api.d.ts:10:23: warning: keyof operator `keyof {}` cannot be computed (only `keyof` of a named type is computed); using str",
        ],
    ),
    "export equals, declare module, declare global": (
        "interface A { x: string }\nexport = A;\ndeclare module 'other' { interface B { b: number } }\ndeclare global { interface Window { y: 1 } }\n"
        "declare module './sibling' { interface C { c: string } }\ndeclare module 'shorthand';\n",
        ["class A:\n    x: str\n", "class B:\n    b: float\n", "class Window:\n    y: Literal[1]\n", "class C:\n    c: str\n"],
        [
            "api.d.ts:3:9: warning: `declare module 'other'` augments a module tsgen cannot find; its declarations are converted in this file's module",
            "api.d.ts:5:9: warning: `declare module './sibling'` augments a module tsgen cannot find; its declarations are converted in this file's module",
        ],
    ),
    "a generic alias erased through another": (  # each erasure may erase the aliases that use it
        "export type IfD<T, A, B> = T extends true ? A : B;\nexport type Tok<T> = IfD<T, string, number>;\n"
        "export type Toks<T> = Array<Tok<T>>;\nexport interface Use { toks: Toks<boolean> }\n",
        ['    toks: "Toks"\n', "Tok: TypeAlias = IfD\n", "Toks: TypeAlias = list[Tok]\n"],
        [
            "api.d.ts:1:28: warning: conditional type `T extends true ? A : B` is not supported; using Any",
            "api.d.ts:2:22: warning: `IfD` is written without its type parameters (tsgen cannot type their use in Python, see tsgen.lower.generics); its type arguments are ignored",
            "api.d.ts:3:29: warning: `Tok` is written without its type parameters (tsgen cannot type their use in Python, see tsgen.lower.generics); its type arguments are ignored",
            "api.d.ts:4:30: warning: `Toks` is written without its type parameters (tsgen cannot type their use in Python, see tsgen.lower.generics); its type arguments are ignored",
        ],
    ),
    "overloads in a resource": (
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n"
        "export declare class R extends APIResource {\n  get(id: string, options?: Core.RequestOptions): Core.APIPromise<A>;\n"
        "  get(options?: Core.RequestOptions): Core.APIPromise<A>;\n}\nexport interface A { x: string }\n",
        ["    @overload\n    def get(\n        self,\n        id: str,\n", "    @overload\n    def get(\n        self,\n        *,\n", "    def get(\n        self,\n        id: str | None = None,\n"],
        [
            "api.d.ts:4:3: warning: no HTTP route is known for `R.get` (no `.js` beside its declaration shows one: there is none, or the method computes its request at run time, see the warning at the `.js`); add `\"R.get\" = \"POST /path/{param}\"` under [tool.tsgen.routes] in pyproject.toml and regenerate",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_construct(case: str, tmp_path: Path) -> None:
    ts, expected, warnings = CASES[case]
    text, diags = convert(tmp_path, ts)
    for snippet in expected:
        assert snippet in text, f"{snippet!r} not in:\n{text}"
    assert diags == warnings


def test_triple_slash_references(tmp_path: Path) -> None:
    text, diags = convert(
        tmp_path,
        '/// <reference path="globals.d.ts" />\n/// <reference types="missing" />\nexport interface A { g: Shared }\n',
        **{"globals.d.ts": "interface Shared { s: string }\n"},
    )
    assert '    g: "_globals.Shared"\n' in text
    assert diags == ["api.d.ts:2:1: warning: cannot find the file `missing` a triple-slash reference names; ignored"]


def test_newer_sdk_layout(tmp_path: Path) -> None:
    text, diags = convert(
        tmp_path,
        "import { APIResource } from '../core/resource';\nimport { APIPromise } from '../core/api-promise';\n"
        "import { RequestOptions } from '../internal/request-options';\n"
        "export declare class Models extends APIResource {\n  retrieve(model: string, options?: RequestOptions): APIPromise<Model>;\n}\n"
        "export interface Model { id: string }\n",
    )
    assert "class Models(SyncAPIResource):" in text and "class AsyncModels(AsyncAPIResource):" in text
    assert "    ) -> Model:\n" in text
    assert [d for d in diags if "no HTTP route" not in d] == []


def test_a_module_declared_by_name_is_imported_by_that_name(tmp_path: Path) -> None:
    """@types packages declare their package as `declare module 'name' { ... }` (often in a file
    other files reference): importing 'name' finds the declarations."""
    text, diags = convert(
        tmp_path,
        '/// <reference path="lib.d.ts" />\nimport { Options, Level } from "lib";\nexport interface Uses { options: Options; level: Level }\n',
        **{"lib.d.ts": "declare module 'lib' {\n  export interface Options { verbose: boolean }\n  export type Level = 'low' | 'high';\n}\n"},
    )
    assert '    options: "_lib.Options"\n' in text and '    level: "_lib.Level"\n' in text
    assert diags == []


def test_generic_aliases_come_after_what_they_name(tmp_path: Path) -> None:
    """An alias naming a generic alias declared after it (csstype's `Animation<TTime>` naming
    `SingleAnimation<TTime>`) is written after it: the module imports (it failed with NameError)."""
    text, diags = convert(tmp_path, """
        export type Animation<TTime = string> = 'none' | Single<TTime>;
        export type Single<TTime> = TTime | Easing;
        export type Easing = 'ease' | 'linear';
        export interface Uses { a: Animation<number> }
    """)
    assert diags == []
    assert text.index("Easing: TypeAlias") < text.index("Single: TypeAlias") < text.index("Animation: TypeAlias")
    subprocess.run([sys.executable, "-c", "import pkg.api"], cwd=tmp_path / "out", check=True)


def test_a_class_and_its_interface_with_more_type_parameters(tmp_path: Path) -> None:
    """React's `class Component<P, S>` merged with `interface Component<P = {}, S = {}, SS = any>`:
    the class takes the longer list, and `Component<A, B, C>` its three arguments."""
    text, diags = convert(tmp_path, """
        export declare class Component<P, S> { props: P; state: S }
        export interface Component<P = {}, S = {}, SS = any> extends Lifecycle<P, S, SS> {}
        export interface Lifecycle<P, S, SS> { snapshot?: SS }
        export interface Uses { c: Component<string, number, boolean> }
    """)
    assert "class Component(Generic[P, S, SS]):" in text and '    c: "Component[str, float, bool]"\n' in text
    subprocess.run([sys.executable, "-c", "import pkg.api"], cwd=tmp_path / "out", check=True)
