"""The msgspec style's answers: what a resource method returns is converted by msgspec
(the runtime's TypeAdapter), so a return type msgspec cannot decode (`Promise<A | B>` of two
untagged structs, a page of such items, a stream of such events) is widened to Any, in the
method's annotation and its conversion, with a warning naming the method (as fields and
aliases are: tsgen.lower.msgspec_models)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tsgen import pytypes as py
from tsgen.kinds import UNREPRESENTABLE
from tsgen.lower.returns import conversion
from tsgen.pymodel import ResourceDef, ReturnDef

if TYPE_CHECKING:
    from tsgen.lower.msgspec_models import _Checker


def fixed_resource(checker: _Checker, d: ResourceDef, path: tuple[str, ...]) -> ResourceDef:
    methods = []
    for m in d.methods:
        where = f"the answer of `{d.ts_name}.{m.ts_name or m.name}`"
        overloads = tuple(replace(o, returns=_fixed(checker, o.returns, path, where, d)) for o in m.overloads)
        methods.append(replace(m, returns=_fixed(checker, m.returns, path, where, d), overloads=overloads))
    return replace(d, methods=tuple(methods))


def _fixed(checker: _Checker, r: ReturnDef, path: tuple[str, ...], where: str, d: ResourceDef) -> ReturnDef:
    """The answer with each converted part msgspec cannot decode (the whole answer, an event,
    a page's item) widened to Any."""
    adapter = next((i for i in r.needs if i.name == "TypeAdapter" and not i.alias), None)
    if adapter is None:  # converts only classes msgspec decodes (structs): nothing to widen
        return r
    item = r.async_.args[0] if r.kind == "page" and isinstance(r.async_, py.PyGeneric) else None
    for part, field in ((r.whole, "cast_to"), (r.event, "event_to"), (item, "item_to")):
        if part is None or part == py.ANY or checker.problem(part, path) is None:
            continue
        checker.diagnostics.warn(d.pos, f"{where} is `{part.render()}`, which msgspec cannot decode ({checker.problem(part, path)}); typed Any in the msgspec style", kind=UNREPRESENTABLE)
        expression, needs = conversion(py.ANY, False, adapter)
        sync, async_ = _swap(r.sync, part), _swap(r.async_, part)
        whole = _swap(r.whole, part) if r.whole is not None else None
        event = _swap(r.event, part) if r.event is not None else None
        kept = [t.imports() for t in (sync, async_, whole, event) if t is not None]  # what the widened part named may be unused now
        needs = (r.needs - part.imports()) | needs | py.ANY.imports()
        r = _converted(replace(r, sync=sync, async_=async_, whole=whole, event=event, needs=needs.union(*kept)), field, expression)
        if field == "item_to":
            assert isinstance(async_, py.PyGeneric)
            r = replace(r, page=sync.render(), async_page=async_.args[1].render())
    return r


def _converted(r: ReturnDef, field: str, expression: str) -> ReturnDef:
    if field == "cast_to":
        return replace(r, cast_to=expression)
    return replace(r, event_to=expression) if field == "event_to" else replace(r, item_to=expression)


def _swap(t: py.PyType, old: py.PyType) -> py.PyType:
    """`t` with `old` (a part of it) replaced by Any."""
    if t == old:
        return py.ANY
    if isinstance(t, py.PyGeneric):
        return py.PyGeneric(t.base, tuple(_swap(a, old) for a in t.args))
    if isinstance(t, py.PyUnion):
        return py.union([_swap(m, old) for m in t.members])
    return t
