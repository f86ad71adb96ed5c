"""Pass: a resource class that extends another resource class (`class Rules extends BaseRules`,
the base holding the methods and the class adding sub-resources) becomes a Python subclass of
that resource's Python classes, sync and async."""

from __future__ import annotations

from dataclasses import replace

from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.naming import ASYNC, SYNC, Naming
from tsgen.program import Found, Program
from tsgen.pymodel import ResourceDef


def resource_base(entity: Entity, program: Program, resources: set[Key]) -> Key | None:
    """The resource class this resource class extends, if it extends one of the program's."""
    decl = entity.decl
    if not isinstance(decl, m.Class) or decl.extends is None:
        return None
    found = program.lookup(entity.key.module, entity.key.path[:-1], decl.extends.name)
    if isinstance(found, Found) and Key(found.module, found.path) in resources and Key(found.module, found.path) != entity.key:
        return Key(found.module, found.path)
    return None


def with_base(resource: ResourceDef, base: Key | None, naming: Naming, module: str) -> ResourceDef:
    if base is None:
        return resource
    return replace(resource, base=naming.ref(base, SYNC, module), async_base=naming.ref(base, ASYNC, module))


def bases_first(resources: list[ResourceDef]) -> list[ResourceDef]:
    """Resources of one module in an order where a class comes after the class it extends."""
    ordered: list[ResourceDef] = []
    placed: set[str] = set()
    local = {r.name for r in resources}
    pending = list(resources)
    while pending:
        ready = [r for r in pending if r.base is None or r.base.render() not in local or r.base.render() in placed]
        for resource in ready or pending[:1]:
            ordered.append(resource)
            placed.add(resource.name)
            pending.remove(resource)
    return ordered


