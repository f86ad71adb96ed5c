"""Values drawn from a generated type's Python type hints (dataclasses, TypedDicts, pydantic models), as JSON would carry them: each field
(by its wire name), each union's first member that can be drawn, literal values, enum values,
lists and dicts of one item (keys as JSON writes them); below a depth, optional fields are left
out and lists are empty, so that recursive types end. What JSON cannot carry (callables, classes
themselves, `never`) cannot be drawn, nor can types whose required fields nest without end."""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from collections.abc import Mapping, Sequence

import msgspec
import pydantic
import typing_extensions

DEEP = 4  # below this depth only what is required is drawn
LIMIT = 12  # required fields deeper than this: no finite value


class Undrawable(Exception):
    """The type holds something JSON cannot carry."""


_PRIMITIVES: dict[object, object] = {str: "s", int: 1, float: 1.5, bool: True, type(None): None, object: "o", typing.Any: "any"}
_UNIONS = (typing.Union, types.UnionType)
_LISTS = (list, Sequence, tuple, set, frozenset)
_DICTS = (dict, Mapping)


def _value(alias: typing.Any) -> object:
    """What a `TypeAliasType` stands for, its names (strings: tsgen.lower.cycles) resolved in
    its module."""
    return typing._eval_type(alias.__value__, vars(sys.modules[alias.__module__]), None)  # type: ignore[attr-defined]


def draw(hint: object, depth: int = 0) -> object:
    hint = _value(hint) if type(hint).__name__ == "TypeAliasType" else hint
    if hint in _PRIMITIVES:
        return _PRIMITIVES[hint]
    if isinstance(hint, typing.TypeVar):  # its bound's value, else its default's
        bound = hint.__bound__ or getattr(hint, "__default__", None)
        return draw(bound, depth) if bound is not None and bound is not typing_extensions.NoDefault else "t"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if type(origin).__name__ == "TypeAliasType":  # a generic alias subscripted: its value (its TypeVars drawn as such)
        return draw(_value(origin), depth)
    if origin in (typing.Annotated, typing_extensions.Annotated):
        return draw(args[0], depth)
    if origin in (typing.Literal, typing_extensions.Literal):
        return args[0].value if isinstance(args[0], enum.Enum) else args[0]
    if origin in _UNIONS:
        if any(_a_class(a) for a in args):  # a class itself, or None: nothing JSON carries
            raise Undrawable(f"{hint!r}")
        return _member(args, depth)
    if origin in _LISTS:
        if origin is tuple and args and args[-1] is not Ellipsis:
            return [draw(a, depth + 1) for a in args]
        return [] if depth >= DEEP else [draw(args[0] if args else typing.Any, depth + 1)]
    if origin in _DICTS:
        key = _key(args[0]) if len(args) == 2 else "k"
        return {} if depth >= DEEP else {key: draw(args[1] if len(args) == 2 else typing.Any, depth + 1)}
    if origin is type:  # a class itself (`typeof SomeClass`)
        raise Undrawable(f"{hint!r}")
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint)).value
    cls = origin if isinstance(origin, type) else hint
    if isinstance(cls, type) and (dataclasses.is_dataclass(cls) or typing_extensions.is_typeddict(cls) or issubclass(cls, (pydantic.BaseModel, msgspec.Struct))):
        return _record(cls, depth)
    raise Undrawable(f"{hint!r}")


def _a_class(hint: object) -> bool:
    """`type[C]`, or a type parameter bound to or defaulting to one."""
    if isinstance(hint, typing.TypeVar):
        given = (hint.__bound__, getattr(hint, "__default__", None))
        return any(_a_class(t) or str(getattr(t, "__forward_arg__", t)).startswith("type[") for t in given if t is not None)
    return typing.get_origin(hint) is type


def _key(hint: object) -> str:
    """A JSON object's key for a dict's key type: a string as JSON writes numbers and literals."""
    value = draw(hint)
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else "k"


def _member(args: tuple[object, ...], depth: int) -> object:
    """A union's value: at depth, None where it may be; else the first member that can be drawn."""
    if depth >= DEEP and type(None) in args:
        return None
    for arg in args:
        try:
            return draw(arg, depth)
        except Undrawable:
            continue
    raise Undrawable(f"no member of {args!r}")


def _record(cls: type, depth: int) -> dict[str, object]:
    if depth > LIMIT:  # a required field of its own type, on and on: no finite value is one
        raise Undrawable(f"{cls.__name__} has no finite value")
    hints = typing.get_type_hints(cls, include_extras=True)
    if typing_extensions.is_typeddict(cls):
        required = getattr(cls, "__required_keys__", frozenset(hints))
        return {k: draw(h, depth + 1) for k, h in hints.items() if k in required or depth < DEEP}
    value: dict[str, object] = {}
    if issubclass(cls, msgspec.Struct):
        return _struct(cls, hints, depth)
    if issubclass(cls, pydantic.BaseModel):
        for name, info in cls.model_fields.items():
            if info.is_required() or depth < DEEP:
                value[info.alias or name] = draw(hints[name], depth + 1)
        return value
    for f in dataclasses.fields(cls):
        needed = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if needed or depth < DEEP:
            value[_wire_name(f.name, hints[f.name])] = draw(hints[f.name], depth + 1)
    return value


def _struct(cls: type[msgspec.Struct], hints: dict[str, object], depth: int) -> dict[str, object]:
    """A msgspec struct's value: its fields by wire name (one that may be absent is `T |
    UnsetType`: T drawn), and its tag when it has one."""
    config = cls.__struct_config__
    value: dict[str, object] = {config.tag_field: config.tag} if isinstance(config.tag_field, str) else {}
    for info in msgspec.structs.fields(cls):
        if info.required or depth < DEEP:
            value[info.encode_name] = draw(hints[info.name], depth + 1)
    return value


def _wire_name(name: str, hint: object) -> str:
    for meta in typing.get_args(hint)[1:] if typing.get_origin(hint) is typing.Annotated else ():
        alias = getattr(meta, "alias", None)
        if isinstance(alias, str):
            return alias
    return name
