"""Render a route's abstract values (tsgen.js.values) as Python expressions over the generated
method's parameters, calling the runtime's helpers (param_field, param_rest, route_path, ...).
Literals are written with repr(): nothing from the input becomes code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tsgen.js.values import Arr, Call, Cond, Field, Lit, Obj, Param, Tmpl, Value

_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")  # escaped braces first, then {placeholders}


class Unrenderable(Exception):
    """A value that has no Python rendering (the method gets no route, with a warning)."""


@dataclass
class Renderer:
    exprs: dict[str, str]  # JS parameter -> Python expression
    helpers: set[str] = field(default_factory=set)  # runtime helpers used

    def value(self, value: Value) -> str:
        if isinstance(value, Param):
            return self._param(value)
        if isinstance(value, Field):
            return self._call("param_field", self._base(value.param), *map(repr, value.path))
        if isinstance(value, Lit):
            return repr(value.value)
        if isinstance(value, Obj):
            return "{" + ", ".join(self._member(k, v) for k, v in value.members) + "}"
        if isinstance(value, Arr):
            return self._call("param_items", *(self.value(v) if spread else f"[{self.value(v)}]" for spread, v in value.items))
        if isinstance(value, Cond):
            test = self._call("param_given", self.value(value.test)) if value.present else self.value(value.test)
            return f"({self.value(value.then)} if {test} else {self.value(value.other)})"
        if isinstance(value, Call) and value.name in ("toString", "String"):
            inner = value.receiver if value.receiver is not None else (value.args[0] if value.args else None)
            if inner is not None:
                return self.value(inner)
        raise Unrenderable(type(value).__name__)

    def path(self, template: str, values: tuple[Value, ...]) -> str:
        """`route_path('/a/{}/b/{}', x, y)`: holes numbered in order, literal braces kept doubled."""
        count = iter(range(len(values)))
        numbered = _FORMAT_FIELD.sub(lambda m: m.group(0) if m.group(1) is None else "{" + str(next(count, 0)) + "}", template)
        if not values:
            return repr(numbered.replace("{{", "{").replace("}}", "}"))
        return self._call("route_path", repr(numbered), *(self.value(v) for v in values))

    def _param(self, value: Param) -> str:
        base = self._base(value.name)
        return self._call("param_rest", base, repr(value.omit)) if value.omit else base

    def _member(self, key: str | None, value: Value) -> str:
        if key is not None:
            return f"{key!r}: {self.value(value)}"
        if isinstance(value, Param):
            return "**" + self._call("param_rest", self._base(value.name), repr(value.omit))
        if isinstance(value, Obj):
            return "**" + self.value(value)
        if isinstance(value, Lit) and value.value is None:
            return "**{}"
        raise Unrenderable("spread")

    def _base(self, name: str) -> str:
        """The Python expression of a JS parameter; one the declared signature does not have
        (an overload with fewer parameters) is undefined in JS: None here, so nothing is sent."""
        return self.exprs.get(name, "None")

    def _call(self, helper: str, *args: str) -> str:
        self.helpers.add(helper)
        return f"{helper}({', '.join(args)})"


def template_values(template: str, labels: tuple[str, ...], values: tuple[Value, ...]) -> tuple[Value, ...]:
    """The hole values of a path; a configured route (`/a/{id}`) names parameters."""
    return values if values or not labels else tuple(Param(label) for label in labels)


__all__ = ["Renderer", "Unrenderable", "template_values", "Tmpl"]
