"""Pass: type aliases that refer to themselves, directly or through other aliases.

A cycle that goes through a list, a dict, a tuple, a class's generic or a callable
(`type Json = string | Json[]`, valid TypeScript since 3.7) becomes a recursive alias: the
references to the cycle's aliases are strings, resolved when needed (`RecursiveAliasDef`).
A cycle where an alias is its own value or its own union member (`type A = B; type B = A`,
`type A = string | A`: errors in TypeScript too) cannot be said: there the references to the
cycle's aliases become `Any`, with a warning at the alias. Cycles through classes are fine as
they are: class annotations are strings and are resolved lazily.
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import pytypes as py
from tsgen.names import module_alias
from tsgen.diagnostics import Diagnostics
from tsgen.pymodel import AliasDef, Definition, ModuleFile, RecursiveAliasDef, TypeVarDef
from tsgen.kinds import UNRESOLVED

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
    immediate = {node: _immediate(aliases[node].type, node[0], set(aliases)) & cyclic for node in cyclic}
    unsayable = {node for node in immediate if node in _reaches(node, immediate)}
    for mod in modules.values():
        here = module_alias(mod.path)
        type_vars = {d.name for d in mod.definitions if isinstance(d, TypeVarDef)}
        mod.definitions = [_rewritten(d, here, cyclic, unsayable, type_vars, diagnostics) for d in mod.definitions]


def _rewritten(d: Definition, here: str, cyclic: set[Node], unsayable: set[Node], type_vars: set[str], diagnostics: Diagnostics) -> Definition:
    if not isinstance(d, AliasDef) or (here, d.name) not in cyclic:
        return d
    if (here, d.name) in unsayable:
        return _broken(d, here, cyclic, diagnostics)
    return lazy_alias(d, here, type_vars)


def _immediate(t: py.PyType, here: str, aliases: set[Node]) -> set[Node]:
    """The aliases a type is made of at its top: itself, its union's members, and a generic
    alias with its arguments (`Wrapper[A]`, where `Wrapper = T | None`); not what is inside a
    list, a dict, a class's generic or a callable."""
    if isinstance(t, py.PyName):
        return _targets(t, here)
    if isinstance(t, py.PyUnion):
        return set().union(*(_immediate(m, here, aliases) for m in t.members))
    if isinstance(t, py.PyDiscriminated):
        return _immediate(t.union, here, aliases)
    if isinstance(t, py.PyGeneric) and _targets(t.base, here) & aliases:
        return _targets(t.base, here).union(*(_immediate(a, here, aliases) for a in t.args))
    return set()


def lazy_alias(alias: AliasDef, here: str, type_vars: set[str]) -> RecursiveAliasDef:
    """The alias with every name of the package in it written as a string (the cycle's aliases,
    and the rest too: then its value reads nothing of the package at import, and it can stand
    before the imports of the package's other modules, which an import cycle needs), and the
    TypeVars it uses in the order they first appear (as a generic alias orders them)."""
    lazy: set[str] = set()
    params: list[str] = []

    def note(name: py.PyName) -> py.PyType:
        if py.package_imports(name) or (py.local_names(name) and name.name not in type_vars):
            lazy.add(name.render())
        elif not name.module and name.via is None and name.name in type_vars and name.name not in params:
            params.append(name.name)
        return name

    py.map_names(alias.type, note)
    return RecursiveAliasDef(alias.name, alias.ts_name, alias.type, alias.doc, alias.pos, alias.ts_kind, lazy=frozenset(lazy), type_params=tuple(params))


def _broken(alias: AliasDef, here: str, cyclic: set[Node], diagnostics: Diagnostics) -> AliasDef:
    def cut(name: py.PyName) -> py.PyType:
        return py.ANY if _targets(name, here) & cyclic else name

    diagnostics.warn(alias.pos, f"type alias `{alias.ts_name}` refers to itself as its own value or union member (directly or through other aliases), which neither TypeScript nor Python can resolve; the reference becomes Any", kind=UNRESOLVED)
    return replace(alias, type=py.map_names(alias.type, cut))
