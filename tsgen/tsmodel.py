"""The intermediate model of a TypeScript declaration file.

Frozen dataclasses, one per construct. Every node carries its source position; positions
never take part in equality, so two parses of the same declarations compare equal however
their text was laid out.
"""

from __future__ import annotations

from dataclasses import field
from typing import Union

from tsgen.diagnostics import Pos
from tsgen.records import record

NOPOS = Pos("<none>", 0, 0)


def _pos() -> Pos:
    return field(default=NOPOS, compare=False, repr=False)


# ---------------------------------------------------------------- doc comments


@record(frozen=True, slots=True)
class DocTag:
    name: str  # "example", "deprecated", "param", "returns", "see", ...
    text: str  # markdown kept
    param: str | None = None  # for @param: the parameter name


@record(frozen=True, slots=True)
class DocComment:
    summary: str  # the first paragraph
    body: str  # the paragraphs after the summary, markdown kept
    tags: tuple[DocTag, ...] = ()

    def tag(self, name: str) -> DocTag | None:
        return next((t for t in self.tags if t.name == name), None)

    @property
    def text(self) -> str:
        """Summary and body as one markdown text."""
        return "\n\n".join(p for p in (self.summary, self.body) if p)


# ---------------------------------------------------------------- type expressions

KEYWORDS = frozenset(
    "string number boolean bigint symbol null undefined any unknown never void object".split()
)


@record(frozen=True, slots=True)
class KeywordType:
    name: str
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class LiteralType:
    value: str | int | float | bool
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class TypeRef:
    name: tuple[str, ...]  # qualified: ("Core", "APIPromise")
    args: tuple[TypeExpr, ...] = ()
    pos: Pos = _pos()

    @property
    def dotted(self) -> str:
        return ".".join(self.name)


@record(frozen=True, slots=True)
class UnionType:
    members: tuple[TypeExpr, ...]
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class IntersectionType:
    members: tuple[TypeExpr, ...]
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class ArrayType:
    element: TypeExpr
    readonly: bool = False
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class TupleElement:
    type: TypeExpr
    name: str | None = None
    optional: bool = False
    rest: bool = False


@record(frozen=True, slots=True)
class TupleType:
    elements: tuple[TupleElement, ...]
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class ObjectType:
    members: tuple[Member, ...]
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class FunctionType:
    params: tuple[Param, ...]
    returns: TypeExpr
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class ParenType:
    inner: TypeExpr
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class UnsupportedType:
    """A construct the model keeps only as text (keyof, typeof, mapped, conditional...)."""

    construct: str
    text: str
    pos: Pos = _pos()


TypeExpr = Union[
    KeywordType,
    LiteralType,
    TypeRef,
    UnionType,
    IntersectionType,
    ArrayType,
    TupleType,
    ObjectType,
    FunctionType,
    ParenType,
    UnsupportedType,
]

# ---------------------------------------------------------------- members


@record(frozen=True, slots=True)
class TypeParam:
    name: str
    constraint: TypeExpr | None = None
    default: TypeExpr | None = None


@record(frozen=True, slots=True)
class Param:
    name: str
    type: TypeExpr | None
    optional: bool = False
    rest: bool = False


@record(frozen=True, slots=True)
class Property:
    name: str
    type: TypeExpr | None
    optional: bool = False
    readonly: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class IndexSignature:
    key_name: str
    key_type: TypeExpr
    value_type: TypeExpr | None
    readonly: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Method:
    name: str
    params: tuple[Param, ...]
    returns: TypeExpr | None
    type_params: tuple[TypeParam, ...] = ()
    optional: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class CallSignature:
    """A call or construct signature (`(x: T): U`, `new (x: T): U`) in an object type."""

    construct: bool
    params: tuple[Param, ...]
    returns: TypeExpr | None
    doc: DocComment | None = None
    pos: Pos = _pos()


Member = Union[Property, IndexSignature, Method, CallSignature]

# ---------------------------------------------------------------- declarations


@record(frozen=True, slots=True)
class Interface:
    name: str
    members: tuple[Member, ...]
    type_params: tuple[TypeParam, ...] = ()
    extends: tuple[TypeRef, ...] = ()
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class TypeAlias:
    name: str
    type: TypeExpr
    type_params: tuple[TypeParam, ...] = ()
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str | int | float | None
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Enum:
    name: str
    members: tuple[EnumMember, ...]
    const: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Class:
    name: str
    members: tuple[Member, ...]  # properties and methods; overloads kept in order
    type_params: tuple[TypeParam, ...] = ()
    extends: TypeRef | None = None
    implements: tuple[TypeRef, ...] = ()
    abstract: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Function:
    name: str
    params: tuple[Param, ...]
    returns: TypeExpr | None
    type_params: tuple[TypeParam, ...] = ()
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Variable:
    name: str
    type: TypeExpr | None
    const: bool = False
    doc: DocComment | None = None
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class ExportSpec:
    name: str
    alias: str
    type_only: bool = False


@record(frozen=True, slots=True)
class Export:
    """`export { a as b }` (specifier None) or `export { a } from './m'` / `export * from './m'`."""

    names: tuple[ExportSpec, ...]
    specifier: str | None = None
    star: bool = False
    star_alias: str | None = None
    pos: Pos = _pos()
    assigned: bool = False  # `export = X`: the module is X (its names are X's members), and X is its default


@record(frozen=True, slots=True)
class ImportAlias:
    """`import X = Y.Z` (a local name for an entity), `export import X = Y.Z` (exported too)."""

    name: str
    target: tuple[str, ...]
    exported: bool = False
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Namespace:
    name: str
    body: tuple[Declaration, ...]
    exports: tuple[Export, ...] = ()
    doc: DocComment | None = None
    pos: Pos = _pos()
    aliases: tuple[ImportAlias, ...] = ()


Declaration = Union[Interface, TypeAlias, Enum, Class, Function, Variable, Namespace]


@record(frozen=True, slots=True)
class ImportSpec:
    name: str
    alias: str
    type_only: bool = False


@record(frozen=True, slots=True)
class Import:
    specifier: str
    names: tuple[ImportSpec, ...] = ()
    namespace: str | None = None  # import * as X
    default: str | None = None
    reference: bool = False  # `/// <reference path="..." />`: the file's names are visible here
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Merge:
    """A top-level declaration of a file that is not the file's own: it is one of the global
    scope's (a script's declaration, or one in `declare global { }`), or it augments another
    module (`declare module './x' { }` in a file that is a module). Declarations of one name
    merge across the files that declare it there."""

    name: str
    into: str = ""  # the specifier of the module augmented; "" for the global scope
    block: bool = True  # declared in a `declare global` / `declare module` block (not a script's own)
    pos: Pos = _pos()


@record(frozen=True, slots=True)
class Module:
    path: str  # relative to the input root, with '/' separators
    imports: tuple[Import, ...]
    exports: tuple[Export, ...]
    body: tuple[Declaration, ...]
    pos: Pos = _pos()
    aliases: tuple[ImportAlias, ...] = ()
    ambient: tuple[str, ...] = ()  # the modules it declares by name (`declare module 'vscode' { ... }`), converted as its own body
    merges: tuple[Merge, ...] = ()  # its top-level names declared in the global scope or in another module
    script: bool = False  # no top-level import or export: its own declarations are global
    global_name: str = ""  # `export as namespace X` (a UMD module): scripts name the module X
