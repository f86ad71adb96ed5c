"""Two recorded APIs compared declaration by declaration, each change classified for Python
callers: breaking (code that worked may not) or compatible, with the reason in one line.

What breaks depends on which way the data goes: a field callers send (a request's parameters)
may gain optional keys and accept more types; a field callers read (a response) may drop
nothing, may not start being absent or null, and may not start holding other types. Which
declarations are sent and which are read follows from the methods: what their parameters name
is sent, what they return is read, and so is everything those declarations name in turn.
A declaration no method reaches is judged by its kind (a TypedDict is sent, a dataclass read)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from tsgen.api.snapshot import Api, Decl, Member, Method, TypeRef, key, split_key
from tsgen.records import record

SENT, READ = "sent", "read"


@record(frozen=True, order=True)
class Change:
    module: str
    name: str  # the declaration (its new name when renamed)
    member: str  # "" for the declaration itself, else `field`, `method`, `method(param)`
    kind: str  # what changed: declaration-removed, field-added, literal-removed, ... (stable, for tools)
    breaking: bool
    reason: str

    @property
    def where(self) -> str:
        return f"{self.name}.{self.member}" if self.member else self.name


def compare(old: Api, new: Api) -> list[Change]:
    """Every change from `old` to `new`: by module, breaking first, then by place."""
    renamed = _renames(old, new)
    roles = _merged(_roles(old), _roles(new))
    unique = _unique_names(old)  # a bare name two declarations share is not respelled
    spell = _Respell({split_key(o)[1]: split_key(n)[1] for o, n in renamed.items() if split_key(o)[1] in unique})
    aliases = (_Aliases(old), _Aliases(new))
    changes = list(_declarations(old, new, renamed))
    for k in sorted(set(old.declarations) & set(new.declarations) | set(renamed)):
        after = renamed.get(k, k)
        module, name = split_key(after)
        ctx = _Context(module, name, roles.get(k, frozenset()) | roles.get(after, frozenset()), spell, new, aliases[0], aliases[1])
        changes += ctx.declaration(old.declarations[k], new.declarations[after])
    return sorted(changes, key=lambda c: (c.module, not c.breaking, c.name, c.member, c.kind, c.reason))


def _unique_names(api: Api) -> set[str]:
    """The bare names only one declaration of the API has (types spell declarations by them)."""
    named = Counter(split_key(k)[1] for k in api.declarations)
    return {name for name, n in named.items() if n == 1}


def _holes(path: str | None) -> str | None:
    """The path with its placeholders unlabelled: `/batches/{batchId}` and `/batches/{batch_id}` are one route."""
    return re.sub(r"\{[^{}]*\}", "{}", path) if path is not None else None


def _base(value: str) -> str:
    """The type a literal value belongs to: `'a'` str, `1` int, `1.5` float, `True` bool."""
    if value in ("True", "False"):
        return "bool"
    if value[:1] in ("'", '"'):
        return "str"
    return "float" if "." in value else "int"


def _accepts(members: tuple[str, ...], value: str) -> bool:
    """Whether a type whose union has `members` still takes the literal `value` (`str` takes `'a'`)."""
    wider = {"str": ("str",), "int": ("int", "float"), "float": ("float",), "bool": ("bool", "int", "float")}[_base(value)]
    return value in members or any(m in wider or m in ("object", "Any") for m in members)


# ---- which way the data goes ----


def _roles(api: Api) -> dict[str, frozenset[str]]:
    decls = api.declarations
    reached = {SENT: _closure(decls, [r for d in decls.values() for r in d.sends]), READ: _closure(decls, [r for d in decls.values() for r in d.reads])}
    roles = {}
    for k, d in decls.items():
        found = frozenset(role for role, keys in reached.items() if k in keys)
        roles[k] = found or _by_kind(d)
    return roles


def _by_kind(d: Decl) -> frozenset[str]:
    return {"typeddict": frozenset({SENT}), "dataclass": frozenset({READ}), "model": frozenset({READ}), "page": frozenset({READ})}.get(d.kind, frozenset({SENT, READ}))


def _closure(decls: dict[str, Decl], start: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(start)
    while stack:
        k = stack.pop()
        if k in seen or k not in decls:
            continue
        seen.add(k)
        stack.extend(decls[k].refs)
    return seen


def _merged(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in a.keys() | b.keys()}


# ---- declarations added, removed, renamed, moved ----


def _renames(old: Api, new: Api) -> dict[str, str]:
    """Old key -> new key for a declaration gone from `old` whose exact shape appears, once,
    among the declarations new in `new` (under another name or in another module)."""
    gone = {k: d for k, d in old.declarations.items() if k not in new.declarations}
    came = {k: d for k, d in new.declarations.items() if k not in old.declarations}
    by_shape: dict[str, list[str]] = {}
    for k, d in came.items():
        by_shape.setdefault(d.shape, []).append(k)
    old_shapes: dict[str, int] = {}
    for d in gone.values():
        old_shapes[d.shape] = old_shapes.get(d.shape, 0) + 1
    return {k: by_shape[d.shape][0] for k, d in gone.items() if len(by_shape.get(d.shape, [])) == 1 and old_shapes[d.shape] == 1 and _has_body(d)}


def _has_body(d: Decl) -> bool:
    return bool(d.fields or d.methods or d.values or d.type is not None)


def _declarations(old: Api, new: Api, renamed: dict[str, str]) -> Iterator[Change]:
    arrived = set(renamed.values())
    for k in sorted(set(old.declarations) - set(new.declarations) - set(renamed)):
        module, name = split_key(k)
        yield Change(module, name, "", "declaration-removed", True, f"{_noun(old.declarations[k])} removed: code that uses `{name}` breaks")
    for k in sorted(set(new.declarations) - set(old.declarations) - arrived):
        module, name = split_key(k)
        yield Change(module, name, "", "declaration-added", False, f"new {_noun(new.declarations[k])}")
    for before, after in sorted(renamed.items()):
        (old_module, old_name), (module, name) = split_key(before), split_key(after)
        if old_name != name:
            yield Change(module, name, "", "declaration-renamed", True, f"renamed from `{old_name}` (same shape): code that names `{old_name}` breaks")
        if old_module != module:
            yield Change(module, name, "", "declaration-moved", True, f"moved from module `{old_module}`: imports of it break")


def _noun(d: Decl) -> str:
    return {"typeddict": "TypedDict", "dataclass": "dataclass", "model": "pydantic model", "struct": "msgspec struct", "alias": "type alias", "enum": "enum", "resource": "resource", "page": "page class", "client": "client"}.get(d.kind, d.kind)


# ---- inside one declaration ----


class _Respell:
    """Old type texts with renamed declarations spelled by their new names, so that a rename
    is reported once, not again in every type that names it."""

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = {a: b for a, b in renames.items() if a != b}
        self.pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(self.renames, key=len, reverse=True))) + r")\b") if self.renames else None

    def __call__(self, t: TypeRef) -> TypeRef:
        if self.pattern is None:
            return t
        sub = self.pattern.sub
        return TypeRef(tuple(sub(lambda m: self.renames[m.group(0)], x) for x in t.members))


class _Aliases:
    """The type aliases of an API by name (names two declarations share are left out)."""

    def __init__(self, api: Api) -> None:
        unique = _unique_names(api)
        self.types = {split_key(k)[1]: d.type for k, d in api.declarations.items() if d.type is not None and split_key(k)[1] in unique}

    def expand(self, t: TypeRef, depth: int = 4) -> TypeRef:
        if depth == 0 or not any(m in self.types for m in t.members):
            return t
        members: list[str] = []
        for m in t.members:
            inner = self.types.get(m)
            members.extend(self.expand(inner, depth - 1).members if inner is not None else (m,))
        return TypeRef(tuple(dict.fromkeys(members)))


@record(frozen=True)
class _Context:
    module: str
    name: str
    roles: frozenset[str]
    spell: _Respell
    new_api: Api  # where the TypedDict of a method's `**params` is looked up
    old_aliases: _Aliases
    new_aliases: _Aliases

    def change(self, member: str, kind: str, breaking: bool, reason: str) -> Change:
        return Change(self.module, self.name, member, kind, breaking, reason)

    def declaration(self, old: Decl, new: Decl) -> list[Change]:
        if old.kind != new.kind:
            return [self.change("", "kind-changed", True, f"was a {_noun(old)}, now a {_noun(new)}")]
        found = list(self._deprecation("", old.deprecated, new.deprecated))
        found += self._fields(old.fields, new.fields)
        if old.type is not None and new.type is not None:
            found += self._types("", self.spell(old.type), new.type, self.roles, "type")
        found += self._values(old.values, new.values)
        found += self._subresources(old.subresources, new.subresources)
        for name in sorted(old.methods.keys() | new.methods.keys()):
            found += self._method(name, old.methods.get(name), new.methods.get(name))
        return found

    # fields

    def _fields(self, old: dict[str, Member], new: dict[str, Member]) -> list[Change]:
        found = []
        for name in sorted(old.keys() - new.keys()):
            found.append(self.change(name, "field-removed", True, f"field removed: code that {self._verbs()} `{name}` breaks"))
        for name in sorted(new.keys() - old.keys()):
            found.append(self._added_member(name, name, new[name], "field"))
        for name in sorted(old.keys() & new.keys()):
            found += self._member(name, old[name], new[name], self.roles, "field")
        return found

    def _verbs(self) -> str:
        return " or ".join(sorted({SENT: "sends", READ: "reads"}[r] for r in self.roles)) or "uses"

    def _added_member(self, where: str, name: str, m: Member, what: str) -> Change:
        spelled = f"`{name}: {m.type.text}`"
        if m.required and SENT in self.roles and what == "field":
            return self.change(where, "field-added", True, f"new required field {spelled}: every caller must now send it")
        if m.required and what == "parameter":
            return self.change(where, "param-added", True, f"new required parameter {spelled}: every call must now pass it")
        keys = self._required_keys(m) if m.kind == "params" else []
        if keys:
            return self.change(where, "param-added", True, f"new keyword parameters {spelled}, required: {', '.join(f'`{k}`' for k in keys)}: every call must now pass them")
        kind = "param-added" if what == "parameter" else "field-added"
        return self.change(where, kind, False, f"new {'optional ' if not m.required else ''}{what} {spelled}")

    def _member(self, where: str, old: Member, new: Member, roles: frozenset[str], what: str) -> list[Change]:
        found = list(self._deprecation(where, old.deprecated, new.deprecated))
        prefix = "param" if what == "parameter" else "field"
        if old.required and not new.required:
            breaking = READ in roles
            why = "callers reading it must handle its absence" if breaking else "callers may leave it out"
            found.append(self.change(where, f"{prefix}-optional", breaking, f"{what} now optional: {why}"))
        elif new.required and not old.required:
            breaking = SENT in roles
            why = "every caller must now give it" if breaking else "it is always there now"
            found.append(self.change(where, f"{prefix}-required", breaking, f"{what} now required: {why}"))
        return found + self._types(where, self.spell(old.type), new.type, roles, prefix)

    # types

    def _types(self, where: str, shown_old: TypeRef, shown_new: TypeRef, roles: frozenset[str], prefix: str) -> list[Change]:
        """What changed between two types, compared with the type aliases they name spelled out
        (`Literal['auto', 'flex']` and an alias of it are the same type); shown as written."""
        if sorted(shown_old.members) == sorted(shown_new.members):
            return []
        old, new = self.old_aliases.expand(shown_old), self.new_aliases.expand(shown_new)
        if sorted(old.members) == sorted(new.members):
            return []
        found = []
        if old.nullable != new.nullable:
            found.append(self._nullable(where, new.nullable, roles, prefix))
        found += self._literals(where, old, new, roles)
        before = {m for m in old.members if m != "None" and m not in old.literals}
        after = {m for m in new.members if m != "None" and m not in new.literals}
        if before != after:
            found.append(self._retyped(where, shown_old, shown_new, before, after, roles, prefix))
        return found

    def _nullable(self, where: str, nullable: bool, roles: frozenset[str], prefix: str) -> Change:
        if nullable:
            breaking = READ in roles
            return self.change(where, f"{prefix}-nullable", breaking, "may now be None" + (": callers reading it must handle None" if breaking else ""))
        breaking = SENT in roles
        return self.change(where, f"{prefix}-not-nullable", breaking, "no longer None" + (": None is not accepted any more" if breaking else ""))

    def _literals(self, where: str, old: TypeRef, new: TypeRef, roles: frozenset[str]) -> list[Change]:
        found = []
        removed = [v for v in old.literals if v not in new.literals]
        added = [v for v in new.literals if v not in old.literals]
        if removed:
            refused = [v for v in removed if not _accepts(new.members, v)]
            breaking = SENT in roles and bool(refused)
            why = ": callers sending them get a type error" if breaking else " (still accepted as " + _base(removed[0]) + ")" if SENT in roles else ""
            found.append(self.change(where, "literal-removed", breaking, f"value(s) removed: {', '.join(removed)}{why}"))
        if added:
            note = " (code matching every value should handle them)" if READ in roles else ""
            found.append(self.change(where, "literal-added", False, f"value(s) added: {', '.join(added)}{note}"))
        return found

    def _retyped(self, where: str, old: TypeRef, new: TypeRef, before: set[str], after: set[str], roles: frozenset[str], prefix: str) -> Change:
        text = f"`{old.text}` -> `{new.text}`"
        if before < after:
            breaking = READ in roles
            return self.change(where, f"{prefix}-widened", breaking, f"type widened: {text}" + (": callers reading it may get the new types" if breaking else ""))
        if after < before:
            breaking = SENT in roles
            return self.change(where, f"{prefix}-narrowed", breaking, f"type narrowed: {text}" + (": callers sending the others get a type error" if breaking else ""))
        return self.change(where, f"{prefix}-retyped", True, f"type changed: {text}")

    # enums, subresources, deprecations

    def _values(self, old: dict[str, str | int | float], new: dict[str, str | int | float]) -> list[Change]:
        found = [self.change(n, "enum-member-removed", True, f"enum member removed (was {old[n]!r})") for n in sorted(old.keys() - new.keys())]
        found += [self.change(n, "enum-member-added", False, f"new enum member ({new[n]!r})") for n in sorted(new.keys() - old.keys())]
        found += [self.change(n, "enum-member-changed", True, f"enum member's value changed: {old[n]!r} -> {new[n]!r}") for n in sorted(old.keys() & new.keys()) if old[n] != new[n]]
        return found

    def _subresources(self, old: dict[str, str], new: dict[str, str]) -> list[Change]:
        found = [self.change(n, "subresource-removed", True, f"resource `{n}` removed: code that uses `.{n}` breaks") for n in sorted(old.keys() - new.keys())]
        return found + [self.change(n, "subresource-added", False, f"new resource `.{n}`") for n in sorted(new.keys() - old.keys())]

    def _deprecation(self, where: str, old: str | None, new: str | None) -> Iterator[Change]:
        if new is not None and old is None:
            yield self.change(where, "deprecated", False, f"deprecated: {new}" if new else "deprecated")

    # methods

    def _method(self, name: str, old: Method | None, new: Method | None) -> list[Change]:
        if new is None:
            return [self.change(name, "method-removed", True, f"method removed: calls to `{name}()` break")]
        route = f" ({new.verb} {new.path})" if new.verb else ""
        if old is None:
            return [self.change(name, "method-added", False, f"new method{route}")]
        found = list(self._deprecation(name, old.deprecated, new.deprecated))
        if (old.verb, _holes(old.path)) != (new.verb, _holes(new.path)):  # a placeholder's label is the SDK's local name
            was = f"{old.verb} {old.path}" if old.verb else "no known route"
            now = f"{new.verb} {new.path}" if new.verb else "no known route"
            found.append(self.change(name, "route-changed", False, f"route changed: {was} -> {now}"))
        found += self._params(name, old.params, new.params)
        return found + self._types(name, self.spell(old.returns), new.returns, frozenset({READ}), "returns")

    def _params(self, method: str, old: dict[str, Member], new: dict[str, Member]) -> list[Change]:
        found = []
        for p in sorted(old.keys() - new.keys()):
            found.append(self.change(f"{method}({p})", "param-removed", True, f"parameter removed: calls that pass `{p}` break"))
        for p in sorted(new.keys() - old.keys()):
            found.append(self._added_member(f"{method}({p})", p, new[p], "parameter"))
        found += self._moved(method, old, new)
        for p in sorted(old.keys() & new.keys()):
            where = f"{method}({p})"
            if old[p].kind != new[p].kind:
                found.append(self.change(where, "param-kind-changed", True, f"parameter now {new[p].kind}, was {old[p].kind}: calls that pass it the old way break"))
            found += self._member(where, old[p], new[p], frozenset({SENT}), "parameter")
        return found

    def _moved(self, method: str, old: dict[str, Member], new: dict[str, Member]) -> list[Change]:
        """Positional parameters that are now at another place: a call passing them by position
        hands them to the wrong parameter."""
        before = [p for p, m in old.items() if m.kind == "positional"]
        after = [p for p, m in new.items() if m.kind == "positional"]
        return [
            self.change(f"{method}({p})", "param-moved", True, f"positional parameter now at place {after.index(p) + 1}, was {before.index(p) + 1}: calls passing it by position break")
            for p in before if p in after and after.index(p) != before.index(p)
        ]

    def _required_keys(self, m: Member) -> list[str]:
        """The required keys of the TypedDict a `**params: Unpack[X]` parameter takes."""
        text = m.type.text
        name = text[len("Unpack[") : -1] if text.startswith("Unpack[") and text.endswith("]") else text
        decl = self.new_api.declarations.get(key(self.module, name))
        if decl is None:
            found = [d for k, d in self.new_api.declarations.items() if split_key(k)[1] == name]
            decl = found[0] if len(found) == 1 else None
        return [n for n, f in decl.fields.items() if f.required] if decl is not None else []
