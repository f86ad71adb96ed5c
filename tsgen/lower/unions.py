"""Pass: discriminated unions. `type Event = A | B` where every member is an interface with a
required literal property of the same name (`type: 'a'`, `type: 'b'`), all values distinct,
is emitted so that pydantic picks the member by that property when it converts an answer."""

from __future__ import annotations

from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.types import TypeEnv
from tsgen.program import Found

PREFERRED = ("type", "object", "kind", "event", "role")


def _literals(t: m.TypeExpr | None) -> set[str | int | float | bool] | None:
    """The literal values of a property type made only of literals, else None."""
    if isinstance(t, m.LiteralType):
        return {t.value}
    if isinstance(t, m.UnionType):
        parts = [_literals(x) for x in t.members]
        return None if any(p is None for p in parts) else set().union(*(p for p in parts if p is not None))
    return None


def _tags(ref: m.TypeExpr, scope: Key, env: TypeEnv) -> dict[str, set[str | int | float | bool]] | None:
    """Required literal-valued properties of the interface `ref` names: name -> values."""
    from tsgen.lower.models import all_properties  # models imports this module's users

    if not isinstance(ref, m.TypeRef):
        return None
    found = env.program.lookup(scope.module, scope.path[:-1], ref.name)
    if not isinstance(found, Found):
        return None
    interfaces = [d for d in found.decls if isinstance(d, m.Interface)]
    if not interfaces or interfaces[0].type_params:
        return None
    entity = Entity(Key(found.module, found.path), interfaces[0], 0)
    tags: dict[str, set[str | int | float | bool]] = {}
    for prop, _ in all_properties(entity, env):
        values = None if prop.optional else _literals(prop.type)
        if values:
            tags[prop.name] = values
    return tags


def discriminator(union: m.UnionType, owner: Key, env: TypeEnv) -> str | None:
    """The property that tells the members of `union` apart, or None."""
    members = [_tags(member, owner, env) for member in union.members]
    if len(members) < 2 or any(t is None for t in members):
        return None
    tag_sets = [t for t in members if t is not None]
    common = set.intersection(*(set(t) for t in tag_sets))
    for name in sorted(common, key=lambda n: (n not in PREFERRED, PREFERRED.index(n) if n in PREFERRED else 0, n)):
        values = [t[name] for t in tag_sets]
        if sum(len(v) for v in values) == len(set().union(*values)):  # no value in two members
            return name
    return None
