"""Model pass, run on each file before names are indexed: inline object types and
intersections become named interfaces, so that they can become classes.

- `interface Foo { bar: { x: string } }` -> `interface Foo { bar: Foo.Bar }` and
  `namespace Foo { interface Bar { x: string } }` (the namespace merges with Foo);
- `type X = A & B & { c: string }` -> `interface X extends A, B { c: string }`;
- a property typed `A & { c: string }` -> a hoisted `interface Prop extends A { c: string }`;
- TypeScript's object utility types (`Omit<Y, 'a'>`, `Pick`, `Partial`, `Required`, and
  `Readonly`/`NonNullable` of those) where the file does not declare or import that name:
  `type X = Omit<Y, 'a'>` -> `interface X extends Omit<Y, 'a'> {}`, and a property or a class
  method's parameter of that type -> a hoisted `interface Prop extends Omit<Y, 'a'> {}`
  (tsgen/lower/members.py computes their properties);
- `type X = string | { a: string }` -> `type X = string | X.XMember`, `namespace X { interface XMember { a: string } }`.
Object types made only of one index signature (`{ [k: string]: T }`) stay: they are dicts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace

from tsgen import names
from tsgen.diagnostics import Pos
from tsgen import tsmodel as m


def _is_record(t: m.ObjectType) -> bool:
    return len(t.members) <= 1 and all(isinstance(x, m.IndexSignature) for x in t.members)


OBJECT_UTILITIES = frozenset({"Omit", "Pick", "Partial", "Required"})  # object types with members of their own
_WRAPPERS = frozenset({"Readonly", "NonNullable"})  # the same members as their argument
_HOISTED = OBJECT_UTILITIES | _WRAPPERS


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _parts(node: object) -> list[object]:
    """What a model node holds (the items of a tuple, the fields of a model dataclass), doc
    comments and positions left out; the field names are looked up once per class."""
    if isinstance(node, tuple):
        return list(node)
    kind = type(node)
    names_ = _FIELD_NAMES.get(kind)
    if names_ is None:
        walked = is_dataclass(node) and not isinstance(node, (m.DocComment, Pos))
        names_ = _FIELD_NAMES[kind] = tuple(f.name for f in fields(node)) if walked else ()  # type: ignore[arg-type]
    return [getattr(node, name) for name in names_]


def _names_in(node: object) -> set[str]:
    """The first part of every name referred to inside a type."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, m.TypeRef):
            found.add(item.name[0])
        stack.extend(_parts(item))
    return found


def is_object_utility(t: m.TypeExpr, declared: frozenset[str], hidden: frozenset[str] = frozenset(), generic: frozenset[str] = frozenset()) -> bool:
    """`Omit<Y, 'a'>` (or `Readonly` of one): an object utility type that is not a name the
    file declares or imports, whose arguments name none of `hidden` (type parameters left
    behind by hoisting) and whose object is not one of `generic` (a bare type parameter has no
    members to compute)."""
    if not isinstance(t, m.TypeRef) or len(t.name) != 1 or t.name[0] in declared or not t.args or _names_in(t.args) & hidden:
        return False
    target = t.args[0].inner if isinstance(t.args[0], m.ParenType) else t.args[0]
    if t.name[0] in _WRAPPERS:
        return len(t.args) == 1 and is_object_utility(target, declared, hidden, generic)
    bare = isinstance(target, m.TypeRef) and target.name[0] in generic and len(target.name) == 1
    return t.name[0] in OBJECT_UTILITIES and not bare


def _as_interface(
    t: m.TypeExpr,
    name: str,
    doc: m.DocComment | None,
    type_params: tuple[m.TypeParam, ...] = (),
    declared: frozenset[str] = frozenset(),
    hidden: frozenset[str] = frozenset(),
) -> m.Interface | None:
    """The interface an object type, an intersection of references and object types, or an
    object utility type spells."""
    inner = t.inner if isinstance(t, m.ParenType) else t
    if is_object_utility(inner, declared, hidden, frozenset(p.name for p in type_params)):
        assert isinstance(inner, m.TypeRef)
        return m.Interface(name, (), type_params, (inner,), doc, inner.pos)
    if isinstance(inner, m.ObjectType) and not _is_record(inner):
        return m.Interface(name, inner.members, type_params, (), doc, inner.pos)
    if isinstance(inner, m.IntersectionType):
        parts = [p.inner if isinstance(p, m.ParenType) else p for p in inner.members]
        if all(isinstance(p, (m.TypeRef, m.ObjectType)) for p in parts) and not any(isinstance(p, m.ObjectType) and _is_record(p) and p.members for p in parts):
            refs = tuple(p for p in parts if isinstance(p, m.TypeRef))
            members = tuple(x for p in parts if isinstance(p, m.ObjectType) for x in p.members)
            if members or len(refs) > 1:
                return m.Interface(name, members, type_params, refs, doc, inner.pos)
    return None


def _referenced(members: tuple[m.Member, ...]) -> set[str]:
    """The first part of every name referred to inside the object types and intersections of
    the members: those are hoisted into the owner's namespace and resolve names there, where a
    hoisted name would capture such a reference (`str.Field` hoisted from a property
    `Field?: { x: Field }` would make `Field` mean itself), so those names are taken."""
    found: set[str] = set()
    stack: list[tuple[object, bool]] = [(x, False) for x in members]
    while stack:
        node, inside = stack.pop()
        inside = inside or isinstance(node, (m.ObjectType, m.IntersectionType)) or (isinstance(node, m.TypeRef) and node.name[0] in _HOISTED)
        if isinstance(node, m.TypeRef) and inside:
            found.add(node.name[0])
        stack.extend((x, inside) for x in _parts(node))
    return found


@dataclass
class _Hoister:
    owner: tuple[str, ...]  # qualified name of the declaration whose members are rewritten
    taken_by: Callable[[], set[str]]  # the names taken there: computed when the first is needed
    declared: frozenset[str] = frozenset()  # names the file declares or imports
    hidden: frozenset[str] = frozenset()  # the owner's type parameters
    hoisted: list[m.Declaration] = field(default_factory=list)
    _taken: set[str] | None = None

    def taken(self) -> set[str]:
        """The names taken in the owner's namespace (most declarations hoist nothing and never ask)."""
        if self._taken is None:
            self._taken = self.taken_by()
        return self._taken

    def name_for(self, prop: str) -> str:
        base = names.class_name(prop)
        taken = self.taken()
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        return candidate

    def type(self, t: m.TypeExpr | None, prop: str, doc: m.DocComment | None) -> m.TypeExpr | None:
        """`t` with its object types hoisted; `t` itself when there are none."""
        if t is None:
            return None
        if isinstance(t, m.ArrayType):
            element = self.type(t.element, prop, doc) or t.element
            return t if element is t.element else replace(t, element=element)
        if isinstance(t, m.ParenType) and isinstance(t.inner, (m.UnionType, m.ArrayType)):
            inner = self.type(t.inner, prop, doc) or t.inner
            return t if inner is t.inner else replace(t, inner=inner)
        if isinstance(t, m.UnionType):
            alternatives = tuple(self.type(x, prop, doc) or x for x in t.members)
            return t if all(a is b for a, b in zip(alternatives, t.members)) else replace(t, members=alternatives)
        if isinstance(t, m.TypeRef) and t.name in (("Array",), ("ReadonlyArray",)) and len(t.args) == 1:
            arg = self.type(t.args[0], prop, doc) or t.args[0]
            return t if arg is t.args[0] else replace(t, args=(arg,))
        interface = _as_interface(t, "", doc, (), self.declared, self.hidden)
        if interface is None:
            return t
        name = self.name_for(prop)
        before = len(self.hoisted)
        members = tuple(self.members(interface.members, (name,)))
        nested = [replace(ns, pos=interface.pos) for ns in self.hoisted[before:]]
        del self.hoisted[before:]
        self.hoisted += [replace(interface, name=name, members=members), *nested]
        return m.TypeRef(self.owner[-1:] + (name,), (), t.pos)

    def members(self, members: tuple[m.Member, ...], inner: tuple[str, ...] = ()) -> list[m.Member]:
        if inner:  # members of a hoisted interface hoist into its own namespace
            nested = _Hoister(self.owner + inner, lambda: _referenced(members), self.declared, self.hidden)
            result = [nested.property(x) for x in members]
            if nested.hoisted:
                self.hoisted.append(m.Namespace(inner[-1], tuple(nested.hoisted)))
            return result
        return [self.property(x) for x in members]

    def property(self, member: m.Member) -> m.Member:
        if not isinstance(member, m.Property):
            return member
        t = self.type(member.type, member.name, member.doc)
        return member if t is member.type else replace(member, type=t)

    def method(self, method: m.Method) -> m.Method:
        """A class method with the object utility types of its parameters (`params: Partial<Y>`)
        hoisted as `<method>_<param>` interfaces."""
        hidden = self.hidden | {p.name for p in method.type_params}
        hoister = _Hoister(self.owner, self.taken, self.declared, hidden, self.hoisted)
        params = tuple(p if (t := hoister.parameter(p.type, f"{method.name}_{p.name}")) is p.type else replace(p, type=t) for p in method.params)
        return method if all(a is b for a, b in zip(params, method.params)) else replace(method, params=params)

    def parameter(self, t: m.TypeExpr | None, name: str) -> m.TypeExpr | None:
        if isinstance(t, m.UnionType):
            return replace(t, members=tuple(self.parameter(x, name) or x for x in t.members))
        inner = t.inner if isinstance(t, m.ParenType) else t
        return self.type(t, name, None) if inner is not None and is_object_utility(inner, self.declared, self.hidden) else t


def _taken_in(body: tuple[m.Declaration, ...], decl: m.Interface | m.Class) -> set[str]:
    return _namespace_names(body, decl.name) | _referenced(decl.members)


def _namespace_names(body: tuple[m.Declaration, ...], name: str) -> set[str]:
    return {d.name for ns in body if isinstance(ns, m.Namespace) and ns.name == name for d in ns.body}


def _declarations(body: tuple[m.Declaration, ...], prefix: tuple[str, ...], declared: frozenset[str]) -> tuple[m.Declaration, ...]:
    result: list[m.Declaration] = []
    extra: dict[str, list[m.Declaration]] = {}
    for decl in body:
        if isinstance(decl, m.TypeAlias):
            interface = _as_interface(decl.type, decl.name, decl.doc, decl.type_params, declared)
            decl = replace(interface, pos=decl.pos) if interface is not None else _union_members(decl, prefix, body, declared, extra)
        if isinstance(decl, (m.Interface, m.Class)):
            hidden = frozenset(p.name for p in decl.type_params)
            hoister = _Hoister(prefix + (decl.name,), functools.partial(_taken_in, body, decl), declared, hidden)
            members = tuple(hoister.members(decl.members))
            if isinstance(decl, m.Class):
                members = tuple(hoister.method(x) if isinstance(x, m.Method) else x for x in members)
            if any(a is not b for a, b in zip(members, decl.members)):
                decl = replace(decl, members=members)
            extra.setdefault(decl.name, []).extend(hoister.hoisted)
        elif isinstance(decl, m.Namespace):
            decl = replace(decl, body=_declarations(decl.body, prefix + (decl.name,), declared))
        result.append(decl)
    for owner, hoisted in extra.items():
        if hoisted:
            result.append(m.Namespace(owner, tuple(hoisted)))
    return tuple(result)


def _union_members(
    alias: m.TypeAlias, prefix: tuple[str, ...], body: tuple[m.Declaration, ...], declared: frozenset[str], extra: dict[str, list[m.Declaration]]
) -> m.TypeAlias:
    """`type X = string | { a: string }`: the object members of a union alias hoisted as
    `X.XMember`, `X.XMember2`... (a generic alias's members would lose its parameters: kept)."""
    inner = alias.type.inner if isinstance(alias.type, m.ParenType) else alias.type
    if alias.type_params or not isinstance(inner, m.UnionType):
        return alias
    hoister = _Hoister(prefix + (alias.name,), lambda: _namespace_names(body, alias.name) | _referenced((m.Property("", inner),)), declared)
    rewritten = hoister.type(inner, f"{alias.name}_member", None)
    extra.setdefault(alias.name, []).extend(hoister.hoisted)
    return replace(alias, type=rewritten) if hoister.hoisted and rewritten is not None else alias


def _declared(module: m.Module) -> frozenset[str]:
    """The names a file declares (in any namespace) or imports: they shadow global types."""
    found = {alias for imp in module.imports for alias in (imp.namespace, imp.default, *(s.alias for s in imp.names)) if alias}
    stack = list(module.body)
    while stack:
        decl = stack.pop()
        found.add(decl.name)
        if isinstance(decl, m.Namespace):
            stack.extend(decl.body)
    return frozenset(found)


def hoist(module: m.Module) -> m.Module:
    return replace(module, body=_declarations(module.body, (), _declared(module)))
