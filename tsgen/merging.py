"""Declarations that merge across files: the global scope and module augmentations.

A name declared at the top of a script (a file with no top-level import or export), or in a
`declare global { }` block (also `global { }` inside `declare module 'm' { }`), is one of the
global scope's; `declare module './x' { }` in a module adds to the module `./x` resolves to. Each
such place is a *space*: the global scope (`GLOBAL`) or the module augmented. Declarations of the
same qualified name in one space merge, as TypeScript merges them, whatever file they are in.

A module that is a namespace (`export = _; declare namespace _ { }`, as @types/lodash's index) is
augmented with members of that namespace: `declare module "../index" { interface X {} }` declares `_.X`.
Paths in a space are the augmented module's (`Spaces.in_space`, `in_file`).

Each merged declaration has one *home*, the file whose Python module defines it: for the global
scope the first script that declares it (by path), else the first file whose `declare global`
does; for an augmented module the module itself where it declares the name, else the first
augmenting file. The other files' parts of it are read into the home's definition, each part's
types still resolved where that part is written (`Program.origin`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.kinds import UNRESOLVED

QName = tuple[str, ...]
GLOBAL = ""  # the space of the global scope; any other space is the path of the module augmented

Tables = Mapping[str, Mapping[QName, list[m.Declaration]]]


@dataclass
class Spaces:
    space_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, top-level name) -> its space
    parts: dict[tuple[str, QName], list[str]] = field(default_factory=dict)  # (space, path in the space) -> files declaring it, home first
    prefix: dict[str, QName] = field(default_factory=dict)  # augmented module -> the namespace its `export =` names
    augments: dict[str, list[str]] = field(default_factory=dict)  # file -> the modules it augments (their names are in its blocks' scope)
    _views: dict[str, dict[QName, list[m.Declaration]]] = field(default_factory=dict)

    def space(self, module: str, name: str) -> str | None:
        return self.space_of.get((module, name))

    def home(self, space: str, path: QName) -> str | None:
        files = self.parts.get((space, path))
        return files[0] if files else None

    def in_space(self, rel: str, space: str, path: QName) -> QName:
        """A path as file `rel` writes it, in `space`: a module that is a namespace (`export = _`)
        is augmented with that namespace's members, so an augmenting file's `LoDashStatic` is `_.LoDashStatic`."""
        return self.prefix.get(space, ()) + path if rel != space else path

    def in_file(self, rel: str, space: str, path: QName) -> QName:
        """A path of `space` as file `rel` writes it (the inverse of in_space)."""
        prefix = self.prefix.get(space, ())
        return path[len(prefix) :] if rel != space and prefix and path[: len(prefix)] == prefix else path

    def merged(self, space: str, path: QName, tables: Tables) -> list[m.Declaration]:
        """Every file's declarations of `path` in `space`, the home's first."""
        return [d for rel in self.parts.get((space, path), ()) for d in tables[rel].get(self.in_file(rel, space, path), ())]

    def view(self, module: str, tables: Tables) -> dict[QName, list[m.Declaration]]:
        """The declarations the Python module of `module` defines: its own, and the merged ones
        whose home it is (with every file's parts); not those whose home is another file."""
        if module in self._views:
            return self._views[module]
        view: dict[QName, list[m.Declaration]] = {}
        for path, decls in tables[module].items():
            space = self.space(module, path[0])
            if space is None:
                view[path] = decls
            elif self.home(space, self.in_space(module, space, path)) == module:
                view[path] = self.merged(space, self.in_space(module, space, path), tables)
        self._views[module] = view
        return view


def merge_spaces(modules: Mapping[str, m.Module], tables: Tables, target: Callable[[str, str], str | None], assigned: Callable[[str], str | None], diagnostics: Diagnostics) -> Spaces:
    spaces = Spaces()
    script_own: set[tuple[str, str]] = set()  # (file, name) declared by a script itself, not in a block
    for rel in sorted(modules):
        missing: set[str] = set()
        for merge in modules[rel].merges:
            space = target(rel, merge.into) if merge.into else GLOBAL
            if space is None or (space != GLOBAL and space not in modules):
                if merge.into not in missing:
                    diagnostics.warn(merge.pos, f"`declare module '{merge.into}'` augments a module tsgen cannot find; its declarations are converted in this file's module", kind=UNRESOLVED)
                missing.add(merge.into)
                continue
            if space == rel:
                continue
            spaces.space_of[(rel, merge.name)] = space
            if space != GLOBAL and space not in spaces.augments.setdefault(rel, []):
                spaces.augments[rel].append(space)
            if not merge.block:
                script_own.add((rel, merge.name))
    augmented = {space for space in spaces.space_of.values() if space != GLOBAL}
    for rel in sorted(augmented):  # an augmented module's own names are in its space, first
        for path in tables[rel]:
            spaces.space_of.setdefault((rel, path[0]), rel)
        name = assigned(rel)
        if name is not None and any(isinstance(d, m.Namespace) for d in tables[rel].get((name,), ())):
            spaces.prefix[rel] = (name,)
    for rel in sorted(modules):
        for path in tables[rel]:
            space = spaces.space_of.get((rel, path[0]))
            if space is not None:
                spaces.parts.setdefault((space, spaces.in_space(rel, space, path)), []).append(rel)
    for (space, path), files in spaces.parts.items():
        files.sort(key=lambda f: (_not_home(f, space, path, script_own), f))
    return spaces


def _not_home(file: str, space: str, path: QName, script_own: set[tuple[str, str]]) -> bool:
    """False for the files that come first as a home: the augmented module itself, or for the
    global scope a script that declares the name itself (not in a block)."""
    return file != space if space != GLOBAL else (file, path[0]) not in script_own
