"""Pass: find resource classes and the role of every entity.

`param`: reachable from what a resource method takes; `model`: everything else and what
methods return. An interface needed in both roles is emitted in both forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.program import Found, Program, RuntimeName

RESOURCE_BASE = "APIResource"


def is_resource(entity: Entity, program: Program, seen: frozenset[Key] = frozenset()) -> bool:
    decl = entity.decl
    if not isinstance(decl, m.Class) or decl.extends is None or entity.key in seen:
        return False
    found = program.lookup(entity.key.module, entity.key.path[:-1], decl.extends.name)
    if isinstance(found, RuntimeName):
        return found.name == RESOURCE_BASE
    if isinstance(found, Found):
        bases = [d for d in found.decls if isinstance(d, m.Class)]
        parent = Entity(Key(found.module, found.path), bases[0], 0) if bases else None
        return parent is not None and is_resource(parent, program, seen | {entity.key})
    return False


def type_refs(t: m.TypeExpr | None) -> Iterator[m.TypeRef]:
    """Every type reference inside a type expression."""
    if t is None:
        return
    if isinstance(t, m.TypeRef):
        yield t
        for arg in t.args:
            yield from type_refs(arg)
    elif isinstance(t, (m.UnionType, m.IntersectionType)):
        for member in t.members:
            yield from type_refs(member)
    elif isinstance(t, m.ArrayType):
        yield from type_refs(t.element)
    elif isinstance(t, m.ParenType):
        yield from type_refs(t.inner)
    elif isinstance(t, m.TupleType):
        for element in t.elements:
            yield from type_refs(element.type)
    elif isinstance(t, m.ObjectType):
        for obj_member in t.members:
            yield from member_types(obj_member)
    elif isinstance(t, m.FunctionType):
        yield from type_refs(t.returns)


def member_types(member: m.Member) -> Iterator[m.TypeRef]:
    if isinstance(member, m.Property):
        yield from type_refs(member.type)
    elif isinstance(member, m.IndexSignature):
        yield from type_refs(member.value_type)


def _entity_refs(entity: Entity) -> Iterator[m.TypeRef]:
    decl = entity.decl
    if isinstance(decl, m.Interface):
        for base in decl.extends:  # `Omit<Y, 'a'>`: Y too
            yield from type_refs(base)
        for member in decl.members:
            yield from member_types(member)
    elif isinstance(decl, m.TypeAlias):
        yield from type_refs(decl.type)
    elif isinstance(decl, m.Class):
        for member in decl.members:
            yield from member_types(member)


def closure(roots: Iterable[Key], refs_of: dict[Key, list[Key]]) -> set[Key]:
    seen: set[Key] = set()
    stack = list(roots)
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            stack.extend(refs_of.get(key, []))
    return seen


def resolve_refs(program: Program, module: str, scope: tuple[str, ...], refs: Iterable[m.TypeRef], known: set[Key]) -> list[Key]:
    keys = []
    for ref in refs:
        found = program.lookup(module, scope, ref.name)
        if isinstance(found, Found) and Key(found.module, found.path) in known:
            keys.append(Key(found.module, found.path))
    return keys


def reference_graph(program: Program, entities: list[Entity], protocols: frozenset[Key] = frozenset(), known: set[Key] | None = None) -> dict[Key, list[Key]]:
    """What each entity names (of `known`, by default the entities); a protocol (tsgen.lower.protocols)
    also what its methods take and return."""
    known = {e.key for e in entities} if known is None else known
    graph = {}
    for e in entities:
        refs = [*_entity_refs(e), *(signature_refs(e) if e.key in protocols else ())]
        graph[e.key] = resolve_refs(program, e.key.module, e.key.path[:-1], refs, known)
    return graph


def signature_refs(entity: Entity) -> Iterator[m.TypeRef]:
    """What the methods and call signatures an entity declares take and return."""
    signatures = [x for x in getattr(entity.decl, "members", ()) if isinstance(x, (m.Method, m.CallSignature))]
    for s in signatures:
        for t in (*(p.type for p in s.params), s.returns):
            yield from type_refs(t)


def method_type_keys(program: Program, entities: list[Entity], known: set[Key]) -> list[Key]:
    """What the methods of classes take and return (resource methods name types that no
    declaration's members do)."""
    keys: list[Key] = []
    for entity in entities:
        if isinstance(entity.decl, m.Class):
            refs = [r for x in entity.decl.members if isinstance(x, m.Method) for t in (*(p.type for p in x.params), x.returns) for r in type_refs(t)]
            keys += resolve_refs(program, entity.key.module, entity.key.path[:-1], refs, known)
    return keys
