"""Load a set of `.d.ts` files and the files they import; resolve names across them."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, Pos, TsgenError, Diagnostic, Level
from tsgen.cache import Cache, code_version, key as cache_key, unchanged_since_last_run
from tsgen.hoist import hoist
from tsgen.merging import GLOBAL, Spaces, merge_spaces
from tsgen.resolve_files import FileResolver
from tsgen.parse import parse_module
from tsgen.records import record
from tsgen import progress
from tsgen.kinds import UNRESOLVED

QName = tuple[str, ...]


@record(frozen=True)
class Found:
    """A declaration of the program: its module, qualified path and the declarations merged there."""

    module: str
    path: QName
    decls: tuple[m.Declaration, ...]


@record(frozen=True)
class RuntimeName:
    """A name imported from the SDK's own runtime (core.js, resource.js...)."""

    name: str


@record(frozen=True)
class Unresolved:
    reason: str


Resolution = Found | RuntimeName | Unresolved


Parsed = tuple[m.Module, list[Diagnostic]]


def parse_file(path: Path, rel: str, names_only: bool, cache_dir: Path | None, seen: Mapping[str, str]) -> Parsed:
    """The file parsed and hoisted, with its warnings; from the cache when this code parsed
    these bytes at this path before (kept there for a file the last run read unchanged)."""
    source = read_source(path, rel)
    local = Diagnostics()
    if cache_dir is None:
        return hoist(parse_module(rel, source, local, names_only)), local.items
    cache = Cache(cache_dir, "parse")
    entry = cache_key(code_version(), rel, str(names_only), source)
    found = cache.get_object(entry)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], m.Module):
        return found
    parsed = hoist(parse_module(rel, source, local, names_only)), local.items
    if unchanged_since_last_run(seen, rel, source):
        cache.put_object(entry, parsed)
    return parsed


def js_beside(rel: str) -> str:
    """The `.js` file beside a declaration file (`a/b.d.ts` -> `a/b.js`): the SDK's code for it,
    where routes, the client's defaults and page rules are read."""
    for suffix in (".d.ts", ".d.mts", ".d.cts"):
        if rel.endswith(suffix):
            return rel.removesuffix(suffix) + ".js"
    return rel + ".js"


def read_source(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TsgenError([Diagnostic(Level.ERROR, Pos(shown, 1, 1), f"cannot read file: {exc.strerror}")]) from exc


@dataclass
class Program:
    root: Path
    runtime_modules: frozenset[str]
    diagnostics: Diagnostics
    runtime_names: frozenset[str] = frozenset()  # names of runtime modules that map to tsgen's runtime
    files: FileResolver | None = None
    inputs: frozenset[str] = frozenset()  # the files converted whole; the others are read for names
    cache_dir: Path | None = None  # parsed files are kept there, by content (tsgen.cache)
    seen: dict[str, str] = field(default_factory=dict)  # files the last run read, with their hashes
    js_read: set[Path] = field(default_factory=set)  # `.js` files read for the client and the pages
    ambient: dict[str, str] = field(default_factory=dict)  # module declared by name -> the file declaring it
    global_names: dict[str, str] = field(default_factory=dict)  # `export as namespace X`: X -> the file
    modules: dict[str, m.Module] = field(default_factory=dict)
    _tables: dict[str, dict[QName, list[m.Declaration]]] = field(default_factory=dict)
    _ns_exports: dict[str, dict[QName, list[m.ExportSpec]]] = field(default_factory=dict)
    _aliases: dict[str, dict[QName, dict[str, m.ImportAlias]]] = field(default_factory=dict)  # `import X = Y.Z` by scope
    lib_names: frozenset[str] = frozenset()  # TypeScript's lib types tsgen maps itself (`Array`): a global of that name augments them
    _spaces: Spaces | None = None  # declarations merged across files (tsgen.merging), once everything is loaded
    _searched: set[tuple[str, QName]] | None = None  # (module, name) already searched for the question being answered (lookup_export)

    # ------------------------------------------------------------ loading

    def __post_init__(self) -> None:
        if self.files is None:
            self.files = FileResolver(self.root)

    def path(self, key: str) -> Path:
        assert self.files is not None
        return self.files.path(key)

    def load(self, relative: str) -> None:
        """Parse a file and, transitively, the declaration files it imports. A syntax error
        stops the run in `relative` and in the inputs; the other files are read for names."""
        self._spaces = None
        pending = [relative]
        while pending:
            rel = pending.pop()
            if rel in self.modules:
                continue
            names_only = rel != relative and rel not in self.inputs
            module = self._parsed(rel, names_only)
            self.modules[rel] = module
            for name in module.ambient:
                self.ambient.setdefault(name, rel)
            if module.global_name:
                self.global_names.setdefault(module.global_name, rel)
            self._index(module)
            for spec in self._specifiers(module):
                target = self.target_module(rel, spec)
                if target is not None and target not in self.modules:
                    pending.append(target)
            for imp in module.imports:
                if imp.reference and self.target_module(rel, imp.specifier) is None:
                    self.diagnostics.warn(imp.pos, f"cannot find the file `{imp.specifier}` a triple-slash reference names; ignored", kind=UNRESOLVED)

    def _parsed(self, rel: str, names_only: bool) -> m.Module:
        found = parse_file(self.path(rel), rel, names_only, self.cache_dir, self.seen)
        self.diagnostics.extend(found[1])
        progress.advance()
        return found[0]

    @staticmethod
    def _specifiers(module: m.Module) -> list[str]:
        specs = [imp.specifier for imp in module.imports]
        specs += [merge.into for merge in module.merges if merge.into]  # the modules it augments
        return specs + [exp.specifier for exp in module.exports if exp.specifier]

    def _index(self, module: m.Module) -> None:
        table: dict[QName, list[m.Declaration]] = {}
        exports: dict[QName, list[m.ExportSpec]] = {}
        aliases: dict[QName, dict[str, m.ImportAlias]] = {(): {a.name: a for a in module.aliases}}

        # Breadth first, in order (a namespace's declarations stay in the order of its merged
        # bodies); a loop, not a closure that calls itself: that is a cycle, which would keep these
        # tables after the program is gone, until a collection.
        pending: list[tuple[tuple[m.Declaration, ...], QName]] = [(module.body, ())]
        for decls, prefix in pending:
            for decl in decls:
                path = prefix + (decl.name,)
                table.setdefault(path, []).append(decl)
                if isinstance(decl, m.Namespace):
                    for export in decl.exports:
                        exports.setdefault(path, []).extend(export.names)
                    aliases.setdefault(path, {}).update((a.name, a) for a in decl.aliases)
                    pending.append((decl.body, path))
        self._tables[module.path] = table
        self._ns_exports[module.path] = exports
        self._aliases[module.path] = aliases

    # ------------------------------------------------------------ queries

    @property
    def spaces(self) -> Spaces:
        if self._spaces is None:
            self._spaces = merge_spaces(self.modules, self._tables, self.target_module, self.assigned, self.diagnostics)
        return self._spaces

    def declarations(self, module: str) -> dict[QName, list[m.Declaration]]:
        """What the module's Python module defines: its own declarations, and the merged ones
        whose home it is, with every file's part (tsgen.merging)."""
        return self.spaces.view(module, self._tables)

    def origin(self, decl: m.Declaration | m.Member | m.TypeRef, home: str) -> str:
        """The file a declaration (or a part of one) is written in, where its names resolve; a
        merged declaration's parts may come from files other than its home."""
        return decl.pos.file if decl.pos.file in self.modules else home

    def declared_in(self, module: str, path: QName) -> list[str]:
        """The files that declare `path` of `module` (more than one where it merges across files)."""
        space = self.spaces.space(module, path[0])
        return self.spaces.parts.get((space, self.spaces.in_space(module, space, path)), [module]) if space is not None else [module]

    def written_in(self, module: str, path: QName, other: str) -> QName:
        """The path of `module`'s merged declaration `path` as file `other`, which declares a part of it, writes it."""
        space = self.spaces.space(module, path[0])
        return self.spaces.in_file(other, space, self.spaces.in_space(module, space, path)) if space is not None else path

    def exported_names(self, module: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """The names a module exports, in order: its declarations, the import aliases it
        exports, the names of its `export {...} from` and `export * as ns`, and through
        `export * from` those of the modules it names. (Names it imports and then exports,
        `import { A } from './a'; export { A }`, resolve through `lookup_export` but are not
        listed: re-exporting them in Python would import modules that often import this one.)"""
        if module in seen or module not in self.modules:
            return []
        mod = self.modules[module]
        names = [path[0] for path in self.declarations(module) if len(path) == 1]
        names += [alias.name for alias in mod.aliases if alias.exported]
        for export in mod.exports:
            names += [spec.alias for spec in export.names if export.specifier is not None]
            target = self.target_module(module, export.specifier) if export.specifier else None
            if export.star_alias is not None:
                names.append(export.star_alias)
            elif export.star and target is not None:
                names += [n for n in self.exported_names(target, seen | {module}) if n != "default"]
        return list(dict.fromkeys(names))

    def package_manifests(self) -> set[str]:
        """The package.json files read to resolve imports, inside the root (by their paths from it)."""
        assert self.files is not None
        return self.files.manifests_read()

    def target_module(self, module: str, specifier: str) -> str | None:
        """The file `specifier` names from `module`: a module declared by name in a file read
        (`declare module 'vscode'`), else the file it resolves to."""
        assert self.files is not None
        return self.ambient.get(specifier) or self.files.resolve(module, specifier)

    def imported_module(self, module: str, name: str) -> str | None:
        """The module a namespace import names (`import * as X from 'm'`, `import X = require('m')`)."""
        imp = next((i for i in self.modules[module].imports if i.namespace == name and not i.reference), None)
        return self.target_module(module, imp.specifier) if imp is not None else None

    def assigned(self, module: str) -> str | None:
        """The name a module's `export = X` names: the module is X."""
        return next((e.names[0].name for e in self.modules[module].exports if e.assigned and e.names), None)

    def is_runtime(self, module: str, specifier: str) -> bool:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(module), specifier))
        stem = posixpath.basename(target).removesuffix(".js").removesuffix(".mjs")
        tail = "/".join(target.split("/")[-2:]).removesuffix(".js")
        return stem in self.runtime_modules or tail in self.runtime_modules

    def lookup(self, module: str, scope: QName, name: QName, depth: int = 0) -> Resolution:
        """Resolve a (qualified) name used inside namespace `scope` of `module`."""
        if depth > 50:
            return Unresolved(f"`{'.'.join(name)}` refers to itself")
        table = self._tables[module]
        for i in range(len(scope), -1, -1):
            prefix = scope[:i]
            if prefix + name[:1] in table:
                return self._descend(module, prefix + name[:1], name[1:], depth)
            space = self.spaces.space(module, prefix[0]) if prefix else None
            if space is not None and (space, self.spaces.in_space(module, space, prefix + name[:1])) in self.spaces.parts:  # another file's part of a merged namespace
                return self._descend_space(space, self.spaces.in_space(module, space, prefix + name[:1]), name[1:])
            alias = self._namespace_alias(module, prefix, name[0])
            if alias is not None:
                return self.lookup(module, prefix[:-1], (alias,) + name[1:], depth + 1)
            imported = self._import_alias(module, prefix, name[0], exported_only=False)
            if imported is not None:
                return self.lookup(module, prefix, imported + name[1:], depth + 1)
        found = self._through_imports(module, name, depth)
        for space in self.spaces.augments.get(module, ()) if isinstance(found, Unresolved) else ():  # `declare module './x' { }`: x's names
            if (space, self.spaces.in_space(module, space, name[:1])) in self.spaces.parts:
                return self._descend_space(space, self.spaces.in_space(module, space, name[:1]), name[1:])
        if isinstance(found, Unresolved) and (GLOBAL, name[:1]) in self.spaces.parts and name[0] not in self.lib_names:
            return self._descend_space(GLOBAL, name[:1], name[1:])
        if isinstance(found, Unresolved) and name[0] in self.global_names and len(name) > 1:  # a UMD module's global name
            return self.lookup_export(self.global_names[name[0]], name[1:], depth + 1)
        return found

    def _descend_space(self, space: str, path: QName, rest: QName, depth: int = 0) -> Resolution:
        """A name of a merged declaration, through every file's parts of it."""
        for index, segment in enumerate(rest):
            if (space, path + (segment,)) in self.spaces.parts:
                path = path + (segment,)
                continue
            for part in self.spaces.parts.get((space, path), ()):  # `namespace N { export { X } }` in one part
                local = self.spaces.in_file(part, space, path)
                alias = self._namespace_alias(part, local, segment)
                if alias is not None:
                    return self.lookup(part, local[:-1], (alias,) + rest[index + 1 :], depth + 1)
            return Unresolved(f"`{'.'.join(path)}` has no member `{segment}`")
        home = self.spaces.home(space, path)
        assert home is not None
        return Found(home, self.spaces.in_file(home, space, path), tuple(self.spaces.merged(space, path, self._tables)))

    def _import_alias(self, module: str, scope: QName, name: str, exported_only: bool) -> QName | None:
        """What `import name = Y.Z` in namespace `scope` (or the module, `()`) stands for."""
        alias = self._aliases[module].get(scope, {}).get(name)
        return alias.target if alias is not None and (alias.exported or not exported_only) else None

    def _namespace_alias(self, module: str, namespace: QName, name: str) -> str | None:
        if not namespace:
            return None
        specs = self._ns_exports[module].get(namespace, [])
        return next((s.name for s in specs if s.alias == name), None)

    def _descend(self, module: str, path: QName, rest: QName, depth: int) -> Resolution:
        space = self.spaces.space(module, path[0])
        if space is not None:
            return self._descend_space(space, self.spaces.in_space(module, space, path), rest, depth)
        table = self._tables[module]
        for segment in rest:
            if path + (segment,) in table:
                path = path + (segment,)
                continue
            alias = self._namespace_alias(module, path, segment)
            remaining = rest[rest.index(segment) + 1 :]
            if alias is not None:
                return self.lookup(module, path[:-1], (alias,) + remaining, depth + 1)
            imported = self._import_alias(module, path, segment, exported_only=True)
            if imported is not None:
                return self.lookup(module, path, imported + remaining, depth + 1)
            return Unresolved(f"`{'.'.join(path)}` has no member `{segment}`")
        return Found(module, path, tuple(table[path]))

    def _through_imports(self, module: str, name: QName, depth: int) -> Resolution:
        for imp in self.modules[module].imports:
            if imp.reference:
                found = self._imported(module, imp.specifier, name, depth)
                if not isinstance(found, Unresolved):
                    return found
                continue
            if imp.namespace == name[0] and len(name) > 1:
                return self._imported(module, imp.specifier, name[1:], depth)
            for spec in imp.names:
                if spec.alias == name[0]:
                    return self._imported(module, imp.specifier, (spec.name,) + name[1:], depth)
            if imp.default == name[0]:
                return self._imported(module, imp.specifier, ("default",) + name[1:], depth)
        return Unresolved(f"cannot find name `{'.'.join(name)}`")

    def _imported(self, module: str, specifier: str, name: QName, depth: int) -> Resolution:
        if self.is_runtime(module, specifier) and name[-1] in self.runtime_names:
            return RuntimeName(name[-1])
        target = self.target_module(module, specifier)
        if target is not None and target in self.modules:
            return self.lookup_export(target, name, depth + 1)
        if self.is_runtime(module, specifier):
            return RuntimeName(name[-1])
        return Unresolved(f"cannot find module `{specifier}` for `{'.'.join(name)}`")

    def lookup_export(self, module: str, name: QName, depth: int = 0) -> Resolution:
        """A name a module exports. Each (module, name) is searched once per question: a search
        that comes back to one already searched (re-exports that form a cycle, or `export *` of
        several files that re-export the same file) finds nothing new there, and would otherwise
        search every path through the re-exports, exponentially many."""
        top = self._searched is None
        searched = self._searched = set() if self._searched is None else self._searched
        try:
            if (module, name) in searched:
                return Unresolved(f"re-export cycle for `{'.'.join(name)}`")
            searched.add((module, name))
            return self._lookup_export(module, name, depth)
        finally:
            if top:
                self._searched = None

    def _lookup_export(self, module: str, name: QName, depth: int) -> Resolution:
        if depth > 50:
            return Unresolved(f"re-export cycle for `{'.'.join(name)}`")
        if not name:
            return Unresolved(f"`{module}` is a module (`export * as`), not a declaration")
        if name[:1] in self._tables[module]:
            return self._descend(module, name[:1], name[1:], depth)
        imported = self._import_alias(module, (), name[0], exported_only=True)
        if imported is not None:
            return self.lookup(module, (), imported + name[1:], depth + 1)
        for export in self.modules[module].exports:
            for spec in export.names:
                if spec.alias != name[0]:
                    continue
                if export.specifier is None:
                    return self.lookup(module, (), (spec.name,) + name[1:], depth + 1)
                return self._imported(module, export.specifier, (spec.name,) + name[1:], depth)
            if export.star and export.star_alias == name[0] and export.specifier:
                return self._imported(module, export.specifier, name[1:], depth)
        for export in self.modules[module].exports:
            if export.star and export.star_alias is None and export.specifier:
                found = self._imported(module, export.specifier, name, depth)
                if not isinstance(found, Unresolved):
                    return found
        assigned = self.assigned(module)
        if assigned is not None:  # `export = X`: the module's names are X's members (`X` a namespace)
            found = self.lookup(module, (), (assigned,) + name, depth + 1)
            if not isinstance(found, Unresolved):
                return found
        return self._through_imports(module, name, depth + 1)
