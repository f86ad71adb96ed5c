"""The msgspec style (`model_type = "msgspec"`): data classes as subclasses of the runtime's
`Struct`, request parameters as TypedDicts (as in auto and pydantic).

msgspec decodes a union only when it can tell its members apart by the JSON value alone: at
most one member of each kind of value (one string-like type: `str` with string literals, or
an enum; one array; one object: a struct, a TypedDict or a dict), several structs only when
all are tagged with the same tag field and distinct tags. A union it cannot decode raises
TypeError when a value is first converted, so every union of the package is checked here,
through aliases, generics and module boundaries:

* a union of interfaces told apart by a literal property (tsgen.lower.unions.discriminator)
  makes its structs tagged (`tag_field="type", tag="text"`), the property then written and
  read by msgspec, not declared; a struct that two unions would tag by different properties,
  or that has a base or subclasses among the structs (a tag is inherited), is not tagged;
* a type msgspec cannot decode (such a union, a callable, a mixed or float enum, an upload)
  is widened to `Any` where it is written (the field's or alias's type, or a method's answer:
  tsgen.lower.msgspec_returns), with a warning naming the place: every value is then accepted
  as JSON carries it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tsgen import pytypes as py
from tsgen.diagnostics import Diagnostics
from tsgen.kinds import UNREPRESENTABLE
from tsgen.lower.import_cycles import Package
from tsgen.pymodel import AliasDef, DataclassDef, Definition, Doc, EnumDef, FieldDef, ModuleFile, PageDef, ProtocolDef, RecursiveAliasDef, ResourceDef, StructDef, TypedDictDef, TypeVarDef

MSGSPEC = "msgspec"
STRUCT_BASE = "Struct"  # the runtime's base of every struct: reserved in the modules of this style
TAG_DOC = "`{field}` (the tag, set by msgspec): "  # heads the tag property's doc in its class's
RESERVED = frozenset({STRUCT_BASE, "UNSET", "UnsetType"})  # what struct bodies name

_BUILTIN_KINDS = {
    "str": "str", "bytes": "strlike", "int": "int", "float": "float", "bool": "bool", "None": "none",
    "object": "custom", "Any": "any", "list": "array", "tuple": "array", "set": "array", "frozenset": "array",
    "Sequence": "array", "dict": "object", "Mapping": "object", "datetime": "strlike", "date": "strlike",
}  # fmt: skip
_ENUM_KINDS: dict[tuple[str, ...], str] = {("str", "Enum"): "enum_str", ("int", "Enum"): "enum_int"}  # msgspec: no float or mixed enums
_CUSTOM = frozenset({"Never"})  # the runtime's own, converted by its dec_hook


def struct_fields(fields: list[FieldDef]) -> list[FieldDef]:
    """Python names a struct body can take: not the names its annotations and defaults read."""
    return [replace(f, name=f.name + "_") if f.name in RESERVED else f for f in fields]


@dataclass(frozen=True)
class _Kind:
    """What msgspec sees of one member of a union: its kind of JSON value, and for a struct its
    (tag field, tag)."""

    kind: str  # str, strlike, lit_str, enum_str, int, lit_int, enum_int, float, bool, none, array, object, struct, custom, any, bad
    tag: tuple[str, str | int] | None = None


@dataclass
class _Checker:
    package: Package
    diagnostics: Diagnostics
    structs: dict[tuple[tuple[str, ...], str], StructDef] = field(default_factory=dict)
    aliases: dict[tuple[tuple[str, ...], str], AliasDef] = field(default_factory=dict)
    others: dict[tuple[tuple[str, ...], str], Definition] = field(default_factory=dict)
    alias_kinds: dict[tuple[tuple[str, ...], str], list[_Kind]] = field(default_factory=dict)

    def index(self) -> None:
        for path, mod in self.package.modules.items():
            for d in mod.all_definitions:
                name = getattr(d, "name", None)
                if isinstance(d, StructDef):
                    self.structs[(path, d.name)] = d
                elif isinstance(d, AliasDef):
                    self.aliases[(path, d.name)] = d
                elif isinstance(name, str):
                    self.others[(path, name)] = d

    def target(self, name: py.PyName, here: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
        """The package definition a name refers to, following re-exports."""
        if name.via is not None:
            path = self.package.by_alias.get(name.via.alias)
            return None if path is None else self._follow(path, name.name, 0)
        return None if name.module else self._follow(here, name.name, 0)

    def _follow(self, path: tuple[str, ...], name: str, depth: int) -> tuple[tuple[str, ...], str] | None:
        key = (path, name)
        if key in self.structs or key in self.aliases or key in self.others or depth > 20:
            return key
        mod = self.package.modules.get(path)
        for r in mod.reexports if mod is not None else ():
            if (r.alias or r.name) == name and r.target in self.package.modules:
                return self._follow(r.target, r.name, depth + 1)
        return None

    def kinds(self, t: py.PyType, here: tuple[str, ...]) -> list[_Kind]:
        """The kinds of value `t` is made of (a union's members, an alias's value)."""
        if isinstance(t, py.PyUnion):
            return [k for m in t.members for k in self.kinds(m, here)]
        if isinstance(t, py.PyDiscriminated):
            return self.kinds(t.union, here)
        if isinstance(t, py.PyLiteral):
            return [_Kind(_literal_kind(v)) for v in t.values]
        if isinstance(t, py.PyCallable):
            return [_Kind("bad")]
        if isinstance(t, py.PyGeneric):
            return self._named(t.base, here, generic=True)
        return self._named(t, here, generic=False)

    def _named(self, name: py.PyName, here: tuple[str, ...], generic: bool) -> list[_Kind]:
        key = self.target(name, here)
        if key is None:
            if name.module.startswith("."):  # the runtime's
                return [_Kind("custom" if name.name in _CUSTOM else "bad")]
            return [_Kind(_BUILTIN_KINDS.get(name.name, "bad"))]
        if key in self.structs:
            struct = self.structs[key]
            tag = (struct.tag_field, struct.tag) if struct.tag_field is not None and struct.tag is not None else None
            return [_Kind("struct", tag)]
        if key in self.aliases:
            return [_Kind("bad")] if self.lazy(key) else self.alias_value_kinds(key)
        d = self.others[key]
        if isinstance(d, EnumDef):
            return [_Kind(_ENUM_KINDS.get(d.bases, "bad"))]
        if isinstance(d, (TypedDictDef, DataclassDef)):
            return [_Kind("object")]
        if isinstance(d, TypeVarDef):
            return [_Kind("any")]
        if isinstance(d, ProtocolDef):
            return [_Kind("custom")]
        return [_Kind("any")]

    def alias_value_kinds(self, key: tuple[tuple[str, ...], str]) -> list[_Kind]:
        """The kinds of an alias's value: Any when msgspec cannot decode it and it is widened,
        a kind msgspec refuses when it cannot and is not (its users are widened instead)."""
        if key not in self.alias_kinds:
            self.alias_kinds[key] = [_Kind("any")]  # a recursive alias, while its value is read
            value = self.aliases[key].type
            if self.problem(value, key[0]) is None:
                self.alias_kinds[key] = self.kinds(value, key[0])
            else:
                self.alias_kinds[key] = [_Kind("any" if self.widened(key) else "bad")]
        return self.alias_kinds[key]

    def lazy(self, key: tuple[tuple[str, ...], str]) -> bool:
        """A TypeAliasType whose value names the package in strings (a recursive alias, one of an
        import cycle): msgspec resolves strings in a class's annotations only."""
        alias = self.aliases[key]
        return isinstance(alias, RecursiveAliasDef) and any(self.target(n, key[0]) is not None for n in _names(alias.type))

    def widened(self, key: tuple[tuple[str, ...], str]) -> bool:
        """Whether an alias msgspec cannot decode is widened where it is written: one of the
        data structs (not a request parameter's TypedDicts, nor a page), and not generic (its
        users subscript it)."""
        names = self.names(self.aliases[key].type, key[0], set())
        return not any(isinstance(self.others.get(n), (TypeVarDef, PageDef)) for n in names) and any(n in self.structs for n in names)

    def names(self, t: py.PyType, here: tuple[str, ...], seen: set[tuple[tuple[str, ...], str]]) -> set[tuple[tuple[str, ...], str]]:
        """The package definitions `t` names, through aliases."""
        found: set[tuple[tuple[str, ...], str]] = set()
        for name in _names(t):
            key = self.target(name, here)
            if key is None or key in seen:
                continue
            seen.add(key)
            found.add(key)
            if key in self.aliases:
                found |= self.names(self.aliases[key].type, key[0], seen)
        return found

    def fixed(self, t: py.PyType, here: tuple[str, ...], where: str, pos_of: StructDef | AliasDef) -> py.PyType:
        """`t` with each part msgspec cannot decode widened to Any (warned)."""
        problem = self.problem(t, here)
        if problem is None:
            return _plain(t)
        self.diagnostics.warn(pos_of.pos, f"{where} is `{t.render()}`, which msgspec cannot decode ({problem}); typed Any in the msgspec style", kind=UNREPRESENTABLE)
        return py.ANY

    def problem(self, t: py.PyType, here: tuple[str, ...]) -> str | None:
        """Why msgspec cannot decode `t`, or None."""
        parts = _parts(t)
        for inner in parts:
            why = self.problem(inner, here)
            if why is not None:
                return why
        return union_problem(self.kinds(t, here))


def apply(modules: list[ModuleFile], diagnostics: Diagnostics) -> None:
    """Tag the structs of discriminated unions, then widen what msgspec cannot decode."""
    checker = _Checker(Package.of(modules), diagnostics)
    checker.index()
    tagged = _tags(checker)
    checker.structs.update((key, _tagged(checker.structs[key], *tag)) for key, tag in tagged.items())
    for path, mod in checker.package.modules.items():
        mod.definitions = [_fix(checker, d, path) for d in mod.definitions]
        mod.late_definitions = [_fix(checker, d, path) for d in mod.late_definitions]


def _fix(checker: _Checker, d: Definition, path: tuple[str, ...]) -> Definition:
    if isinstance(d, ResourceDef):
        from tsgen.lower.msgspec_returns import fixed_resource  # it reads returns, which reach models, which import this module

        return fixed_resource(checker, d, path)
    if isinstance(d, AliasDef):
        if checker.problem(d.type, path) is not None and not checker.widened((path, d.name)):
            return d
        return replace(d, type=checker.fixed(d.type, path, f"alias `{d.ts_name}`", d))
    if not isinstance(d, StructDef):
        return d
    struct = checker.structs[(path, d.name)]
    done: dict[int, FieldDef] = {}

    def field_fixed(f: FieldDef) -> FieldDef:
        if id(f) not in done:
            t = checker.fixed(f.type, path, f"property `{struct.ts_name}.{f.wire_name}`", struct)
            done[id(f)] = f if t is f.type else replace(f, type=t)
        return done[id(f)]

    body = None if struct.body is None else tuple(field_fixed(f) for f in struct.body)
    return replace(struct, fields=tuple(field_fixed(f) for f in struct.fields), body=body)


def _tags(checker: _Checker) -> dict[tuple[tuple[str, ...], str], tuple[str, str | int]]:
    """The structs to tag: each member of a discriminated union that no other union tags by
    another property, with one literal value of it, and no base or subclass among the structs."""
    wanted: dict[tuple[tuple[str, ...], str], set[tuple[str, str | int] | None]] = {}
    in_family: set[tuple[tuple[str, ...], str]] = set()
    owners: list[tuple[tuple[str, ...], StructDef | AliasDef]] = [(k[0], d) for k, d in checker.structs.items()]
    owners += [(k[0], a) for k, a in checker.aliases.items()]
    for path, d in owners:
        types = [f.type for f in d.declared] if isinstance(d, StructDef) else [d.type]
        for u in (u for t in types for u in _unions(t)):
            for member in u.union.members:
                key = checker.target(member, path) if isinstance(member, py.PyName) else None
                if key in checker.structs:
                    wanted.setdefault(key, set()).add(_tag_of(checker.structs[key], u.field))
        if isinstance(d, StructDef) and d.parents:
            in_family.add((path, d.name))
            in_family.update(k for p in d.parents if (k := checker.target(p, path)) is not None)
    return {key: tag for key, tags in wanted.items() if len(tags) == 1 and (tag := next(iter(tags))) is not None and key not in in_family}


def _tag_of(d: StructDef, wire_name: str) -> tuple[str, str | int] | None:
    """(the property, its one value) when the struct declares it required with one literal."""
    for f in d.declared:
        if f.wire_name == wire_name and f.required and isinstance(f.type, py.PyLiteral) and len(f.type.values) == 1:
            value = f.type.values[0]
            return None if isinstance(value, bool) else (wire_name, value)
    return None


def _tagged(d: StructDef, tag_field: str, tag: str | int) -> StructDef:
    """The struct tagged: msgspec writes and reads the property, the class does not declare it;
    the property's doc ends the class's (TAG_DOC)."""
    fields = tuple(f for f in d.fields if f.wire_name != tag_field)
    body = None if d.body is None else tuple(f for f in d.body if f.wire_name != tag_field)
    tag_doc = next((f.doc for f in d.fields if f.wire_name == tag_field and f.doc is not None), None)
    doc = d.doc
    if tag_doc is not None:
        text = "\n\n".join(part for part in (d.doc.text if d.doc else "", TAG_DOC.format(field=tag_field) + tag_doc.text) if part)
        doc = Doc(text, d.doc.deprecated if d.doc else None, origin=tag_doc.origin)
    return replace(d, fields=fields, body=body, tag_field=tag_field, tag=tag, doc=doc)


def _names(t: py.PyType) -> list[py.PyName]:
    if isinstance(t, py.PyName):
        return [t]
    if isinstance(t, py.PyGeneric):
        return [t.base, *(n for a in t.args for n in _names(a))]
    if isinstance(t, py.PyUnion):
        return [n for m in t.members for n in _names(m)]
    if isinstance(t, py.PyDiscriminated):
        return _names(t.union)
    if isinstance(t, py.PyCallable):
        return [n for p in (*(t.params or ()), t.returns) for n in _names(p)]
    return []


def _parts(t: py.PyType) -> list[py.PyType]:
    """The types inside `t` checked on their own: a generic's arguments, a union's members'."""
    if isinstance(t, py.PyGeneric):
        return list(t.args)
    if isinstance(t, py.PyUnion):
        return [a for m in t.members for a in _parts(m)]
    if isinstance(t, py.PyDiscriminated):
        return _parts(t.union)
    return []


def _literal_kind(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "bool"
    return "lit_int" if isinstance(value, int) else "lit_str"


def _plain(t: py.PyType) -> py.PyType:
    """pydantic's discriminator annotations left out: msgspec reads tags from the classes."""
    if isinstance(t, py.PyDiscriminated):
        return t.union
    if isinstance(t, py.PyUnion):
        return py.union([_plain(m) for m in t.members])
    if isinstance(t, py.PyGeneric):
        return py.PyGeneric(t.base, tuple(_plain(a) for a in t.args))
    return t


def union_problem(kinds: list[_Kind]) -> str | None:
    """Why msgspec refuses a union of these kinds of value, or None (it decodes them)."""
    names = {k.kind for k in kinds}
    if "bad" in names:
        return "a type msgspec does not convert: a callable, an upload, an enum of floats or mixed values, or a recursive alias"
    if "any" in names or len(kinds) <= 1:
        return None
    if "custom" in names and len(names - {"none"}) > 1:
        return "`object` (TypeScript's `unknown`), a protocol or `never` beside other types"
    strings = sum(k.kind in ("enum_str", "strlike") for k in kinds) + bool(names & {"str", "lit_str"})
    ints = sum(k.kind == "enum_int" for k in kinds) + bool(names & {"int", "lit_int"})
    if strings > 1 or ints > 1:
        return "more than one kind of string or integer (an enum beside a string or another enum)"
    if sum(k.kind == "array" for k in kinds) > 1:
        return "more than one array type"
    return _object_problem(kinds)


def _object_problem(kinds: list[_Kind]) -> str | None:
    objects = [k for k in kinds if k.kind in ("object", "struct")]
    if len(objects) <= 1:
        return None
    tags = [k.tag for k in objects]
    if any(t is None for t in tags):
        return "several object types that are not all structs tagged by one property"
    fields = {t[0] for t in tags if t is not None}
    values = [t[1] for t in tags if t is not None]
    if len(fields) > 1 or len(set(values)) < len(values):
        return "structs tagged by different properties, or with the same tag"
    return None


def _unions(t: py.PyType) -> Iterator[py.PyDiscriminated]:
    if isinstance(t, py.PyDiscriminated):
        yield t
    for inner in _parts(t) + (list(t.members) if isinstance(t, py.PyUnion) else []):
        yield from _unions(inner)
