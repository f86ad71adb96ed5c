"""Pass: interfaces of data *and* methods get a protocol form where protocols use them.

An interface with properties and methods (lib.dom's `Event`, `Node`) is a data class, as any
interface with properties: its properties are fields, its methods are warned. Where a protocol's
method takes or returns one (`EventListenerObject.handleEvent(object: Event)`), what is passed
is an object with that behaviour, not a record: there it is a protocol, `EventProtocol`, with
its properties as attributes (a readonly one a read-only property) and its methods as in
tsgen.lower.protocols. Inside a protocol form, every interface of data and methods is its
protocol form too, so the set is closed: every protocol's methods, then those protocol forms'
members, and so on. Data classes keep naming the data forms.

Generic interfaces of data and methods keep the data form alone (their type parameters would
need a variance of their own in a protocol form); so do a class merged with an interface.
"""

from __future__ import annotations

from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.roles import resolve_refs, signature_refs
from tsgen.program import Found, Program


def mixed_protocol_keys(program: Program, entities: list[Entity], protocols: frozenset[Key], graph: dict[Key, list[Key]]) -> frozenset[Key]:
    """The interfaces of data and methods that a protocol uses (see the module's doc)."""
    known = {e.key: e for e in entities}
    methods: dict[Key, bool] = {}
    found: set[Key] = set()
    seen = set(protocols)
    work = sorted(protocols)
    while work:
        entity = known[work.pop()]
        used = resolve_refs(program, entity.key.module, entity.key.path[:-1], signature_refs(entity), set(known))
        for key in [*used, *graph.get(entity.key, ())]:
            if key in seen or not _mixed(known[key], program, known, methods):
                continue
            seen.add(key)
            found.add(key)
            work.append(key)
    return frozenset(found)


def _mixed(entity: Entity, program: Program, known: dict[Key, Entity], methods: dict[Key, bool]) -> bool:
    decl = entity.decl
    if not isinstance(decl, m.Interface) or entity.interface is not None or decl.type_params:
        return False
    return _has_methods(entity, program, known, methods)


def _has_methods(entity: Entity, program: Program, known: dict[Key, Entity], memo: dict[Key, bool]) -> bool:
    """Whether the interface or one of its bases declares a method or a call signature."""
    if entity.key in memo:
        return memo[entity.key]
    memo[entity.key] = False  # while it is computed: a cycle of bases adds nothing
    decl = entity.decl
    if not isinstance(decl, m.Interface):
        return False
    answer = any(isinstance(x, m.Method) or (isinstance(x, m.CallSignature) and not x.construct) for x in decl.members)
    for base in decl.extends if not answer else ():
        found = program.lookup(program.origin(base, entity.key.module), entity.key.path[:-1], base.name)
        base_entity = known.get(Key(found.module, found.path)) if isinstance(found, Found) else None
        answer = base_entity is not None and _has_methods(base_entity, program, known, memo)
        if answer:
            break
    memo[entity.key] = answer
    return answer
