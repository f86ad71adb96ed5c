"""The properties of `typeof` a namespace or a module (`Pick<typeof assert, 'equal' | 'ok'>`,
`typeof import("assert")`, as @types/node writes its `Assert` class's instances): its functions,
as callables, and its variables, each with its doc comment. An overloaded function is a callable
of any arguments that returns what any overload returns (Python's `Callable` has no overloads);
a generic one, of any arguments returning Any (its type parameters mean nothing outside a call).
A module's are the functions and variables it exports (through `export =`: that namespace's)."""

from __future__ import annotations

import re
from dataclasses import replace

from tsgen import tsmodel as m
from tsgen.diagnostics import Pos
from tsgen.lower import members
from tsgen.lower.types import TypeEnv
from tsgen.lower.utility_types import TYPEOF
from tsgen.program import Found

_TYPEOF_IMPORT = re.compile(r"""typeof\s+import\s*\(\s*(["'])(.+?)\1\s*\)""")

Values = list[tuple[m.Function | m.Variable, TypeEnv]]


def namespace_properties(t: m.UnsupportedType, env: TypeEnv) -> members.Props:
    text = t.text.strip()
    imported = _TYPEOF_IMPORT.fullmatch(text)
    named = TYPEOF.fullmatch(text)
    name = tuple(p.strip() for p in named.group(1).split(".")) if named else ()
    if imported is not None:
        target = env.program.target_module(env.module, imported.group(2))
    else:
        target = env.program.imported_module(env.module, name[0]) if len(name) == 1 else None
    if target is not None and target in env.program.modules:
        values = _module_values(target, env)
    else:
        values = _namespace_values(env.program.lookup(env.module, env.scope, name), env) if name else None
    if values is None:
        raise members.NotComputable(t.pos, f"`{text[:60]}` is not `typeof` a namespace or a module")
    return _properties(values, t.pos)


def _namespace_values(found: object, env: TypeEnv) -> Values | None:
    spaces = [d for d in found.decls if isinstance(d, m.Namespace)] if isinstance(found, Found) else []
    if not isinstance(found, Found) or not spaces:
        return None
    values: Values = []
    for space in spaces:
        where = env.program.origin(space, found.module)
        space_env = replace(env, module=where, scope=found.path, type_vars={}, bound={})
        values += [(d, space_env) for d in space.body if isinstance(d, (m.Function, m.Variable))]
        for spec in (spec for export in space.exports if export.specifier is None for spec in export.names):  # `export { f as g }`
            values += _named(env.program.lookup(where, found.path[:-1], (spec.name,)), spec.alias, env)
    return values


def _named(found: object, name: str, env: TypeEnv) -> Values:
    """The functions and variables a name resolves to, under the name they are exported as."""
    if not isinstance(found, Found):
        return []
    found_env = replace(env, module=env.program.origin(found.decls[0], found.module), scope=found.path[:-1], type_vars={}, bound={})
    return [(replace(d, name=name), found_env) for d in found.decls if isinstance(d, (m.Function, m.Variable))]


def _module_values(target: str, env: TypeEnv) -> Values | None:
    assigned = env.program.assigned(target)
    if assigned is not None:
        return _namespace_values(env.program.lookup(target, (), (assigned,)), env)
    values: Values = []
    for name in env.program.exported_names(target):
        values += _named(env.program.lookup_export(target, (name,)), name, env)
    return values


def _properties(values: Values, pos: Pos) -> members.Props:
    functions: dict[str, list[m.Function]] = {}
    props: dict[str, tuple[m.Property, TypeEnv]] = {}
    for decl, decl_env in values:
        if isinstance(decl, m.Function):
            overloads = functions.setdefault(decl.name, [])
            overloads.append(decl)
            props[decl.name] = (m.Property(decl.name, _callable(overloads, pos), readonly=True, doc=overloads[0].doc, pos=decl.pos), decl_env)
        else:
            props[decl.name] = (m.Property(decl.name, decl.type or m.KeywordType("any", decl.pos), readonly=decl.const, doc=decl.doc, pos=decl.pos), decl_env)
    return list(props.values())


def _callable(overloads: list[m.Function], pos: Pos) -> m.FunctionType:
    if len(overloads) == 1 and not overloads[0].type_params:
        only = overloads[0]
        return m.FunctionType(only.params, only.returns or m.KeywordType("void", pos), pos)
    anything = (m.Param("args", m.ArrayType(m.KeywordType("any", pos), pos=pos), rest=True),)
    if any(f.type_params for f in overloads):
        return m.FunctionType(anything, m.KeywordType("any", pos), pos)
    returns = tuple(dict.fromkeys(f.returns or m.KeywordType("void", pos) for f in overloads))
    return m.FunctionType(anything, returns[0] if len(returns) == 1 else m.UnionType(returns, pos), pos)
