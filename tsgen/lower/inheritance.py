"""Normalising step: `interface B extends A` kept as Python inheritance, `class B(A)`.

Lowering gives every class all its fields, its bases' included, in TypeScript's order (a base's
fields first, a redeclared one where the base has it), as tsc computes them. Where the bases are
interfaces emitted in the same form (dataclass or TypedDict) and not generic, the class becomes a
subclass of theirs, and its body declares only what it adds, so that `isinstance(b, A)` holds and
a `B` is an `A` to type checkers (`Box[B]` where `T` is bound to `A`).

A base of another module is imported before the class statement (`from . import shared as
_shared`, then `class B(_shared.A)`), which is safe only when that module does not import this one,
even through others: then it is loaded whole before this module's classes run. A base in this
module's import cycle (see tsgen.lower.import_cycles) is not inherited from (the class is flattened,
warned); that is decided on the import graph with every class flattened, a graph that only
loses edges as classes inherit. Nor is a TypedDict of another module whose optional keys name the
package (see `_names_package`: `typing.get_type_hints` could not resolve them in the subclass).

The fields stay the same and in the same order: a dataclass collects them along its MRO (from
the last base to the class), a TypedDict along its bases in order, so a dataclass's bases are
written in reverse TypeScript order. A redeclared property identical to the base's is inherited;
one that only changes the doc comment is declared again by a dataclass, and inherited by a
TypedDict (which may not redeclare a key). Where Python cannot say it, the class keeps all its
fields and no base, with a warning: a property whose type or optionality differs from its base's
(a mutable attribute's type cannot change in a subclass), or bases that disagree on a property.
A generic interface inherits like any other (`class NodeListOf(NodeList, Generic[TNode])`); a
generic base (`extends A<string>`) is not inherited from, warned: pydantic does not read a base's
type arguments into the fields a class inherits, so they would not be validated. TypedDicts that
need the functional syntax (keys that are not identifiers) are not inherited from either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.lower.entities import Entity, Key
from tsgen.lower.import_cycles import Package, components, requalify
from tsgen.lower.naming import MODEL, module_import
from tsgen.lower.types import TypeEnv, type_params_of
from tsgen.program import Found
from tsgen.pymodel import DataclassDef, Definition, FieldDef, ModuleFile, TypedDictDef
from tsgen.pytypes import PyName
from tsgen.kinds import FLATTENED_CLASS

Record = DataclassDef | TypedDictDef
_VALUES = (m.Variable, m.Function, m.Namespace)  # what merges with an interface without changing its type (`declare var Element`, a namespace of its inline types)
Path = tuple[str, ...]


def parents_of(entity: Entity, form: str, env: TypeEnv) -> tuple[PyName, ...]:
    """The Python names (in `form`, in TypeScript's order) of the interfaces `entity` extends,
    when each is emitted in that form and none is generic; those of other modules through their
    module (`_shared.A`)."""
    naming = env.naming
    here = naming.home(entity.key)
    found: list[PyName] = []
    for key in parent_keys(entity, form, env):
        name, home = naming.names[(key, form)], naming.home(key)
        ref = PyName(name) if home == here else PyName(name, via=module_import(naming.py_modules[here], naming.py_modules[home]))
        found.append(ref)
    return tuple(dict.fromkeys(found))


def parent_keys(entity: Entity, form: str, env: TypeEnv) -> tuple[Key, ...]:
    """The interfaces `entity` extends (see parents_of), or none."""
    decl = entity.decl
    if not isinstance(decl, m.Interface) or not decl.extends:
        return ()
    keys = []
    naming = env.naming
    for base in decl.extends:
        found = env.program.lookup(env.program.origin(base, entity.key.module), entity.key.path[:-1], base.name)
        if not isinstance(found, Found):
            return ()
        types = tuple(d for d in found.decls if not isinstance(d, _VALUES))
        key = Key(found.module, found.path)
        if not types or not all(isinstance(d, m.Interface) for d in types) or (key, form) not in naming.names or key in naming.erased:
            return ()
        if base.args or type_params_of(types):
            env.diagnostics.warn(decl.pos, f"`{entity.key.dotted}` extends the generic `{base.dotted}`: its class declares the fields it inherits and is not a Python subclass (pydantic would not read the type arguments into inherited fields)", kind=FLATTENED_CLASS)
            return ()
        keys.append(key)
    if len(keys) > 1 and form == MODEL and env.model_type == "msgspec":
        env.diagnostics.warn(decl.pos, f"`{entity.key.dotted}` extends several interfaces: its msgspec struct declares the fields it inherits and is not a Python subclass (the slots of two structs cannot share one instance layout)", kind=FLATTENED_CLASS)
        return ()
    return tuple(keys)


def inherit(modules: Iterable[ModuleFile], diagnostics: Diagnostics) -> None:
    """Each class of the package that has parents made their subclass (or, with a warning where
    Python cannot say it, flattened)."""
    package = Package.of(modules)
    component = components(package)
    records = {(path, d.name): d for path, mod in package.modules.items() for d in mod.definitions if isinstance(d, (DataclassDef, TypedDictDef))}
    for path, mod in package.modules.items():
        defs: list[Definition] = []
        for d in mod.definitions:
            if isinstance(d, (DataclassDef, TypedDictDef)) and d.parents:
                parents = [_parent(p, path, package, component, records) for p in d.parents]
                cyclic = [name.name for name, parent in zip(d.parents, parents) if parent is None and name.via is not None and component[package.by_alias[name.via.alias]] == component[path]]
                if cyclic:
                    bases = ", ".join(f"`{n}`" for n in cyclic)
                    diagnostics.warn(d.pos, f"`{d.ts_name}` extends {bases} of a module that imports this one (an import cycle): a class statement needs its base when the module runs, so `{d.name}` declares all its fields and is not a Python subclass", kind=FLATTENED_CLASS)
                d = _subclass(d, parents, diagnostics)
            defs.append(d)
        mod.definitions = defs


def _parent(name: PyName, here: Path, package: Package, component: dict[Path, int], records: dict[tuple[Path, str], Record]) -> Record | None:
    """The class a parent names, its fields written for module `here`; None when it is not one
    to inherit from (in this module's import cycle)."""
    home = package.by_alias[name.via.alias] if name.via is not None else here
    found = records.get((home, name.name))
    if found is None or home == here:
        return found
    if component[home] == component[here] or (isinstance(found, TypedDictDef) and any(_names_package(f) for f in found.fields)):
        return None
    return replace(found, fields=tuple(replace(f, type=requalify(f.type, home, here, package)) for f in found.fields))


def _names_package(f: FieldDef) -> bool:
    """An optional TypedDict key whose type names the package: `NotRequired["X"]`. A TypedDict's MRO
    is dict's, so `typing.get_type_hints` reads the annotations it inherits in its own module, and
    only a whole-string annotation remembers the module it was written in (typing gives it one)."""
    return not f.required and bool(py.local_names(f.type) or py.package_imports(f.type))


def _subclass(d: Record, parents: list[Record | None], diagnostics: Diagnostics) -> Record:
    if any(p is None or type(p) is not type(d) or p.type_params or _functional(p) for p in parents) or _functional(d):
        return replace(d, parents=())
    merged: dict[str, FieldDef] = {}
    for parent in parents:
        assert parent is not None
        for f in parent.fields:
            if merged.setdefault(f.wire_name, f) != f:
                diagnostics.warn(d.pos, f"`{d.ts_name}`: its bases disagree on property `{f.wire_name}`; a Python class cannot be a subclass of both, so it declares all its fields and extends nothing", kind=FLATTENED_CLASS)
                return replace(d, parents=())
    inherited = d.fields[: len(merged)]
    if [f.wire_name for f in inherited] != list(merged):
        return replace(d, parents=())  # an order a subclass would not keep
    body: list[FieldDef] = []
    for own in inherited:
        base = merged[own.wire_name]
        if replace(own, doc=None) != replace(base, doc=None):
            diagnostics.warn(d.pos, f"`{d.ts_name}` redeclares property `{own.wire_name}` with another type than its base's; a Python subclass cannot change it, so its class declares all its fields and extends nothing", kind=FLATTENED_CLASS)
            return replace(d, parents=())
        if own.doc != base.doc and isinstance(d, DataclassDef):
            body.append(own)
    python_order = tuple(reversed(d.parents)) if isinstance(d, DataclassDef) else d.parents
    return replace(d, parents=python_order, body=tuple(body) + d.fields[len(merged) :])


def _functional(d: Record) -> bool:
    return isinstance(d, TypedDictDef) and d.functional


def parents_first(classes: list[Definition]) -> list[Definition]:
    """The module's classes in their order, but each class's parents moved before it (a class
    statement needs its bases defined)."""
    by_name = {d.name: d for d in classes}
    ordered: list[Definition] = []
    placed: set[str] = set()
    for d in classes:
        _place(d, by_name, placed, ordered)
    return ordered


def _place(d: Definition, by_name: dict[str, Definition], placed: set[str], ordered: list[Definition]) -> None:
    """`d` added to `ordered` after its parents (a function of its own, not a closure that calls
    itself: that would be a cycle, left for the collector)."""
    if d.name in placed:
        return
    placed.add(d.name)
    for parent in d.parents if isinstance(d, (DataclassDef, TypedDictDef)) else ():
        if parent.via is None and parent.name in by_name:
            _place(by_name[parent.name], by_name, placed, ordered)
    ordered.append(d)
