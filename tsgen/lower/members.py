"""Normalising step: the properties of object-like types, as tsc computes them.

An interface has its own properties and those of every base; a base (or the argument of a
utility type) may be an interface, a class, an alias of an object type, an inline object
type, an intersection, or one of TypeScript's utility types applied to those: `Partial`,
`Required`, `Readonly`, `NonNullable`, `Pick`, `Omit` and `Record`, with keys computed from
unions of literals (through aliases, `Exclude`, `Extract`, `NonNullable` and `keyof`).
A name means the global utility type only where it resolves to nothing in the program: a
declared or imported `Omit` is that declaration.

Each property comes with the environment its type is read in (where it was declared, its
interface's type parameters bound). What cannot be computed (keys from a generic parameter,
a mapped type) raises NotComputable; callers warn at its position and degrade. Like tsc
(which rejects `interface X<T> extends Partial<T>`), members are never computed from a type
parameter, even one bound where the interface is used.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.diagnostics import Pos
from tsgen.lower.entities import Entity, Key
from tsgen.lower.naming import PROTOCOL
from tsgen.lower.types import TypeEnv, lower, type_params_of
from tsgen.parse.mapped import reparsed
from tsgen.parse.types import parse_type
from tsgen.program import Found, RuntimeName, Unresolved
from tsgen.kinds import NOT_CONVERTED, UNREPRESENTABLE, UNSUPPORTED_TYPE

Props = list[tuple[m.Property, TypeEnv]]

UTILITIES = frozenset({"Partial", "Required", "Readonly", "NonNullable", "Pick", "Omit", "Record", "Exclude", "Extract"})


class NotComputable(Exception):
    """Where and why a type's properties or keys cannot be computed."""

    def __init__(self, pos: Pos, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


def utility(ref: m.TypeRef, env: TypeEnv) -> str | None:
    """The global utility type a reference names, if it does (no declaration, import or type
    parameter of that name is in scope)."""
    name = ref.dotted
    if name not in UTILITIES or name in env.type_vars:
        return None
    return name if isinstance(env.program.lookup(env.module, env.scope, ref.name), Unresolved) else None


# ---------------------------------------------------------------- interfaces and bases


def all_properties(entity: Entity, env: TypeEnv, seen: frozenset[Key] = frozenset()) -> Props:
    """Own and inherited properties (a redeclared property overrides the inherited one)."""
    decl = entity.decl
    assert isinstance(decl, (m.Interface, m.Class))
    own_env = replace(env, module=entity.key.module, scope=entity.key.path[:-1])
    inherited: dict[str, tuple[m.Property, TypeEnv]] = {}
    for base in decl.extends if isinstance(decl, m.Interface) else _class_bases(entity):
        for prop, base_env in base_properties(base, entity.key.dotted, _written(base, own_env), seen | {entity.key}):
            inherited.setdefault(prop.name, (prop, base_env))  # of two bases with one property, the first's (as tsc)
    for member in decl.members:
        if isinstance(member, m.Property):
            base_doc = inherited[member.name][0].doc if member.name in inherited else None
            inherited[member.name] = (replace(member, doc=_inherited_doc(member.doc, base_doc)), _written(member, own_env))
        elif isinstance(member, m.IndexSignature):
            env.diagnostics.warn(member.pos, f"index signature of `{entity.key.dotted}` cannot be expressed on a class; extra keys are accepted but not typed", kind=UNREPRESENTABLE)
        elif isinstance(member, (m.Method, m.CallSignature)) and not (isinstance(member, m.Method) and member.name == "constructor"):
            if PROTOCOL not in env.naming.forms.get(entity.key, ()):  # else its protocol form has it (tsgen.lower.mixed)
                env.diagnostics.warn(member.pos, f"method signature in `{entity.key.dotted}` is not converted (only data members of a non-resource type are)", kind=NOT_CONVERTED)
    return list(inherited.values())


def _inherited_doc(own: m.DocComment | None, base: m.DocComment | None) -> m.DocComment | None:
    """A redeclared property's doc comment: its own, but the base's text where its own has none
    (`/** @deprecated */`: the text is the base's and the tag its own), as tsc documents it."""
    if own is None or base is None:
        return own or base
    return own if own.text else replace(own, summary=base.summary, body=base.body)


def _class_bases(entity: Entity) -> tuple[m.TypeRef, ...]:
    """The bases of the interfaces of a class's name merged into it (`interface Stats extends
    StatsBase<number> {}` beside `class Stats {}`). A class's own base class is a class, which
    becomes a resource or a helper of the SDK's, not a data type: not read (see `_class`)."""
    return entity.interface.extends if entity.interface is not None else ()


def _written(part: m.Property | m.TypeRef, env: TypeEnv) -> TypeEnv:
    """Where a part of a declaration resolves its names: the file it is written in (a declaration
    merged across files has parts in several, tsgen.merging)."""
    module = env.program.origin(part, env.module)
    return env if module == env.module else replace(env, module=module)


def base_properties(base: m.TypeRef, owner: str, env: TypeEnv, seen: frozenset[Key]) -> Props:
    """The properties a base contributes; none (with a warning) where they cannot be computed."""
    try:
        return properties(base, env, seen)
    except NotComputable as exc:
        env.diagnostics.warn(exc.pos, f"base `{_text(base)}` of `{owner}`: {exc.reason}; its properties are not included", kind=UNSUPPORTED_TYPE)
        return []


def properties(t: m.TypeExpr, env: TypeEnv, seen: frozenset[Key] = frozenset()) -> Props:
    """The properties of an object-like type expression."""
    if isinstance(t, m.ParenType):
        return properties(t.inner, env, seen)
    if isinstance(t, m.ObjectType):
        return [(x, env) for x in t.members if isinstance(x, m.Property)]
    if isinstance(t, m.IntersectionType):
        return _intersection(t, env, seen)
    if isinstance(t, m.TypeRef):
        return _reference(t, env, seen)
    if isinstance(t, m.UnsupportedType) and t.construct == "mapped type":
        from tsgen.lower.mapped import mapped_properties  # it computes with this module's functions

        return mapped_properties(t, env, seen)
    if isinstance(t, m.UnsupportedType) and t.construct == "typeof":
        from tsgen.lower.namespace_values import namespace_properties

        return namespace_properties(t, env)
    raise NotComputable(t.pos, f"{_describe(t)} is not an object type whose properties tsgen can compute")


def _intersection(t: m.IntersectionType, env: TypeEnv, seen: frozenset[Key]) -> Props:
    """`A & B`: the properties of both; one in both is optional only if it is in both."""
    merged: dict[str, tuple[m.Property, TypeEnv]] = {}
    for member in t.members:
        for prop, prop_env in properties(member, env, seen):
            earlier = merged.get(prop.name)
            optional = prop.optional and (earlier is None or earlier[0].optional)
            doc = prop.doc or (earlier[0].doc if earlier else None)
            merged[prop.name] = (replace(prop, optional=optional, doc=doc), prop_env)
    return list(merged.values())


def _reference(ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> Props:
    if ref.dotted in env.type_vars:
        if ref.dotted in env.bound and not ref.args:  # a generic used with an argument: the argument's
            argument, argument_env = env.bound[ref.dotted]
            return properties(argument, argument_env, seen)
        raise NotComputable(ref.pos, f"`{ref.dotted}` is a generic parameter")  # tsc computes none from one either
    kind = utility(ref, env)
    if kind is not None:
        return _apply(kind, ref, env, seen)
    found = _found(ref, env, seen)
    inner = instantiate(found, ref, env)
    key = Key(found.module, found.path)
    interfaces = [d for d in found.decls if isinstance(d, m.Interface)]
    merged = m.Interface(interfaces[0].name, tuple(x for i in interfaces for x in i.members), (), tuple(r for i in interfaces for r in i.extends)) if interfaces else None
    cls = next((d for d in found.decls if isinstance(d, m.Class)), None)
    declared = replace(inner, bound={})  # an interface's bases are never its parameters' members (tsc rejects `extends Partial<T>`); an alias's may be
    if cls is not None:
        return _class(cls, merged, ref, declared, seen | {key})
    if merged is not None:
        return all_properties(Entity(key, merged, 0), declared, seen)
    for decl in found.decls:
        if isinstance(decl, m.TypeAlias):
            return properties(decl.type, inner, seen | {key})
    kinds = ", ".join(sorted({type(d).__name__.lower() for d in found.decls}))
    raise NotComputable(ref.pos, f"`{ref.dotted}` ({kinds}) is not an object type")


def _class(cls: m.Class, merged: m.Interface | None, ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> Props:
    """The properties of a class an interface extends (`interface Gzip extends stream.Transform`):
    its base class's, its interfaces' of the same name, and its own data members."""
    props: dict[str, tuple[m.Property, TypeEnv]] = {}
    bases = ((cls.extends,) if cls.extends is not None else ()) + (merged.extends if merged is not None else ())
    for base in bases:
        for prop, prop_env in base_properties(base, ref.dotted, _written(base, env), seen):
            props.setdefault(prop.name, (prop, prop_env))
    members = cls.members + (merged.members if merged is not None else ())
    props.update((x.name, (x, _written(x, env))) for x in members if isinstance(x, m.Property))
    return list(props.values())


def _found(ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> Found:
    found = env.program.lookup(env.module, env.scope, ref.name)
    if isinstance(found, Unresolved):
        raise NotComputable(ref.pos, found.reason)
    if isinstance(found, RuntimeName):
        raise NotComputable(ref.pos, f"`{ref.dotted}` is a name of the SDK's runtime")
    if Key(found.module, found.path) in seen:
        raise NotComputable(ref.pos, f"`{ref.dotted}` refers to itself")
    return found


def instantiate(found: Found, ref: m.TypeRef, env: TypeEnv) -> TypeEnv:
    """The environment of a generic declaration used as `ref`: its type parameters bound to the
    arguments (lowered where `ref` is written), else to their defaults, else Any."""
    target = replace(env, module=env.program.origin(found.decls[0], found.module), scope=found.path[:-1], type_vars={}, bound={})
    for index, param in enumerate(type_params_of(found.decls)):
        argument: tuple[m.TypeExpr, TypeEnv] | None = None
        if index < len(ref.args):
            bound, argument = lower(ref.args[index], env), (ref.args[index], env)
        else:
            bound = lower(param.default, target) if param.default is not None else py.ANY
            argument = (param.default, target) if param.default is not None else None
        arguments = {**target.bound, param.name: argument} if argument is not None else target.bound
        target = replace(target, type_vars={**target.type_vars, param.name: bound}, bound=arguments)
    return target


# ---------------------------------------------------------------- utility types


def _args(ref: m.TypeRef, count: int) -> tuple[m.TypeExpr, ...]:
    if len(ref.args) != count:
        raise NotComputable(ref.pos, f"`{ref.dotted}` takes {count} type argument(s), not {len(ref.args)}")
    return ref.args


def _apply(kind: str, ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> Props:
    if kind in ("Partial", "Required", "Readonly", "NonNullable"):
        props = properties(_args(ref, 1)[0], env, seen)
        if kind == "Partial":
            return [(replace(p, optional=True), e) for p, e in props]
        if kind == "Required":
            return [(replace(p, optional=False), e) for p, e in props]
        return [(replace(p, readonly=True), e) for p, e in props] if kind == "Readonly" else props
    if kind in ("Pick", "Omit"):
        target, key_type = _args(ref, 2)
        props = properties(target, env, seen)
        chosen = set(keys(key_type, env, seen))
        return [(p, e) for p, e in props if (p.name in chosen) == (kind == "Pick")]
    if kind == "Record":
        key_type, value = _args(ref, 2)
        try:
            names = keys(key_type, env, seen)
        except NotComputable as exc:
            raise NotComputable(exc.pos, f"`Record` with these keys is an index signature ({exc.reason}); extra keys are accepted but not typed") from exc
        return [(m.Property(name, value, pos=ref.pos), env) for name in names]
    raise NotComputable(ref.pos, f"`{kind}` of object types is not computed")


@functools.lru_cache(maxsize=4096)
def keyof_operand(t: m.UnsupportedType) -> m.TypeRef | None:
    """The named type `keyof` is applied to (`keyof X`, `keyof ns.X`, `keyof X<A, B>`); None
    for another construct or operand (`keyof typeof x`)."""
    found = reparsed(t) if t.construct == "keyof operator" else None
    if found is None:
        return None
    value, ctx = found
    if value.type != "index_type_query" or not value.named_children:
        return None
    operand = parse_type(ctx, value.named_children[-1])
    return operand if isinstance(operand, m.TypeRef) else None


def keys(t: m.TypeExpr, env: TypeEnv, seen: frozenset[Key] = frozenset()) -> list[str]:
    """The property names a key type spells: a union of string or number literals."""
    if isinstance(t, m.ParenType):
        return keys(t.inner, env, seen)
    if isinstance(t, m.LiteralType) and not isinstance(t.value, bool):
        value = t.value
        return [str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)]
    if isinstance(t, m.KeywordType) and t.name == "never":
        return []
    if isinstance(t, m.UnionType):
        return list(dict.fromkeys(k for member in t.members for k in keys(member, env, seen)))
    if isinstance(t, m.UnsupportedType) and (operand := keyof_operand(t)) is not None:
        return [p.name for p, _ in properties(operand, env, seen)]
    if isinstance(t, m.UnsupportedType) and t.construct == "template literal type":
        from tsgen.lower.template_literals import strings  # it computes keys with this module

        return list(strings(t, env, {}, 0).values)  # its patterns (`x-${string}`) are index signatures, not properties
    if isinstance(t, m.TypeRef):
        return _key_reference(t, env, seen)
    raise NotComputable(t.pos, f"the keys {_describe(t)} are not a union of literals")


def _key_reference(ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> list[str]:
    if ref.dotted in env.type_vars:
        if ref.dotted in env.bound and not ref.args:
            argument, argument_env = env.bound[ref.dotted]
            return keys(argument, argument_env, seen)
        raise NotComputable(ref.pos, f"the keys come from the generic parameter `{ref.dotted}`")
    kind = utility(ref, env)
    if kind in ("Exclude", "Extract"):
        whole, other = _args(ref, 2)
        removed = set(keys(other, env, seen))
        return [k for k in keys(whole, env, seen) if (k in removed) == (kind == "Extract")]
    if kind == "NonNullable":
        return keys(_args(ref, 1)[0], env, seen)
    if kind is not None:
        raise NotComputable(ref.pos, f"the keys `{_text(ref)}` are not a union of literals")
    found = _found(ref, env, seen)
    aliases = [d for d in found.decls if isinstance(d, m.TypeAlias)]
    if not aliases:
        raise NotComputable(ref.pos, f"the keys `{ref.dotted}` are not a union of literals")
    return keys(aliases[0].type, instantiate(found, ref, env), seen | {Key(found.module, found.path)})


# ---------------------------------------------------------------- messages


def _text(ref: m.TypeRef) -> str:
    """`Omit<Y, ...>`: the reference as written, its arguments abridged."""
    return ref.dotted + ("<...>" if ref.args else "")


def _describe(t: m.TypeExpr) -> str:
    if isinstance(t, m.UnsupportedType):
        return f"{t.construct} `{t.text[:60]}`"
    if isinstance(t, m.KeywordType):
        return f"`{t.name}`"
    if isinstance(t, m.LiteralType):
        return f"literal `{t.value!r}`"
    if isinstance(t, m.TypeRef):
        return f"`{_text(t)}`"
    return {m.UnionType: "a union", m.ArrayType: "an array type", m.TupleType: "a tuple type", m.FunctionType: "a function type"}.get(type(t), "this type")
