"""Pass: type parameters of generic interfaces and aliases become module-level TypeVars.

Declarations that share a type parameter name with the same bound and default share its
TypeVar; a clash (same name, other bound or default, or a class of that name) gets a suffix.
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.lower.entities import Entity, Key
from tsgen.lower.variance import Variance
from tsgen.lower.types import TypeEnv, lower
from tsgen.pymodel import TypeVarDef


def _generic(entity: Entity) -> tuple[m.TypeParam, ...]:
    decl = entity.decl
    own = decl.type_params if isinstance(decl, (m.Interface, m.TypeAlias, m.Class)) else ()
    merged = entity.interface.type_params if entity.interface is not None else ()
    return merged if len(merged) > len(own) else own  # a class and its interface: the longer list (see type_params_of)


def _nominal_bound(t: m.TypeExpr | None) -> bool:
    """Whether a constraint means the same in Python: scalars and literals. TypeScript checks
    object constraints (`T extends { id?: string }`, `T extends Base`) by structure; Python
    bounds are nominal, and the generated classes do not subclass each other, so such a bound
    would reject the very types the declarations pass. Those TypeVars get no bound."""
    if isinstance(t, m.ParenType):
        return _nominal_bound(t.inner)
    if isinstance(t, m.UnionType):
        return all(_nominal_bound(member) for member in t.members)
    return isinstance(t, m.LiteralType) or (isinstance(t, m.KeywordType) and t.name in ("string", "number", "boolean", "bigint", "null"))


def _uses_all(entity: Entity, scope: dict[str, py.PyType], env: TypeEnv) -> bool:
    """Whether an alias's Python value names every one of its TypeVars (a generic alias must:
    `Pair[X, Y]` with `Pair = A` is an error), checked on a throwaway lowering."""
    decl = entity.decl
    if not isinstance(decl, m.TypeAlias):
        return True
    quiet = replace(env, diagnostics=Diagnostics(), type_vars=scope, module=env.program.origin(decl, entity.key.module), output_module=env.output_module, scope=entity.key.path[:-1])
    return {t.render() for t in scope.values()} <= py.local_names(lower(decl.type, quiet))


def type_vars(entities: list[Entity], env: TypeEnv, taken: set[str], variance: Variance | None = None) -> tuple[list[TypeVarDef], dict[Key, dict[str, py.PyType]]]:
    """TypeVar definitions for one module, and for each generic entity its parameters' TypeVars
    (a protocol's with the variance their use has: `T_co`, `T_contra`)."""
    defs: dict[str, TypeVarDef] = {}
    scopes: dict[Key, dict[str, py.PyType]] = {}
    for entity in entities:
        params = _generic(entity)
        if not params:
            continue
        kinds = variance.of(entity.key, (entity.decl,)) if variance is not None and entity.key in variance.protocols else {}
        if kinds is None:  # a protocol whose parameters' variance is not known: erased
            scopes[entity.key] = {p.name: py.ANY for p in params}
            continue
        scope: dict[str, py.PyType] = {}
        local = replace(env, module=env.program.origin(entity.decl, entity.key.module), output_module=env.output_module, scope=entity.key.path[:-1])
        for param in params:
            bound = lower(param.constraint, local.at(local.scope)) if _nominal_bound(param.constraint) else None
            default = lower(param.default, local.at(local.scope)) if param.default else None
            kind = kinds.get(param.name, "")
            wanted = TypeVarDef(param.name + _SUFFIX[kind], bound if bound != py.ANY else None, default, kind)
            name = _name(wanted, defs, taken)
            defs.setdefault(name, replace(wanted, name=name))
            scope[param.name] = py.PyName(name)
            local = replace(local, type_vars=dict(scope))
        if _uses_all(entity, scope, env):
            scopes[entity.key] = scope
        else:  # erased: its parameters are Any, and references take no arguments
            scopes[entity.key] = {p.name: py.ANY for p in params}
    used = {t.render() for s in scopes.values() for t in s.values()}
    return [d for d in defs.values() if d.name in used], scopes


_SUFFIX = {"": "", "covariant": "_co", "contravariant": "_contra"}


def _name(wanted: TypeVarDef, defs: dict[str, TypeVarDef], taken: set[str]) -> str:
    name, n = wanted.name, 1
    while name in taken or (name in defs and replace(defs[name], name=wanted.name) != wanted):
        n += 1
        name = f"{wanted.name}_{n}"
    return name
