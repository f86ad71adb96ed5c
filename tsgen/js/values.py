"""Abstract values: what a JavaScript expression of a resource method is, in terms of the
method's parameters. The route of a method is made of these (its path holes, body, query and
headers), and the Python side renders them as expressions over the Python parameters."""

from __future__ import annotations

from typing import Union

from tsgen.records import record


@record(frozen=True)
class Param:
    """A whole parameter of the method, without the keys destructured out of it (`...rest`)."""

    name: str
    omit: tuple[str, ...] = ()
    via: str = ""  # an SDK function the value went through first (`transform(params)`), taken as given


@record(frozen=True)
class Field:
    """A field (or nested field) of a parameter: `params.account_id`, `const { account_id } = params`."""

    param: str
    path: tuple[str, ...]


@record(frozen=True)
class Lit:
    """A literal: string, number, boolean, null/undefined (None)."""

    value: str | int | float | bool | None


@record(frozen=True)
class Obj:
    """An object literal: (key, value) members in source order; key None for a spread."""

    members: tuple[tuple[str | None, Value], ...]


@record(frozen=True)
class Arr:
    """An array literal: (is_spread, value) items."""

    items: tuple[tuple[bool, Value], ...]


@record(frozen=True)
class Tmpl:
    """A template literal (with or without a tag): text parts and holes."""

    parts: tuple[str | Value, ...]


@record(frozen=True)
class Cond:
    """`test ? then : other`; `present` when the test is `test != null` (or `??`)."""

    test: Value
    then: Value
    other: Value
    present: bool = False


@record(frozen=True)
class Call:
    """A call of a function this analysis does not follow: its name, receiver and arguments."""

    name: str
    args: tuple[Value, ...]
    receiver: Value | None = None


@record(frozen=True)
class Fn:
    """A function value (arrow or function expression): what it returns."""

    result: Value


@record(frozen=True)
class Opaque:
    """Anything else (compact source text, for messages)."""

    text: str


Value = Union[Param, Field, Lit, Obj, Arr, Tmpl, Cond, Call, Fn, Opaque]

UNDEFINED = Lit(None)


def get_field(value: Value, key: str) -> Value:
    """`value.key`, computed over the abstract value."""
    if isinstance(value, Param):
        return UNDEFINED if key in value.omit else Field(value.name, (key,))
    if isinstance(value, Field):
        return Field(value.param, value.path + (key,))
    if isinstance(value, Obj):
        return _member(value, key)
    if isinstance(value, Cond):
        return Cond(value.test, get_field(value.then, key), get_field(value.other, key), value.present)
    if isinstance(value, Call) and value.args and isinstance(value.args[0], Param):
        return get_field(value.args[0], key)  # a field of the params an SDK function normalized
    return Opaque(f"{_describe(value)}.{key}")


def _member(obj: Obj, key: str) -> Value:
    """The value of `key` in an object literal: the last member that names it, else what a
    spread gives (a spread parameter, like the caller's options, is taken not to set it)."""
    for member_key, value in reversed(obj.members):
        if member_key == key:
            return value
    for member_key, value in reversed(obj.members):
        if member_key is None and isinstance(value, (Obj, Param)):
            found = get_field(value, key)
            if found != UNDEFINED:
                return found
    return UNDEFINED


def without(value: Value, keys: tuple[str, ...]) -> Value:
    """`const { a, b, ...rest } = value`: rest."""
    if isinstance(value, Param):
        return Param(value.name, tuple(dict.fromkeys(value.omit + keys)), value.via)
    if isinstance(value, Call) and value.args and isinstance(value.args[0], Param):
        return without(Param(value.args[0].name, value.args[0].omit, value.name), keys)
    if isinstance(value, Obj):
        return Obj(tuple((k, v) for k, v in value.members if k is None or k not in keys))
    return Opaque(f"rest of {_describe(value)}")


def is_empty(value: Value) -> bool:
    """undefined, null, false, `{}` or `[]`: nothing to send."""
    if isinstance(value, Lit):
        return value.value is None or value.value is False
    return (isinstance(value, Obj) and not value.members) or (isinstance(value, Arr) and not value.items)


def params_of(value: Value) -> set[str]:
    """Names of the method parameters whose values (or fields) this value uses."""
    if isinstance(value, Param):
        return {value.name}
    if isinstance(value, Field):
        return {value.param}
    return set().union(*(params_of(v) for v in children(value)))


def field_uses(value: Value) -> set[tuple[str, str]]:
    """(parameter, first key) of every field this value reads."""
    if isinstance(value, Field):
        return {(value.param, value.path[0])}
    return set().union(*(field_uses(v) for v in children(value)))


def children(value: Value) -> list[Value]:
    if isinstance(value, Obj):
        return [v for _, v in value.members]
    if isinstance(value, Arr):
        return [v for _, v in value.items]
    if isinstance(value, Tmpl):
        return [p for p in value.parts if not isinstance(p, str)]
    if isinstance(value, Cond):
        return [value.test, value.then, value.other]
    if isinstance(value, Call):
        return list(value.args) + ([value.receiver] if value.receiver is not None else [])
    if isinstance(value, Fn):
        return [value.result]
    return []


def _describe(value: Value) -> str:
    if isinstance(value, Opaque):
        return value.text
    if isinstance(value, Param):
        return value.name
    if isinstance(value, Field):
        return ".".join((value.param,) + value.path)
    if isinstance(value, Call):
        return f"{value.name}(...)"
    return type(value).__name__.lower()


def describe(value: Value) -> str:
    """Short text for warnings."""
    return _describe(value)[:80]
