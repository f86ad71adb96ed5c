"""TypeScript's utility types (`Omit`, `Pick`, `Partial`, `Required`, `Readonly`, `NonNullable`,
`Record`, `Exclude`, `Extract`) as bases and as types: the Python fields are the ones tsc
computes (names, optionality, literals, docs, inherited ones), a declared or imported name of
the same spelling is that declaration, and what cannot be computed degrades with a warning.

Each fixture is checked twice: against the fields written here, and against the TypeScript
compiler's own view of it (tests/tsc/describe.js, as in the differential test).
"""

from __future__ import annotations

import collections
import json
import typing
from pathlib import Path

import pytest

from introspect import fields
from test_differential import Report, _check_file, _oracle
from util import assert_mypy_strict, generate, imported, write_tree

BASE = """\
export interface Root {
  /** The id. */
  id: string;
  kind: 'a' | 'b';
}
export interface Y extends Root {
  /** The name. */
  name?: string;
  count: number;
  tags: Array<string>;
}
"""


def _convert(tmp_path: Path, files: dict[str, str]) -> tuple[Path, list[str]]:
    root = tmp_path / "in"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    result = generate(root, package="pkg")
    out = write_tree(tmp_path / "out", result.files)
    return out, [str(d) for d in result.diagnostics.items]


def _fields(out: Path, name: str, module: str = "pkg.api") -> dict[str, bool]:
    """Wire name -> optional, for a generated class."""
    with imported(out, module) as mod:
        return {k: f.optional for k, f in fields(getattr(mod, name)).items()}


def _agrees_with_tsc(tmp_path: Path, out: Path) -> Report:
    """Every interface and object alias of the fixture, field by field, against tsc."""
    root = tmp_path / "in"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.d.ts"))
    oracle = _oracle(root, files)
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    symbols: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    for sym in manifest["symbols"]:
        symbols[(sym["source"], sym["ts_name"])].append(sym)
    report = Report()
    with imported(out):
        for file in oracle["files"]:  # type: ignore[attr-defined]
            _check_file(file, symbols, report)
    assert report.properties > 0
    assert not report.mismatches, report.mismatches
    return report


def test_utility_bases(tmp_path: Path) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + """\
type Keys = 'count' | 'tags';
export interface OmitX extends Omit<Y, 'count' | 'tags'> {
  extra: boolean;
}
export interface OmitByAlias extends Omit<Y, Keys> {}
export interface PartialX extends Partial<Y> {}
export interface RequiredX extends Required<Y> {}
export interface ReadonlyX extends Readonly<Y>, NonNullable<Root> {}
export interface PickX extends Pick<Y, 'name' | 'kind'> {}
export interface Nested extends Omit<Partial<Y>, 'id'> {}
export interface NestedKeys extends Pick<Y, Exclude<Keys | 'id', 'tags'>> {}
export interface ByKeyof extends Omit<Y, keyof Root> {}
export interface RecordX extends Record<'alpha' | 'beta', string> {}
export interface Redeclared extends Partial<Y> {
  /** Required here. */
  count: number;
}
"""})
    assert warnings == []
    assert _fields(out, "OmitX") == {"id": False, "kind": False, "name": True, "extra": False}
    assert _fields(out, "OmitByAlias") == {"id": False, "kind": False, "name": True}
    assert _fields(out, "PartialX") == dict.fromkeys(["id", "kind", "name", "count", "tags"], True)
    assert _fields(out, "RequiredX") == dict.fromkeys(["id", "kind", "name", "count", "tags"], False)
    assert _fields(out, "ReadonlyX") == {"id": False, "kind": False, "name": True, "count": False, "tags": False}
    assert _fields(out, "PickX") == {"kind": False, "name": True}
    assert _fields(out, "Nested") == dict.fromkeys(["kind", "name", "count", "tags"], True)
    assert _fields(out, "NestedKeys") == {"id": False, "count": False}
    assert _fields(out, "ByKeyof") == {"name": True, "count": False, "tags": False}
    assert _fields(out, "RecordX") == {"alpha": False, "beta": False}
    assert _fields(out, "Redeclared")["count"] is False
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties
    assert_mypy_strict(out)


def test_generic_bases(tmp_path: Path) -> None:
    """A utility over a generic interface is computed with its parameters bound; over a bare
    type parameter it has no members, as tsc rejects it (`extends Partial<T>`), with a warning."""
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + """\
export interface Box<T> { value: T; label: string; }
export interface Labelled<T> extends Omit<Box<T>, 'label'> {}
export interface StringBox extends Labelled<string> {}
export interface PartialOf<T> extends Partial<T> { extra: number }
export interface PartialY extends PartialOf<Y> {}
"""})
    generic = "its class declares the fields it inherits and is not a Python subclass (pydantic would not read the type arguments into inherited fields)"
    assert sorted(warnings) == [
        f"api.d.ts:14:8: warning: `StringBox` extends the generic `Labelled`: {generic}",
        "api.d.ts:15:47: warning: base `Partial<...>` of `PartialOf`: `T` is a generic parameter; its properties are not included",
        f"api.d.ts:16:8: warning: `PartialY` extends the generic `PartialOf`: {generic}",
    ]
    assert _fields(out, "StringBox") == {"value": False}
    assert _fields(out, "PartialY") == {"extra": False}
    with imported(out) as mod:
        assert typing.get_type_hints(mod.StringBox)["value"] is str
    _agrees_with_tsc(tmp_path, out)


def test_utility_types_as_types(tmp_path: Path) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + """\
import { APIResource } from './resource';
import { APIPromise } from './core';
export type AliasOmit = Omit<Y, 'name'>;
export type AliasPartial = Partial<Omit<Y, 'tags'>>;
export interface Holder {
  picked: Pick<Y, 'id'>;
  maybe?: Partial<Y> | null;
  many: Array<Required<Root>>;
  frozen: Readonly<Y>;
  letters: Exclude<'x' | 'y' | 'z', 'y'>;
  kept: Extract<Root['kind'] | 'c', 'a' | 'c'>;
  present: NonNullable<string | null>;
  scores: Record<'k1' | 'k2', number>;
  open: Record<string, number>;
  notY: Exclude<Y | Root | null, Y | null>;
  roots: Extract<Y | Root | string, Root>;
}
export declare class Items extends APIResource {
  update(itemId: string, params: Partial<Y>): APIPromise<AliasOmit>;
}
"""})
    assert [w for w in warnings if "no HTTP route" not in w] == []
    assert _fields(out, "AliasOmit") == {"id": False, "kind": False, "count": False, "tags": False}
    assert _fields(out, "AliasPartial") == dict.fromkeys(["id", "kind", "name", "count"], True)
    assert _fields(out, "Holder")["maybe"] is True
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.Holder)
        assert typing.get_args(hints["letters"]) == ("x", "z")
        assert typing.get_args(hints["kept"]) == ("a", "c")
        assert hints["present"] is str and hints["frozen"] is mod.Y
        assert hints["notY"] is mod.Root
        assert typing.get_args(hints["roots"]) == (mod.Y, mod.Root)
        assert set(typing.get_args(typing.get_args(hints["scores"])[0])) == {"k1", "k2"}
        picked = typing.get_type_hints(hints["picked"])
        assert list(picked) == ["id"]
        many = typing.get_args(hints["many"])[0]
        assert {k: f.optional for k, f in fields(many).items()} == {"id": False, "kind": False}
        params = mod.Items.update.__annotations__["params"]
        assert "Unpack[" in str(params), params
    report = _agrees_with_tsc(tmp_path, out)
    assert report.exact_as_any == []
    assert_mypy_strict(out)


def test_method_parameter_is_a_typeddict_with_the_computed_fields(tmp_path: Path) -> None:
    out, _ = _convert(tmp_path, {"api.d.ts": BASE + """\
import { APIResource } from './resource';
import { APIPromise } from './core';
export declare class Items extends APIResource {
  update(id: string, params: Partial<Omit<Y, 'id'>>): APIPromise<Y>;
}
"""})
    text = (out / "pkg" / "api.py").read_text()
    name = text.split("params: Unpack[")[1].split("]")[0].strip("'\"")
    with imported(out) as mod:
        typed_dict = getattr(mod, name)
        assert typed_dict.__required_keys__ == frozenset()
        assert set(typed_dict.__optional_keys__) == {"kind", "name", "count", "tags"}


def test_a_declared_or_imported_name_shadows_the_utility_type(tmp_path: Path) -> None:
    out, warnings = _convert(tmp_path, {
        "api.d.ts": BASE + """\
import { Pick } from './mine';
interface Omit<T, K> {
  /** My own Omit. */
  mine: T;
}
export interface A extends Omit<Y, 'id'> {}
export interface B extends Pick<Y, 'id'> {}
export interface C {
  own: Omit<Y, 'id'>;
  partial: Partial<Y>;
}
""",
        "mine.d.ts": "export interface Pick<T, K> {\n  picked: K;\n}\n",
    })
    generic = "its class declares the fields it inherits and is not a Python subclass (pydantic would not read the type arguments into inherited fields)"
    assert sorted(warnings) == [f"api.d.ts:17:8: warning: `A` extends the generic `Omit`: {generic}", f"api.d.ts:18:8: warning: `B` extends the generic `Pick`: {generic}"]
    assert _fields(out, "A") == {"mine": False}
    assert _fields(out, "B") == {"picked": False}
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.C)
        assert hints["own"].__name__ == "Omit"
        assert set(typing.get_type_hints(hints["partial"])) == {"id", "kind", "name", "count", "tags"}
    _agrees_with_tsc(tmp_path, out)


@pytest.mark.parametrize(
    "ts, warning",
    [
        (
            "export interface G<T> extends Omit<T, 'id'> {\n  x: string;\n}\n",
            "api.d.ts:12:36: warning: base `Omit<...>` of `G`: `T` is a generic parameter; its properties are not included",
        ),
        (
            "export interface G<K extends string> {\n  x: Omit<Y, K>;\n}\n",
            "api.d.ts:13:14: warning: `Omit<...>` cannot be computed (the keys come from the generic parameter `K`); using dict[str, Any]",
        ),
        (
            "type M = { [k in 'a' | 'b' as `x${k}`]: string };\nexport interface G extends Pick<Y, 'id'>, Omit<M, 'a'> {}\n",
            "api.d.ts:12:10: warning: base `Omit<...>` of `G`: a mapped type that renames its keys (`as`); its properties are not included",
        ),
        (
            "export interface G {\n  x: Extract<Y | Root, { count: number }>;\n}\n",
            "api.d.ts:13:24: warning: `Extract<...>` cannot be computed (whether a member is assignable to this object type depends on more than its literal fields); using its first argument",
        ),
        (  # the warning names the place inside the mapped type (its text is read again)
            "type D<T> = {\n  [K in keyof T]: Array<T[K]> };\nexport interface G extends D<Y> {}\n",
            "api.d.ts:13:19: warning: base `D<...>` of `G`: the value type `Array<T[K]>` depends on the key `K`; its properties are not included",
        ),
        (
            "export interface G {\n  x: Y['nope'];\n}\n",
            "api.d.ts:13:6: warning: indexed access type `Y['nope']` cannot be computed (no property `nope`); using Any",
        ),
    ],
)
def test_what_cannot_be_computed_degrades_with_a_warning(tmp_path: Path, ts: str, warning: str) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + ts})
    assert warning in warnings, warnings
    assert_mypy_strict(out)


def test_extract_and_exclude_by_literal_fields(tmp_path: Path) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + """\
export interface Err { type: 'error'; message: string }
export interface Done { type: 'done' }
export type Event = Err | Done | null;
export interface H {
  err: Extract<Event, { type: 'error' }>;
  rest: Exclude<NonNullable<Event>, { type: 'error' }>;
}
"""})
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.H)
        assert hints["err"] is mod.Err and hints["rest"] is mod.Done
    assert warnings == []
    _agrees_with_tsc(tmp_path, out)


def test_object_members_of_union_aliases_are_classes(tmp_path: Path) -> None:
    """No Any where TypeScript's type is exact: inline object types inside union aliases and
    parenthesised unions become classes."""
    out, _ = _convert(tmp_path, {"api.d.ts": """\
export type Marked = string | { language: string; value: string };
export type Filter = { language: string; scheme?: string } | { language?: string; scheme: string };
export interface Hover {
  contents: Marked | Marked[];
  selector: (string | Filter)[] | null;
  cells: ({ notebook: string } | { cells: string[] })[];
}
"""})
    report = _agrees_with_tsc(tmp_path, out)
    assert report.exact_as_any == []
    with imported(out) as mod:
        assert {f.__name__ for f in typing.get_args(mod.Filter)} == {"FilterMember", "FilterMember2"}
    assert_mypy_strict(out)


def test_mapped_types_and_typeof_a_namespace(tmp_path: Path) -> None:
    """Mapped types over the keys of a type (`{ [K in keyof T]?: T[K] | undefined }`, T bound
    where the alias is used) or over literal keys, and `typeof` a namespace or a module (its
    functions as callables, its variables): the fields tsc computes, with their docs."""
    out, warnings = _convert(tmp_path, {
        "api.d.ts": BASE + """\
import * as helpers from './helpers';
type PartialOptions<T> = { [K in keyof T]?: T[K] | undefined };
type Strict<T> = { -readonly [K in keyof T]-?: T[K] };
type Flags = { [K in 'verbose' | 'quiet']+?: boolean };
export interface Options extends PartialOptions<Y> { extra: number }
export interface AllRequired extends Strict<Y> {}
export interface Switches extends Flags {}
declare function check(value: unknown): boolean;
declare namespace check {
  /** Compares two values. */
  function equal(a: unknown, b: unknown): boolean;
  function parse(text: string): number;
  function parse(text: string, radix: number): string;
  const version: string;
}
export interface Checker extends Pick<typeof check, 'equal' | 'parse' | 'version'> {}
export interface Helping extends Pick<typeof helpers, 'help'> {}
""",
        "helpers.d.ts": "/** Helps. */\nexport declare function help(topic: string): void;\nexport declare const unused: number;\n",
    })
    # the aliases themselves are types Python has no name for (dicts, with a warning); their fields are computed
    assert [w.split(": ", 1)[0] for w in warnings if "mapped type `{" in w and "using dict[str, Any]" in w] == ["api.d.ts:13:26", "api.d.ts:14:18", "api.d.ts:15:14"]
    assert [w for w in warnings if "function" not in w and "variable" not in w and "mapped type `{" not in w] == []
    assert _fields(out, "Options") == {"id": True, "kind": True, "name": True, "count": True, "tags": True, "extra": False}
    assert _fields(out, "AllRequired") == dict.fromkeys(["id", "kind", "name", "count", "tags"], False)
    assert _fields(out, "Switches") == {"verbose": True, "quiet": True}
    assert _fields(out, "Checker") == {"equal": False, "parse": False, "version": False}
    assert _fields(out, "Helping") == {"help": False}
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.Options)
        assert hints["kind"] == typing.Optional[typing.Literal["a", "b"]] and hints["tags"] == typing.Optional[list[str]]
        equal = typing.get_type_hints(mod.Checker)["equal"]
        assert typing.get_args(equal) == ([object, object], bool)
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties
    assert_mypy_strict(out)


def test_mapped_types_over_a_generic_interfaces_keys_with_values_naming_the_key(tmp_path: Path) -> None:
    """`{ [K in keyof EventMap<T>]?: Handler<T, K> | false }` (as @types/jquery's event handlers):
    the keys of the generic interface with its arguments, each value with K bound to the key."""
    out, warnings = _convert(tmp_path, {"api.d.ts": BASE + """\
export interface EventMap<T> { click: T; change: T; /** Input. */ input: string }
export interface Handler<T, K extends string> { target: T; type: K }
type Handlers<T> = { [K in keyof EventMap<T>]?: Handler<T, K> | false };
export interface RootHandlers extends Handlers<Root> {}
export interface Named extends EventMap<number> {}
export type Keys = keyof EventMap<Y>;
"""})
    generic = "its class declares the fields it inherits and is not a Python subclass (pydantic would not read the type arguments into inherited fields)"
    assert [w for w in warnings if "mapped type `{" not in w] == [f"api.d.ts:16:8: warning: `Named` extends the generic `EventMap`: {generic}"]
    assert _fields(out, "RootHandlers") == dict.fromkeys(["click", "change", "input"], True)
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.RootHandlers)
        change = typing.get_args(hints["change"])[0]
        assert typing.get_args(change) == (mod.Root, typing.Literal["change"])
        assert typing.get_args(mod.Keys) == ("click", "change", "input")
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties
    assert_mypy_strict(out)


TEMPLATES = """\
type OptionalPrefixToken<T extends string> = `${T} ` | "";
type Kind = "billing" | "shipping";
type Field = "name" | "email";
type Section = `section-${string}`;
export type Auto = "" | "off" | `${OptionalPrefixToken<Section>}${OptionalPrefixToken<Kind>}${Field}`;
export interface Holder {
  auto: Auto;
  sect: Section;
  sized: `${1 | 2}px` | `${boolean}-${null}`;
  mixed: 'a' | `x-${string}`;
  getters: `get${Capitalize<keyof Holder>}`;
  loud: Uppercase<Kind>;
}
"""


def test_template_literal_types_are_the_strings_tsc_computes(tmp_path: Path) -> None:
    """A template literal type is every combination of its parts (aliases, generic ones with
    their arguments, unions, numbers, booleans); combinations with `${string}` are patterns,
    `str` in Python. The literals are tsc's, compared by the differential's oracle."""
    out, warnings = _convert(tmp_path, {"api.d.ts": TEMPLATES})
    assert warnings == []
    with imported(out) as mod:
        hints = typing.get_type_hints(mod.Holder)
        auto = typing.get_args(hints["auto"])
        assert str in auto
        literal = next(a for a in auto if typing.get_origin(a) is typing.Literal)
        assert typing.get_args(literal) == ("", "off", "billing name", "billing email", "shipping name", "shipping email", "name", "email")
        assert hints["sect"] is str
        assert set(typing.get_args(hints["sized"])) == {"1px", "2px", "false-null", "true-null"}
        assert typing.get_args(hints["getters"]) == ("getAuto", "getSect", "getSized", "getMixed", "getGetters", "getLoud")
        assert typing.get_args(hints["loud"]) == ("BILLING", "SHIPPING")
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties == 6
    assert_mypy_strict(out)


@pytest.mark.parametrize(("ts", "warning"), [
    ("export type Big = `${D}${D}${D}${D}`;\ntype D = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';",
     "api.d.ts:1:19: warning: template literal type ``${D}${D}${D}${D}`` cannot be computed (more than 2000 strings); using str"),
    ("export interface I { k: 'a' }\nexport type Keys = `get-${I['k']}`;",
     "api.d.ts:2:27: warning: template literal type ``get-${I['k']}`` cannot be computed (a part is not a string literal, a union or an alias of them); using str"),
])
def test_a_template_literal_type_that_cannot_be_computed_is_str_with_a_warning(tmp_path: Path, ts: str, warning: str) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": ts})
    assert warnings == [warning]
    assert_mypy_strict(out)


def test_indexed_access_through_a_generic_aliases_default(tmp_path: Path) -> None:
    """`GeoJSON['type']` where `GeoJSON<G extends Geometry = Geometry> = G | Feature<G>` (as
    @types/geojson): each member's `type`, the parameter read as its default."""
    out, warnings = _convert(tmp_path, {"api.d.ts": """\
export interface Point { type: 'Point'; coordinates: number[] }
export interface Line { type: 'Line'; coordinates: number[][] }
export type Geometry = Point | Line;
export interface Feature<G extends Geometry | null = Geometry> { type: 'Feature'; geometry: G }
export type GeoJSON<G extends Geometry | null = Geometry> = G | Feature<G>;
export type GeoJsonTypes = GeoJSON['type'];
export interface GeoJsonObject { type: GeoJsonTypes }
"""})
    assert warnings == []
    with imported(out) as mod:
        assert typing.get_args(mod.GeoJsonTypes) == ("Point", "Line", "Feature")
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties
    assert_mypy_strict(out)
