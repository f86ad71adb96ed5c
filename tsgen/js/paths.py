"""The request path: a string, a template (any tag), a local bound to one; its holes."""

from __future__ import annotations


from tsgen.js.values import Call, Cond, Field, Lit, Param, Tmpl, Value, describe
from tsgen.records import record

_PASS_THROUGH = frozenset({"encodeURIComponent", "String", "toString", "encodeURI"})


class PathError(Exception):
    """A path this analysis cannot rebuild."""


@record(frozen=True)
class Path:
    template: str  # str.format template with `{label}` placeholders, literal braces doubled
    labels: tuple[str, ...]  # one per hole, in order (a parameter or field name, or argN)
    values: tuple[Value, ...]  # the value of each hole


def path_of(value: Value) -> Path:
    if isinstance(value, Lit) and isinstance(value.value, str):
        return Path(_escape(value.value), (), ())
    if not isinstance(value, Tmpl):
        raise PathError(f"path not understood: it is computed at run time ({describe(value)})")
    text: list[str] = []
    labels: list[str] = []
    values: list[Value] = []
    for part in value.parts:
        if isinstance(part, str):
            text.append(_escape(part))
            continue
        hole = _hole(part)
        if isinstance(hole, Lit) and isinstance(hole.value, (str, int, float)):
            text.append(_escape(str(hole.value)))
            continue
        label = _label(hole, len(values))
        text.append("{" + label + "}")
        labels.append(label)
        values.append(hole)
    if not "".join(text).startswith("/") and not value.parts:
        raise PathError("empty path")
    return Path("".join(text), tuple(labels), tuple(values))


def _hole(value: Value) -> Value:
    """The value of a path hole, through `encodeURIComponent(x)` and similar wrappings."""
    while isinstance(value, Call) and value.name in _PASS_THROUGH:
        inner = value.args[0] if value.args else value.receiver
        if inner is None:
            break
        value = inner
    if not _renderable(value):
        raise PathError(f"path placeholder not understood: {describe(value)}")
    return value


def _renderable(value: Value) -> bool:
    if isinstance(value, (Param, Field, Lit)):
        return True
    if isinstance(value, Cond):
        return all(_renderable(v) for v in (value.test, value.then, value.other))
    return False


def _label(value: Value, index: int) -> str:
    if isinstance(value, Param) and not value.omit:
        return value.name
    if isinstance(value, Field):
        return value.path[-1] if value.path[-1].isidentifier() else f"arg{index}"
    return f"arg{index}"


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
