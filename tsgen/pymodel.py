"""The Python output model: one class per kind of generated definition.

Each definition names its template and the imports it needs; templates only lay out
what is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tsgen.diagnostics import Pos
from tsgen.pytypes import HTTPX_MODULE, ImportName, PyName, PyType, annotation, union as union_of, is_module_import, local_names, needs_union, render_lazy
from tsgen.records import record


@record(frozen=True, slots=True)
class Doc:
    """A docstring's text (unescaped), an optional deprecation message, and the text for the
    async class where it differs (its `@example`s call the async client; tsgen.lower.doc_examples)."""

    text: str
    deprecated: str | None = None
    async_text: str | None = None
    # where the comment is written (TS module, scope) when that may not be its definition's (an
    # inherited field's, written in the base): its `{@link}`s resolve there (tsgen.lower.doc_links)
    origin: tuple[str, tuple[str, ...]] | None = field(default=None, compare=False)

    @property
    def full(self) -> str:
        """The docstring: the text, then a `.. deprecated::` note when deprecated."""
        return self.full_for(False)

    def full_for(self, is_async: bool) -> str:
        """The docstring of the sync or the async class's definition."""
        text = self.async_text if is_async and self.async_text is not None else self.text
        note = f".. deprecated::\n    {self.deprecated}" if self.deprecated is not None else ""
        return "\n\n".join(part for part in (text, note) if part)


@record(frozen=True, slots=True)
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


@record(frozen=True, slots=True)
class TypedDictDef:
    name: str
    ts_name: str
    fields: tuple[FieldDef, ...]
    doc: Doc | None
    pos: Pos
    type_params: tuple[str, ...] = ()  # TypeVar names: the class is Generic over them
    ts_kind: str = "interface"  # the manifest's kind of the declaration
    template: str = "typeddict.py.jinja"
    parents: tuple[PyName, ...] = ()  # the classes it extends, of this module or imported (see tsgen.lower.inheritance)
    body: tuple[FieldDef, ...] | None = None  # the fields its class declares, when it has parents

    @property
    def declared(self) -> tuple[FieldDef, ...]:
        """The fields the class body declares (`fields` has the inherited ones too)."""
        return self.fields if self.body is None else self.body

    @property
    def bases(self) -> str:
        generic = [f"Generic[{', '.join(self.type_params)}]"] if self.type_params else []
        return f"({', '.join([p.render() for p in self.parents] or ['TypedDict'])}{''.join(', ' + g for g in generic)})"

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
        base = set() if self.parents else {ImportName("typing_extensions", "TypedDict")}
        if self.type_params and not self.functional:
            base.add(ImportName("typing", "Generic"))
        if any(not f.required for f in self.declared):
            base.add(ImportName("typing_extensions", "NotRequired"))
        return frozenset(base).union(*(f.type.imports() for f in self.declared), *(p.imports() for p in self.parents))

    def base_imports(self) -> frozenset[ImportName]:
        """The imports its class statement reads (its bases in other modules): before the class."""
        return frozenset().union(*(p.imports() for p in self.parents))


@record(frozen=True, slots=True)
class DataclassDef:
    name: str
    ts_name: str
    fields: tuple[FieldDef, ...]
    doc: Doc | None
    pos: Pos
    type_params: tuple[str, ...] = ()  # TypeVar names: the class is Generic over them
    ts_kind: str = "interface"  # the manifest's kind of the declaration
    template: str = "dataclass.py.jinja"
    parents: tuple[PyName, ...] = ()  # the classes it extends, of this module or imported (see tsgen.lower.inheritance)
    body: tuple[FieldDef, ...] | None = None  # the fields its class declares, when it has parents

    @property
    def declared(self) -> tuple[FieldDef, ...]:
        """The fields the class body declares (`fields` has the inherited ones too)."""
        return self.fields if self.body is None else self.body

    @property
    def bases(self) -> str:
        bases = [p.render() for p in self.parents] + ([f"Generic[{', '.join(self.type_params)}]"] if self.type_params else [])
        return f"({', '.join(bases)})" if bases else ""

    def imports(self) -> frozenset[ImportName]:
        base = {ImportName("dataclasses", "dataclass")}
        if self.type_params:
            base.add(ImportName("typing", "Generic"))
        if any(f.renamed for f in self.declared):
            base |= {ImportName("typing", "Annotated"), ImportName("pydantic", "Field")}
        return frozenset(base).union(*(f.type.imports() for f in self.declared), *(p.imports() for p in self.parents))

    def base_imports(self) -> frozenset[ImportName]:
        """The imports its class statement reads (its bases in other modules): before the class."""
        return frozenset().union(*(p.imports() for p in self.parents))


@record(frozen=True, slots=True)
class BaseModelDef(DataclassDef):
    """A data class as a pydantic model (`model_type = "pydantic"`): a subclass of the runtime's
    `BaseModel` (wire names as aliases, unknown keys kept), or of its parents. Fields are
    written as a dataclass's are: the same annotations, aliases and None defaults."""

    root: PyName = PyName("BaseModel")  # the runtime's BaseModel, relative to the module
    template: str = "model.py.jinja"

    @property
    def bases(self) -> str:
        bases = [p.render() for p in self.parents] or [self.root.render()]
        bases += [f"Generic[{', '.join(self.type_params)}]"] if self.type_params else []
        return f"({', '.join(bases)})"

    def imports(self) -> frozenset[ImportName]:
        base = set() if self.parents else set(self.root.imports())
        if self.type_params:
            base.add(ImportName("typing", "Generic"))
        if any(f.renamed for f in self.declared):
            base |= {ImportName("typing", "Annotated"), ImportName("pydantic", "Field")}
        return frozenset(base).union(*(f.type.imports() for f in self.declared), *(p.imports() for p in self.parents))


@record(frozen=True, slots=True)
class StructDef(BaseModelDef):
    """A data class as a msgspec Struct (`model_type = "msgspec"`): a subclass of the runtime's
    `Struct`, or of its parents, keyword-only; wire names that are not the Python names in
    `rename`; a field that may be absent is `T | UnsetType = UNSET`. A tagged struct
    (`tag_field="type", tag="text"`) does not declare its tag field: msgspec writes and reads
    it (tsgen.lower.msgspec_models)."""

    root: PyName = PyName("Struct")
    template: str = "struct.py.jinja"
    tag_field: str | None = None
    tag: str | int | None = None

    @property
    def unset(self) -> PyName:
        return PyName("UnsetType", self.root.module)

    @property
    def bases(self) -> str:
        bases = [p.render() for p in self.parents] or [self.root.render()]
        bases += [f"Generic[{', '.join(self.type_params)}]"] if self.type_params else []
        bases.append("kw_only=True")
        renames = {f.name: f.wire_name for f in self.declared if f.renamed}
        bases += [f"rename={renames!r}"] if renames else []
        if self.tag_field is not None:
            bases += [f"tag_field={self.tag_field!r}", f"tag={self.tag!r}"]
        return f"({', '.join(bases)})"

    def field_type(self, f: FieldDef) -> PyType:
        """The field's type; `| UnsetType` when it may be absent (Any absorbs it)."""
        return f.type if f.required else union_of([f.type, self.unset])

    def annotation(self, f: FieldDef) -> str:
        return annotation(self.field_type(f))

    def imports(self) -> frozenset[ImportName]:
        base = set() if self.parents else set(self.root.imports())
        if self.type_params:
            base.add(ImportName("typing", "Generic"))
        if any(not f.required for f in self.declared):
            base.add(ImportName(self.root.module, "UNSET"))
        return frozenset(base).union(*(self.field_type(f).imports() for f in self.declared), *(p.imports() for p in self.parents))


@record(frozen=True, slots=True)
class TypeVarDef:
    name: str
    bound: PyType | None
    default: PyType | None
    variance: str = ""  # "covariant" or "contravariant" (a protocol's: tsgen.lower.protocols)
    template: str = "typevar.py.jinja"

    @property
    def arguments(self) -> str:
        args = [repr(self.name)]
        args += [f"bound={annotation(self.bound)}"] if self.bound is not None else []
        args += [f"default={annotation(self.default)}"] if self.default is not None else []
        args += [f"{self.variance}=True"] if self.variance else []
        return ", ".join(args)

    def imports(self) -> frozenset[ImportName]:
        extra = [t.imports() for t in (self.bound, self.default) if t is not None]
        return frozenset({ImportName("typing_extensions", "TypeVar")}).union(*extra)


@record(frozen=True, slots=True)
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


@record(frozen=True, slots=True)
class RecursiveAliasDef(AliasDef):
    """An alias that refers to itself through a list, a dict, a generic or a callable
    (`type Json = string | Json[] | { [k: string]: Json }`): the names of the package in it are
    strings (`Union[str, list['Json'], dict[str, 'Json']]`), so it reads nothing at import.
    Type checkers read a TypeAlias (mypy resolves the strings; it does not take a TypeAliasType
    that names itself); at run time it is a `TypeAliasType` with its TypeVars as `type_params`
    (pydantic recurses forever on a plain alias that names itself, and resolves a
    TypeAliasType)."""

    lazy: frozenset[str] = frozenset()  # the names written as strings: every name of the package
    type_params: tuple[str, ...] = ()
    template: str = "recursive_alias.py.jinja"

    @property
    def value(self) -> str:
        return render_lazy(self.type, self.lazy)

    @property
    def runtime_value(self) -> str:
        params = f", type_params=({', '.join(self.type_params)},)" if self.type_params else ""
        return f"TypeAliasType({self.name!r}, {self.value}{params})"

    @property
    def needs(self) -> set[str]:
        """The definitions of this module the value names outside strings (they must come first)."""
        return local_names(self.type) - self.lazy

    def imports(self) -> frozenset[ImportName]:
        extra = {ImportName("typing_extensions", "TypeAliasType"), ImportName("typing", "TYPE_CHECKING")}
        if needs_union(self.type, self.lazy):
            extra.add(ImportName("typing", "Union"))
        return AliasDef.imports(self) | extra  # not super(): slots make the class anew, and its cell points at the old one


@record(frozen=True, slots=True)
class EnumMemberDef:
    name: str
    value: str | int | float
    doc: Doc | None


@record(frozen=True, slots=True)
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


@record(frozen=True, slots=True)
class ParamDef:
    name: str
    annotation: str
    default: str | None = None  # Python expression
    kind: str = "normal"  # "normal" | "star" | "slash" | "kwargs" | "varargs"
    needs: frozenset[ImportName] = frozenset()

    @property
    def declaration(self) -> str:
        if self.kind in ("star", "slash"):
            return self.name
        prefix = {"kwargs": "**", "varargs": "*"}.get(self.kind, "")
        default = f" = {self.default}" if self.default is not None else ""
        return f"{prefix}{self.name}: {self.annotation}{default}"


@record(frozen=True, slots=True)
class ReturnDef:
    """What a method returns (for the sync and the async class) and how the runtime builds it."""

    kind: str  # "json" | "binary" | "stream" | "page"
    sync: PyType
    async_: PyType
    cast_to: str = ""  # the answer's conversion (json, binary; stream: when not streaming)
    event_to: str = ""  # stream: each event's conversion
    event_envelope: bool = False  # stream: events are `{event, data}`
    always_stream: bool = False  # stream: the answer is never whole
    page: str = ""  # page: the sync page class (`SyncCursorPage[FileObject]`)
    async_page: str = ""
    item_to: str = ""  # page: each item's conversion
    needs: frozenset[ImportName] = frozenset()
    whole: PyType | None = None  # json, stream: the answer when it does not stream
    event: PyType | None = None  # stream: an event

    def annotation(self, is_async: bool) -> str:
        """Quoted when it names definitions of the package: never evaluated while a cycle loads."""
        return annotation(self.async_ if is_async else self.sync, locals_defined=True)

    def coroutine(self, is_async: bool) -> bool:
        """An async list method is not a coroutine: it returns an awaitable, iterable paginator."""
        return is_async and self.kind != "page"

    @property
    def runtime_method(self) -> str:
        if self.kind == "stream":
            return "request_events" if self.always_stream else "request_stream"
        return {"page": "request_page"}.get(self.kind, "request")

    def conversion_args(self, is_async: bool) -> list[str]:
        if self.kind == "page":
            return [f"page={self.async_page if is_async else self.page}", f"item_to={self.item_to}"]
        args = [] if self.kind == "stream" and self.always_stream else [f"cast_to={self.cast_to}"]
        if self.kind == "stream":
            args += [f"event_to={self.event_to}"] + (["event_envelope=True"] if self.event_envelope else [])
        return args


OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")
TYPE_ADAPTER = ImportName("pydantic", "TypeAdapter")


@record(frozen=True, slots=True)
class RouteDef:
    verb: str
    path_expr: str  # Python expression evaluating to the request path
    body: str | None  # Python expression of the body
    query: str | None
    headers: tuple[tuple[str, str], ...]  # header name -> Python expression (literals included)
    multipart: bool | str = False  # the body is sent as multipart/form-data ("files": when it holds a file)
    envelope: tuple[str, ...] = ()  # the answer's field the method returns
    stream: str | None = None  # Python expression: whether the answer streams (from the SDK's `stream:` option)
    options: tuple[tuple[str, str], ...] = tuple((o, o) for o in OPTIONS)  # request option -> its parameter
    helpers: frozenset[str] = frozenset()  # runtime helpers the expressions call
    path_template: str = ""  # the path as the SDK writes it (`/threads/{thread_id}/runs`): for the API record

    def call_args(self, returns: ReturnDef, is_async: bool) -> str:
        """The arguments given to the runtime's request method."""
        args = [repr(self.verb), self.path_expr, *returns.conversion_args(is_async)]
        if returns.kind == "stream" and not returns.always_stream:
            args.append(f"stream={self.stream or 'False'}")
        args += [f"body={self.body}"] if self.body else []
        args += [f"query={self.query}"] if self.query else []
        if self.headers:
            args.append("headers={" + ", ".join(f"{name!r}: {value}" for name, value in self.headers) + "}")
        args += [f"{option}={param}" for option, param in self.options]
        args += [f"multipart={self.multipart!r}"] if self.multipart else []
        args += [f"envelope={self.envelope!r}"] if self.envelope else []
        return ", ".join(args)

    def helpers_called(self, returns: ReturnDef) -> frozenset[str]:
        """The runtime helpers the call names (the `stream` expression is left out where the
        method's answer does not stream: its helpers are not imported then)."""
        text = self.call_args(returns, False)
        return frozenset(h for h in self.helpers if re.search(rf"\b{h}\(", text))


@record(frozen=True, slots=True)
class SignatureDef:
    """One overload of a method (`typing.overload`)."""

    params: tuple[ParamDef, ...]
    returns: ReturnDef

    @property
    def signature(self) -> str:
        return ", ".join(["self"] + [p.declaration for p in self.params])


@record(frozen=True, slots=True)
class ArgSlot:
    """How a caller passes one parameter of the TypeScript method to the Python one (what
    translating a call, tsgen.examples, needs): as is, positionally (`positional`) or by name
    (`keyword`, an optional parameter); its object's keys as keywords (`spread`: the `**params`
    TypedDict, whose keys are given); or not at all (`options`: the SDK's request options)."""

    kind: str  # "positional" | "keyword" | "spread" | "options"
    name: str = ""  # the Python parameter (positional, keyword)
    keys: frozenset[str] = frozenset()  # spread: the keys the object may have


@record(frozen=True, slots=True)
class MethodDef:
    name: str
    params: tuple[ParamDef, ...]
    returns: ReturnDef
    route: RouteDef | None
    missing_route: str | None  # the message raised when the route is unknown
    doc: Doc | None
    overloads: tuple[SignatureDef, ...] = ()
    ts_name: str = ""  # the TypeScript method's name
    calls: tuple[tuple[ArgSlot, ...], ...] = ()  # each TypeScript signature's parameters, as Python takes them

    @property
    def signature(self) -> str:
        return ", ".join(["self"] + [p.declaration for p in self.params])

    def return_annotation(self, is_async: bool) -> str:
        return self.returns.annotation(is_async)

    def call(self, is_async: bool) -> str:
        """`self._client.request(...)`, awaited in a coroutine."""
        assert self.route is not None
        awaited = "await " if self.returns.coroutine(is_async) else ""
        return f"{awaited}self._client.{self.returns.runtime_method}({self.route.call_args(self.returns, is_async)})"

    def imports(self) -> frozenset[ImportName]:
        """What the signatures name; pydantic's TypeAdapter only where the call converts with one."""
        sigs = [self.returns, *(o.returns for o in self.overloads)]
        params = [p.needs for p in self.params] + [p.needs for o in self.overloads for p in o.params]
        needs = frozenset().union(*(r.needs for r in sigs), *params)
        adapters = {i for i in needs if i.name == TYPE_ADAPTER.name and not i.alias}  # pydantic's, or the runtime's
        converts = self.route is not None and any("TypeAdapter[" in a for a in self.returns.conversion_args(False))
        return needs if converts else needs - adapters


@record(frozen=True, slots=True)
class SubresourceDef:
    name: str  # property name
    sync_class: str
    async_class: str
    doc: Doc | None
    needs: frozenset[ImportName] = frozenset()
    ts_name: str = ""  # the TypeScript property's name

    def annotation(self, is_async: bool) -> str:
        """Quoted: the class may come later in this module, or from a module still being imported."""
        return repr(self.async_class if is_async else self.sync_class)


@record(frozen=True, slots=True)
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
            names |= {ImportName("collections.abc", "Mapping"), HTTPX_MODULE}
            names |= {ImportName(self.runtime_module, n) for n in ("NOT_GIVEN", "NotGiven")}
        names.update(ImportName(self.runtime_module, h) for m in self.methods if m.route for h in m.route.helpers_called(m.returns))
        if any(m.overloads for m in self.methods):
            names.add(ImportName("typing", "overload"))
        if self.subresources:
            names.add(ImportName("functools", "cached_property"))
        if any(m.route is None for m in self.methods):
            names.add(ImportName(self.runtime_module, "RouteNotConfiguredError"))
        params = [p for m in self.methods for p in m.params] + [p for m in self.methods for o in m.overloads for p in o.params]
        if any(p.kind == "kwargs" and "Unpack[" in p.annotation for p in params):
            names.add(ImportName("typing_extensions", "Unpack"))
        if any(m.doc and m.doc.deprecated for m in self.methods):
            names.add(ImportName("typing_extensions", "deprecated"))
        needs = [m.imports() for m in self.methods] + [s.needs for s in self.subresources]
        return frozenset(names).union(self.extra_imports, *needs)


@record(frozen=True, slots=True)
class PageDef:
    """A page class of the SDK: a sync and an async Python class over the runtime's pages, with
    the rule for requesting the next page and the body's fields as attributes."""

    name: str
    async_name: str
    ts_name: str
    fields: tuple[FieldDef, ...]
    type_params: tuple[str, ...]
    rule: str  # Python expression: `PageRule(...)`
    doc: Doc | None
    pos: Pos
    runtime_module: str
    ts_kind: str = "class"
    template: str = "page.py.jinja"

    def base_class(self, is_async: bool) -> str:
        base = "BaseAsyncPage" if is_async else "BaseSyncPage"
        return f"{base}[{', '.join(self.type_params)}]" if self.type_params else f"{base}[Any]"

    @staticmethod
    def field_annotation(f: FieldDef) -> str:
        return annotation(f.type, or_none=not f.required)

    def imports(self) -> frozenset[ImportName]:
        runtime = {ImportName(self.runtime_module, n) for n in ("BaseAsyncPage", "BaseSyncPage", "PageRule")}
        runtime |= {ImportName(self.runtime_module, n) for n in ("NextRule", "NextValue") if n + "(" in self.rule}
        extra = {ImportName("typing", "ClassVar")} | ({ImportName("typing", "Any")} if not self.type_params else set())
        return frozenset(runtime | extra).union(*(f.type.imports() for f in self.fields))


@record(frozen=True, slots=True)
class ClientOptionDef:
    """An option of the root client (`organization`): where it comes from and where it goes."""

    name: str  # Python keyword
    ts_name: str
    env: str | None  # environment variable read when not given
    header: str | None  # header the value is sent in
    prefix: str  # text before the value in that header (`Bearer `)
    required: bool
    default: str | None
    doc: Doc | None

    @property
    def spec(self) -> str:
        """`ClientOption(...)` for the runtime; every value a literal."""
        args = [repr(self.name)]
        args += [f"{k}={v!r}" for k, v in (("env", self.env), ("header", self.header), ("default", self.default)) if v is not None]
        args += [f"prefix={self.prefix!r}"] if self.prefix else []
        args += ["required=True"] if self.required else []
        return f"ClientOption({', '.join(args)})"

    @property
    def declared(self) -> bool:
        """Declared on the generated class (the runtime's clients declare `api_key`)."""
        return self.name != "api_key"


@record(frozen=True, slots=True)
class ClientDef:
    """The SDK's root client: a sync and an async class over the runtime's clients."""

    name: str
    async_name: str
    ts_name: str
    options: tuple[ClientOptionDef, ...]
    subresources: tuple[SubresourceDef, ...]
    default_base_url: str | None
    base_url_env: str | None
    timeout: float | None  # seconds
    max_retries: int | None
    static_headers: tuple[tuple[str, str], ...]
    idempotency_header: str | None
    doc: Doc | None
    pos: Pos
    runtime_module: str
    query_repeat: bool = False  # lists as `a=1&a=2` (qs's arrayFormat 'repeat'), not `a[]=1`
    query_dots: bool = False  # objects as `a.b=1`, not `a[b]=1`
    ts_kind: str = "class"
    template: str = "client.py.jinja"

    @property
    def settings(self) -> list[tuple[str, str, str]]:
        """(class variable, annotation, value) the client overrides; values are literals."""
        found = [("options", "tuple[ClientOption, ...]", "(" + "".join(o.spec + ", " for o in self.options) + ")")]
        if self.default_base_url is not None:
            found.append(("default_base_url", "str | None", repr(self.default_base_url)))
        if self.base_url_env is not None:
            found.append(("base_url_env", "str | None", repr(self.base_url_env)))
        if self.timeout is not None:
            found.append(("default_timeout", "float", repr(float(self.timeout))))
        if self.max_retries is not None:
            found.append(("default_max_retries", "int", repr(int(self.max_retries))))
        if self.static_headers:
            found.append(("static_headers", "Mapping[str, str]", repr(dict(self.static_headers))))
        if self.idempotency_header is not None:
            found.append(("idempotency_header", "str | None", repr(self.idempotency_header)))
        if self.query_repeat:
            found.append(("query_arrays_repeat", "bool", "True"))
        if self.query_dots:
            found.append(("query_objects_dotted", "bool", "True"))
        return found

    @property
    def args_doc(self) -> str:
        lines = ["Args:"]
        for o in self.options:
            text = (o.doc.text if o.doc else "").split("\n")
            source = f" Defaults to the `{o.env}` environment variable." if o.env else ""
            lines.append(f"    {o.name}: {text[0]}{source}".rstrip())
            lines.extend(f"        {line}".rstrip() for line in text[1:])
        return "\n".join(lines) if len(lines) > 1 else ""

    def imports(self) -> frozenset[ImportName]:
        runtime = {ImportName(self.runtime_module, n) for n in ("AsyncClient", "Client", "ClientOption", "NOT_GIVEN", "NotGiven")}
        extra = {ImportName("typing", "ClassVar"), ImportName("collections.abc", "Mapping"), HTTPX_MODULE}
        if self.subresources:
            extra.add(ImportName("functools", "cached_property"))
        return frozenset(runtime | extra).union(*(s.needs for s in self.subresources))


@record(frozen=True, slots=True)
class ProtocolMethodDef:
    """One signature of a protocol's method (an overload where its name has several)."""

    name: str  # the TypeScript method's name; `__call__` for a call signature
    params: tuple[ParamDef, ...]
    returns: PyType
    doc: Doc | None
    overload: bool = False

    @property
    def signature(self) -> str:
        return ", ".join(["self"] + [p.declaration for p in self.params])

    @property
    def return_annotation(self) -> str:
        return annotation(self.returns)

    def imports(self) -> frozenset[ImportName]:
        overload = {ImportName("typing", "overload")} if self.overload else set()
        return self.returns.imports().union(overload, *(p.needs for p in self.params))


@record(frozen=True, slots=True)
class ProtocolAttrDef:
    """A property of a protocol form (tsgen.lower.mixed): an attribute, a readonly one a read-only property."""

    name: str
    type: PyType
    doc: Doc | None
    readonly: bool = False

    @property
    def annotation(self) -> str:
        return annotation(self.type)


@record(frozen=True, slots=True)
class ProtocolDef:
    """An interface made of methods: a `typing.Protocol`, which every object with its methods
    is (the runtime's ProtocolMeta makes pydantic take any object for it: methods are no data)."""

    name: str
    ts_name: str
    methods: tuple[ProtocolMethodDef, ...]
    doc: Doc | None
    pos: Pos
    runtime: str  # the runtime module, relative to the module of the protocol
    type_params: tuple[str, ...] = ()  # TypeVar names, with the variance their use has
    ts_kind: str = "interface"
    template: str = "protocol.py.jinja"
    attributes: tuple[ProtocolAttrDef, ...] = ()  # an interface of data and methods (tsgen.lower.mixed)

    @property
    def bases(self) -> str:
        protocol = f"Protocol[{', '.join(self.type_params)}]" if self.type_params else "Protocol"
        return f"{protocol}, metaclass=ProtocolMeta"

    def imports(self) -> frozenset[ImportName]:
        own = {ImportName("typing", "Protocol"), ImportName("typing", "runtime_checkable"), ImportName(self.runtime, "ProtocolMeta")}
        return frozenset(own).union(*(m.imports() for m in self.methods), *(a.type.imports() for a in self.attributes))


Definition = TypedDictDef | DataclassDef | BaseModelDef | StructDef | AliasDef | EnumDef | ResourceDef | TypeVarDef | PageDef | ClientDef | ProtocolDef


@record(frozen=True, slots=True)
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
    public_path: tuple[str, ...] | None = None  # a part of a split module (tsgen.lower.parts): the module users import from
    prelude: str = ""  # code after the imports: a one-off conversion's inlined runtime (tsgen.standalone)
    prelude_imports: frozenset[ImportName] = frozenset()  # the imports the prelude needs
    inlined: str = ""  # the relative module the prelude stands for: never imported
    rebuilt: list[str] = field(default_factory=list)  # models completed at its end (tsgen.lower.pydantic_models.rebuild_bases)

    @property
    def users_path(self) -> tuple[str, ...]:
        """The module users import this module's definitions from."""
        return self.public_path or self.path

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
        defined += [d.async_name for d in self.all_definitions if isinstance(d, (ResourceDef, PageDef, ClientDef))]
        return sorted(set(defined) | {r.public for r in self.reexports})

    def imports(self, package: bool = False) -> list[tuple[str, list[str]]]:
        """`from X import a, b` lines, sorted; local names are never imported. `package`: the
        imports of the package's other modules (`from . import x as _x`), else all the others,
        with the modules of the classes' bases (outside this module's import cycle: needed first)."""
        local = {d.name for d in self.all_definitions} | {
            d.async_name for d in self.all_definitions if isinstance(d, (ResourceDef, PageDef, ClientDef))
        }
        wanted: frozenset[ImportName] = frozenset().union(*(d.imports() for d in self.all_definitions), self.prelude_imports)
        for r in self.reexports:
            if r.type is not None:
                wanted |= r.type.imports() | {ImportName("typing_extensions", "TypeAlias")}
        early = frozenset().union(*(d.base_imports() for d in self.all_definitions if isinstance(d, (DataclassDef, TypedDictDef))))
        wanted = frozenset(i for i in wanted if (bool(i.alias) and not is_module_import(i) and i not in early) == package)
        grouped: dict[str, set[str]] = {}
        for imp in (i for i in wanted if not (self.inlined and i.module == self.inlined)):
            if is_module_import(imp):
                grouped.setdefault("", set()).add(imp.name)
            elif imp.module and (imp.alias or imp.name not in local):
                grouped.setdefault(imp.module, set()).add(imp.clause)
        return sorted(((mod, sorted(names)) for mod, names in grouped.items()), key=lambda i: (i[0].startswith("."), i[0]))
