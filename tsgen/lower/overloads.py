"""A protocol method's TypeScript overloads, made into overloads type checkers accept.

TypeScript picks the first signature a call matches, whatever the others; mypy and pyright
reject an overload no call can reach, and two that a call could match both with results of
unrelated types. So, in order: a signature every call of which an earlier one takes too is left
out; a later one that takes every call of an earlier one also returns what that one returns;
and where two could still both take a call (their numbers of arguments meet and no argument's
types are told apart by primitive type) and the earlier's result is not one of the later's, the
method is one signature:
each argument the union of its types, optional where a signature does not take it, the result
the union of the results. Several signatures that stay are `@overload`s. Types are judged as
checkers read them, aliases as their values: lodash's `List<T>` (= `ArrayLike<T>`, a lib type) is
Any, and `Comparator<T>` is `Comparator2<T, T>`, both `Callable[[T, T], bool]`.
"""

from __future__ import annotations

from dataclasses import replace

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.records import record


@record(frozen=True)
class Param:
    name: str
    type: py.PyType
    optional: bool = False
    rest: bool = False
    judged: py.PyType | None = None  # the type as checkers read it, where that is not its spelling (an alias that is Any)

    @property
    def seen(self) -> py.PyType:
        return self.type if self.judged is None else self.judged


@record(frozen=True)
class Lowered:
    """A signature with its types lowered."""

    params: tuple[Param, ...]
    returns: py.PyType
    doc: m.DocComment | None


def overloads(signatures: list[Lowered]) -> list[Lowered]:
    """The signatures to write for one method (see the module's doc)."""
    kept: list[Lowered] = []
    for sig in signatures:
        index = next((i for i, earlier in enumerate(kept) if _takes_all(earlier, sig)), None)
        if index is None:
            kept.append(sig)
        else:  # left out; its doc comment, as tsc documents the method, joins the one that takes its calls
            kept[index] = replace(kept[index], doc=_joined(kept[index].doc, sig.doc))
    kept = [_widened(sig, kept[:index]) for index, sig in enumerate(kept)]
    clash = any(_may_share_a_call(a, b) and not _broader(b.returns, a.returns) for i, a in enumerate(kept) for b in kept[i + 1 :])
    return [_merged(kept)] if clash else kept


def _joined(kept: m.DocComment | None, left_out: m.DocComment | None) -> m.DocComment | None:
    """The doc comment of a signature with that of one it stands for (lodash declares `stubFalse()`
    twice, documented twice): the other's text after its own, its tags after its own."""
    if kept is None or left_out is None or left_out.text in kept.text:
        return kept or left_out
    return replace(kept, body="\n\n".join(p for p in (kept.body, left_out.text) if p), tags=kept.tags + tuple(t for t in left_out.tags if t not in kept.tags))


def _widened(sig: Lowered, earlier: list[Lowered]) -> Lowered:
    covered = [e.returns for e in earlier if _takes_all(sig, e) and e.returns != sig.returns]
    return replace(sig, returns=py.union([sig.returns, *covered])) if covered else sig


def _merged(signatures: list[Lowered]) -> Lowered:
    """One signature taking every call any of them takes."""
    fixed = max(len([p for p in s.params if not p.rest]) for s in signatures)
    params: list[Param] = []
    for index in range(fixed):
        at = [s.params[index] for s in signatures if index < len(s.params) and not s.params[index].rest]
        optional = len(at) < len(signatures) or any(p.optional for p in at) or bool(params and params[-1].optional)
        params.append(Param(names.free(at[0].name, {p.name for p in params}), py.union([p.type for p in at]), optional, judged=py.union([p.seen for p in at])))
    rests = [p for s in signatures for p in s.params if p.rest]
    if rests:
        params.append(Param(names.free("args", {p.name for p in params}), py.ANY, rest=True))
    doc = signatures[0].doc
    for other in signatures[1:]:
        doc = _joined(doc, other.doc)
    return Lowered(tuple(params), py.union([s.returns for s in signatures]), doc)


def _arity(sig: Lowered) -> tuple[int, float]:
    fixed = [p for p in sig.params if not p.rest]
    return sum(not p.optional for p in fixed), float("inf") if any(p.rest for p in sig.params) else len(fixed)


def _may_share_a_call(a: Lowered, b: Lowered) -> bool:
    (low_a, high_a), (low_b, high_b) = _arity(a), _arity(b)
    if max(low_a, low_b) > min(high_a, high_b):
        return False
    fixed_a, fixed_b = [p for p in a.params if not p.rest], [p for p in b.params if not p.rest]
    return not any(_apart(x.seen, y.seen) for x, y in zip(fixed_a, fixed_b) if not (x.optional or y.optional))


_PRIMITIVE = {"str": "str", "float": "number", "int": "number", "bool": "bool", "None": "None"}
Atom = tuple[str, object]  # a primitive type ("str", "number", "bool", "None") and a literal value, or `...` for any


def _apart(a: py.PyType, b: py.PyType) -> bool:
    """Whether no value is of both types, as far as primitive types and literals tell."""
    atoms_a, atoms_b = _atoms(a), _atoms(b)
    if atoms_a is None or atoms_b is None:
        return False
    return all(_atoms_apart(x, y) for x in atoms_a for y in atoms_b)


def _atoms_apart(x: Atom, y: Atom) -> bool:
    if x[0] != y[0]:
        return {x[0], y[0]} != {"number", "bool"}  # a bool is an int to Python's type checkers
    return x[1] is not ... and y[1] is not ... and x[1] != y[1]


def _atoms(t: py.PyType) -> list[Atom] | None:
    """The primitive types a type is made of (literals by value); None for anything else."""
    found: list[Atom] = []
    for member in t.members if isinstance(t, py.PyUnion) else (t,):
        if isinstance(member, py.PyLiteral):
            found += [("bool" if isinstance(v, bool) else "str" if isinstance(v, str) else "number", v) for v in member.values]
        elif isinstance(member, py.PyName) and not member.module and member.via is None and member.name in _PRIMITIVE:
            found.append((_PRIMITIVE[member.name], ...))
        else:
            return None
    return found


def _takes_all(a: Lowered, b: Lowered) -> bool:
    """Whether every call `b` takes, `a` takes with the same or broader types."""
    a_rest = next((p for p in a.params if p.rest), None)
    a_fixed = [p for p in a.params if not p.rest]
    if sum(not p.optional for p in a_fixed) > sum(not p.optional for p in b.params if not p.rest):
        return False
    for index, p in enumerate(b.params):
        if p.rest and a_rest is None:
            return False
        other = a_fixed[index] if index < len(a_fixed) and not p.rest else a_rest
        if other is None or not _broader(other.seen, p.seen):
            return False
    return True


def _broader(a: py.PyType, b: py.PyType) -> bool:
    """Whether every value of `b` is one of `a` (as far as their spelling tells; Any is taken by
    every type, as type checkers judge overloads)."""
    if a in (py.ANY, py.OBJECT) or b == py.ANY or a == b:
        return True
    a_members = a.members if isinstance(a, py.PyUnion) else (a,)
    b_members = b.members if isinstance(b, py.PyUnion) else (b,)
    if py.ANY in a_members or py.OBJECT in a_members:  # `str | object` is object to type checkers
        return True
    return all(any(_covers(x, y) for x in a_members) for y in b_members)


_LITERAL_OF = {py.STR: (str,), py.FLOAT: (int, float), py.INT: (int,), py.BOOL: (bool,)}


def _covers(a: py.PyType, b: py.PyType) -> bool:
    if a == b:
        return True
    if not isinstance(b, py.PyLiteral):
        return False
    if isinstance(a, py.PyLiteral):
        return set(b.values) <= set(a.values)
    kinds = _LITERAL_OF.get(a, ()) if isinstance(a, py.PyName) else ()
    return all(isinstance(v, kinds) and (isinstance(v, bool) == (bool in kinds)) for v in b.values)
