"""Pass: interfaces made of methods become `typing.Protocol` classes.

An interface whose members (its bases' included) are methods and call signatures, with no
property or index signature (`EventListenerObject`, `Thenable<T>`, a callback interface), is a
protocol: every object with those methods is one, as in TypeScript. Its methods keep their
names, doc comments and order (a base's first, a redeclared one where the interface declares
it); several signatures of one name are `@overload`s (tsgen.lower.overloads); a call signature
is `__call__`. The
parameters are positional-only (TypeScript passes arguments by position; an implementation may
name them as it likes), optional ones default to `...`, a rest parameter is `*args`. A method
returning `Promise<T>` returns `Awaitable[T]`. A method's own type parameters are their
constraints (`K extends keyof M`: M's keys), else Any. An optional
method (`m?()`) is left out, with a warning: a protocol cannot make a member optional, and one
without it accepts every object that has the others. Construct signatures are left out, warned.

A generic protocol's type parameters get the variance their use has, as type checkers require
(tsgen.lower.variance).

Interfaces with properties and methods stay data classes, and where protocols use them get a
protocol form too (tsgen.lower.mixed).
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.members import all_properties, instantiate
from tsgen.lower.models import doc_of, field_def
from tsgen.lower.naming import PROTOCOL
from tsgen.lower.types import TypeEnv, lower
from tsgen.lower.overloads import Lowered, Param, overloads
from tsgen.lower.variance import rest_element
from tsgen.program import Found, Program, Unresolved
from tsgen.pymodel import ParamDef, ProtocolAttrDef, ProtocolDef, ProtocolMethodDef
from tsgen.kinds import NOT_CONVERTED

Signature = m.Method | m.CallSignature
CALL = "__call__"
AWAITABLE = py.PyName("Awaitable", "collections.abc")


def protocol_keys(program: Program, entities: list[Entity]) -> frozenset[Key]:
    """The entities that are protocols: interfaces of methods only, their bases' included."""
    known = {e.key: e for e in entities}
    kinds: dict[Key, str] = {}
    return frozenset(e.key for e in entities if _kind(e, program, known, kinds) == "protocol")


def _kind(entity: Entity, program: Program, known: dict[Key, Entity], kinds: dict[Key, str]) -> str:
    """"protocol" (methods, no data), "empty" (no members at all) or "data"."""
    if entity.key in kinds:
        return kinds[entity.key]
    kinds[entity.key] = "data"  # while it is computed: a cycle of bases is data
    decl = entity.decl
    if not isinstance(decl, m.Interface) or entity.interface is not None or any(isinstance(x, (m.Property, m.IndexSignature)) for x in decl.members):
        return "data"
    kind = "protocol" if any(isinstance(x, (m.Method, m.CallSignature)) for x in decl.members) else "empty"
    for base in decl.extends:
        found = program.lookup(program.origin(base, entity.key.module), entity.key.path[:-1], base.name)
        base_entity = known.get(Key(found.module, found.path)) if isinstance(found, Found) else None
        base_kind = _kind(base_entity, program, known, kinds) if base_entity is not None else "data"
        if base_kind == "data":
            return "data"
        kind = "protocol" if base_kind == "protocol" else kind
    kinds[entity.key] = kind
    return kind


# ---------------------------------------------------------------- lowering


def lower_protocol(entity: Entity, name: str, env: TypeEnv, runtime: str, with_data: bool = False) -> ProtocolDef:
    """The protocol of an interface of methods; `with_data`: the protocol form of an interface of
    data and methods (tsgen.lower.mixed), its properties attributes. Interfaces of data and
    methods that its types name are their protocol forms (the PROTOCOL role)."""
    assert isinstance(entity.decl, m.Interface)
    env = env.at(env.scope, PROTOCOL)
    signatures = _signatures(entity.decl, entity.key, env, frozenset())
    attributes = _attributes(entity, env, set(signatures)) if with_data else ()
    shadowed = {a.name for a in attributes} | {CALL if n == CALL else names.identifier(n) for n in signatures}
    methods: list[ProtocolMethodDef] = []
    for ts_name, overloaded in signatures.items():
        lowered = overloads([_lowered(s, s_env) for s, s_env in overloaded if not _left_out(s, entity, env)])
        python_name = ts_name if ts_name == CALL else names.identifier(ts_name)
        methods += [_method(python_name, _shadow_safe(sig, shadowed), overload=len(lowered) > 1) for sig in lowered]
    type_params = tuple(t.render() for t in env.type_vars.values()) if all(t != py.ANY for t in env.type_vars.values()) else ()
    attributes = tuple(replace(a, type=py.shadow_safe(a.type, shadowed)) for a in attributes)
    return ProtocolDef(name, entity.key.dotted, tuple(methods), doc_of(entity.decl.doc), entity.decl.pos, runtime, type_params, attributes=attributes)


def _attributes(entity: Entity, env: TypeEnv, methods: set[str]) -> tuple[ProtocolAttrDef, ...]:
    """The properties of an interface of data and methods, its bases' included, as attributes (a
    readonly one a read-only property); optional ones may be None."""
    found: list[ProtocolAttrDef] = []
    for prop, prop_env in all_properties(entity, env):
        if prop.name in methods:
            continue
        f = field_def(prop, prop_env)
        found.append(ProtocolAttrDef(f.name, f.type if f.required else py.union([f.type, py.NONE]), f.doc, prop.readonly))
    return tuple(found)


def _shadow_safe(sig: Lowered, shadowed: set[str]) -> Lowered:
    """A signature whose types name no builtin a member of the class shadows (`str` beside an
    attribute `str` is `builtins.str`)."""
    params = tuple(replace(p, type=py.shadow_safe(p.type, shadowed)) for p in sig.params)
    return replace(sig, params=params, returns=py.shadow_safe(sig.returns, shadowed))


def _lowered(s: Signature, env: TypeEnv) -> Lowered:
    """The signature's Python types; its own type parameters are their constraints (`K extends
    keyof M`: M's keys), else Any."""
    judging = replace(env, expanding=())  # as type checkers read the types: aliases as their values (tsgen.lower.overloads)
    for tp in s.type_params if isinstance(s, m.Method) else ():
        env = replace(env, type_vars={**env.type_vars, tp.name: lower(tp.constraint, env) if tp.constraint is not None else py.ANY})
        judging = replace(judging, type_vars={**judging.type_vars, tp.name: lower(tp.constraint, judging) if tp.constraint is not None else py.ANY})
    params: list[Param] = []
    taken = {"self"}
    defaulted = False
    for param in (p for p in s.params if p.name != "this"):
        name = names.free(names.identifier(param.name), taken)
        taken.add(name)
        if param.rest:
            element = rest_element(param)
            spelled, judged = (lower(element, env), lower(element, judging)) if element is not None else (py.ANY, py.ANY)
            params.append(Param(name, spelled, rest=True, judged=judged if judged != spelled else None))
            break
        defaulted = defaulted or param.optional
        spelled, judged = lower(param.type, env), lower(param.type, judging)
        params.append(Param(name, spelled, defaulted, judged=judged if judged != spelled else None))
    return Lowered(tuple(params), _returns(s.returns, env), s.doc)


def _method(name: str, sig: Lowered, overload: bool) -> ProtocolMethodDef:
    params: list[ParamDef] = []
    for p in sig.params:
        if p.rest:
            params += [ParamDef("/", "", kind="slash")] if params else []
            params.append(ParamDef(p.name, py.annotation(p.type), kind="varargs", needs=p.type.imports()))
        else:
            params.append(ParamDef(p.name, py.annotation(p.type, or_none=p.optional), "..." if p.optional else None, needs=p.type.imports()))
    if params and params[-1].kind != "varargs":
        params.append(ParamDef("/", "", kind="slash"))
    return ProtocolMethodDef(name, tuple(params), sig.returns, doc_of(sig.doc), overload)


def _signatures(decl: m.Interface, key: Key, env: TypeEnv, seen: frozenset[Key]) -> dict[str, list[tuple[Signature, TypeEnv]]]:
    """Every signature by name, the bases' first (the first base's where two declare a name),
    the interface's own replacing a base's of the same name."""
    found: dict[str, list[tuple[Signature, TypeEnv]]] = {}
    own_env = replace(env, scope=key.path[:-1])
    for base in decl.extends:
        target = env.program.lookup(env.program.origin(base, env.module), key.path[:-1], base.name)
        if not isinstance(target, Found) or Key(target.module, target.path) in seen:
            continue
        base_env = instantiate(target, base, replace(own_env, module=env.program.origin(base, env.module)))
        for base_decl in (d for d in target.decls if isinstance(d, m.Interface)):
            inner = replace(base_env, module=env.program.origin(base_decl, target.module))
            for ts_name, signatures in _signatures(base_decl, Key(target.module, target.path), inner, seen | {key}).items():
                found.setdefault(ts_name, signatures)
    own: dict[str, list[tuple[Signature, TypeEnv]]] = {}
    for member in decl.members:
        if isinstance(member, (m.Method, m.CallSignature)):
            ts_name = member.name if isinstance(member, m.Method) else CALL
            own.setdefault(ts_name, []).append((member, replace(own_env, module=env.program.origin(member, env.module))))
    for ts_name, signatures in own.items():  # redeclared without a doc comment: the base's, as tsc documents it
        inherited = next((s.doc for s, _ in found.get(ts_name, ()) if s.doc is not None), None)
        if inherited is not None and all(s.doc is None for s, _ in signatures):
            first, first_env = signatures[0]
            signatures[0] = (replace(first, doc=inherited), first_env)
    return {**found, **own}


def _left_out(s: Signature, entity: Entity, env: TypeEnv) -> bool:
    if isinstance(s, m.CallSignature) and s.construct:
        env.diagnostics.warn(s.pos, f"construct signature of `{entity.key.dotted}` is not in its protocol (Python has no type for `new`)", kind=NOT_CONVERTED)
        return True
    if isinstance(s, m.Method) and s.optional:
        env.diagnostics.warn(s.pos, f"optional method `{s.name}` of `{entity.key.dotted}` is not in its protocol (a protocol member cannot be optional)", kind=NOT_CONVERTED)
        return True
    return False


def _returns(t: m.TypeExpr | None, env: TypeEnv) -> py.PyType:
    """What a method returns; a `Promise<T>` is awaited (`Awaitable[T]`)."""
    if isinstance(t, m.TypeRef) and t.dotted == "Promise" and len(t.args) == 1 and isinstance(env.program.lookup(env.module, env.scope, t.name), Unresolved):
        return py.PyGeneric(AWAITABLE, (lower(t.args[0], env),))
    return lower(t, env) if t is not None else py.ANY
