"""The parser: constructs to the intermediate model, independent of line breaks."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import CORPUS, SEED
from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, TsgenError
from tsgen.parse import parse_module


def parse(text: str) -> tuple[m.Module, Diagnostics]:
    diags = Diagnostics()
    return parse_module("t.d.ts", text.encode(), diags), diags


def _normalise(value: object) -> object:
    """The model with doc text whitespace-collapsed (flattening also collapsed indentation)."""
    if isinstance(value, m.DocComment):
        tags = tuple(m.DocTag(t.name, " ".join(t.text.split()), t.param) for t in value.tags)
        return m.DocComment(" ".join(value.summary.split()), " ".join(value.body.split()), tags)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _normalise(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_normalise(v) for v in value)
    return value


def _restore_lost_generics(real: m.Module) -> m.Module:
    """The real file without the generic arguments that look like tags (`Array<Session.Tool>` -> `Array`)."""

    def strip(value: object) -> object:
        if isinstance(value, m.TypeRef) and len(value.args) == 1 and isinstance(value.args[0], m.TypeRef):
            return dataclasses.replace(value, args=())
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: strip(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare})
        if isinstance(value, tuple):
            return tuple(strip(v) for v in value)
        return value

    result = strip(real)
    assert isinstance(result, m.Module)
    return result


def test_seed_parses_to_the_same_model_as_the_real_file() -> None:
    seed = parse_module("sessions.d.ts", SEED.read_bytes(), Diagnostics())
    real_path = CORPUS / "resources/beta/realtime/sessions.d.ts"
    real = parse_module("sessions.d.ts", real_path.read_bytes(), Diagnostics())
    assert seed != real  # the seed lost generic arguments
    assert _normalise(seed) == _normalise(_restore_lost_generics(real))


def test_seed_is_one_line() -> None:
    assert b"\n" not in SEED.read_bytes().strip()


def test_interface_members() -> None:
    mod, diags = parse(
        "export interface A<T extends string = 'x'> extends B.C<T>, D {\n"
        "  /** The id. */ readonly id?: string;\n"
        "  kind: 'a' | 'b' | 1 | true | null;\n"
        "  [key: string]: unknown;\n"
        "  call(x: number, ...rest: string[]): void;\n"
        "}"
    )
    (a,) = mod.body
    assert isinstance(a, m.Interface)
    assert a.type_params == (m.TypeParam("T", m.KeywordType("string"), m.LiteralType("x")),)
    assert a.extends == (m.TypeRef(("B", "C"), (m.TypeRef(("T",)),)), m.TypeRef(("D",)))
    prop, kind, index, method = a.members
    assert prop == m.Property("id", m.KeywordType("string"), optional=True, readonly=True, doc=m.DocComment("The id.", ""))
    assert prop.pos.line == 2
    assert kind == m.Property("kind", m.UnionType((m.LiteralType("a"), m.LiteralType("b"), m.LiteralType(1), m.LiteralType(True), m.KeywordType("null"))))
    assert index == m.IndexSignature("key", m.KeywordType("string"), m.KeywordType("unknown"))
    assert method == m.Method("call", (m.Param("x", m.KeywordType("number")), m.Param("rest", m.ArrayType(m.KeywordType("string")), rest=True)), m.KeywordType("void"))
    assert not diags.items


@pytest.mark.parametrize(
    "source, expected",
    [
        ("string[]", m.ArrayType(m.KeywordType("string"))),
        ("Array<string>", m.TypeRef(("Array",), (m.KeywordType("string"),))),
        ("ReadonlyArray<number>", m.TypeRef(("ReadonlyArray",), (m.KeywordType("number"),))),
        ("readonly string[]", m.ArrayType(m.KeywordType("string"), readonly=True)),
        # readonly binds tighter than | (tree-sitter groups it the other way)
        ("readonly string[] | null", m.UnionType((m.ArrayType(m.KeywordType("string"), readonly=True), m.KeywordType("null")))),
        ("[a: string, b?: number]", m.TupleType((m.TupleElement(m.KeywordType("string"), "a"), m.TupleElement(m.KeywordType("number"), "b", optional=True)))),
        ("(string & {})", m.ParenType(m.IntersectionType((m.KeywordType("string"), m.ObjectType(()))))),
        ("{ x: 1 }", m.ObjectType((m.Property("x", m.LiteralType(1)),))),
        ("(a: string) => void", m.FunctionType((m.Param("a", m.KeywordType("string")),), m.KeywordType("void"))),
        ("Core.APIPromise<X>", m.TypeRef(("Core", "APIPromise"), (m.TypeRef(("X",)),))),
        ("-1", m.LiteralType(-1)),
        ("'it\\'s \\n'", m.LiteralType("it's \n")),
        ("keyof X", m.UnsupportedType("keyof operator", "keyof X")),
        ("undefined", m.KeywordType("undefined")),
        ("never", m.KeywordType("never")),
        ("object", m.KeywordType("object")),
    ],
)
def test_type_expressions(source: str, expected: m.TypeExpr) -> None:
    mod, _ = parse(f"type T = {source};")
    (alias,) = mod.body
    assert isinstance(alias, m.TypeAlias)
    assert alias.type == expected


def test_namespaces_merge_and_nest() -> None:
    mod, _ = parse("export interface A { x: A.B }\nexport declare namespace A { interface B { y: string } namespace C.D { type E = 1 } }")
    interface, namespace = mod.body
    assert isinstance(namespace, m.Namespace) and namespace.name == "A"
    inner_b, inner_c = namespace.body
    assert isinstance(inner_b, m.Interface) and inner_b.name == "B"
    assert isinstance(inner_c, m.Namespace) and inner_c.name == "C"
    assert isinstance(inner_c.body[0], m.Namespace) and inner_c.body[0].name == "D"


def test_class_enum_imports_exports() -> None:
    mod, _ = parse(
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n"
        "export declare class S extends APIResource { create(b: P): Core.APIPromise<R>; create(b: Q): Core.APIPromise<R>; private x; }\n"
        "export declare enum E { A = 'a', B = 'b' }\nexport { S as T, type P } from './s.js';"
    )
    assert mod.imports[0] == m.Import("./resource.js", (m.ImportSpec("APIResource", "APIResource"),))
    assert mod.imports[1].namespace == "Core"
    cls, enum = mod.body
    assert isinstance(cls, m.Class) and cls.extends == m.TypeRef(("APIResource",))
    assert [x.name for x in cls.members] == ["create", "create"]  # overloads kept, private dropped
    assert isinstance(enum, m.Enum) and [(x.name, x.value) for x in enum.members] == [("A", "a"), ("B", "b")]
    assert mod.exports == (m.Export((m.ExportSpec("S", "T"), m.ExportSpec("P", "P", True)), "./s.js"),)


def test_static_members_are_not_members_of_instances() -> None:
    mod, _ = parse(
        "export declare class Things extends APIResource {\n  static readonly _key: readonly ['acm', 'things'];\n"
        "  static create(): Things;\n  list(): void;\n  name: string;\n}\n"
    )
    (cls,) = mod.body
    assert isinstance(cls, m.Class) and [x.name for x in cls.members] == ["list", "name"]


def test_syntax_error_has_a_position() -> None:
    with pytest.raises(TsgenError) as info:
        parse("export interface A {\n  x: string;\n  y: = ;\n}")
    (diag,) = info.value.diagnostics
    assert str(diag).startswith("t.d.ts:3:")
    assert "syntax error" in str(diag)


def test_whole_corpus_parses() -> None:
    files = sorted((CORPUS / "resources").rglob("*.d.ts"))
    assert len(files) == 78
    diags = Diagnostics()
    interfaces = 0
    for path in files:
        mod = parse_module(path.relative_to(CORPUS).as_posix(), path.read_bytes(), diags)
        interfaces += sum(isinstance(d, m.Interface) for d in mod.body)
    assert interfaces > 300
