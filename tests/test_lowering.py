"""From TypeScript constructs to the exact Python expected, one construct at a time."""

from __future__ import annotations

import dataclasses
import json
import sys
import textwrap
from pathlib import Path

from tsgen.diagnostics import Diagnostics
from util import assert_mypy_strict, generate, imported, write_tree

RESOURCE_TS = """
import { APIResource } from './resource.js';
import * as Core from './core.js';
export declare class Things extends APIResource {
  /**
   * Make a thing.
   * @deprecated Use `build` instead.
   */
  create(thingId: string, body: ThingParams, options?: Core.RequestOptions): Core.APIPromise<FunctionDefinition>;
  list(query?: ListQuery, options?: Core.RequestOptions): Core.APIPromise<Array<FunctionDefinition>>;
}
/** A function. */
export interface FunctionDefinition {
  /** The name. */
  name: string;
  description?: string;
  strict?: boolean | null;
  parent: string | null;
  voice?: (string & {}) | 'alloy' | 'ash';
  tokens?: number | 'inf';
  kind: 'a' | 'b';
}
export interface ThingParams {
  /** The function. */
  fn: FunctionDefinition;
  ns?: ThingParams.Inner;
}
export declare namespace ThingParams {
  interface Inner { deep: Inner.ExpiresAt }
  namespace Inner { interface ExpiresAt { seconds: number } }
}
export interface ListQuery { limit?: number }
"""
RESOURCE_JS = """
class Things extends resource_1.APIResource {
    create(thingId, body, options) {
        return this._client.post(`/things/${thingId}`, { body, ...options, headers: { 'X-Beta': 'v1', ...options?.headers } });
    }
    list(query = {}, options) {
        return this._client.get('/things', { query, ...options });
    }
}
"""


def convert(tmp_path: Path, ts: str, js: str | None = None, **options: object) -> tuple[str, Diagnostics, Path]:
    (tmp_path / "api.d.ts").write_text(textwrap.dedent(ts))
    if js is not None:
        (tmp_path / "api.js").write_text(js)
    result = generate(tmp_path, ("api.d.ts",), package="pkg", **options)
    out = write_tree(tmp_path / "out", result.files)
    return result.files["pkg/api.py"].decode(), result.diagnostics, out


def block(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


def test_a_type_in_both_roles_gets_both_forms(tmp_path: Path) -> None:
    text, diags, _ = convert(tmp_path, RESOURCE_TS, RESOURCE_JS)
    assert not diags.items
    assert block('''
        @dataclass(kw_only=True)
        class FunctionDefinition:
            """A function."""

            name: str
            """The name."""

            description: str | None = None

            strict: bool | None = None

            parent: str | None

            voice: str | Literal["alloy", "ash"] | None = None
            """Open enum: any string is accepted; the literal values are the ones known when this was generated."""

            tokens: float | Literal["inf"] | None = None

            kind: Literal["a", "b"]
        ''') in text
    assert block('''
        class FunctionDefinitionParam(TypedDict):
            """A function."""

            name: str
            """The name."""

            description: NotRequired[str]

            strict: NotRequired[bool | None]

            parent: str | None

            voice: NotRequired[str | Literal["alloy", "ash"]]
            """Open enum: any string is accepted; the literal values are the ones known when this was generated."""

            tokens: NotRequired[float | Literal["inf"]]

            kind: Literal["a", "b"]
        ''') in text


def test_params_and_nested_namespaces(tmp_path: Path) -> None:
    text, _, _ = convert(tmp_path, RESOURCE_TS, RESOURCE_JS)
    assert block('''
        class ThingParams(TypedDict):
            fn: "FunctionDefinitionParam"
            """The function."""

            ns: NotRequired["Inner"]


        class Inner(TypedDict):
            deep: "ExpiresAt"


        class ExpiresAt(TypedDict):
            seconds: float
        ''') in text


def test_resource_methods(tmp_path: Path) -> None:
    text, _, out = convert(tmp_path, RESOURCE_TS, RESOURCE_JS)
    assert block('''
        class Things(SyncAPIResource):
            @deprecated("Use `build` instead.")
            def create(
                self,
                thing_id: str,
                *,
                extra_headers: Mapping[str, str | None] | None = None,
                extra_query: Mapping[str, object] | None = None,
                extra_body: Mapping[str, object] | None = None,
                timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
                **params: Unpack[ThingParams],
            ) -> FunctionDefinition:
                """Make a thing.

                Args:
                    fn: The function.

                .. deprecated::
                    Use `build` instead.
                """
                return self._client.request(
                    "post",
                    route_path("/things/{0}", thing_id),
                    cast_to=FunctionDefinition,
                    body=params,
                    headers={"X-Beta": "v1"},
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    extra_body=extra_body,
                    timeout=timeout,
                )
        ''') in text
    assert "    async def list(\n" in text and "return await self._client.request(" in text
    # a method is named `list`: the builtin is spelled builtins.list inside the class
    assert "cast_to=TypeAdapter[builtins.list[FunctionDefinition]](\n                builtins.list[FunctionDefinition]\n            )," in text
    assert_mypy_strict(out)


def test_nested_names_are_prefixed_only_where_ambiguous(tmp_path: Path) -> None:
    text, _, _ = convert(
        tmp_path,
        """
        export interface A { t?: A.Tool; s: A.Secret }
        export declare namespace A { interface Tool { x: 1 } interface Secret { e: Secret.ExpiresAt } namespace Secret { interface ExpiresAt { n: number } } }
        export interface B { t?: B.Tool }
        export declare namespace B { interface Tool { y: 2 } }
        export interface Tool { z: 3 }
        """,
    )
    for name in ("class A:", "class ATool:", "class Secret:", "class ExpiresAt:", "class B:", "class BTool:", "class Tool:"):
        assert f"\n{name}\n" in text, name
    assert 't: "ATool | None" = None' in text and 't: "BTool | None" = None' in text


def test_missing_generic_arguments_degrade_with_a_warning(tmp_path: Path) -> None:
    text, diags, _ = convert(
        tmp_path,
        "import * as Core from './core.js';\nexport interface A { tools?: Array; when: Core.APIPromise }\n",
    )
    assert "tools: list[Any] | None = None" in text
    assert "when: Any" in text
    assert [str(d) for d in diags.sorted()] == [
        "api.d.ts:2:30: warning: `Array` without a type argument; using list[Any]",
        "api.d.ts:2:43: warning: `Core.APIPromise` without a type argument; using Any",
    ]


def test_aliases_enums_and_unsupported(tmp_path: Path) -> None:
    text, diags, _ = convert(
        tmp_path,
        """
        export type Model = (string & {}) | Known | 'custom';
        export type Known = 'a' | 'b';
        export type Meta = Record<string, string>;
        export enum Color { Red = 'red', Green = 'green' }
        export type K = keyof Meta;
        """,
    )
    assert 'Known: TypeAlias = Literal["a", "b"]\n' in text
    assert text.index("Known: TypeAlias") < text.index("Model: TypeAlias")  # defined before use
    assert 'Model: TypeAlias = str | Known | Literal["custom"]\n' in text
    assert "Meta: TypeAlias = dict[str, str]\n" in text
    assert block('''
        class Color(str, Enum):
            RED = "red"
        ''').replace("RED", "Red") in text
    assert "K: TypeAlias = str\n" in text
    assert [str(d) for d in diags.sorted()] == []  # keyof a Record<string, ...> is exactly str


def test_doc_comments_cannot_inject_code(tmp_path: Path) -> None:
    text, _, out = convert(
        tmp_path,
        '/** End """ + __import__("os").system("x") + """ \\\\ \\N{BULLET} */\nexport interface A {\n'
        "  /** x */ 'q\"uote': string;\n  ok: 'it\\'s \"\"\" \\\\';\n}\n",
    )
    namespace: dict[str, object] = {}
    sys.path.insert(0, str(out))
    try:
        exec(compile(text, "api.py", "exec"), namespace)  # noqa: S102 - the generated module, checked below
    finally:
        sys.path.remove(str(out))
    cls = namespace["A"]
    assert cls.__doc__ == 'End """ + __import__("os").system("x") + """ \\\\ \\N{BULLET}'  # type: ignore[attr-defined]
    import typing

    assert typing.get_args(typing.get_type_hints(cls, globalns=namespace)["ok"]) == ("it's \"\"\" \\",)


def test_subresource_in_another_module_is_imported(tmp_path: Path) -> None:
    (tmp_path / "child.d.ts").write_text(
        "import { APIResource } from './resource.js';\nexport declare class Child extends APIResource {}\n"
    )
    text, diags, out = convert(
        tmp_path,
        "import { APIResource } from './resource.js';\nimport * as ChildAPI from './child.js';\n"
        "export declare class Parent extends APIResource {\n  child: ChildAPI.Child;\n}\n",
    )
    assert not diags.items
    assert "from . import child as _child\n" in text
    assert '    def child(self) -> "_child.Child":\n        return _child.Child(self._client)\n' in text
    assert_mypy_strict(out)


def test_what_is_not_converted_is_reported(tmp_path: Path) -> None:
    _, diags, _ = convert(
        tmp_path,
        "export declare function isThing(v: any): v is Thing;\nexport declare const VERSION: string;\n"
        "export interface Thing { call(): void; [k: string]: unknown; a: string }\n",
    )
    assert [str(d) for d in diags.sorted()] == [
        "api.d.ts:1:16: warning: function `isThing` is not converted (only types and resource classes are)",
        "api.d.ts:2:22: warning: variable `VERSION` is not converted (only types and resource classes are)",
        "api.d.ts:3:26: warning: method signature in `Thing` is not converted (only data members of a non-resource type are)",
        "api.d.ts:3:40: warning: index signature of `Thing` cannot be expressed on a class; extra keys are accepted but not typed",
    ]


def test_a_base_from_another_module_is_imported_before_the_class(tmp_path: Path) -> None:
    (tmp_path / "base.d.ts").write_text(
        "export interface Base { items: Array<Base.Item> }\nexport declare namespace Base { interface Item { n: number } }\n"
    )
    text, diags, out = convert(tmp_path, "import * as BaseAPI from './base.js';\nexport interface Derived extends BaseAPI.Base { extra?: string }\n")
    assert not diags.items
    assert "\nfrom . import base as _base\n\n__all__" in text  # with the imports, before the class
    assert block('''
        @dataclass(kw_only=True)
        class Derived(_base.Base):
            extra: str | None = None
        ''') in text
    assert_mypy_strict(out)
    with imported(out) as api:
        base = sys.modules["pkg.base"]
        value = api.Derived(items=[base.Item(n=1)], extra="x")
        assert isinstance(value, base.Base) and [f.name for f in dataclasses.fields(api.Derived)] == ["items", "extra"]


def test_members_named_like_builtins_do_not_shadow_types(tmp_path: Path) -> None:
    text, _, out = convert(
        tmp_path,
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n"
        "export declare class Files extends APIResource {\n"
        "  list(options?: Core.RequestOptions): Core.APIPromise<Array<Item>>;\n"
        "  retrieve(options?: Core.RequestOptions): Core.APIPromise<Array<Item>>;\n}\n"
        "export interface Item { object: 'file'; meta: object; str?: string; name: string }\n",
        "class Files extends resource_1.APIResource {\n list(options) { return this._client.get('/files', options); }\n"
        " retrieve(options) { return this._client.get('/files/x', options); }\n}\n",
    )
    assert "import builtins, httpx\n" in text
    assert '    object: Literal["file"]\n' in text
    assert "    meta: builtins.object\n" in text
    assert "    str: builtins.str | None = None\n" in text and "    name: builtins.str\n" in text
    assert "    ) -> builtins.list[Item]:\n" in text
    with imported(out) as module:
        import typing

        assert typing.get_type_hints(module.Item)["meta"] is object
        assert typing.get_type_hints(module.Files.retrieve)["return"] == list[module.Item]
    assert_mypy_strict(out)


def test_names_that_are_not_python_keep_their_wire_names(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "export interface Scores { /** Harm. */ 'self-harm': number; from?: string; from_: string; $ref: string; 0: boolean; class: 'a' }\n"
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n"
        "export declare class Things extends APIResource { create(body: Query, options?: Core.RequestOptions): Core.APIPromise<Scores> }\n"
        "export interface Query { 'self-harm'?: number; ok: boolean }\n",
        "class Things extends resource_1.APIResource { create(body, options) { return this._client.post('/t', { body, ...options }); } }\n",
    )
    assert not diags.items
    assert '    self_harm: Annotated[float, Field(alias="self-harm")]\n    """Harm."""\n' in text
    assert '    from__: Annotated[str | None, Field(alias="from")] = None\n' in text
    assert "    from_: str\n" in text
    assert '    ref: Annotated[str, Field(alias="$ref")]\n' in text
    assert '    _0: Annotated[bool, Field(alias="0")]\n' in text
    assert '    class_: Annotated[Literal["a"], Field(alias="class")]\n' in text
    assert block('''
        Query = TypedDict(
            "Query",
            {
                "self-harm": NotRequired[float],
                "ok": bool,
            },
        )
        ''') in text
    assert_mypy_strict(out)
    with imported(out) as module:
        from pydantic import TypeAdapter

        wire = {"self-harm": 0.5, "from_": "x", "$ref": "#/a", "0": True, "class": "a"}
        scores = TypeAdapter(module.Scores).validate_python(wire)
        assert (scores.self_harm, scores.from__, scores.from_, scores.ref, scores._0) == (0.5, None, "x", "#/a", True)
        runtime = sys.modules["pkg._runtime"]  # imported by pkg.api
        assert runtime._jsonable(scores) == wire
        assert module.Query.__optional_keys__ == frozenset({"self-harm"})


def test_discriminated_union_picks_the_member_by_its_tag(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "export type Event = Created | Deleted | Event.Other;\n"
        "export declare namespace Event { interface Other { type: 'other' | 'misc'; id?: string } }\n"
        "export interface Created { type: 'created'; id: string }\nexport interface Deleted { type: 'deleted'; id: string; gone: true }\n"
        "export type Loose = Created | { type: 'x' };\n",
    )
    assert block('''
        Event: TypeAlias = Annotated[Created | Deleted | Other, Field(discriminator="type")]
        ''') in text
    # an object type in the union is hoisted as a class of its own (`Loose.LooseMember`), so it takes part
    assert 'Loose: TypeAlias = Annotated[Created | LooseMember, Field(discriminator="type")]\n' in text
    with imported(out) as module:
        from pydantic import TypeAdapter

        event = TypeAdapter(module.Event).validate_python({"type": "deleted", "id": "1", "gone": True})
        assert type(event).__name__ == "Deleted"
        assert type(TypeAdapter(module.Event).validate_python({"type": "misc"})).__name__ == "Other"
    assert_mypy_strict(out)


def test_generics_become_typevars(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "export interface Page<T, M extends string = 'x'> { data: T[]; mode?: M; next: Page<T> | null }\n"
        "export interface Item { id: string }\nexport interface Listing { page: Page<Item>; names: Page<string, 'a' | 'b'> }\n"
        "export type Maybe<T> = T | null;\nexport interface Holder { value: Maybe<number> }\n",
    )
    assert not diags.items
    assert 'T = TypeVar("T")\n' in text
    assert 'M = TypeVar("M", bound=str, default=Literal["x"])\n' in text
    assert "class Page(Generic[T, M]):\n" in text
    assert '    data: "list[T]"\n' in text and '    mode: "M | None" = None\n' in text
    assert """    next: "Page[T, Literal['x']] | None"\n""" in text  # a missing argument takes its default
    assert """    page: "Page[Item, Literal['x']]"\n""" in text
    assert """    names: "Page[str, Literal['a', 'b']]"\n""" in text
    assert "Maybe: TypeAlias = T | None\n" in text
    assert '    value: "Maybe[float]"\n' in text
    assert_mypy_strict(out)
    with imported(out) as module:
        from pydantic import TypeAdapter

        listing = TypeAdapter(module.Listing).validate_python(
            {"page": {"data": [{"id": "1"}], "next": None}, "names": {"data": ["n"], "mode": "a", "next": None}}
        )
        assert listing.page.data[0].id == "1" and listing.names.mode == "a"


def test_sdk_runtime_names_map_to_the_generated_runtime(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n"
        "import { CursorPage } from './pagination.js';\n"
        "export declare class Files extends APIResource {\n"
        "  list(query?: FileListParams, options?: Core.RequestOptions): Core.PagePromise<FileObjectsPage, FileObject>;\n"
        "  upload(body: UploadParams, options?: Core.RequestOptions): Core.APIPromise<FileObject>;\n}\n"
        "export declare class FileObjectsPage extends CursorPage<FileObject> {}\n"
        "export interface FileObject { id: string }\nexport interface FileListParams { after?: string }\n"
        "export interface UploadParams { file: Core.Uploadable }\n",
    )
    assert "    ) -> BaseSyncPage[FileObject]:\n" in text  # no pagination module: one page
    assert "    ) -> AsyncPaginator[FileObject, BaseAsyncPage[FileObject]]:\n" in text
    assert "from ._runtime import (\n    AsyncAPIResource,\n    AsyncPaginator,\n    BaseAsyncPage,\n    BaseSyncPage,\n" in text
    assert '    file: "Uploadable"\n' in text or "    file: Uploadable\n" in text
    assert_mypy_strict(out)


def test_inline_object_types_and_intersections_become_classes(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "export interface A { id: string }\nexport interface B { name?: string }\n"
        "/** Both. */\nexport type AB = A & B & { extra: number };\n"
        "export interface Holder {\n  /** Where. */\n  location: { lat: number; lng?: number; meta: { tag: 'x' } };\n"
        "  items: Array<{ n: number }>;\n  both: A & { more: boolean };\n  open: { [key: string]: string };\n}\n",
    )
    assert not diags.items
    assert block('''
        @dataclass(kw_only=True)
        class AB(B, A):
            """Both."""

            extra: float
        ''') in text  # `A & B & {...}`: a subclass of both (a dataclass's fields: A's, B's, its own)
    assert '    location: "Location"\n    """Where."""\n' in text
    assert block('''
        @dataclass(kw_only=True)
        class Location:
            """Where."""

            lat: float

            lng: float | None = None

            meta: "Meta"
        ''') in text
    assert "class Meta:\n    tag: Literal[\"x\"]\n" in text
    assert '    items: "list[Items]"\n' in text and "class Items:\n    n: float\n" in text
    assert '    both: "Both"\n' in text and "class Both(A):\n    more: bool\n" in text
    assert "    open: dict[str, str]\n" in text
    assert_mypy_strict(out)


def test_tuples_and_closest_safe_types(tmp_path: Path) -> None:
    text, diags, out = convert(
        tmp_path,
        "export type Pair = [a: string, b: number];\nexport type Opt = [string, number?];\n"
        "export type Rest = [name: string, ...rest: boolean[]];\nexport type Only = [...string[]];\nexport type Empty = [];\n"
        "export type Tpl = `id-${string}`;\nexport type Mapped = { [K in 'a' | 'b']: number };\n"
        "export type Keys = keyof Pair;\nexport type Cond<T> = T extends string ? 'yes' : 'no';\n",
    )
    assert "Pair: TypeAlias = tuple[str, float]\n" in text
    assert "Opt: TypeAlias = tuple[str] | tuple[str, float]\n" in text
    assert "Rest: TypeAlias = tuple[str, Unpack[tuple[bool, ...]]]\n" in text
    assert "Only: TypeAlias = tuple[str, ...]\n" in text
    assert "Empty: TypeAlias = tuple[()]\n" in text
    assert "Tpl: TypeAlias = str\n" in text  # a pattern: any string Python can say (no warning)
    assert "Mapped: TypeAlias = dict[str, Any]\n" in text
    assert "Keys: TypeAlias = str\n" in text
    assert "Cond: TypeAlias = Any\n" in text
    assert [str(d) for d in diags.sorted()] == [
        "api.d.ts:7:22: warning: mapped type `{ [K in 'a' | 'b']: number }` is not supported; using dict[str, Any]",
        "api.d.ts:8:20: warning: keyof operator `keyof Pair` cannot be computed (a tuple type is not an object type whose properties tsgen can compute); using str",
        "api.d.ts:9:23: warning: conditional type `T extends string ? 'yes' : 'no'` is not supported; using Any",
    ]
    assert_mypy_strict(out)


def test_names_from_another_npm_package_are_read_from_node_modules(tmp_path: Path) -> None:
    package = tmp_path / "node_modules" / "@scope" / "dep"
    (package / "lib").mkdir(parents=True)
    (package / "package.json").write_text('{"name": "@scope/dep", "types": "lib/main.d.ts"}')
    (package / "lib" / "main.d.ts").write_text("export interface Position { line: number; character: number }\nexport interface Unused { x: 1 }\n")
    text, diags, out = convert(tmp_path, "import { Position } from '@scope/dep';\nimport { Gone } from 'missing-pkg';\n"
                               "export interface Range { start: Position; end: Gone }\n")
    assert [str(d) for d in diags.sorted()] == ["api.d.ts:3:48: warning: cannot find module `missing-pkg` for `Gone`; using Any"]
    assert '    start: "_npm_scope_dep_lib_main.Position"\n' in text
    dep = (out / "pkg" / "npm" / "scope" / "dep" / "lib" / "main.py").read_text()
    assert "class Position:" in dep and "class Unused" not in dep  # only what the inputs use
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    assert "node_modules/@scope/dep/lib/main.d.ts" in {i["path"] for i in manifest["inputs"]}
    assert_mypy_strict(out)
