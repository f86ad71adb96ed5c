"""What a resource method returns, and how the runtime builds it: a converted JSON answer, the
raw bytes of a binary answer, a stream of events (`Stream<ChatCompletionChunk>`), or a page
of a list (`PagePromise<FileObjectsPage, FileObject>`), each for the sync and async classes."""

from __future__ import annotations

from collections.abc import Callable

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.entities import Key
from tsgen.lower.naming import MODEL, PAGE_ASYNC, PAGE_SYNC, relative_module
from tsgen.lower.pages import page_key
from tsgen.lower.types import TypeEnv, type_params_of
from tsgen.program import Found, RuntimeName
from tsgen.pymodel import ReturnDef
from tsgen.records import record
from tsgen.kinds import PAGES

Lower = Callable[[m.TypeExpr | None, str], py.PyType]
_ADAPTER = py.ImportName("pydantic", "TypeAdapter")


@record(frozen=True)
class ReturnContext:
    module: str  # where the method is declared: names resolve here
    scope: tuple[str, ...]
    env: TypeEnv
    lower: Lower
    pages: frozenset[Key]
    binary: bool  # the route says the answer is binary

    def resolve(self, t: m.TypeExpr | None) -> Found | RuntimeName | None:
        if isinstance(t, m.TypeRef):
            found = self.env.program.lookup(self.module, self.scope, t.name)
            return found if isinstance(found, (Found, RuntimeName)) else None
        return None

    def runtime_kind(self, t: m.TypeExpr | None) -> str | None:
        """'unwrap', 'page', 'stream'... for an SDK runtime name (see config.DEFAULT_RUNTIME_TYPES)."""
        found = self.resolve(t)
        if isinstance(found, RuntimeName):
            return self.env.runtime_types.get(found.name)
        if found is None and isinstance(t, m.TypeRef) and t.dotted == "Promise":
            return "unwrap"
        return None

    @property
    def adapter(self) -> py.ImportName:
        """What converts an answer that is not one class: pydantic's TypeAdapter, or the
        runtime's in the msgspec style."""
        if self.env.model_type == "msgspec":
            return next(iter(self.runtime("TypeAdapter").imports()))
        return _ADAPTER

    def runtime(self, name: str) -> py.PyName:
        source = self.env.naming.py_modules[self.env.output_module]
        return py.PyName(name, relative_module(source, ("_runtime",)))


def conversion(hint: py.PyType, plain_class: bool, adapter: py.ImportName = _ADAPTER) -> tuple[str, frozenset[py.ImportName]]:
    """The expression that converts an answer into `hint`: the class itself, or a TypeAdapter
    (pydantic's, or in the msgspec style the runtime's, which converts with msgspec)."""
    if hint == py.NONE:
        return "type(None)", frozenset()
    if plain_class and isinstance(hint, py.PyName):
        return hint.render(), frozenset()
    text = hint.render()
    return f"TypeAdapter[{text}]({text})", frozenset({adapter})


def method_returns(t: m.TypeExpr | None, ctx: ReturnContext) -> ReturnDef:
    t = _unwrapped(t, ctx)
    if ctx.binary:
        binary = ctx.runtime("BinaryResponse")
        return ReturnDef("binary", binary, binary, "BinaryResponse", needs=binary.imports())
    if isinstance(t, m.TypeRef) and ctx.runtime_kind(t) == "page":
        return _page(t, ctx)
    members = _members(t)
    streams = [x for x in members if ctx.runtime_kind(x) == "stream"]
    if streams:
        return _stream(t, members, streams, ctx)
    hint = ctx.lower(t, MODEL)
    cast_to, needs = conversion(hint, _is_interface(t, ctx), ctx.adapter)
    return ReturnDef("json", hint, hint, cast_to, needs=needs | hint.imports(), whole=hint)


def _unwrapped(t: m.TypeExpr | None, ctx: ReturnContext) -> m.TypeExpr | None:
    """`APIPromise<T>`, `Promise<T>`: T."""
    for _ in range(10):
        if isinstance(t, m.ParenType):
            t = t.inner
        elif isinstance(t, m.TypeRef) and t.args and ctx.runtime_kind(t) == "unwrap":
            t = t.args[-1]
        else:
            break
    return t


def _members(t: m.TypeExpr | None) -> list[m.TypeExpr]:
    if isinstance(t, m.ParenType):
        return _members(t.inner)
    if isinstance(t, m.UnionType):
        return [x for member in t.members for x in _members(member)]
    return [t] if t is not None else []


def _is_interface(t: m.TypeExpr | None, ctx: ReturnContext) -> bool:
    found = ctx.resolve(t)
    return isinstance(found, Found) and any(isinstance(d, m.Interface) for d in found.decls)


def _page(t: m.TypeRef, ctx: ReturnContext) -> ReturnDef:
    item_t = t.args[-1] if t.args else None
    item = ctx.lower(item_t, MODEL)
    key = page_key(t.args[0], ctx.module, ctx.scope, ctx.env.program, set(ctx.pages)) if len(t.args) > 1 else None
    sync_page: py.PyType
    async_page: py.PyType
    if key is None:
        ctx.env.warn(t, f"`{t.dotted}` names no page class tsgen knows; the list has one page", kind=PAGES)
        sync_page, async_page = (py.PyGeneric(ctx.runtime(n), (item,)) for n in ("BaseSyncPage", "BaseAsyncPage"))
    else:
        sync_page, async_page = (_page_type(key, form, item, ctx) for form in (PAGE_SYNC, PAGE_ASYNC))
    paginator = py.PyGeneric(ctx.runtime("AsyncPaginator"), (item, async_page))
    item_to, needs = conversion(item, _is_interface(item_t, ctx), ctx.adapter)
    needs |= item.imports() | sync_page.imports() | paginator.imports()
    return ReturnDef("page", sync_page, paginator, page=sync_page.render(), async_page=async_page.render(), item_to=item_to, needs=needs)


def _page_type(key: Key, form: str, item: py.PyType, ctx: ReturnContext) -> py.PyType:
    ref = ctx.env.naming.ref(key, form, ctx.env.output_module)
    decls = tuple(ctx.env.program.declarations(key.module).get(key.path, ()))
    generic = key not in ctx.env.naming.erased and bool(type_params_of(decls))
    return py.PyGeneric(ref, (item,)) if generic else ref


def _stream(t: m.TypeExpr | None, members: list[m.TypeExpr], streams: list[m.TypeExpr], ctx: ReturnContext) -> ReturnDef:
    event_ts = [s.args[0] for s in streams if isinstance(s, m.TypeRef) and s.args]
    event = py.union([ctx.lower(e, MODEL) for e in event_ts]) if event_ts else py.ANY
    rest = [x for x in members if x not in streams]
    whole = py.union([ctx.lower(x, MODEL) for x in rest]) if rest else None
    sync_stream = py.PyGeneric(ctx.runtime("Stream"), (event,))
    async_stream = py.PyGeneric(ctx.runtime("AsyncStream"), (event,))
    event_to, needs = conversion(event, len(event_ts) == 1 and _is_interface(event_ts[0], ctx), ctx.adapter)
    cast_to, more = conversion(whole, len(rest) == 1 and _is_interface(rest[0], ctx), ctx.adapter) if whole is not None else ("type(None)", frozenset())
    sync = py.union([sync_stream, whole]) if whole is not None else sync_stream
    async_ = py.union([async_stream, whole]) if whole is not None else async_stream
    needs = needs | more | sync.imports() | async_.imports()
    envelope = all(_event_envelope(e, ctx) for e in event_ts) and bool(event_ts)
    return ReturnDef(
        "stream", sync, async_, cast_to, event_to=event_to, event_envelope=envelope, always_stream=whole is None,
        needs=needs, whole=whole, event=event,
    )  # fmt: skip


def merged(returns: list[ReturnDef]) -> ReturnDef:
    """What a method with several signatures returns: any of their answers. (Pages and binary
    answers are not mixed with others by the SDKs: the last signature's is kept.)"""
    distinct = list(dict.fromkeys(returns))
    if len(distinct) == 1 or {r.kind for r in distinct} - {"json", "stream"}:
        return distinct[-1]
    wholes = list(dict.fromkeys(r.whole for r in distinct if r.whole is not None))
    events = list(dict.fromkeys(r.event for r in distinct if r.event is not None))
    whole = py.union(wholes) if wholes else None
    event = py.union(events) if events else None
    adapter = next((i for r in distinct for i in r.needs if i.name == _ADAPTER.name and not i.alias), _ADAPTER)
    cast_to, needs = _reuse([(r.whole, r.cast_to) for r in distinct if r.whole is not None], whole, adapter)
    event_to, more = _reuse([(r.event, r.event_to) for r in distinct if r.event is not None], event, adapter)
    needs = needs | more | frozenset().union(*(r.needs for r in distinct))
    sync, async_ = py.union([r.sync for r in distinct]), py.union([r.async_ for r in distinct])
    if event is None:
        return ReturnDef("json", sync, async_, cast_to, needs=needs, whole=whole)
    envelope = all(r.event_envelope for r in distinct if r.event is not None)
    return ReturnDef(
        "stream", sync, async_, cast_to, event_to=event_to, event_envelope=envelope, always_stream=whole is None,
        needs=needs, whole=whole, event=event,
    )  # fmt: skip


def _reuse(conversions: list[tuple[py.PyType | None, str]], union: py.PyType | None, adapter: py.ImportName) -> tuple[str, frozenset[py.ImportName]]:
    """The conversion of a merged answer: the one they share, else a TypeAdapter of the union."""
    if union is None:
        return "type(None)", frozenset()
    distinct = list(dict.fromkeys(expr for _, expr in conversions))
    return (distinct[0], frozenset()) if len(distinct) == 1 else conversion(union, False, adapter)


def _event_envelope(t: m.TypeExpr, ctx: ReturnContext, depth: int = 0) -> bool:
    """Events declared as `{ event: 'thread.created'; data: Thread }`: the SSE event name and its
    data (openai's assistant streams), not the data alone."""
    if depth > 10:
        return False
    members = _members(t)
    if len(members) > 1:
        return all(_event_envelope(x, ctx, depth + 1) for x in members)
    found = ctx.resolve(members[0]) if members else None
    if not isinstance(found, Found):
        return False
    for decl in found.decls:
        if isinstance(decl, m.TypeAlias):
            inner = ReturnContext(found.module, found.path[:-1], ctx.env, ctx.lower, ctx.pages, False)
            return _event_envelope(decl.type, inner, depth + 1)
        if isinstance(decl, m.Interface):
            return {"event", "data"} <= {p.name for p in decl.members if isinstance(p, m.Property)}
    return False
