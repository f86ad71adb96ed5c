"""The Python output model: one class per kind of generated definition.

Each definition names its template and the imports it needs; templates only lay out
what is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tsgen.diagnostics import Pos
from tsgen.pytypes import BUILTINS_MODULE, ImportName, PyType, annotation


@dataclass(frozen=True)
class Doc:
    """A docstring's text (unescaped) and an optional deprecation message."""

    text: str
    deprecated: str | None = None

    @property
    def full(self) -> str:
        """The docstring: the text, then a `.. deprecated::` note when deprecated."""
        note = f".. deprecated::\n    {self.deprecated}" if self.deprecated is not None else ""
        return "\n\n".join(part for part in (self.text, note) if part)


@dataclass(frozen=True)
class FieldDef:
    name: str  # Python name
    wire_name: str  # JSON key
    type: PyType
    required: bool  # False: may be absent (TS `?`)
    doc: Doc | None

    @property
    def renamed(self) -> bool:
        return self.name != self.wire_name

    @property
    def typeddict_annotation(self) -> str:
        hint = annotation(self.type)
        return hint if self.required else f"NotRequired[{hint}]"

    @property
    def dataclass_annotation(self) -> str:
        """Optional fields may be absent from the JSON: they default to None. A renamed field
        keeps its wire name as a pydantic alias, used in both directions."""
        hint = annotation(self.type, or_none=not self.required)
        return f"Annotated[{hint}, Field(alias={self.wire_name!r})]" if self.renamed else hint

    @property
    def dataclass_default(self) -> str | None:
        return None if self.required else "None"


@dataclass(frozen=True)
class TypedDictDef:
    name: str
    ts_name: str
    fields: tuple[FieldDef, ...]
    doc: Doc | None
    pos: Pos
    type_params: tuple[str, ...] = ()  # TypeVar names: the class is Generic over them
    ts_kind: str = "interface"  # the manifest's kind of the declaration
    template: str = "typeddict.py.jinja"

    @property
    def bases(self) -> str:
        generic = f", Generic[{', '.join(self.type_params)}]" if self.type_params else ""
        return f"(TypedDict{generic})"

    @property
    def functional(self) -> bool:
        """Keys that are not Python identifiers need TypedDict's functional syntax."""
        return any(f.renamed for f in self.fields)

    @property
    def functional_doc(self) -> str | None:
        """With the functional syntax the docs go after the assignment: class, then each key."""
        parts = [self.doc.full] if self.doc else []
        parts += [f"{f.wire_name}: {f.doc.full}" for f in self.fields if f.doc]
        return "\n\n".join(parts) or None

    def imports(self) -> frozenset[ImportName]:
        base = {ImportName("typing_extensions", "TypedDict")}
        if self.type_params and not self.functional:
            base.add(ImportName("typing", "Generic"))
        if any(not f.required for f in self.fields):
            base.add(ImportName("typing_extensions", "NotRequired"))
        return frozenset(base).union(*(f.type.imports() for f in self.fields))


@dataclass(frozen=True)
class DataclassDef:
    name: str
    ts_name: str
    fields: tuple[FieldDef, ...]
    doc: Doc | None
    pos: Pos
    type_params: tuple[str, ...] = ()  # TypeVar names: the class is Generic over them
    ts_kind: str = "interface"  # the manifest's kind of the declaration
    template: str = "dataclass.py.jinja"

    @property
    def bases(self) -> str:
        return f"(Generic[{', '.join(self.type_params)}])" if self.type_params else ""

    def imports(self) -> frozenset[ImportName]:
        base = {ImportName("dataclasses", "dataclass")}
        if self.type_params:
            base.add(ImportName("typing", "Generic"))
        if any(f.renamed for f in self.fields):
            base |= {ImportName("typing", "Annotated"), ImportName("pydantic", "Field")}
        return frozenset(base).union(*(f.type.imports() for f in self.fields))


@dataclass(frozen=True)
class TypeVarDef:
    name: str
    bound: PyType | None
    default: PyType | None
    template: str = "typevar.py.jinja"

    @property
    def arguments(self) -> str:
        args = [repr(self.name)]
        args += [f"bound={annotation(self.bound)}"] if self.bound is not None else []
        args += [f"default={annotation(self.default)}"] if self.default is not None else []
        return ", ".join(args)

    def imports(self) -> frozenset[ImportName]:
        extra = [t.imports() for t in (self.bound, self.default) if t is not None]
        return frozenset({ImportName("typing_extensions", "TypeVar")}).union(*extra)


@dataclass(frozen=True)
class AliasDef:
    name: str
    ts_name: str
    type: PyType
    doc: Doc | None
    pos: Pos
    ts_kind: str = "type_alias"  # the manifest's kind of the declaration
    template: str = "alias.py.jinja"

    def imports(self) -> frozenset[ImportName]:
        return self.type.imports() | {ImportName("typing_extensions", "TypeAlias")}


@dataclass(frozen=True)
class EnumMemberDef:
    name: str
    value: str | int | float
    doc: Doc | None


@dataclass(frozen=True)
class EnumDef:
    name: str
    ts_name: str
    bases: tuple[str, ...]  # ("str", "Enum"), ("int", "Enum"), ("float", "Enum") or ("Enum",)
    members: tuple[EnumMemberDef, ...]
    doc: Doc | None
    pos: Pos
    ts_kind: str = "enum"  # the manifest's kind of the declaration
    template: str = "enum.py.jinja"

    def imports(self) -> frozenset[ImportName]:
        return frozenset({ImportName("enum", "Enum")})


@dataclass(frozen=True)
class ParamDef:
    name: str
    annotation: str
    default: str | None = None  # Python expression
    kind: str = "normal"  # "normal" | "star" | "slash" | "kwargs"
    needs: frozenset[ImportName] = frozenset()

    @property
    def declaration(self) -> str:
        if self.kind in ("star", "slash"):
            return self.name
        prefix = "**" if self.kind == "kwargs" else ""
        default = f" = {self.default}" if self.default is not None else ""
        return f"{prefix}{self.name}: {self.annotation}{default}"


@dataclass(frozen=True)
class RouteDef:
    verb: str
    path_expr: str  # Python expression evaluating to the request path
    body: str | None  # Python expression of the body
    query: str | None
    headers: tuple[tuple[str, str], ...]  # header name -> Python expression (literals included)
    multipart: bool = False  # the body is sent as multipart/form-data
    binary: bool = False  # the method returns the answer's bytes
    envelope: tuple[str, ...] = ()  # the answer's field the method returns
    stream: bool = False  # the SDK may stream the answer (not supported yet: answered whole)
    extra_headers: str = "extra_headers"  # the method's request option parameters
    timeout: str = "timeout"
    helpers: frozenset[str] = frozenset()  # runtime helpers the expressions call

    @property
    def headers_expr(self) -> str:
        """Headers of the route, then the caller's extra headers over them."""
        known = "".join(f"{name!r}: {value}, " for name, value in self.headers)
        return f"{{{known}**({self.extra_headers} or {{}})}}"

    def call_args(self, cast_to: str) -> str:
        """The arguments given to the runtime's `request`."""
        args = [repr(self.verb), self.path_expr, f"cast_to={cast_to}"]
        args += [f"body={self.body}"] if self.body else []
        args += [f"query={self.query}"] if self.query else []
        args += [f"headers={self.headers_expr}", f"timeout={self.timeout}"]
        args += ["multipart=True"] if self.multipart else []
        args += ["binary=True"] if self.binary else []
        args += [f"envelope={self.envelope!r}"] if self.envelope else []
        return ", ".join(args)


@dataclass(frozen=True)
class MethodDef:
    name: str
    params: tuple[ParamDef, ...]
    returns: PyType
    cast_to: str  # Python expression given to the runtime to convert the answer
    route: RouteDef | None
    missing_route: str | None  # the message raised when the route is unknown
    doc: Doc | None

    @property
    def signature(self) -> str:
        return ", ".join(["self"] + [p.declaration for p in self.params])

    @property
    def return_annotation(self) -> str:
        """Quoted when it names definitions of the package: never evaluated while a cycle loads."""
        return annotation(self.returns, locals_defined=True)

    @property
    def request_args(self) -> str:
        return self.route.call_args(self.cast_to) if self.route else ""


@dataclass(frozen=True)
class SubresourceDef:
    name: str  # property name
    sync_class: str
    async_class: str
    doc: Doc | None
    needs: frozenset[ImportName] = frozenset()

    def annotation(self, is_async: bool) -> str:
        """Quoted: the class may come later in this module, or from a module still being imported."""
        return repr(self.async_class if is_async else self.sync_class)


@dataclass(frozen=True)
class ResourceDef:
    name: str
    async_name: str
    ts_name: str
    methods: tuple[MethodDef, ...]
    subresources: tuple[SubresourceDef, ...]
    doc: Doc | None
    pos: Pos
    runtime_module: str  # relative module of the package runtime
    extra_imports: frozenset[ImportName] = frozenset()
    ts_kind: str = "class"  # the manifest's kind of the declaration
    template: str = "resource.py.jinja"
    base: PyType | None = None  # the sync class of the resource it extends, if not APIResource
    async_base: PyType | None = None

    def base_class(self, is_async: bool) -> str:
        base = self.async_base if is_async else self.base
        if base is None:
            return "AsyncAPIResource" if is_async else "SyncAPIResource"
        return base.render()

    def imports(self) -> frozenset[ImportName]:
        bases = [b for b in (self.base, self.async_base) if b is not None]
        names = {ImportName(self.runtime_module, n) for n in ("AsyncAPIResource", "SyncAPIResource")} if not bases else set()
        names = names.union(*(b.imports() for b in bases))
        if self.methods:
            names.add(ImportName("collections.abc", "Mapping"))
        names.update(ImportName(self.runtime_module, h) for m in self.methods if m.route for h in m.route.helpers)
        if self.subresources:
            names.add(ImportName("functools", "cached_property"))
        if any(m.route is None for m in self.methods):
            names.add(ImportName(self.runtime_module, "RouteNotConfiguredError"))
        if any(p.kind == "kwargs" for m in self.methods for p in m.params):
            names.add(ImportName("typing_extensions", "Unpack"))
        if any(m.doc and m.doc.deprecated for m in self.methods):
            names.add(ImportName("typing_extensions", "deprecated"))
        params = [p.needs for m in self.methods for p in m.params] + [s.needs for s in self.subresources]
        return frozenset(names).union(self.extra_imports, *params, *(m.returns.imports() for m in self.methods))


Definition = TypedDictDef | DataclassDef | AliasDef | EnumDef | ResourceDef | TypeVarDef


@dataclass(frozen=True)
class ReExport:
    """`from <module> import <name> as <public>`: a name (or a module) exported by another module."""

    module: str  # relative module
    name: str
    target: tuple[str, ...] = ()  # the module's path in the package
    alias: str | None = None  # the name it is exported as, if not its own (`export * as ns`)
    type: PyType | None = None  # set: re-exported as an alias of this value (see lower/import_cycles.py)
    in_cycle: bool = False  # the target imports this module too: re-exported after the early part

    @property
    def public(self) -> str:
        return self.alias or self.name

    @property
    def definition(self) -> str:
        """The statement that re-exports the name."""
        if self.type is None:
            return f"from {self.module} import {self.name} as {self.public}"
        return f"{self.public}: TypeAlias = {self.type.render()}"


@dataclass
class ModuleFile:
    path: tuple[str, ...]  # Python module path inside the package
    source: str  # input path relative to the root
    definitions: list[Definition] = field(default_factory=list)
    late_definitions: list[Definition] = field(default_factory=list)  # after the package imports
    reexports: list[ReExport] = field(default_factory=list)
    template: str = "module.py.jinja"

    @property
    def early_reexports(self) -> list[ReExport]:
        """Re-exports from modules outside this module's import cycle: with the imports."""
        return [r for r in self.reexports if r.type is None and not r.in_cycle]

    @property
    def cycle_reexports(self) -> list[ReExport]:
        """Re-exports from modules of its import cycle: after the early part."""
        return [r for r in self.reexports if r.type is None and r.in_cycle]

    @property
    def alias_reexports(self) -> list[ReExport]:
        """Re-exports written as aliases of the value: last."""
        return [r for r in self.reexports if r.type is not None]

    @property
    def all_definitions(self) -> list[Definition]:
        return self.definitions + self.late_definitions

    @property
    def public_names(self) -> list[str]:
        defined = [d.name for d in self.all_definitions if not isinstance(d, TypeVarDef)]
        defined += [d.async_name for d in self.all_definitions if isinstance(d, ResourceDef)]
        return sorted(set(defined) | {r.public for r in self.reexports})

    def imports(self, package: bool = False) -> list[tuple[str, list[str]]]:
        """`from X import a, b` lines, sorted; local names are never imported. `package`: the
        imports of the package's other modules (`from . import x as _x`), else all the others."""
        local = {d.name for d in self.all_definitions} | {
            d.async_name for d in self.all_definitions if isinstance(d, ResourceDef)
        }
        wanted: frozenset[ImportName] = frozenset().union(*(d.imports() for d in self.all_definitions))
        for r in self.reexports:
            if r.type is not None:
                wanted |= r.type.imports() | {ImportName("typing_extensions", "TypeAlias")}
        wanted = frozenset(i for i in wanted if (bool(i.alias) and i != BUILTINS_MODULE) == package)
        grouped: dict[str, set[str]] = {}
        for imp in wanted:
            if imp == BUILTINS_MODULE:
                grouped.setdefault("", set()).add(imp.name)
            elif imp.module and (imp.alias or imp.name not in local):
                grouped.setdefault(imp.module, set()).add(imp.clause)
        return sorted(((mod, sorted(names)) for mod, names in grouped.items()), key=lambda i: (i[0].startswith("."), i[0]))
