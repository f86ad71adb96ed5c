"""TypeScript's utility types where a type is expected (a property, an alias, a parameter).

`Omit<Y, 'a'>`, `Pick`, `Partial` and `Required` are object types with members of their own:
where one is a property's or a parameter's type or an alias, hoisting (tsgen/hoist.py) made it
a named interface that extends it, whose properties tsgen/lower/members.py computes. Here:

- `Exclude<U, X>` / `Extract<U, X>` keep the members of U (through aliases of unions) that are
  not / are assignable to X: literals by value, `null` and primitives by keyword, references to
  the same declaration, object types by the literal fields a pattern like `{ type: 'error' }`
  names;
- `NonNullable<T>` is T without None; `Readonly<T>` is T (Python cannot say read-only);
- `Y['kind']` (indexed access) is the type of Y's property `kind`, `A[number]` A's element;
- `Record<K, V>` is a dict keyed by K's literals where K is a union of them;
- an object utility that was not hoisted (a type argument) is its argument where it has the
  same fields, else `dict[str, Any]` with a warning.

A user's declaration of one of these names shadows it: such references never get here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.entities import Key
from tsgen.lower import members  # attributes read at call time: members imports tsgen.lower.types, which imports this module
from tsgen.lower.types import TypeEnv, builtin, computed, lower, never, unsupported
from tsgen.program import Found
from tsgen.kinds import TYPE_ARGUMENTS, UNSUPPORTED_TYPE

Members = list[tuple[m.TypeExpr, TypeEnv]]


@builtin("Exclude")
@builtin("Extract")
def _filter(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if len(t.args) != 2:
        return env.warn(t, f"`{t.dotted}` without two type arguments; using Any", kind=TYPE_ARGUMENTS)
    try:
        kept = _filtered(t.dotted, t, env, frozenset())
    except members.NotComputable as exc:
        env.diagnostics.warn(exc.pos, f"`{t.dotted}<...>` cannot be computed ({exc.reason}); using its first argument", kind=UNSUPPORTED_TYPE)
        return lower(t.args[0], env)
    return py.union([lower(x, e) for x, e in kept]) if kept else never(env)


@builtin("NonNullable")
def _non_nullable(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if len(t.args) != 1:
        return env.warn(t, "`NonNullable` without one type argument; using Any", kind=TYPE_ARGUMENTS)
    inner = lower(t.args[0], env)
    if inner == py.NONE:
        return never(env)
    return py.union([x for x in inner.members if x != py.NONE]) if isinstance(inner, py.PyUnion) else inner


@builtin("Readonly")
def _readonly(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if len(t.args) != 1:
        return env.warn(t, "`Readonly` without one type argument; using Any", kind=TYPE_ARGUMENTS)
    return lower(t.args[0], env)


@builtin("Record")
def _record(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if len(t.args) != 2:
        return env.warn(t, "`Record` without two type arguments; using dict[str, Any]", py.dict_of(py.STR, py.ANY), kind=TYPE_ARGUMENTS)
    value = lower(t.args[1], env)
    try:
        names = members.keys(t.args[0], env)
    except members.NotComputable:
        key = lower(t.args[0], env)
        return py.dict_of(key if key in (py.STR, py.FLOAT) else py.STR, value)
    return py.dict_of(py.PyLiteral(tuple(names)), value) if names else py.dict_of(py.STR, never(env))


@builtin("Partial")
@builtin("Required")
@builtin("Pick")
@builtin("Omit")
def _object_utility(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    """An object utility no named interface stands for: its argument if that has the same
    fields (`Partial<Y>` where every field of Y is optional), else a dict."""
    fallback = py.dict_of(py.STR, py.ANY)
    try:
        computed = [(p.name, p.optional) for p, _ in members.properties(t, env)]
        argument = [(p.name, p.optional) for p, _ in members.properties(t.args[0], env)]
    except members.NotComputable as exc:
        env.diagnostics.warn(exc.pos, f"`{t.dotted}<...>` cannot be computed ({exc.reason}); using dict[str, Any]", kind=UNSUPPORTED_TYPE)
        return fallback
    if computed == argument and isinstance(t.args[0], m.TypeRef):
        return lower(t.args[0], env)
    return env.warn(t, f"`{t.dotted}<...>` here (not a property, parameter or alias) has no class of its own; using dict[str, Any]", fallback, kind=UNSUPPORTED_TYPE)


# ---------------------------------------------------------------- Exclude and Extract


def _filtered(kind: str, ref: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> Members:
    whole, pattern = ref.args
    patterns = _members(pattern, env, seen)
    wanted = kind == "Extract"
    return [(x, e) for x, e in _members(whole, env, seen) if any(_assignable(x, e, p, pe) for p, pe in patterns) == wanted]


def _members(t: m.TypeExpr, env: TypeEnv, seen: frozenset[Key]) -> Members:
    """The members of a union, through parentheses, aliases of unions and nested utilities."""
    if isinstance(t, m.ParenType):
        return _members(t.inner, env, seen)
    if isinstance(t, m.UnionType):
        return [x for member in t.members for x in _members(member, env, seen)]
    if isinstance(t, m.UnsupportedType) and t.construct == "indexed access type":
        return _members(*_indexed(t, env), seen)
    if not isinstance(t, m.TypeRef):
        return [(t, env)]
    kind = members.utility(t, env)
    if kind in ("Exclude", "Extract") and len(t.args) == 2:
        return _filtered(kind, t, env, seen)
    if kind == "NonNullable" and len(t.args) == 1:
        return [(x, e) for x, e in _members(t.args[0], env, seen) if not _is_keyword(x, "null", "undefined", "void")]
    found = env.program.lookup(env.module, env.scope, t.name) if kind is None and t.dotted not in env.type_vars else None
    if isinstance(found, Found) and Key(found.module, found.path) not in seen:
        alias = next((d for d in found.decls if isinstance(d, m.TypeAlias)), None)
        if alias is not None and _union_like(alias.type):
            return _members(alias.type, members.instantiate(found, t, env), seen | {Key(found.module, found.path)})
    return [(t, env)]


def _union_like(t: m.TypeExpr) -> bool:
    inner = t.inner if isinstance(t, m.ParenType) else t
    return isinstance(inner, m.UnionType) or (isinstance(inner, m.TypeRef) and inner.dotted in ("Exclude", "Extract", "NonNullable"))


def _is_keyword(t: m.TypeExpr, *names: str) -> bool:
    return isinstance(t, m.KeywordType) and t.name in names


_PRIMITIVES = {"string": (str,), "number": (int, float), "boolean": (bool,)}


def _assignable(t: m.TypeExpr, env: TypeEnv, pattern: m.TypeExpr, pattern_env: TypeEnv) -> bool:
    """Whether a union member is assignable to a member of the pattern; NotComputable where
    that depends on more than literals, keywords, identity and literal fields."""
    t, env = _resolved(t, env)
    pattern, pattern_env = _resolved(pattern, pattern_env)
    if _is_keyword(pattern, "any", "unknown"):
        return True
    if isinstance(t, (m.LiteralType, m.KeywordType)):
        return _primitive_assignable(t, pattern)
    if not isinstance(t, (m.TypeRef, m.ObjectType, m.IntersectionType, m.ArrayType, m.TupleType, m.FunctionType)):
        raise members.NotComputable(t.pos, f"{t.construct if isinstance(t, m.UnsupportedType) else 'this type'} cannot be compared with the pattern")
    if isinstance(pattern, (m.LiteralType, m.KeywordType)):
        return False
    if isinstance(t, m.TypeRef) and isinstance(pattern, m.TypeRef) and _key(pattern, pattern_env) in _ancestors(t, env, frozenset()):
        return True
    return _structurally(t, env, pattern, pattern_env)


def _resolved(t: m.TypeExpr, env: TypeEnv) -> tuple[m.TypeExpr, TypeEnv]:
    """Through parentheses, aliases and bound type parameters: what a type expression denotes."""
    seen: set[Key] = set()
    while True:
        if isinstance(t, m.ParenType):
            t = t.inner
            continue
        if not isinstance(t, m.TypeRef):
            return t, env
        if t.dotted in env.bound and not t.args:  # a type parameter bound where its declaration is used: its argument
            t, env = env.bound[t.dotted]
            continue
        found = env.program.lookup(env.module, env.scope, t.name) if t.dotted not in env.type_vars else None
        alias = next((d for d in found.decls if isinstance(d, m.TypeAlias)), None) if isinstance(found, Found) else None
        if alias is None or not isinstance(found, Found) or Key(found.module, found.path) in seen:
            return t, env
        seen.add(Key(found.module, found.path))
        env = members.instantiate(found, t, env)
        t = alias.type


def _primitive_assignable(t: m.LiteralType | m.KeywordType, pattern: m.TypeExpr) -> bool:
    if isinstance(pattern, m.LiteralType):
        return isinstance(t, m.LiteralType) and (type(t.value), t.value) == (type(pattern.value), pattern.value)
    if isinstance(pattern, m.KeywordType):
        if isinstance(t, m.KeywordType):
            return t.name == pattern.name or (t.name == "undefined" and pattern.name == "void")
        return isinstance(t.value, _PRIMITIVES.get(pattern.name, ())) and not (pattern.name == "number" and isinstance(t.value, bool))
    if isinstance(pattern, (m.TypeRef, m.ObjectType, m.ArrayType, m.TupleType, m.FunctionType)):
        return False
    raise members.NotComputable(pattern.pos, "the pattern is not a literal, keyword, reference or object type")


def _key(t: m.TypeRef, env: TypeEnv) -> Key | None:
    found = env.program.lookup(env.module, env.scope, t.name)
    return Key(found.module, found.path) if isinstance(found, Found) and not t.args else None


def _ancestors(t: m.TypeRef, env: TypeEnv, seen: frozenset[Key]) -> set[Key]:
    """The declaration a reference names and every interface it extends."""
    key = _key(t, env)
    found = env.program.lookup(env.module, env.scope, t.name)
    if key is None or key in seen or not isinstance(found, Found):
        return set()
    result = {key}
    base_env = members.instantiate(found, t, env)
    for decl in found.decls:
        for base in decl.extends if isinstance(decl, m.Interface) else ():
            result |= _ancestors(base, base_env, seen | {key})
    return result


def _structurally(t: m.TypeExpr, env: TypeEnv, pattern: m.TypeExpr, pattern_env: TypeEnv) -> bool:
    """An object member against an object pattern, decided by the pattern's required fields: a
    missing one or a literal field with other values rules it out; all literal fields that
    match (`{ type: 'error' }`) rule it in."""
    have = {p.name: (p, e) for p, e in members.properties(t, env)}
    decided = True
    for field, field_env in members.properties(pattern, pattern_env):
        if field.optional:
            continue
        if field.name not in have:
            return False
        wanted = _literal_values(field.type, field_env)
        if wanted is None:
            decided = False
            continue
        mine, mine_env = have[field.name]
        values = _literal_values(mine.type, mine_env)
        if values is None or not values <= wanted:
            return False
    if not decided:
        raise members.NotComputable(pattern.pos, "whether a member is assignable to this object type depends on more than its literal fields")
    return True


def _literal_values(t: m.TypeExpr | None, env: TypeEnv) -> set[tuple[type, object]] | None:
    if t is None:
        return None
    members = _members(t, env, frozenset())
    if not all(isinstance(x, m.LiteralType) for x, _ in members):
        return None
    return {(type(x.value), x.value) for x, _ in members if isinstance(x, m.LiteralType)}


# ---------------------------------------------------------------- indexed access

_INDEXED = re.compile(r"\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*((?:\[\s*(?:'[^']*'|\"[^\"]*\"|number)\s*\]\s*)+)")
_INDEX = re.compile(r"\[\s*(?:'([^']*)'|\"([^\"]*)\"|(number))\s*\]")


@computed("indexed access type")
def _indexed_access(t: m.UnsupportedType, env: TypeEnv) -> py.PyType:
    """`Y['a']['b']`, `Y['items'][number]`, `Tuple[number]`: a property's type, an element's; on
    a union (`GeoJSON['type']`), the union of each member's."""
    try:
        start, steps = _parsed_index(t)
        return _lower_indexed(start, env, steps, t)
    except members.NotComputable as exc:
        env.diagnostics.warn(exc.pos, f"indexed access type `{t.text[:60]}` cannot be computed ({exc.reason}); using Any", kind=UNSUPPORTED_TYPE)
        return py.ANY


def _lower_indexed(current: m.TypeExpr, env: TypeEnv, steps: list[str | None], where: m.UnsupportedType) -> py.PyType:
    if not steps:
        return lower(current, env)
    target, target_env = _resolved(current, env)
    if isinstance(target, m.UnionType):
        return py.union([_lower_indexed(member, target_env, steps, where) for member in target.members])
    current, env = _index(current, env, steps[0], where)
    return _lower_indexed(current, env, steps[1:], where)


def _parsed_index(t: m.UnsupportedType) -> tuple[m.TypeExpr, list[str | None]]:
    """`Y['a'][number]` -> Y, ['a', None]."""
    match = _INDEXED.fullmatch(t.text)
    if match is None:
        raise members.NotComputable(t.pos, "only a name indexed by string literals and `number` is computed")
    start = m.TypeRef(tuple(p.strip() for p in match.group(1).split(".")), (), t.pos)
    return start, [None if number else quoted or double for quoted, double, number in _INDEX.findall(match.group(2))]


def _indexed(t: m.UnsupportedType, env: TypeEnv) -> tuple[m.TypeExpr, TypeEnv]:
    """The type an indexed access denotes, as a type expression (not through unions)."""
    current, steps = _parsed_index(t)
    for step in steps:
        current, env = _index(current, env, step, t)
    return current, env


@computed("keyof operator")
def _keyof(t: m.UnsupportedType, env: TypeEnv) -> py.PyType:
    """`keyof X`: a Literal of X's property names; `str` where X also takes other keys (an
    index signature) or its keys cannot be listed."""
    try:
        operand = members.keyof_operand(t)
        if operand is None:
            raise members.NotComputable(t.pos, "only `keyof` of a named type is computed")
        record = _record_keys(operand, env)
        if record is not None:
            return record
        names = members.keys(t, env)
    except members.NotComputable as exc:
        return env.warn(t, f"keyof operator `{t.text[:60]}` cannot be computed ({exc.reason}); using str", py.STR, kind=UNSUPPORTED_TYPE)
    if _open_keys(operand, env):
        return py.STR
    return py.PyLiteral(tuple(names)) if names else never(env)


def _record_keys(operand: m.TypeRef, env: TypeEnv) -> py.PyType | None:
    """`keyof Meta` where `Meta = Record<K, V>`: K (`str` for `Record<string, ...>`)."""
    target, target_env = _resolved(operand, env)
    if isinstance(target, m.TypeRef) and len(target.args) == 2 and members.utility(target, target_env) == "Record":
        return lower(target.args[0], target_env)
    return None


def _open_keys(operand: m.TypeRef, env: TypeEnv) -> bool:
    """Whether the type `keyof` names has an index signature (any string is one of its keys)."""
    found = env.program.lookup(env.module, env.scope, operand.name)
    decls = found.decls if isinstance(found, Found) else []
    return any(isinstance(member, m.IndexSignature) for d in decls if isinstance(d, (m.Interface, m.Class)) for member in d.members)


def _index(t: m.TypeExpr, env: TypeEnv, key: str | None, where: m.UnsupportedType) -> tuple[m.TypeExpr, TypeEnv]:
    """The type of property `key` of t (its element type for `[number]`)."""
    if key is None:
        target, target_env = _resolved(t, env)
        if isinstance(target, m.ArrayType):
            return target.element, target_env
        if isinstance(target, m.TypeRef) and target.dotted in ("Array", "ReadonlyArray") and len(target.args) == 1:
            return target.args[0], target_env
        if isinstance(target, m.TupleType) and target.elements:
            return m.UnionType(tuple(e.type for e in target.elements), where.pos), target_env
        raise members.NotComputable(where.pos, "`[number]` of a type that is not an array")
    for prop, prop_env in members.properties(t, env):
        if prop.name == key and prop.type is not None:
            if prop.optional:  # reading an optional property may give undefined
                return m.UnionType((prop.type, m.KeywordType("undefined")), where.pos), prop_env
            return prop.type, prop_env
    raise members.NotComputable(where.pos, f"no property `{key}`")


TYPEOF = re.compile(r"typeof\s+([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)")


@computed("typeof")
def _typeof(t: m.UnsupportedType, env: TypeEnv) -> py.PyType:
    """`typeof NAME`: a declared constant's or variable's type; an enum's or class's own type
    (`type[Color]`). Anything else (a function, a value without a declared type, an expression)
    keeps Any, with a warning."""
    match = TYPEOF.fullmatch(t.text.strip())
    name = tuple(part.strip() for part in match.group(1).split(".")) if match else ()
    found = env.program.lookup(env.module, env.scope, name) if name else None
    decls = found.decls if isinstance(found, Found) else ()
    variable = next((d for d in decls if isinstance(d, m.Variable) and d.type is not None), None)
    if isinstance(found, Found) and variable is not None and variable.type is not None:
        return lower(variable.type, replace(env, module=env.program.origin(variable, found.module), scope=found.path[:-1], type_vars={}))
    if any(isinstance(d, (m.Enum, m.Class)) for d in decls):
        own = lower(m.TypeRef(name, (), t.pos), env)
        return py.PyGeneric(py.PyName("type"), (own,))
    return unsupported(t, env)
