"""The pipeline: load and parse, normalise in passes, lower, render, format."""

from __future__ import annotations

import builtins
import contextlib
import gc
import hashlib
import keyword
from collections.abc import Iterator
from dataclasses import dataclass, replace

from tsgen import names, progress
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.jsroutes import RouteReader
from tsgen.lower.entities import Entity, Key, collect
from tsgen.lower.forms import assign_forms
from tsgen.lower.models import lower_alias, lower_enum, lower_interface
from tsgen.lower.cycles import break_alias_cycles
from tsgen.lower.import_cycles import defer_cycle_aliases, late_aliases
from tsgen.lower.inheritance import inherit, parents_first
from tsgen.lower.naming import MODEL, PAGE_ASYNC, PAGE_SYNC, PARAM, PROTOCOL, SYNC, NameRequest, Naming, assign_names, module_import, relative_module
from tsgen.lower.parts import parts_reexports, split_large_modules
from tsgen.lower import single
from tsgen.lower.mixed import mixed_protocol_keys
from tsgen.lower.protocols import lower_protocol, protocol_keys
from tsgen.lower import msgspec_models
from tsgen.lower.msgspec_models import MSGSPEC, STRUCT_BASE
from tsgen.lower.pydantic_models import MODEL_BASE, PYDANTIC, generic_aliases, rebuild_bases
from tsgen.lower.variance import Variance
from tsgen.lower.pages import PageRules, as_page_alias, is_page_class, lower_page
from tsgen.lower.client import CLIENT_MODULE, configured, find_clients, lower_client
from tsgen.lower.resources import Route, lower_resource
from tsgen.lower.doc_examples import ClientTree, Outcomes, translate_examples
from tsgen.lower.doc_links import Links, resolve_links
from tsgen.lower.resource_bases import bases_first, resource_base, with_base
from tsgen.lower.roles import closure, is_resource, method_type_keys, reference_graph
from tsgen.lower.types import TypeEnv, lib_names
from tsgen.program import Found, Program, js_beside
from tsgen.pymodel import AliasDef, BaseModelDef, Definition, StructDef, ModuleFile, RecursiveAliasDef, ReExport, ResourceDef, TypeVarDef
from tsgen.lower.generics import type_vars
from tsgen.pytypes import ANY, IMPORTED_NAMES, PyName, PyType, local_names
from tsgen.emit import Lowered, emit, manifest_symbols
from tsgen.api.sides import package_of
from tsgen.options import Options
from tsgen import tsmodel as m
from tsgen.records import record
from tsgen.kinds import NO_ROUTE, RENAMED

RESERVED_NAMES = set(dir(builtins)) | set(keyword.kwlist) | set(IMPORTED_NAMES)


def _reserved(options: Options) -> set[str]:
    """RESERVED_NAMES and the names that configured runtime types import (`pkg.mod.Name`)."""
    targets = [v.removeprefix("runtime:") for v in options.runtime_types.values() if v not in ("unwrap", "page", "stream")]
    style = {MODEL_BASE} if options.model_type == PYDANTIC else set(msgspec_models.RESERVED) if options.model_type == MSGSPEC else set()
    return RESERVED_NAMES | style | {t.rsplit(".", 1)[-1] for t in targets} | set(options.reserved_names)


@dataclass
class Result:
    files: dict[str, bytes]  # path relative to the output directory -> content
    diagnostics: Diagnostics


_RUNTIME_CLASSES = {"stream": ("Stream", "AsyncStream")}  # runtime names a kind of SDK runtime type brings


def _runtime_imports(program: Program, rel: str, options: Options) -> set[str]:
    """The runtime classes a module uses because it imports their SDK counterparts (`Stream`):
    its own definitions must not take their names. (A module cannot both import and declare a
    name, so this never renames a declaration the module's users see under that name.)"""
    found: set[str] = set()
    for imp in program.modules[rel].imports:
        if program.is_runtime(rel, imp.specifier):
            for spec in imp.names:
                found.update(_RUNTIME_CLASSES.get(options.runtime_types.get(spec.name, ""), ()))
    return found


def _reexported_names(program: Program, rel: str) -> set[str]:
    """The Python names a module's re-exports may take, which its own definitions must not."""
    declared = {path[0] for path in program.declarations(rel)}  # a declaration wins over `export *`
    found = [n for n in program.exported_names(rel) if n not in declared]
    return {n for name in found for n in (names.class_name(name), names.class_name(name) + "Param")}


def _naming(entities: list[Entity], forms: dict[Key, tuple[str, ...]], py_modules: dict[str, tuple[str, ...]], reserved: dict[str, set[str]], parts: dict[Key, str]) -> Naming:
    """Names over each output module (a declaration placed in another file's module by `parts`
    is named there)."""
    naming = Naming(py_modules, forms=forms, parts=dict(parts))
    reserved = single.merged_reserved(entities, parts, reserved)
    by_module: dict[str, list[NameRequest]] = {}
    for entity in entities:
        entity_forms = forms[entity.key]
        dual = MODEL in entity_forms and PARAM in entity_forms
        both = SYNC in entity_forms and (MODEL in entity_forms or PARAM in entity_forms)
        for form in entity_forms:
            by_module.setdefault(naming.home(entity.key), []).append(NameRequest(entity.key, form, dual, both))
    for module, requests in by_module.items():
        naming.names.update(assign_names(requests, reserved[module]))
    return naming


def _routes(options: Options, program: Program, entity: Entity, diagnostics: Diagnostics, reader: RouteReader) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    js_rel = js_beside(entity.key.module)
    js = program.path(js_rel)
    if js.is_file():
        found, warnings = reader.routes(js_rel, js)
        class_name = entity.key.path[-1]
        routes.update({name: Route.from_js(r) for name, r in found.get(class_name, {}).items()})
        for w in (w for w in warnings if w.class_name == class_name):
            diagnostics.warn(Pos(js_rel, w.line, w.col), f"route of `{w.class_name}.{w.method}` not understood: {w.message}", kind=NO_ROUTE)
    prefix = entity.key.dotted + "."
    for key, spec in options.routes.items():
        if key.startswith(prefix):
            routes[key[len(prefix):]] = _config_route(spec)
    return routes


def _config_route(spec: str) -> Route:
    verb, _, path = spec.strip().partition(" ")
    params = tuple(part.split("}")[0] for part in path.split("{")[1:])
    return Route(verb.lower(), path.strip(), params, "body", None)


@record(frozen=True)
class _Kinds:
    """The entities that are not plain data: resource classes and page classes."""

    resources: set[Key]
    pages: frozenset[Key]
    rules: PageRules
    routes: RouteReader
    protocols: frozenset[Key]


def _model_root(model_type: str, runtime: str) -> tuple[PyName | None, type[BaseModelDef]]:
    """The runtime base of the style's data classes and their kind (None: dataclasses)."""
    if model_type == MSGSPEC:
        return PyName(STRUCT_BASE, runtime), StructDef
    return (PyName(MODEL_BASE, runtime) if model_type == PYDANTIC else None), BaseModelDef


def _lower_entity(entity: Entity, options: Options, env: TypeEnv, program: Program, kinds: _Kinds, module: ModuleFile) -> list[Definition]:
    naming = env.naming
    defs: list[Definition] = []
    runtime = relative_module(module.path, ("_runtime",))
    if entity.key in kinds.pages:
        return [lower_page(entity, env, kinds.rules, runtime)]
    if entity.key in kinds.protocols:
        return [lower_protocol(entity, naming.names[(entity.key, MODEL)], env, runtime)]
    resources = kinds.resources
    if entity.key in resources:
        own = replace(entity, decl=entity.own_class())
        resource = lower_resource(own, env, _routes(options, program, entity, env.diagnostics, kinds.routes), resources, runtime, kinds.pages)
        defs.append(with_base(resource, resource_base(entity, program, resources), naming, entity.key.module))
        entity = entity.data_part()
    decl = entity.decl
    for form in (f for f in naming.forms[entity.key] if f in (MODEL, PARAM)):
        name = naming.names[(entity.key, form)]
        if isinstance(decl, (m.Interface, m.Class)):
            defs.append(lower_interface(entity, name, form, env, *_model_root(options.model_type, runtime)))
        elif isinstance(decl, m.TypeAlias):
            defs.append(lower_alias(entity, name, form, env))
        elif isinstance(decl, m.Enum):
            defs.append(lower_enum(entity, name, env))
    if PROTOCOL in naming.forms[entity.key]:
        defs.append(lower_protocol(entity, naming.names[(entity.key, PROTOCOL)], env, runtime, with_data=True))
    return defs


def _emitted(program: Program, entities: list[Entity], graph: dict[Key, list[Key]], inputs: set[str]) -> list[Entity]:
    """Everything declared in the input files, and what it uses from the files they import
    (those are read to resolve names, not converted whole)."""
    roots = [e.key for e in entities if not inputs.isdisjoint(program.declared_in(e.key.module, e.key.path))]
    known = {e.key for e in entities}
    wanted: set[Key] = set()
    classes = [e for e in entities if e.key.module in inputs]
    while classes:  # a class of another file that is used (a sub-resource) brings what its methods take
        roots += method_type_keys(program, classes, known)
        found = closure(roots, graph)
        classes = [e for e in entities if e.key in found and e.key not in wanted and e.key.module not in inputs and is_resource(e, program)]
        wanted = found
    return [e for e in entities if e.key in wanted]


def _order(defs: list[Definition]) -> tuple[list[Definition], list[Definition]]:
    """Module-level statements run in order, so what a statement names must already exist.

    Early: TypeVars, classes (their annotations are strings), aliases naming only this module.
    Late, after the imports of the package's other modules: aliases that name other modules
    (or late aliases), so that a module in an import cycle has its early part defined before
    the other module's late part reads it; then resources.
    """
    type_var_defs = [d for d in defs if isinstance(d, TypeVarDef)]
    classes = parents_first([d for d in defs if not isinstance(d, (AliasDef, ResourceDef, TypeVarDef))])
    resources = bases_first([d for d in defs if isinstance(d, ResourceDef)])
    aliases = _aliases_in_dependency_order([d for d in defs if isinstance(d, AliasDef)], {d.name for d in [*classes, *type_var_defs]})
    late = late_aliases(aliases)
    early: list[Definition] = [*type_var_defs, *classes, *(a for a in aliases if a.name not in late)]
    return early, [*(a for a in aliases if a.name in late), *resources]


def _aliases_in_dependency_order(aliases: list[AliasDef], defined: set[str]) -> list[AliasDef]:
    ordered: list[AliasDef] = []
    placed = set(defined)
    pending = list(aliases)
    while pending:
        ready = [a for a in pending if not (a.needs if isinstance(a, RecursiveAliasDef) else local_names(a.type)) - placed]
        for alias in ready or pending[:1]:
            ordered.append(alias)
            placed.add(alias.name)
            pending.remove(alias)
    return ordered


def _reexports(program: Program, naming: Naming, rel: str, py_path: tuple[str, ...], emitted: set[str]) -> list[ReExport]:
    """What a module exports from other modules (`export {...} from`, `export * from`, through
    shims and index files): imported into it under their Python names, so that what users
    import from a module in TypeScript they import from it in Python."""
    result: set[ReExport] = set()
    declared = {path[0] for path in program.declarations(rel) if len(path) == 1}
    for name in program.exported_names(rel):
        found = program.lookup_export(rel, (name,)) if name not in declared else None
        if not isinstance(found, Found) or found.module == rel:
            continue
        key = Key(found.module, found.path)
        for form in naming.forms.get(key, ()):
            if (key, form) in naming.names:
                home = naming.py_modules[naming.home(key)]
                py_name = naming.names[(key, form)]
                result.add(ReExport(relative_module(py_path, home), py_name, home, _exported_as(py_name, found.path[-1], name)))
    for export in program.modules[rel].exports:
        target = program.target_module(rel, export.specifier) if export.star_alias and export.specifier else None
        if export.star_alias and target in emitted:
            module = module_import(py_path, naming.py_modules[target])
            result.add(ReExport(module.module, module.name, naming.py_modules[target], names.identifier(export.star_alias)))
    return sorted(result, key=lambda r: (r.module, r.name, r.public))


def _exported_as(py_name: str, declared: str, exported: str) -> str | None:
    """The Python name of a declaration re-exported under another name (`export { X as Y }`):
    its own Python name with the TypeScript name replaced (`X` → `Y`, `XParam` → `YParam`);
    None when it is exported under its own name or as `default`, or when its Python name does
    not start with its TypeScript name (escaped: then it keeps its own)."""
    if exported in (declared, "default") or not py_name.startswith(declared):
        return None
    renamed = names.identifier(exported) + py_name[len(declared) :]
    return renamed if renamed != py_name else None


def build(options: Options) -> Result:
    """Run the whole pipeline in memory. Raises TsgenError on input that cannot be converted."""
    lowered = lower_package(options)
    files: dict[str, bytes] = {}
    emit(options, lowered, files.__setitem__)
    return Result(dict(sorted(files.items())), lowered.diagnostics)


def lower_package(options: Options, seen: dict[str, str] | None = None, freeze: bool = False) -> Lowered:
    """Parse, normalise and lower the whole package into Python modules (not rendered yet).
    The parsed program is dropped on return: only the modules and what the manifest needs stay.
    `seen`: the files the previous run read, with their hashes (what is worth caching).
    `freeze`: every object there is then is left out of the cyclic collector's walks from then
    on (`gc.freeze`), for a process that has the package rendered and ends."""
    with _collector_paused(freeze):
        return _lower_package(options, seen or {})


@contextlib.contextmanager
def _collector_paused(freeze: bool) -> Iterator[None]:
    """The model is a large tree of objects without cycles: the cyclic garbage collector would
    walk it again and again while it grows (a sixth of the time) and free nothing; once more
    when it is back on, unless the objects are frozen first."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _lower_package(options: Options, seen: dict[str, str]) -> Lowered:
    diagnostics = Diagnostics()
    program = Program(options.root, options.runtime_modules, diagnostics, frozenset(options.runtime_types), inputs=frozenset(options.inputs), cache_dir=options.cache_dir, seen=seen, lib_names=lib_names())
    beside = [js_beside(rel) for rel in options.inputs]  # read while the declarations are parsed
    routes = RouteReader(options.root, beside, options.cache_dir, seen)
    progress.phase("parsing declaration files")
    for rel in options.inputs:
        program.load(rel)
    everything = [as_page_alias(e) if is_page_class(e, program) else e for e in collect(program, set(options.inputs))]
    protocols = protocol_keys(program, everything)
    graph = reference_graph(program, everything, protocols)
    mixed = mixed_protocol_keys(program, everything, protocols, graph)
    graph.update(reference_graph(program, [e for e in everything if e.key in mixed], mixed, known={e.key for e in everything}))
    entities = _emitted(program, everything, graph, set(options.inputs))
    pages = frozenset(e.key for e in entities if is_page_class(e, program))
    resources = {e.key for e in entities if is_resource(e, program)}
    forms = assign_forms(program, entities, resources, graph, options.model_type)
    forms.update((key, (PAGE_SYNC, PAGE_ASYNC)) for key in pages)
    forms.update((key, (MODEL,)) for key in protocols if key in forms)
    forms.update((key, forms[key] + (PROTOCOL,)) for key in mixed if key in forms)
    py_modules, renamed = names.module_paths(list(program.modules))
    for rel, wanted, given, why in renamed:
        diagnostics.warn(Pos(rel, 1, 1), f"module name `{wanted}` is taken ({why}); this file becomes `{given}`", kind=RENAMED)
    reserved = _reserved(options)
    taken = {rel: reserved | _reexported_names(program, rel) | _runtime_imports(program, rel, options) for rel in program.modules}
    naming = _naming(entities, forms, py_modules, taken, single.homes(entities, options.inputs) if options.single_module else {})
    base_env = TypeEnv(program, naming, diagnostics, "", (), MODEL, options.runtime_types, model_type=options.model_type)
    split = split_large_modules(entities, base_env, resources | pages, options.module_fields)
    emitted_modules = set(options.inputs) | {e.key.module for e in entities}
    modules = {rel: ModuleFile(py_modules[rel], rel) for rel in sorted(emitted_modules)}
    modules.update((part, ModuleFile(naming.py_modules[part], rel, public_path=py_modules[rel])) for rel, parts in split.items() for part in parts)
    scopes = _type_var_scopes(modules, entities, base_env, reserved, protocols)
    kinds = _Kinds(resources, pages, PageRules(program, diagnostics, {}), routes, protocols)
    progress.phase("lowering declarations", len(entities))
    for entity in entities:
        progress.advance()
        home = naming.home(entity.key)
        mod = modules[home]
        env = replace(base_env, module=program.origin(entity.decl, entity.key.module), output_module=home, scope=entity.key.path[:-1])
        env = replace(env, type_vars=scopes.get(entity.key, {}))
        mod.definitions.extend(_lower_entity(entity, options, env, program, kinds, mod))
    break_alias_cycles(modules, diagnostics)
    if options.model_type == PYDANTIC:
        generic_aliases(modules)
    for rel, mod in modules.items():
        if mod.public_path is None:
            mod.reexports = _reexports(program, naming, rel, mod.path, set(modules))
    if options.single_module:
        single.drop_reexports(modules[options.inputs[0]], diagnostics)
    for rel, parts in split.items():
        modules[rel].reexports += parts_reexports(modules[rel], [modules[part] for part in parts])
    inherit(modules.values(), diagnostics)
    defer_cycle_aliases(modules.values())
    for mod in modules.values():
        mod.definitions, mod.late_definitions = _order(mod.definitions)
    if options.model_type == PYDANTIC:
        rebuild_bases(list(modules.values()))
    if options.model_type == MSGSPEC:
        msgspec_models.apply(list(modules.values()), diagnostics)
    client = _client_module(program, naming, base_env, resources, options)
    examples = _examples(program, naming, resources, modules, client, options)
    resolve_links({**modules, CLIENT_MODULE: client} if client is not None else modules, Links(program, naming, options.package))
    inputs = _files_read(program)
    symbols = _declared_also(program, manifest_symbols(options, modules))
    if client is not None:
        modules[CLIENT_MODULE] = client
    return Lowered(modules, diagnostics, inputs, symbols, package_of(options.root), examples)


def _examples(program: Program, naming: Naming, resources: set[Key], modules: dict[str, ModuleFile], client: ModuleFile | None, options: Options) -> Outcomes[str]:
    """The docstrings' `@example` calls of the client in Python (tsgen.lower.doc_examples)."""
    if client is None:
        return Outcomes()
    tree = ClientTree(program, naming, resources, modules.values())
    return translate_examples(modules, tree, find_clients(program, resources), client, options.line_length - 8)


def _declared_also(program: Program, symbols: list[dict[str, str]]) -> list[dict[str, str]]:
    """The symbols, and for a declaration merged across files (tsgen.merging) the same symbol
    for each other file that declares a part of it: each file's declaration is found."""
    result = []
    for symbol in symbols:
        result.append(symbol)
        if symbol["source"] in program.modules:
            path = tuple(symbol["ts_name"].split("."))
            for other in program.declared_in(symbol["source"], path):
                if other != symbol["source"]:
                    result.append({**symbol, "source": other, "ts_name": ".".join(program.written_in(symbol["source"], path, other))})
    return result


def _files_read(program: Program) -> list[dict[str, str]]:
    """Every file whose content decides the output, with its hash (for the manifest, and for
    `tsgen.freshness` to answer without parsing): the declaration files, the `.js` file beside
    each (routes, the client's options, page rules are read from those), the other `.js` files
    the client's and the pages' readers follow, and the package.json files that name entries
    and exports."""
    found = set(program.modules)
    found |= {js for rel in program.modules if program.path(js := js_beside(rel)).is_file()}
    found |= program.package_manifests()
    root = program.root.resolve()
    found |= {p.relative_to(root).as_posix() for p in program.js_read if p.is_relative_to(root)}
    return [{"path": rel, "sha256": hashlib.sha256(program.path(rel).read_bytes()).hexdigest()} for rel in sorted(found)]


def _client_module(program: Program, naming: Naming, env: TypeEnv, resources: set[Key], options: Options) -> ModuleFile | None:
    """`_client.py`: the SDK's root client(s), when the package's entry declares one whose
    resources are converted."""
    clients = find_clients(program, resources) if resources else []
    if not clients:
        return None
    naming.py_modules[CLIENT_MODULE] = ("_client",)
    env = replace(env, module=CLIENT_MODULE, output_module=CLIENT_MODULE)
    mod = ModuleFile(("_client",), clients[0][0].module, template="client_module.py.jinja")
    clients_defs = [lower_client(key, decl, replace(env, module=key.module), resources, "._runtime") for key, decl in clients]
    mod.definitions = [configured(c, options.base_url, options.api_key_env) for c in clients_defs]
    return mod


def _type_var_scopes(modules: dict[str, ModuleFile], entities: list[Entity], env: TypeEnv, reserved: set[str], protocols: frozenset[Key]) -> dict[Key, dict[str, PyType]]:
    """TypeVar definitions added to each module; the TypeVars in scope for each entity.

    A generic alias whose value does not name all its parameters is erased (tsgen.lower.generics),
    and references to it take no arguments; that may leave another alias, which named its
    parameters only through the erased one, without them too: repeated until nothing changes."""
    by_module: dict[str, list[Entity]] = {}
    for entity in entities:
        by_module.setdefault(env.naming.home(entity.key), []).append(entity)
    variance = Variance(env.program, protocols)
    names_in: dict[str, set[str]] = {}
    for (key, _), name in env.naming.names.items():
        names_in.setdefault(env.naming.home(key), set()).add(name)
    while True:
        scopes: dict[Key, dict[str, PyType]] = {}
        defined: dict[str, list[TypeVarDef]] = {}
        for rel in modules:
            taken = reserved | names_in.get(rel, set())
            defined[rel], found = type_vars(by_module.get(rel, []), replace(env, module=rel, output_module=rel), taken, variance)
            scopes.update(found)
        erased = {key for key, scope in scopes.items() if any(t == ANY for t in scope.values())}
        if erased <= env.naming.erased:
            break
        env.naming.erased.update(erased)
    for rel, mod in modules.items():
        mod.definitions.extend(defined[rel])
    return scopes


