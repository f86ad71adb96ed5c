"""Pass: type aliases that refer to themselves, directly or through other aliases.

A Python alias is a module-level assignment evaluated at import, so `A = list[A]` (valid
TypeScript since 3.7) or `A = B; B = A` (a TypeScript error) cannot be written. Inside each
such cycle the references to aliases of the cycle become `Any`, with a warning at the alias.
Cycles through classes are fine: class annotations are strings and are resolved lazily.
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import pytypes as py
from tsgen.names import module_alias
from tsgen.diagnostics import Diagnostics
from tsgen.pymodel import AliasDef, ModuleFile

Node = tuple[str, str]  # (module alias as in `_pkg_mod`, see names.module_alias; name)


def _targets(t: py.PyType, here: str) -> set[Node]:
    found: set[Node] = set()

    def visit(name: py.PyName) -> py.PyType:
        if name.via is not None and name.via.alias:
            found.add((name.via.alias, name.name))
        elif not name.module and name.via is None:
            found.add((here, name.name))
        return name

    py.map_names(t, visit)
    return found


def _reaches(start: Node, edges: dict[Node, set[Node]]) -> set[Node]:
    seen: set[Node] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def break_alias_cycles(modules: dict[str, ModuleFile], diagnostics: Diagnostics) -> None:
    aliases: dict[Node, AliasDef] = {}
    for mod in modules.values():
        for d in mod.definitions:
            if isinstance(d, AliasDef):
                aliases[(module_alias(mod.path), d.name)] = d
    edges = {node: _targets(alias.type, node[0]) & aliases.keys() for node, alias in aliases.items()}
    cyclic = {node for node in edges if node in _reaches(node, edges)}
    for mod in modules.values():
        here = module_alias(mod.path)
        mod.definitions = [_broken(d, here, cyclic, diagnostics) if isinstance(d, AliasDef) and (here, d.name) in cyclic else d for d in mod.definitions]


def _broken(alias: AliasDef, here: str, cyclic: set[Node], diagnostics: Diagnostics) -> AliasDef:
    def cut(name: py.PyName) -> py.PyType:
        return py.ANY if _targets(name, here) & cyclic else name

    diagnostics.warn(alias.pos, f"type alias `{alias.ts_name}` refers to itself (directly or through other aliases); Python evaluates aliases at import, so the recursive reference becomes Any")
    return replace(alias, type=py.map_names(alias.type, cut))
