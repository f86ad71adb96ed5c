"""The properties of a mapped type, where they are known:

- over the keys of a type (`{ [K in keyof T]?: T[K] | undefined }`, a homomorphic mapped type,
  as @types/node's `PartialOptions<T>`): T's properties, each of its own type (with what the
  value adds to it: `| undefined`, `| null`), made optional by `?`/`+?`, required by `-?`, else
  as in T; T may be a type parameter bound where the alias is used (`PartialOptions<Opts>`);
- over a union of literal keys (`{ [K in 'a' | 'b']?: number }`): one property per key, of the
  value's type.

T may be a generic interface with its arguments (`keyof EventMap<E>`). Where the value names the
key (`{ [K in keyof M]: Handler<K> }`), each property's value has the key bound to its own name
(`Handler<'change'>`). A mapped type that renames its keys (`as`), or whose value indexes T
otherwise than by the key, is not computed (NotComputable, warned by the caller at its place).
"""

from __future__ import annotations

import re
from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower import members
from tsgen.lower.entities import Key
from tsgen.lower.types import TypeEnv
from tsgen.parse.mapped import MappedParts, parse_mapped

def mapped_properties(t: m.UnsupportedType, env: TypeEnv, seen: frozenset[Key]) -> members.Props:
    parts = parse_mapped(t)
    if parts is None:
        raise members.NotComputable(t.pos, "a mapped type of more than one member")
    if parts.renamed:
        raise members.NotComputable(t.pos, "a mapped type that renames its keys (`as`)")
    source = members.keyof_operand(parts.keys) if isinstance(parts.keys, m.UnsupportedType) else None
    if source is not None:
        return [_homomorphic(parts, source.name, p, p_env, env) for p, p_env in members.properties(source, env, seen)]
    names = members.keys(parts.keys, env, seen)
    return [(m.Property(name, parts.value, optional=parts.optional in ("?", "+?"), pos=t.pos), _keyed(parts, name, env)) for name in names]


def _keyed(parts: MappedParts, name: str, env: TypeEnv) -> TypeEnv:
    """Where one property's value type is read: the key bound to that property's name, when the
    value names it (`{ [K in Keys]: Handler<K> }`: `Handler<'change'>` for key `change`)."""
    if not _mentions(parts.value_text, parts.key):
        return env
    literal = m.LiteralType(name, parts.value.pos)
    return replace(env, type_vars={**env.type_vars, parts.key: py.PyLiteral((name,))}, bound={**env.bound, parts.key: (literal, env)})


def _homomorphic(parts: MappedParts, source: tuple[str, ...], prop: m.Property, prop_env: TypeEnv, env: TypeEnv) -> tuple[m.Property, TypeEnv]:
    """One property of `{ [K in keyof T]: ... }`: T's property `prop`, its type as the value says."""
    optional = {"?": True, "+?": True, "-?": False}.get(parts.optional, prop.optional)
    value = parts.value.members if isinstance(parts.value, m.UnionType) else (parts.value,)
    own = [v for v in value if _indexes(v, source, parts.key)]
    rest = [v for v in value if not _indexes(v, source, parts.key)]
    if len(own) == 1 and prop.type is not None and all(isinstance(v, m.KeywordType) for v in rest):
        typed = m.UnionType((prop.type, *rest), prop.pos) if rest else prop.type
        return replace(prop, type=typed, optional=optional), prop_env
    if not own and not _indexed_inside(parts.value_text, source, parts.key):
        return replace(prop, type=parts.value, optional=optional), _keyed(parts, prop.name, env)
    raise members.NotComputable(parts.value.pos, f"the value type `{parts.value_text[:60]}` depends on the key `{parts.key}`")


def _mentions(text: str, name: str) -> bool:
    """Whether a type's text names `name` (the key of a mapped type)."""
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text) is not None


def _indexed_inside(text: str, source: tuple[str, ...], key: str) -> bool:
    """Whether a value's text indexes the source type by the key somewhere (`Array<T[K]>`)."""
    name = r"\s*\.\s*".join(re.escape(part) for part in source)
    return re.search(rf"(?<![\w$.]){name}\s*\[\s*{re.escape(key)}\s*\]", text) is not None


def _indexes(t: m.TypeExpr, source: tuple[str, ...], key: str) -> bool:
    """Whether `t` is `T[K]`: the source type indexed by the key."""
    if not isinstance(t, m.UnsupportedType) or t.construct != "indexed access type":
        return False
    match = re.fullmatch(r"\s*([\w$.\s]+?)\s*\[\s*([\w$]+)\s*\]\s*", t.text)
    return match is not None and tuple(p.strip() for p in match.group(1).split(".")) == source and match.group(2) == key
