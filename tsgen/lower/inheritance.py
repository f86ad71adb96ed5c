"""Normalising step: `interface B extends A` kept as Python inheritance, `class B(A)`.

Lowering gives every class all its fields, its bases' included, in TypeScript's order (a base's
fields first, a redeclared one where the base has it), as tsc computes them. Where the bases are
interfaces of the same output module, emitted in the same form (dataclass or TypedDict) and not
generic, the class becomes a subclass of theirs, and its body declares only what it adds, so that
`isinstance(b, A)` holds and a `B` is an `A` to type checkers (`Box[B]` where `T` is bound to `A`).

The fields stay the same and in the same order: a dataclass collects them along its MRO (from
the last base to the class), a TypedDict along its bases in order, so a dataclass's bases are
written in reverse TypeScript order. A redeclared property identical to the base's is inherited;
one that only changes the doc comment is declared again by a dataclass, and inherited by a
TypedDict (which may not redeclare a key). Where Python cannot say it, the class keeps all its
fields and no base, with a warning: a property whose type or optionality differs from its base's
(a mutable attribute's type cannot change in a subclass), or bases that disagree on a property.
Bases of other modules, generic ones and TypedDicts that need the functional syntax (keys that
are not identifiers) are not inherited from either (the class is flattened, as before).
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.lower.entities import Entity, Key
from tsgen.lower.types import TypeEnv, type_params_of
from tsgen.program import Found
from tsgen.pymodel import DataclassDef, Definition, FieldDef, TypedDictDef

Record = DataclassDef | TypedDictDef


def parents_of(entity: Entity, form: str, env: TypeEnv) -> tuple[str, ...]:
    """The Python names (in `form`, in TypeScript's order) of the interfaces `entity` extends,
    when each is one of its own output module emitted in that form, and none is generic."""
    return tuple(dict.fromkeys(env.naming.names[(key, form)] for key in parent_keys(entity, form, env)))


def parent_keys(entity: Entity, form: str, env: TypeEnv) -> tuple[Key, ...]:
    """The interfaces `entity` extends (see parents_of), or none."""
    decl = entity.decl
    if not isinstance(decl, m.Interface) or not decl.extends or decl.type_params:
        return ()
    keys = []
    naming = env.naming
    for base in decl.extends:
        found = env.program.lookup(env.program.origin(base, entity.key.module), entity.key.path[:-1], base.name) if not base.args else None
        if not isinstance(found, Found) or not all(isinstance(d, m.Interface) for d in found.decls) or type_params_of(found.decls):
            return ()
        key = Key(found.module, found.path)
        if naming.home(key) != naming.home(entity.key) or (key, form) not in naming.names or key in naming.erased:
            return ()
        keys.append(key)
    return tuple(keys)


def inherit(definitions: list[Definition], diagnostics: Diagnostics) -> list[Definition]:
    """The module's definitions with each class that has parents made their subclass (or, with
    a warning where Python cannot say it, flattened)."""
    records = {d.name: d for d in definitions if isinstance(d, (DataclassDef, TypedDictDef))}
    return [_subclass(d, records, diagnostics) if isinstance(d, (DataclassDef, TypedDictDef)) and d.parents else d for d in definitions]


def _subclass(d: Record, records: dict[str, Record], diagnostics: Diagnostics) -> Record:
    parents = [records.get(name) for name in d.parents]
    if any(p is None or type(p) is not type(d) or p.type_params or _functional(p) for p in parents) or d.type_params or _functional(d):
        return replace(d, parents=())
    merged: dict[str, FieldDef] = {}
    for parent in parents:
        assert parent is not None
        for f in parent.fields:
            if merged.setdefault(f.wire_name, f) != f:
                diagnostics.warn(d.pos, f"`{d.ts_name}`: its bases disagree on property `{f.wire_name}`; a Python class cannot be a subclass of both, so it declares all its fields and extends nothing")
                return replace(d, parents=())
    inherited = d.fields[: len(merged)]
    if [f.wire_name for f in inherited] != list(merged):
        return replace(d, parents=())  # an order a subclass would not keep
    body: list[FieldDef] = []
    for own in inherited:
        base = merged[own.wire_name]
        if replace(own, doc=None) != replace(base, doc=None):
            diagnostics.warn(d.pos, f"`{d.ts_name}` redeclares property `{own.wire_name}` with another type than its base's; a Python subclass cannot change it, so its class declares all its fields and extends nothing")
            return replace(d, parents=())
        if own.doc != base.doc and isinstance(d, DataclassDef):
            body.append(own)
    python_order = tuple(reversed(d.parents)) if isinstance(d, DataclassDef) else d.parents
    return replace(d, parents=python_order, body=tuple(body) + d.fields[len(merged) :])


def _functional(d: Record) -> bool:
    return isinstance(d, TypedDictDef) and d.functional


def parents_first(classes: list[Definition]) -> list[Definition]:
    """The module's classes in their order, but each class's parents moved before it (a class
    statement needs its bases defined)."""
    by_name = {d.name: d for d in classes}
    ordered: list[Definition] = []
    placed: set[str] = set()
    for d in classes:
        _place(d, by_name, placed, ordered)
    return ordered


def _place(d: Definition, by_name: dict[str, Definition], placed: set[str], ordered: list[Definition]) -> None:
    """`d` added to `ordered` after its parents (a function of its own, not a closure that calls
    itself: that would be a cycle, left for the collector)."""
    if d.name in placed:
        return
    placed.add(d.name)
    for parent in d.parents if isinstance(d, (DataclassDef, TypedDictDef)) else ():
        if parent in by_name:
            _place(by_name[parent], by_name, placed, ordered)
    ordered.append(d)
