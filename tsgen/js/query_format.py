"""How a client writes its query strings, read from its `stringifyQuery`: the options of the
`qs.stringify(query, { arrayFormat: 'repeat', allowDots: true })` call it makes, in the method
or in the module function it calls (`(0, query_1.stringifyQuery)(query)`, through `require`)."""

from __future__ import annotations


from tree_sitter import Node

from tsgen.js.classes import ClassRef, Module, Modules
from tsgen.js.syntax import named, string_value, text, unparen, walk
from tsgen.records import record


@record(frozen=True)
class QueryFormat:
    array_format: str | None  # qs's arrayFormat: 'brackets' (`a[]=1`), 'repeat' (`a=1&a=2`), ...
    allow_dots: bool  # nested objects as `a.b=1` rather than `a[b]=1`


def query_format(modules: Modules, classes: list[ClassRef]) -> QueryFormat | None:
    """The format of the nearest `stringifyQuery` of a client class and its bases; None when
    none says (the runtime's default: brackets)."""
    for ref in classes:
        method = ref.method("stringifyQuery")
        if method is not None:
            return _options_in(method, ref.module, modules, 0)
    return None


def _options_in(node: Node, module: Module, modules: Modules, depth: int) -> QueryFormat | None:
    for found in walk(node):
        if found.type == "object":
            options = _format_of(found)
            if options is not None:
                return options
    for found in walk(node):
        target = _called_function(found, module, modules) if found.type == "call_expression" and depth < 3 else None
        if target is not None:
            options = _options_in(target[0], target[1], modules, depth + 1)
            if options is not None:
                return options
    return None


def _format_of(obj: Node) -> QueryFormat | None:
    pairs = {}
    for pair in (p for p in named(obj) if p.type == "pair"):
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is not None and value is not None:
            pairs[string_value(key) or text(key)] = value
    if "arrayFormat" not in pairs and "allowDots" not in pairs:
        return None
    array = pairs.get("arrayFormat")
    dots = pairs.get("allowDots")
    return QueryFormat(string_value(array) if array is not None else None, dots is not None and text(dots) == "true")


def _called_function(call: Node, module: Module, modules: Modules) -> tuple[Node, Module] | None:
    """The function a call names in this module or, through `require`, in another."""
    callee = call.child_by_field_name("function")
    callee = unparen(callee) if callee is not None else None
    if callee is None:
        return None
    if callee.type == "identifier":
        local = module.function(text(callee))
        return (local, module) if local is not None else None
    if callee.type != "member_expression":
        return None
    obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    imported = module.imports.get(text(obj)) if obj is not None else None
    target = modules.resolve(module, imported[0]) if imported is not None and imported[1] is None else None
    function = target.function(text(prop)) if target is not None and prop is not None else None
    return (function, target) if function is not None and target is not None else None
