"""The properties of a mapped type, where they are known:

- over the keys of a type (`{ [K in keyof T]?: T[K] | undefined }`, a homomorphic mapped type,
  as @types/node's `PartialOptions<T>`): T's properties, each of its own type (with what the
  value adds to it: `| undefined`, `| null`), made optional by `?`/`+?`, required by `-?`, else
  as in T; T may be a type parameter bound where the alias is used (`PartialOptions<Opts>`);
- over a union of literal keys (`{ [K in 'a' | 'b']?: number }`): one property per key, of the
  value's type, where the value does not depend on the key.

A mapped type that renames its keys (`as`), or whose value depends on the key otherwise, is not
computed (NotComputable, warned by the caller at its place).
"""

from __future__ import annotations

import re
from dataclasses import replace

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
    source = members.KEYOF.fullmatch(parts.keys.text.strip()) if isinstance(parts.keys, m.UnsupportedType) else None
    if source is not None:
        name = tuple(part.strip() for part in source.group(1).split("."))
        return [_homomorphic(parts, name, p, p_env, env) for p, p_env in members.properties(m.TypeRef(name, (), t.pos), env, seen)]
    if _mentions(parts.value_text, parts.key):
        raise members.NotComputable(t.pos, f"the value type depends on the key `{parts.key}`")
    names = members.keys(parts.keys, env, seen)
    return [(m.Property(name, parts.value, optional=parts.optional in ("?", "+?"), pos=t.pos), env) for name in names]


def _homomorphic(parts: MappedParts, source: tuple[str, ...], prop: m.Property, prop_env: TypeEnv, env: TypeEnv) -> tuple[m.Property, TypeEnv]:
    """One property of `{ [K in keyof T]: ... }`: T's property `prop`, its type as the value says."""
    optional = {"?": True, "+?": True, "-?": False}.get(parts.optional, prop.optional)
    value = parts.value.members if isinstance(parts.value, m.UnionType) else (parts.value,)
    own = [v for v in value if _indexes(v, source, parts.key)]
    rest = [v for v in value if not _indexes(v, source, parts.key)]
    if len(own) == 1 and prop.type is not None and all(isinstance(v, m.KeywordType) for v in rest):
        typed = m.UnionType((prop.type, *rest), prop.pos) if rest else prop.type
        return replace(prop, type=typed, optional=optional), prop_env
    if not own and not _mentions(parts.value_text, parts.key):
        return replace(prop, type=parts.value, optional=optional), env
    raise members.NotComputable(parts.value.pos, f"the value type `{parts.value_text[:60]}` depends on the key `{parts.key}`")


def _mentions(text: str, name: str) -> bool:
    """Whether a type's text names `name` (the key of a mapped type)."""
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text) is not None


def _indexes(t: m.TypeExpr, source: tuple[str, ...], key: str) -> bool:
    """Whether `t` is `T[K]`: the source type indexed by the key."""
    if not isinstance(t, m.UnsupportedType) or t.construct != "indexed access type":
        return False
    match = re.fullmatch(r"\s*([\w$.\s]+?)\s*\[\s*([\w$]+)\s*\]\s*", t.text)
    return match is not None and tuple(p.strip() for p in match.group(1).split(".")) == source and match.group(2) == key
