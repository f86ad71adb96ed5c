"""The variance of a protocol's type parameters, as type checkers require it of a generic
`typing.Protocol` (tsgen.lower.protocols) and check it against the use.

A parameter only in the methods' parameters is contravariant (`T_contra`), only in their results
or nowhere covariant (`T_co`), else invariant. A callback's parameters turn the position around;
`Promise<T>` is T's position; in a list (`T[]`), a data class or a dict it is invariant; in
another protocol it is turned by that protocol's variance. Where a parameter is inside a type
whose variance is not known (a lib type, a protocol that uses itself through its parameters, a
method with overloads, which tsgen.lower.overloads may merge or leave out), the protocol is
erased: its parameters are Any and references to it take no arguments, as erased generic aliases.
A generic alias is read through: type checkers judge a protocol before the aliases written after
it, and so would see no use there, so a protocol names the alias's value where its arguments
name the protocol's parameters (tsgen.lower.types).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tsgen import tsmodel as m
from tsgen.lower.entities import Key
from tsgen.program import Found, Program
from tsgen.records import record

Variances = dict[str, str]  # parameter -> "covariant", "contravariant" or "" (invariant)
_MAX_DEPTH = 20
_TURN = {"covariant": 1, "contravariant": -1, "": 0}


@record(frozen=True)
class _At:
    """Where a type is read: its file and namespace, the parameters looked for, and the
    parameters of an alias being read with the arguments it was given (and where those are)."""

    module: str
    scope: tuple[str, ...]
    params: frozenset[str]
    bound: tuple[tuple[str, m.TypeExpr, _At], ...] = ()

    def argument(self, name: str) -> tuple[m.TypeExpr, _At] | None:
        return next(((t, at) for n, t, at in self.bound if n == name), None)

    @property
    def names(self) -> set[str]:
        return set(self.params) | {n for n, _, _ in self.bound}


@dataclass
class Variance:
    program: Program
    protocols: frozenset[Key]
    _known: dict[Key, Variances | None] = field(default_factory=dict)

    def of(self, key: Key, decls: tuple[m.Declaration, ...]) -> Variances | None:
        """The variance of each type parameter of the protocol `key`; None where not known."""
        if key not in self._known:
            self._known[key] = None  # while it is computed: one that uses itself is not known
            self._known[key] = self._computed(key, [d for d in decls if isinstance(d, m.Interface)])
        return self._known[key]

    def _computed(self, key: Key, decls: list[m.Interface]) -> Variances | None:
        params = {p.name for d in decls for p in d.type_params}
        uses: dict[str, set[int]] = {p: set() for p in params}
        signatures = [(x.name if isinstance(x, m.Method) else "") for d in decls for x in d.members if isinstance(x, (m.Method, m.CallSignature))]
        if len(signatures) != len(set(signatures)):  # overloads may be merged or left out (tsgen.lower.overloads): uses not known here
            return None
        for decl in decls:
            if any(_mentions(arg, params) for base in decl.extends for arg in base.args):
                return None
            for s in (x for x in decl.members if isinstance(x, (m.Method, m.CallSignature)) and not _left_out(x)):
                own = {p.name for p in s.type_params} if isinstance(s, m.Method) else set()
                at = _At(self.program.origin(s, key.module), key.path[:-1], frozenset(params - own))
                ins = [self._walk(rest_element(p) if p.rest else p.type, -1, at, uses, 0) for p in s.params]
                if not all(ins) or not self._walk(s.returns, 1, at, uses, 0):
                    return None
        return {p: "covariant" if found <= {1} else "contravariant" if found == {-1} else "" for p, found in uses.items()}

    def _walk(self, t: m.TypeExpr | None, polarity: int, at: _At, uses: dict[str, set[int]], depth: int) -> bool:
        """Record where the parameters appear in `t` (1: out, -1: in, 0: both); False where one
        is inside a type whose variance is not known."""
        if t is None or not _mentions(t, at.names):
            return True
        if depth > _MAX_DEPTH:
            return False
        if isinstance(t, m.TypeRef) and len(t.name) == 1 and not t.args:
            argument = at.argument(t.name[0])
            if argument is not None:
                return self._walk(argument[0], polarity, argument[1], uses, depth + 1)
            uses[t.name[0]].add(polarity)
            return True
        if isinstance(t, m.TypeRef):
            return self._reference(t, polarity, at, uses, depth)
        if isinstance(t, m.ArrayType):
            return self._walk(t.element, 0, at, uses, depth + 1)
        if isinstance(t, m.UnionType):
            return self._union(t, polarity, at, uses, depth)
        if isinstance(t, m.ParenType):
            return self._walk(t.inner, polarity, at, uses, depth + 1)
        if isinstance(t, m.FunctionType):  # as tsgen.lower.types writes it: with a rest or optional parameter, `Callable[..., R]`
            ins = () if any(p.rest or p.optional for p in t.params) else t.params
            return all(self._walk(p.type, -polarity, at, uses, depth + 1) for p in ins) and self._walk(t.returns, polarity, at, uses, depth + 1)
        return False

    def _union(self, t: m.UnionType, polarity: int, at: _At, uses: dict[str, set[int]], depth: int) -> bool:
        """A union's members; a parameter that is one of them itself (`T | T[]`) takes the others'
        uses of it: type checkers judge a protocol's variance with `object` for the parameter,
        which absorbs the rest of the union (and Never, which leaves the rest)."""
        members = _flat(t, at)
        bare = {name for x, x_at in members if (name := _bare(x, x_at)) is not None}
        others: dict[str, set[int]] = {p: set() for p in uses}
        for x, x_at in members:
            if not self._walk(x, polarity, x_at, uses if _bare(x, x_at) is not None else others, depth + 1):
                return False
        for p, found in others.items():
            if p not in bare:
                uses[p] |= found
        return True

    def _reference(self, t: m.TypeRef, polarity: int, at: _At, uses: dict[str, set[int]], depth: int) -> bool:
        if t.dotted == "Promise" and len(t.args) == 1:
            return self._walk(t.args[0], polarity, at, uses, depth + 1)
        found = self.program.lookup(at.module, at.scope, t.name)
        if not isinstance(found, Found):
            return t.dotted in ("Array", "ReadonlyArray", "Record") and all(self._walk(a, 0, at, uses, depth + 1) for a in t.args)
        key = Key(found.module, found.path)
        aliases = [d for d in found.decls if isinstance(d, m.TypeAlias)]
        if aliases:  # a protocol names its value (see tsgen.lower.types.expand_in_protocol): read through it
            alias = aliases[0]
            if len(aliases) > 1 or not alias.type_params or len(t.args) > len(alias.type_params):
                return False
            bound = tuple((p.name, a, at) for p, a in zip(alias.type_params, t.args))
            inner = _At(self.program.origin(alias, found.module), found.path[:-1], frozenset(), bound)
            return self._walk(alias.type, polarity, inner, uses, depth + 1)
        if key in self.protocols:
            known = self.of(key, found.decls)
            params = [p.name for d in found.decls if isinstance(d, m.Interface) for p in d.type_params]
            if known is None:
                return False
            return all(self._walk(a, polarity * _TURN[known.get(p, "")], at, uses, depth + 1) for p, a in zip(params, t.args))
        if any(isinstance(d, (m.Interface, m.Class)) for d in found.decls):  # a data class: invariant (checkers read a class's declared variance)
            return all(self._walk(a, 0, at, uses, depth + 1) for a in t.args)
        return False


def _left_out(s: m.Method | m.CallSignature) -> bool:
    """A member the protocol does not have (tsgen.lower.protocols): an optional method, a construct signature."""
    return s.optional if isinstance(s, m.Method) else s.construct


def _flat(t: m.TypeExpr, at: _At) -> list[tuple[m.TypeExpr, _At]]:
    """A union's members, with those of the unions in it (an alias's parameter bound to a union,
    `ProviderResult<T | T[]>`, parentheses) in their place: one union to type checkers."""
    if isinstance(t, m.UnionType):
        return [flat for x in t.members for flat in _flat(x, at)]
    if isinstance(t, m.ParenType):
        return _flat(t.inner, at)
    if isinstance(t, m.TypeRef) and len(t.name) == 1 and not t.args and (argument := at.argument(t.name[0])) is not None:
        return _flat(argument[0], argument[1])
    return [(t, at)]


def _bare(t: m.TypeExpr, at: _At) -> str | None:
    """The parameter a type is, itself (through the arguments of the aliases being read), or None."""
    if not (isinstance(t, m.TypeRef) and len(t.name) == 1 and not t.args):
        return None
    argument = at.argument(t.name[0])
    if argument is not None:
        return _bare(argument[0], argument[1])
    return t.name[0] if t.name[0] in at.params else None


def rest_element(param: m.Param) -> m.TypeExpr | None:
    """The type of each argument a rest parameter takes (`...args: T[]`, `Array<T>`: T)."""
    t = param.type
    if isinstance(t, m.ArrayType):
        return t.element
    if isinstance(t, m.TypeRef) and t.dotted in ("Array", "ReadonlyArray") and len(t.args) == 1:
        return t.args[0]
    return None


def _mentions(t: m.TypeExpr | None, names: set[str]) -> bool:
    """Whether a type names one of `names` anywhere (a construct kept as text: by its text)."""
    if t is None or not names:
        return False
    if isinstance(t, m.TypeRef):
        return (len(t.name) == 1 and t.name[0] in names) or any(_mentions(a, names) for a in t.args)
    if isinstance(t, (m.UnionType, m.IntersectionType)):
        return any(_mentions(x, names) for x in t.members)
    if isinstance(t, m.ParenType):
        return _mentions(t.inner, names)
    if isinstance(t, m.ArrayType):
        return _mentions(t.element, names)
    if isinstance(t, m.TupleType):
        return any(_mentions(e.type, names) for e in t.elements)
    if isinstance(t, m.FunctionType):
        return any(_mentions(p.type, names) for p in t.params) or _mentions(t.returns, names)
    if isinstance(t, m.ObjectType):
        return any(_mentions(x, names) for member in t.members for x in _member_types(member))
    if isinstance(t, m.UnsupportedType):
        return any(re.search(rf"(?<![\w$.]){re.escape(n)}(?![\w$])", t.text) for n in names)
    return False


def _member_types(member: m.Member) -> list[m.TypeExpr | None]:
    if isinstance(member, m.Property):
        return [member.type]
    if isinstance(member, m.IndexSignature):
        return [member.value_type]
    if isinstance(member, (m.Method, m.CallSignature)):
        return [*(p.type for p in member.params), member.returns]
    return []
