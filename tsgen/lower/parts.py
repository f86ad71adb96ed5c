"""Pass: a module too large for a type checker to analyse is written as several part modules.

pyright stops analysing a module scope whose code flow graph is too large (about 30,000 flow
nodes: "Code is too complex to analyze"), and every name after that point is Unknown to it;
TypeScript's `lib.dom.d.ts` is 44,000 fields in one file. So the declarations of a module whose
fields add up to more than the budget are spread over private part modules beside it
(`lib_dom.py` → `_lib_dom_part1.py`, `_lib_dom_part2.py`, ...), in their order, and the module
itself re-exports every name: users import from it as before, and references between the
parts are references between modules (see tsgen.lower.import_cycles). A class and the classes
it inherits from stay in one part (a class statement needs its bases at import; the early part
of a module needs no other module). Modules holding resource classes or pages are never split.

The weight of a declaration is an estimate made before lowering: its own properties and methods
(a protocol's), and its bases' properties when it will not inherit them (a flattened class
repeats them).
"""

from __future__ import annotations

from collections.abc import Iterable

from tsgen import names
from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.inheritance import parent_keys
from tsgen.lower.naming import MODEL, PARAM, Naming, relative_module
from tsgen.lower.types import TypeEnv
from tsgen.program import Found
from tsgen.pymodel import ModuleFile, ReExport

def split_large_modules(entities: list[Entity], env: TypeEnv, whole: set[Key], budget: int) -> dict[str, list[str]]:
    """Assign the entities of each module over the budget to parts (`env.naming.parts`), and
    give each part a module path. Returns each split module's parts, in order. `whole`: the
    entities whose module is never split (resources, pages)."""
    by_module: dict[str, list[Entity]] = {}
    for entity in entities:
        by_module.setdefault(entity.key.module, []).append(entity)
    known = {e.key: e for e in entities}
    weights: dict[Key, int] = {}
    split: dict[str, list[str]] = {}
    for rel, members in by_module.items():
        if any(e.key in whole for e in members):
            continue
        sizes = {e.key: _weight(e, known, env, weights, frozenset()) for e in members}
        if sum(sizes.values()) <= budget:
            continue
        groups = _pack(_components(members, env), sizes, budget)
        split[rel] = [_part(env.naming, rel, n, keys) for n, keys in enumerate(groups, 1)]
    return split


def parts_reexports(module: ModuleFile, parts: list[ModuleFile]) -> list[ReExport]:
    """What a split module re-exports: every public name of its parts."""
    return [ReExport(relative_module(module.path, part.path), name, part.path) for part in parts for name in part.public_names]


def _part(naming: Naming, rel: str, n: int, keys: list[Key]) -> str:
    """Register part `n` of module `rel` (its id `rel#n`, its module path) for `keys`."""
    part = f"{rel}#{n}"
    path = naming.py_modules[rel]
    stem = path[-2] if path[-1] == names.INIT and len(path) > 1 else path[-1]
    taken = {names.module_alias(p) for p in naming.py_modules.values()}
    candidate, k = path[:-1] + (f"_{stem}_part{n}",), 1
    while names.module_alias(candidate) in taken:
        k += 1
        candidate = path[:-1] + (f"_{stem}_part{n}_{k}",)
    naming.py_modules[part] = candidate
    naming.parts.update((key, part) for key in keys)
    return part


def _components(members: list[Entity], env: TypeEnv) -> list[list[Key]]:
    """The module's entities grouped by inheritance (a class, its parents, their parents...),
    each group in source order, the groups in the order of their first entity."""
    leader: dict[Key, Key] = {e.key: e.key for e in members}

    def find(key: Key) -> Key:
        while leader[key] != key:
            leader[key] = leader[leader[key]]
            key = leader[key]
        return key

    for entity in members:
        for form in (f for f in env.naming.forms.get(entity.key, ()) if f in (MODEL, PARAM)):
            for parent in parent_keys(entity, form, env):
                if parent in leader:
                    leader[find(entity.key)] = find(parent)
    groups: dict[Key, list[Key]] = {}
    for entity in members:
        groups.setdefault(find(entity.key), []).append(entity.key)
    return list(groups.values())


def _pack(groups: Iterable[list[Key]], sizes: dict[Key, int], budget: int) -> list[list[Key]]:
    """Groups packed in order into parts of at most `budget` (a larger group is a part alone)."""
    parts: list[list[Key]] = [[]]
    filled = 0
    for group in groups:
        size = sum(sizes[k] for k in group)
        if parts[-1] and filled + size > budget:
            parts.append([])
            filled = 0
        parts[-1].extend(group)
        filled += size
    return parts


def _weight(entity: Entity, known: dict[Key, Entity], env: TypeEnv, weights: dict[Key, int], seen: frozenset[Key]) -> int:
    """About how many statements the entity's classes take: 1, and one per property and method;
    a class that will not inherit from its bases repeats theirs."""
    if entity.key in weights:
        return weights[entity.key]
    decl = entity.decl
    weight = 1 + (len(decl.members) if isinstance(decl, m.Enum) else 0)
    if isinstance(decl, (m.Interface, m.Class)):
        weight += sum(1 for member in decl.members if isinstance(member, (m.Property, m.Method, m.CallSignature)))
        inherits = any(parent_keys(entity, form, env) for form in env.naming.forms.get(entity.key, ()))
        if isinstance(decl, m.Interface) and not inherits:
            for base in _bases(entity, known, env):
                if base.key not in seen:
                    weight += _weight(base, known, env, weights, seen | {entity.key})
    weights[entity.key] = weight
    return weight


def _bases(entity: Entity, known: dict[Key, Entity], env: TypeEnv) -> list[Entity]:
    assert isinstance(entity.decl, m.Interface)
    found = []
    for base in entity.decl.extends:
        hit = env.program.lookup(env.program.origin(base, entity.key.module), entity.key.path[:-1], base.name)
        if isinstance(hit, Found) and Key(hit.module, hit.path) in known:
            found.append(known[Key(hit.module, hit.path)])
    return found
