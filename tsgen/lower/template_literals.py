"""Template literal types: the strings they stand for, where there are finitely many.

`` `${'billing ' | ''}${Field}` `` is every combination of its parts, as tsc computes it: a
`Literal` of those strings. A part that is any string (`${string}`, `${number}`) makes the
combinations with it a pattern, which Python cannot say: those are `str` (so `` `section-${string}` ``
is `str`, and `'' | `x-${string}`` is `Literal[''] | str`). Parts are literals, unions, aliases
of them (generic ones with their arguments: `OptionalPrefixToken<Section>`), other template
literals, `keyof X`, `boolean`, `null` and `undefined`, and TypeScript's intrinsic `Uppercase`,
`Lowercase`, `Capitalize` and `Uncapitalize` of those (which are `Literal`s outside a template
too); a type parameter of the declaration is any string. Anything else, or more than MAX_STRINGS
combinations, is `str` with a warning.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable
from itertools import product

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower import members
from tsgen.lower.members import NotComputable
from tsgen.lower.types import TypeEnv, builtin, computed
from tsgen.parse.template import parse_template
from tsgen.program import Found, Unresolved
from tsgen.records import record
from tsgen.kinds import UNSUPPORTED_TYPE

MAX_STRINGS = 2000
_MAX_DEPTH = 30
_OPEN = {"string", "number", "bigint", "any"}
_WORDS = {"boolean": ("false", "true"), "null": ("null",), "undefined": ("undefined",)}
_INTRINSICS: dict[str, Callable[[str], str]] = {
    "Uppercase": str.upper,
    "Lowercase": str.lower,
    "Capitalize": lambda s: s[:1].upper() + s[1:],
    "Uncapitalize": lambda s: s[:1].lower() + s[1:],
}


@record(frozen=True)
class Strings:
    """The strings a type stands for: finitely many, and whether other strings too (a pattern)."""

    values: tuple[str, ...]
    open: bool = False

    def __or__(self, other: Strings) -> Strings:
        return Strings(tuple(dict.fromkeys(self.values + other.values)), self.open or other.open)


Bound = dict[str, Strings]  # a generic alias's parameters, as the strings of their arguments


@computed("template literal type")
def _template_literal(t: m.UnsupportedType, env: TypeEnv) -> py.PyType:
    return _lowered(t, env, "template literal type")


@builtin("Uppercase")
@builtin("Lowercase")
@builtin("Capitalize")
@builtin("Uncapitalize")
def _intrinsic(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    return _lowered(t, env, f"`{t.dotted}`")


def _lowered(t: m.UnsupportedType | m.TypeRef, env: TypeEnv, what: str) -> py.PyType:
    """A `Literal` of the strings, `| str` where it has patterns too; `str` with a warning at the
    part that cannot be computed."""
    try:
        found = strings(t, env, {}, 0)
    except NotComputable as exc:
        text = t.text if isinstance(t, m.UnsupportedType) else t.dotted + "<...>"
        env.diagnostics.warn(exc.pos, f"{what} `{text[:60]}` cannot be computed ({exc.reason}); using str", kind=UNSUPPORTED_TYPE)
        return py.STR
    found_types: list[py.PyType] = [py.PyLiteral(found.values)] if found.values else []
    if found.open or not found_types:
        found_types.append(py.STR)
    return found_types[0] if len(found_types) == 1 else py.PyUnion(tuple(found_types))


def strings(t: m.TypeExpr, env: TypeEnv, bound: Bound, depth: int) -> Strings:
    """The strings `t` stands for in a template literal."""
    if depth > _MAX_DEPTH:
        raise NotComputable(t.pos, "nested too deeply")
    if isinstance(t, m.LiteralType) and not isinstance(t.value, float):
        return Strings((str(t.value).lower() if isinstance(t.value, bool) else str(t.value),))
    if isinstance(t, m.KeywordType) and (t.name in _OPEN or t.name in _WORDS):
        return Strings((), True) if t.name in _OPEN else Strings(_WORDS[t.name])
    if isinstance(t, m.ParenType):
        return strings(t.inner, env, bound, depth + 1)
    if isinstance(t, m.UnionType):
        found = Strings(())
        for member in t.members:
            found = found | strings(member, env, bound, depth + 1)
        return found
    if isinstance(t, m.TypeRef):
        return _reference(t, env, bound, depth)
    if isinstance(t, m.UnsupportedType) and t.construct == "template literal type":
        return _combinations(t, env, bound, depth)
    if isinstance(t, m.UnsupportedType) and t.construct == "keyof operator":
        return Strings(tuple(members.keys(t, env)))
    raise NotComputable(t.pos, "a part is not a string literal, a union or an alias of them")


def _combinations(t: m.UnsupportedType, env: TypeEnv, bound: Bound, depth: int) -> Strings:
    spans = parse_template(t)
    if spans is None:
        raise NotComputable(t.pos, "its text has escapes")
    parts: list[Strings] = []
    failed: NotComputable | None = None
    for span in spans:
        try:
            parts.append(Strings((span,)) if isinstance(span, str) else strings(span, env, bound, depth + 1))
        except NotComputable as exc:
            failed = failed or exc
    if any(not part.values for part in parts):  # `${X}.${string}`: every combination is a pattern, whatever X is
        return Strings((), True)
    if failed is not None:
        raise failed
    count = 1
    for part in parts:
        count *= len(part.values)
    if count > MAX_STRINGS:
        raise NotComputable(t.pos, f"more than {MAX_STRINGS} strings")
    return Strings(tuple(dict.fromkeys("".join(p) for p in product(*(part.values for part in parts)))), any(part.open for part in parts))


def _reference(t: m.TypeRef, env: TypeEnv, bound: Bound, depth: int) -> Strings:
    if len(t.name) == 1 and t.name[0] in bound and not t.args:
        return bound[t.name[0]]
    if len(t.name) == 1 and t.name[0] in env.type_vars:
        return Strings((), True)  # a type parameter of the declaration: any of its strings
    found = env.program.lookup(env.module, env.scope, t.name)
    if isinstance(found, Unresolved) and t.dotted in _INTRINSICS and len(t.args) == 1:
        argument = strings(t.args[0], env, bound, depth + 1)
        return Strings(tuple(dict.fromkeys(map(_INTRINSICS[t.dotted], argument.values))), argument.open)
    alias = next((d for d in found.decls if isinstance(d, m.TypeAlias)), None) if isinstance(found, Found) else None
    if not isinstance(found, Found) or alias is None:
        raise NotComputable(t.pos, f"`{t.dotted}` is not a type alias")
    if len(t.args) > len(alias.type_params):
        raise NotComputable(t.pos, f"`{t.dotted}` takes {len(alias.type_params)} type arguments")
    inner = replace(env, module=env.program.origin(alias, found.module), scope=found.path[:-1], type_vars={}, bound={})
    params: Bound = {}
    for i, param in enumerate(alias.type_params):
        if i < len(t.args):
            params[param.name] = strings(t.args[i], env, bound, depth + 1)
        elif param.default is not None:
            params[param.name] = strings(param.default, inner, params, depth + 1)
        else:
            raise NotComputable(t.pos, f"`{t.dotted}` takes {len(alias.type_params)} type arguments")
    return strings(alias.type, inner, params, depth + 1)
