"""Pass: every generated module imports on its own, in any order, whatever the import cycles.

A module runs in two parts: the early part (classes, enums, TypeVars, aliases naming only
this module) needs no other module of the package; then come the imports of the package's
other modules, re-exports, and the late part (aliases naming other modules, resources).
Annotations are never evaluated at import (they are quoted), so in an import cycle the only
statements that read another module of the cycle while it may still be loading are late
aliases and re-exports. When any module of a cycle runs its late part, every other module of
the cycle has run its early part, but maybe not its late part. So a late alias (or a
re-export) that names a late alias of another module of its cycle gets that alias's value,
written for this module, instead of the name: the same type, with no dependency on the
other module's late part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from tsgen import pytypes as py
from tsgen.lower.naming import module_import, relative_module
from tsgen.names import INIT, imported_path, module_alias
from tsgen.pymodel import AliasDef, Definition, ModuleFile, RecursiveAliasDef

Path = tuple[str, ...]
_MAX_ROUNDS = 50


def late_aliases(defs: Iterable[Definition]) -> set[str]:
    """Aliases that must come after the package imports: they name another module of the
    package, or an alias of this module that does (a recursive alias never: it names the
    package's definitions in strings)."""
    aliases = [d for d in defs if isinstance(d, AliasDef) and not isinstance(d, RecursiveAliasDef)]
    late = {a.name for a in aliases if py.package_imports(a.type)}
    changed = True
    while changed:
        grown = {a.name for a in aliases if py.local_names(a.type) & late} | late
        changed, late = grown != late, grown
    return late


@dataclass
class Package:
    modules: dict[Path, ModuleFile]
    by_alias: dict[str, Path]

    @staticmethod
    def of(modules: Iterable[ModuleFile]) -> Package:
        table = {mod.path: mod for mod in modules}
        return Package(table, {module_alias(path): path for path in table})

    def aliases(self, path: Path) -> dict[str, AliasDef]:
        return {d.name: d for d in self.modules[path].definitions if isinstance(d, AliasDef)}

    def edges(self, path: Path) -> set[Path]:
        """The modules that `path` imports at run time, with the packages (`__init__`) that
        Python imports first whenever it imports a module inside them."""
        mod = self.modules[path]
        needs: frozenset[py.ImportName] = frozenset().union(*(d.imports() for d in mod.definitions))
        found = {self.by_alias[i.alias] for i in needs if i.alias in self.by_alias}
        found |= {r.target for r in mod.reexports if r.target in self.modules}
        found |= {init for target in found for init in self._inits(target)}
        found.discard(path)
        return found

    def _inits(self, path: Path) -> list[Path]:
        """The `__init__` modules of the packages that hold module `path`."""
        inside = imported_path(path)
        inits = [inside[:i] + (INIT,) for i in range(1, len(inside))]
        return [init for init in inits if init in self.modules]


def components(package: Package) -> dict[Path, int]:
    """Strongly connected components of the import graph (iterative Tarjan): module -> id."""
    graph = {path: sorted(package.edges(path)) for path in sorted(package.modules)}
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    component: dict[Path, int] = {}
    stack: list[Path] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
            targets = graph[node]
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index:
                    work.append((target, 0))
                elif target not in component:
                    low[node] = min(low[node], index[target])
                continue
            for target in targets:
                if target not in component:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    component[member] = index[node]
                    if member == node:
                        break
    return component


def _absolute(module: str, here: Path) -> Path | None:
    """A relative module (`..`, `.._runtime`) written in module `here`, as a package path."""
    if not module.startswith("."):
        return None
    dots = len(module) - len(module.lstrip("."))
    base = here[: len(here) - dots]
    rest = tuple(part for part in module[dots:].split(".") if part)
    return base + rest


def requalify(t: py.PyType, source: Path, target: Path, package: Package) -> py.PyType:
    """A type written in module `source`, written for module `target`."""

    def move(name: py.PyName) -> py.PyType:
        if name.via is not None and name.via.alias in package.by_alias:
            home = package.by_alias[name.via.alias]
        elif name.via is None and not name.module and py.local_names(name):
            home = source
        else:
            absolute = _absolute(name.module, source) if name.via is None else None
            if absolute is None:
                return name
            return py.PyName(name.name, relative_module(target, absolute))
        return py.PyName(name.name) if home == target else py.PyName(name.name, via=module_import(target, home))

    return py.map_names(t, move)


@dataclass
class _Resolver:
    package: Package
    component: dict[Path, int]
    late: dict[Path, set[str]]

    def in_cycle(self, here: Path, other: Path) -> bool:
        return other != here and self.component.get(other) == self.component.get(here)

    def expand(self, t: py.PyType, here: Path) -> py.PyType:
        """`t` (written in `here`) with each late alias of another module of the cycle
        replaced by its value, repeatedly (alias cycles were already broken)."""
        for _ in range(_MAX_ROUNDS):
            changed = False

            def inline(name: py.PyName) -> py.PyType:
                nonlocal changed
                home = self.package.by_alias.get(name.via.alias) if name.via is not None else None
                if home is None or not self.in_cycle(here, home) or name.name not in self.late[home]:
                    return name
                changed = True
                value = self.package.aliases(home)[name.name].type
                return requalify(value, home, here, self.package)

            t = py.map_names(t, inline)
            if not changed:
                break
        return t


def defer_cycle_aliases(modules: Iterable[ModuleFile]) -> None:
    """Rewrite late aliases and re-exports that would read an unfinished module of their cycle."""
    package = Package.of(modules)
    for _ in range(_MAX_ROUNDS):
        resolver = _Resolver(package, components(package), {p: late_aliases(m.definitions) for p, m in package.modules.items()})
        if not _rewrite_round(package, resolver):
            break
    component = components(package)
    for path, mod in package.modules.items():
        mod.reexports = [replace(r, in_cycle=component.get(r.target) == component[path]) for r in mod.reexports]


def _rewrite_round(package: Package, resolver: _Resolver) -> bool:
    changed = False
    for path, mod in package.modules.items():
        defs: list[Definition] = []
        for d in mod.definitions:
            if isinstance(d, AliasDef) and d.name in resolver.late[path]:
                expanded = resolver.expand(d.type, path)
                changed |= expanded != d.type
                d = replace(d, type=expanded)
            defs.append(d)
        mod.definitions = defs
        reexports = []
        for r in mod.reexports:
            if r.type is None and r.alias is None and r.target in package.modules and resolver.in_cycle(path, r.target) and r.name in resolver.late[r.target]:
                value = package.aliases(r.target)[r.name].type
                r = replace(r, type=resolver.expand(requalify(value, r.target, path, package), path))
                changed = True
            reexports.append(r)
        mod.reexports = reexports
    return changed
