"""The package's API as a Python caller sees it, taken from the model the generator builds:
each declaration by module and name, its fields, values, methods and routes, and what it
refers to (so that a comparison can tell what callers send from what they read).

Written beside the output as `tsgen-api.json`, one declaration per line (sorted: a git diff of
it reads declaration by declaration), so that a later release can be compared with the output
that is committed, after its inputs were replaced."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tsgen.names import imported_path, module_alias
from tsgen.pymodel import (
    OPTIONS,
    AliasDef,
    BaseModelDef,
    ClientDef,
    DataclassDef,
    Definition,
    Doc,
    EnumDef,
    FieldDef,
    MethodDef,
    ModuleFile,
    PageDef,
    ParamDef,
    ProtocolDef,
    ResourceDef,
    StructDef,
    TypedDictDef,
    TypeVarDef,
)
from tsgen.pytypes import (
    PyCallable,
    PyDiscriminated,
    PyGeneric,
    PyLiteral,
    PyName,
    PyType,
    PyUnion,
)
from tsgen.records import record

API_FILE = "tsgen-api.json"
_QUALIFIED = re.compile(r"\b(_\w+)\.")  # a module alias before a name (`_resources_shared.X`)
FORMAT = 1


@record(frozen=True)
class TypeRef:
    """A type as the caller reads it (names of the package unqualified), as its union's
    members: each literal value on its own (`'auto'`), `None` when it may be null."""

    members: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The annotation: the literal values together again (`Literal['a', 'b']`)."""
        parts: list[str] = []
        values: list[str] = []
        for m in self.members + ("",):
            if m and _is_literal(m):
                values.append(m)
                continue
            if values:
                parts.append(f"Literal[{', '.join(values)}]")
                values = []
            if m:
                parts.append(m)
        return " | ".join(parts)

    @property
    def nullable(self) -> bool:
        return "None" in self.members

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if _is_literal(m))


@record(frozen=True)
class Member:
    """A field of a model, or a parameter of a method (`kind`: positional, keyword, or params
    for `**params: Unpack[...]`)."""

    type: TypeRef = TypeRef()
    required: bool = False
    deprecated: str | None = None
    kind: str = ""  # a field; a parameter: positional, keyword, params


@record(frozen=True)
class Method:
    params: dict[str, Member] = field(default_factory=dict)
    returns: TypeRef = TypeRef()
    verb: str | None = None  # None: no route known
    path: str | None = None
    deprecated: str | None = None


@record(frozen=True)
class Decl:
    kind: str  # typeddict, dataclass, alias, enum, resource, page, client
    ts_name: str = ""
    source: str = ""  # the declaration file, relative to the input root
    deprecated: str | None = None
    fields: dict[str, Member] = field(default_factory=dict)
    type: TypeRef | None = None  # alias
    values: dict[str, str | int | float] = field(default_factory=dict)  # enum members
    methods: dict[str, Method] = field(default_factory=dict)
    subresources: dict[str, str] = field(default_factory=dict)  # property -> resource class
    refs: tuple[str, ...] = ()  # declarations its fields or type name (keys)
    sends: tuple[str, ...] = ()  # declarations its methods' parameters name
    reads: tuple[str, ...] = ()  # declarations its methods return

    @property
    def shape(self) -> str:
        """What it is, without its names: equal shapes under different names are a rename."""
        plain = _plain(self)
        assert isinstance(plain, dict)
        return json.dumps({k: v for k, v in plain.items() if k not in ("ts_name", "source", "deprecated")}, sort_keys=True)


@dataclass
class Api:
    declarations: dict[str, Decl]  # "module:Name" (module dotted inside the package) -> declaration
    package: str = ""  # the npm package and version read, when known ("openai@7.59.0")


def key(module: str, name: str) -> str:
    return f"{module}:{name}"


def split_key(k: str) -> tuple[str, str]:
    module, _, name = k.rpartition(":")
    return module, name


# ---- from the model ----


def snapshot(modules: dict[str, ModuleFile], package: str = "") -> Api:
    aliases = module_aliases(modules)
    found = dict(item for rel, mod in modules.items() for item in _declarations(rel, mod, aliases))
    return Api(dict(sorted(found.items())), package)


def module_aliases(modules: dict[str, ModuleFile]) -> dict[str, str]:
    """How the package's modules import each other (`_resources_shared`) -> the dotted names users import them by (a part: its split module's)."""
    return {module_alias(m.path): ".".join(imported_path(m.users_path)) for m in modules.values()}


def _declarations(rel: str, mod: ModuleFile, aliases: dict[str, str]) -> Iterator[tuple[str, Decl]]:
    for k, _, decl in declarations(rel, mod, where_of(mod, aliases)):
        yield k, decl


def where_of(mod: ModuleFile, aliases: dict[str, str]) -> Where:
    """How the module's types name the package's declarations."""
    return Where(".".join(imported_path(mod.users_path)), aliases, {d.name for d in mod.all_definitions})


def declarations(rel: str, mod: ModuleFile, where: Where) -> Iterator[tuple[str, Definition, Decl]]:
    """Each declaration of the module recorded (a TypeVar is none): its key, its definition, its record."""
    for d in mod.all_definitions:
        decl = _decl(d, rel, where)
        if decl is not None:
            yield key(where.module, d.name), d, decl


def line(k: str, decl: Decl) -> bytes:
    """A declaration's line of `tsgen-api.json` (UTF-8): the API is recorded module by module as
    bytes (tsgen.api.index), never held as objects (a large package's API is ten times its JSON
    as objects) nor as one str (four bytes a character once any is not Latin-1)."""
    return _line(k, decl).encode()


@record(frozen=True)
class Where:
    """A module of the package: how its types name the declarations of others."""

    module: str
    aliases: dict[str, str]  # module alias (`_resources_shared`) -> dotted module
    local: set[str]

    def plain(self, t: PyType) -> TypeRef:
        members = t.members if isinstance(t, PyUnion) else (t,)
        return TypeRef(tuple(v for m in members for v in ([repr(x) for x in m.values] if isinstance(m, PyLiteral) else [self.spell(m)])))

    def spell(self, t: PyType) -> str:
        """The type as written, names of the package's other modules unqualified."""
        if isinstance(t, PyName):
            return t.name if t.via is not None and t.via.alias in self.aliases else t.render()
        if isinstance(t, PyGeneric):
            return f"{self.spell(t.base)}[{', '.join(self.spell(a) for a in t.args)}]"
        if isinstance(t, PyUnion):
            return " | ".join(self.spell(m) for m in t.members)
        if isinstance(t, PyCallable):
            params = "..." if t.params is None else "[" + ", ".join(self.spell(p) for p in t.params) + "]"
            return f"Callable[{params}, {self.spell(t.returns)}]"
        if isinstance(t, PyDiscriminated):
            return f"Annotated[{self.spell(t.union)}, Field(discriminator={t.field!r})]"
        return t.render()

    def refs(self, t: PyType) -> set[str]:
        """The declarations of the package a type names (keys)."""
        if isinstance(t, PyName):
            if t.via is not None:
                return {key(self.aliases[t.via.alias], t.name)} if t.via.alias in self.aliases else set()
            return {key(self.module, t.name)} if not t.module and t.name in self.local else set()
        if isinstance(t, PyGeneric):
            return self.refs(t.base).union(*(self.refs(a) for a in t.args))
        if isinstance(t, PyUnion):
            return set().union(*(self.refs(m) for m in t.members))
        if isinstance(t, PyCallable):
            return self.refs(t.returns).union(*(self.refs(p) for p in t.params or ()))
        if isinstance(t, PyDiscriminated):
            return self.refs(t.union)
        return set()

    def text_refs(self, text: str) -> set[str]:
        """The declarations an annotation written as text names (a method's parameters)."""
        found = set()
        for word in _words(text):
            alias, _, name = word.rpartition(".")
            if alias in self.aliases:
                found.add(key(self.aliases[alias], name))
            elif not alias and word in self.local:
                found.add(key(self.module, word))
        return found

    def unqualified(self, text: str) -> str:
        return _QUALIFIED.sub(lambda m: "" if m.group(1) in self.aliases else m.group(0), text)


def _decl(d: Definition, rel: str, where: Where) -> Decl | None:
    if isinstance(d, TypeVarDef):
        return None
    deprecated = _deprecated(d.doc)
    if isinstance(d, (TypedDictDef, DataclassDef, PageDef)):
        kind = {TypedDictDef: "typeddict", DataclassDef: "dataclass", BaseModelDef: "model", StructDef: "struct", PageDef: "page"}[type(d)]
        refs = set().union(*(where.refs(f.type) for f in d.fields))
        return Decl(kind, d.ts_name, rel, deprecated, fields=_fields(d.fields, where), refs=_sorted(refs))
    if isinstance(d, AliasDef):
        return Decl("alias", d.ts_name, rel, deprecated, type=where.plain(d.type), refs=_sorted(where.refs(d.type)))
    if isinstance(d, EnumDef):
        return Decl("enum", d.ts_name, rel, deprecated, values={m.name: m.value for m in d.members})
    if isinstance(d, ResourceDef):
        methods = {m.name: _method(m, where) for m in d.methods}
        sends = set().union(*(where.text_refs(p.annotation) for m in d.methods for p in m.params))
        reads = set().union(*(where.refs(m.returns.sync) for m in d.methods))
        subresources = {s.name: where.unqualified(s.sync_class) for s in d.subresources}
        return Decl("resource", d.ts_name, rel, deprecated, methods=methods, subresources=subresources, sends=_sorted(sends), reads=_sorted(reads))
    if isinstance(d, ProtocolDef):
        return _protocol(d, rel, deprecated, where)
    return _client(d, rel, deprecated, where)


def _protocol(d: ProtocolDef, rel: str, deprecated: str | None, where: Where) -> Decl:
    """A protocol's methods (an overloaded one by its first signature), its attributes (a protocol
    form's, tsgen.lower.mixed) and what they name."""
    fields = {a.name: Member(where.plain(a.type), True, _deprecated(a.doc)) for a in d.attributes}
    methods: dict[str, Method] = {}
    for m in d.methods:
        params = {p.name: _param(p, where, False) for p in m.params if p.kind != "slash"}
        methods.setdefault(m.name, Method(params, where.plain(m.returns), deprecated=_deprecated(m.doc)))
    sends = set().union(*(where.text_refs(p.annotation) for m in d.methods for p in m.params))
    reads = set().union(*(where.refs(m.returns) for m in d.methods))
    refs = set().union(*(where.refs(a.type) for a in d.attributes))
    return Decl("protocol", d.ts_name, rel, deprecated, fields=fields, methods=methods, refs=_sorted(refs), sends=_sorted(sends), reads=_sorted(reads))


def _client(d: ClientDef, rel: str, deprecated: str | None, where: Where) -> Decl:
    options = {o.name: Member(TypeRef(("str",)), o.required and o.env is None and o.default is None, None, "keyword") for o in d.options}
    constructor = Method(options, TypeRef((d.name,)))
    subresources = {s.name: where.unqualified(s.sync_class) for s in d.subresources}
    return Decl("client", d.ts_name, rel, deprecated, methods={"__init__": constructor}, subresources=subresources)


def _fields(fields: tuple[FieldDef, ...], where: Where) -> dict[str, Member]:
    return {f.name: Member(where.plain(f.type), f.required, _deprecated(f.doc)) for f in fields}


def _method(m: MethodDef, where: Where) -> Method:
    params: dict[str, Member] = {}
    keyword = False
    for p in m.params:
        if p.kind in ("star", "slash"):
            keyword = keyword or p.kind == "star"
            continue
        if p.name in OPTIONS:
            continue
        params[p.name] = _param(p, where, keyword)
    route = m.route
    return Method(params, where.plain(m.returns.sync), route.verb.upper() if route else None, route.path_template if route else None, _deprecated(m.doc))


def _param(p: ParamDef, where: Where, keyword: bool) -> Member:
    text = where.unqualified(p.annotation.strip("'\""))
    kind = "params" if p.kind == "kwargs" else "keyword" if keyword else "positional"
    members = [m.strip() for m in _split_top_level(text, "|")]
    values = [v.strip() for m in members if m.startswith("Literal[") and m.endswith("]") for v in _split_top_level(m[8:-1], ",")]
    members = [m for m in members if not (m.startswith("Literal[") and m.endswith("]"))]
    ordered = [m for m in members if m != "None"] + values + ["None"] * ("None" in members)
    return Member(TypeRef(tuple(ordered)), p.default is None and p.kind != "kwargs", None, kind)


def _deprecated(doc: Doc | None) -> str | None:
    return doc.deprecated if doc is not None else None


def _sorted(refs: set[str]) -> tuple[str, ...]:
    return tuple(sorted(refs))


def _is_literal(member: str) -> bool:
    return member[:1] in ("'", '"') or member in ("True", "False") or member.lstrip("-").replace(".", "", 1).isdigit()


def _words(text: str) -> list[str]:
    word, found = "", []
    for ch in text + " ":
        if ch.isalnum() or ch in "_.":
            word += ch
        else:
            if word:
                found.append(word)
            word = ""
    return found


def _split_top_level(text: str, sep: str) -> list[str]:
    """`A | B[C | D] | None` -> A, B[C | D], None (by `|`)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "[(" and 1 or ch in "])" and -1 or 0
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# ---- to and from JSON ----


def dumps(api: Api) -> bytes:
    """One declaration per line, sorted by key; inside one, in the model's order (a method's
    parameters in the order of its signature); empty parts left out."""
    return assemble([_line(k, d).encode() for k, d in api.declarations.items()], api.package)


def assemble(found: list[bytes], package: str) -> bytes:
    """`tsgen-api.json` from its lines (as `line` writes them), sorted by key: each line starts
    with its key, `"module:Name"`, whose characters all sort after the quote that ends it, so the
    lines sort as their keys do. `found` is consumed (emptied: the lines are in the text)."""
    found.sort()
    head = f'{{"format": {FORMAT}, "package": {json.dumps(package)}, "declarations": {{\n'.encode()
    parts = [head]
    for line in found:
        parts += (line, b",\n")
    if found:
        parts.pop()  # no comma after the last line
    parts.append(b"\n}}\n")
    found.clear()
    return b"".join(parts)  # one copy of the text (13 MB for a package of 1,900 files)


def _line(k: str, d: Decl) -> str:
    return f"{json.dumps(k)}: {json.dumps(_plain(d), ensure_ascii=False)}"


def _plain(value: object) -> object:
    """A record as JSON values, its empty parts left out (what `loads` reads back with defaults)."""
    if isinstance(value, TypeRef):
        return {"members": list(value.members)} if value.members else {}
    if isinstance(value, Member):
        out: dict[str, object] = {"type": _plain(value.type), "required": value.required}
        out.update((k, v) for k, v in (("deprecated", value.deprecated), ("kind", value.kind)) if v)
        return out
    if isinstance(value, (Decl, Method)):
        fields = ((name, getattr(value, name)) for name in value.__dataclass_fields__)
        return {name: _plain(v) for name, v in fields if v not in _EMPTY}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


_EMPTY: tuple[object, ...] = (None, "", {}, ())


def loads(data: bytes, origin: str) -> Api:
    """The API recorded in a `tsgen-api.json` (what `dumps` left out as empty has its default);
    ValueError (naming `origin`) when it is not one."""
    from pydantic import TypeAdapter, ValidationError

    try:
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f"format {doc.get('format') if isinstance(doc, dict) else None!r}, not {FORMAT}")
        declarations = TypeAdapter(dict[str, Decl]).validate_python(doc["declarations"])
        return Api(declarations, str(doc.get("package", "")))
    except (ValueError, KeyError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ValueError(f"{origin}: not an API record of this tsgen ({first})") from None
