"""Pass: resource classes (`class Sessions extends APIResource`) to sync and async Python classes."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.js.values import Cond, Field, Param, Value, children, params_of
from tsgen.jsroutes import JsRoute
from tsgen.lower.entities import Entity, Key
from tsgen.lower.models import all_properties, doc_of
from tsgen.lower.naming import ASYNC, MODEL, PARAM, SYNC
from tsgen.lower.requests import Renderer, Unrenderable, template_values
from tsgen.lower.types import TypeEnv, lower
from tsgen.program import Found, RuntimeName
from tsgen.lower.returns import ReturnContext, merged, method_returns
from tsgen.pymodel import OPTIONS as REQUEST_OPTIONS, ArgSlot, Doc, MethodDef, ReturnDef, ParamDef, ResourceDef, RouteDef, SignatureDef, SubresourceDef
from tsgen.records import record
from tsgen.kinds import NOT_CONVERTED, NO_ROUTE

OPTIONS = "RequestOptions"


@record(frozen=True)
class Route:
    """An HTTP route for one method, from the `.js` sibling or from the configuration. Values
    are in terms of the JS method's parameters (tsgen.js.values); a plain string names one."""

    verb: str
    path: str  # with `{name}` placeholders (JS parameter names for a configured route)
    path_params: tuple[str, ...]
    body: Value | str | None
    query: Value | str | None
    headers: tuple[tuple[str, Value | str], ...] = ()  # a plain string is a static value here
    path_values: tuple[Value, ...] = ()  # the placeholders' values (default: the parameters named)
    multipart: bool = False
    binary: bool = False
    stream: Value | None = None  # whether the answer streams (`body.stream ?? false`)
    envelope: tuple[str, ...] = ()
    multipart_when_files: bool = False

    @staticmethod
    def from_js(route: JsRoute) -> Route:
        return Route(
            route.verb, route.path, route.path_params, route.body, route.query, route.headers, route.path_values,
            route.multipart, route.binary_response, route.stream, route.envelope, route.multipart_when_files,
        )  # fmt: skip

    def values(self) -> tuple[Value | None, Value | None, tuple[tuple[str, Value], ...], tuple[Value, ...]]:
        """Body, query, headers and path holes as values."""
        from tsgen.js.values import Lit

        def as_value(v: Value | str | None, literal: bool = False) -> Value | None:
            return (Lit(v) if literal else Param(v)) if isinstance(v, str) else v

        headers = tuple((k, as_value(v, True) or Lit(None)) for k, v in self.headers)
        return as_value(self.body), as_value(self.query), headers, template_values(self.path, self.path_params, self.path_values)

    def object_params(self) -> set[str]:
        """JS parameters whose fields the request reads, or sent whole as body/query/header."""
        body, query, headers, holes = self.values()
        whole = [v for v in (body, query, *(v for _, v in headers)) if v is not None]
        return set().union(*(params_of(v) for v in whole), *(_field_params(v) for v in holes))

    def header_fields(self) -> dict[tuple[str, str], str]:
        """(JS parameter, key) -> the header its value is sent as."""
        found: dict[tuple[str, str], str] = {}
        for name, value in self.values()[2]:
            while isinstance(value, Cond) and value.present:
                value = value.then
            if isinstance(value, Field) and len(value.path) == 1:
                found.setdefault((value.param, value.path[0]), name)
        return found


def _field_params(value: Value) -> set[str]:
    if isinstance(value, Field):
        return {value.param}
    return set().union(*(_field_params(v) for v in children(value)))


def _resolve(t: m.TypeExpr | None, entity: Entity, env: TypeEnv) -> Found | RuntimeName | None:
    if isinstance(t, m.TypeRef):
        found = env.program.lookup(entity.key.module, entity.key.path[:-1], t.name)
        return found if isinstance(found, (Found, RuntimeName)) else None
    return None


def _non_null(t: m.TypeExpr | None) -> m.TypeExpr | None:
    """The type of the values a caller passes: `T | null | undefined` (an optional parameter)
    is T, and so is `T & ({ [K in 'method' | 'path']?: never } | null)` (current SDKs forbid the
    request options' names in params that way: the guard adds no field)."""
    if isinstance(t, m.ParenType):
        return _non_null(t.inner)
    if isinstance(t, m.UnionType):
        rest = [x for x in t.members if not _is_nothing(x)]
        return _non_null(rest[0]) if len(rest) == 1 else t
    if isinstance(t, m.IntersectionType):
        rest = [x for x in t.members if not _is_guard(x)]
        return _non_null(rest[0]) if len(rest) == 1 else t
    return t


def _is_nothing(t: m.TypeExpr) -> bool:
    return isinstance(t, m.KeywordType) and t.name in ("null", "undefined", "never")


def _is_guard(t: m.TypeExpr) -> bool:
    """A type that only forbids keys (`{ [K in ...]?: never }`), or that, or null/undefined."""
    if isinstance(t, m.ParenType):
        return _is_guard(t.inner)
    if isinstance(t, m.UnionType):
        return all(_is_guard(x) or _is_nothing(x) for x in t.members) and not all(_is_nothing(x) for x in t.members)
    if isinstance(t, m.ObjectType):
        return bool(t.members) and all(isinstance(x, m.Property) and x.optional and _is_nothing_type(x.type) for x in t.members)
    return isinstance(t, m.UnsupportedType) and t.construct == "mapped type" and _FORBIDS_KEYS.search(t.text) is not None


def _is_nothing_type(t: m.TypeExpr | None) -> bool:
    return isinstance(t, m.KeywordType) and t.name == "never"


_FORBIDS_KEYS = re.compile(r"^\{\s*(readonly\s+)?\[\s*\w+\s+in\s+[^\]]+\]\s*\?\s*:\s*never\s*;?\s*\}$")


def _interface_entity(t: m.TypeExpr | None, entity: Entity, env: TypeEnv) -> Entity | None:
    found = _resolve(_non_null(t), entity, env)
    if isinstance(found, Found):
        interfaces = [d for d in found.decls if isinstance(d, m.Interface)]
        if interfaces:
            return Entity(Key(found.module, found.path), interfaces[0], 0)
    return None


@dataclass
class _Slots:
    """The Python parameters of a method: their definitions, JS name -> Python expression,
    the keys of the `**params` TypedDict, and the names given to the request options."""

    params: list[ParamDef]
    exprs: dict[str, str]
    keys: set[str]
    options: dict[str, str]
    kwargs: str | None = None  # the JS parameter that became `**params`


@dataclass
class _MethodBuilder:
    entity: Entity
    method: m.Method
    route: Route | None
    env: TypeEnv
    shadowed: set[str]  # member names of the class: builtins of the same name are spelled builtins.X
    pages: frozenset[Key] = frozenset()  # the page classes (list methods return them)

    def _lower(self, t: m.TypeExpr | None, role: str) -> py.PyType:
        return py.shadow_safe(lower(t, self.env.at(self.entity.key.path[:-1], role)), self.shadowed)

    def _target(self, param: m.Param, object_params: set[str] | None) -> Entity | None:
        """The interface of a parameter the request takes fields from (or sends whole)."""
        body_like = object_params is None or param.name in object_params
        return _interface_entity(param.type, self.entity, self.env) if body_like else None

    def _kwargs_param(self, params: list[m.Param], object_params: set[str] | None) -> tuple[m.Param | None, Entity | None]:
        """The first parameter whose interface has a TypedDict form: it becomes `**params`."""
        path_params = set(self.route.path_params) if self.route else set()
        for param in params:
            target = self._target(param, object_params)
            forms = self.env.naming.forms.get(target.key, ()) if target else ()
            if target is not None and PARAM in forms and param.name not in path_params:
                return param, target
        return None, None

    def params(self) -> tuple[_Slots, str | None]:
        """The Python parameters and the docs' Args section."""
        params = [p for p in self.method.params if not self._is_options(p)]
        object_params = self.route.object_params() if self.route else None
        kwargs, target = self._kwargs_param(params, object_params)
        keys = {prop.name for prop, _ in all_properties(target, self.env.at(target.key.path[:-1], PARAM))} if target else set()
        slots = _Slots([], {}, keys, {})
        others = {names.identifier(names.snake(p.name)) for p in params if p is not kwargs}
        kwargs_name = names.free("params", others | keys)  # callers never see it: any free name does
        for param in params:
            if param is kwargs and target is not None:
                hint = self._lower(_non_null(param.type), PARAM)
                slots.params.append(ParamDef(kwargs_name, py.annotation(py.PyGeneric(py.PyName("Unpack"), (hint,)), locals_defined=True), kind="kwargs", needs=hint.imports()))
                slots.exprs[param.name] = kwargs_name
                slots.kwargs = param.name
                continue
            target_of = self._target(param, object_params)
            forms = self.env.naming.forms.get(target_of.key, ()) if target_of else ()
            role = PARAM if target_of is None or PARAM in forms else MODEL
            hint = self._lower(param.type, role)
            py_name = names.free(names.identifier(names.snake(param.name)), keys | set(slots.exprs.values()))
            hint_text = py.annotation(hint, or_none=param.optional, locals_defined=True)
            slots.params.append(ParamDef(py_name, hint_text, "None" if param.optional else None, needs=hint.imports()))
            slots.exprs[param.name] = py_name
        taken = keys | set(slots.exprs.values())
        slots.options = {option: names.free(option, taken) for option in REQUEST_OPTIONS}
        slots.params = self._ordered(slots.params, slots.options, "self" in keys)
        return slots, self._args_doc(target, kwargs.name if kwargs else "", slots.options)

    def call(self, slots: _Slots) -> tuple[ArgSlot, ...]:
        """How each of the TypeScript parameters is passed to the Python method."""
        found = []
        for param in self.method.params:
            if param.name == slots.kwargs:
                found.append(ArgSlot("spread", slots.exprs[param.name], frozenset(slots.keys)))
            elif param.name in slots.exprs:
                found.append(ArgSlot("keyword" if param.optional else "positional", slots.exprs[param.name]))
            else:
                found.append(ArgSlot("options"))
        return tuple(found)

    def _is_options(self, param: m.Param) -> bool:
        """The SDK's request options: `RequestOptions`, or a type made of its keys
        (`{ [K in 'headers' | 'timeout']?: RequestOptions[K] } & {...}`)."""
        parts = _non_null(param.type)
        found = _resolve(parts, self.entity, self.env)
        if isinstance(found, RuntimeName) and found.name == OPTIONS:
            return True
        members = parts.members if isinstance(parts, m.IntersectionType) else (parts,)
        mapped = [t for t in members if isinstance(t, m.UnsupportedType) and t.construct == "mapped type"]
        return bool(mapped) and len(mapped) == len(members) and any(re.search(rf"\b{OPTIONS}\[", t.text) for t in mapped)

    @staticmethod
    def _ordered(params: list[ParamDef], options: dict[str, str], self_key: bool) -> list[ParamDef]:
        """Positional, then keyword-only parameters, the request options, `**params`. When the
        params have a key `self`, the method's `self` is positional-only (`self, /`), so that
        the key can still be given."""
        positional = [p for p in params if p.kind == "normal" and p.default is None]
        keywords = [p for p in params if p.kind == "normal" and p.default is not None]
        kwargs = [p for p in params if p.kind == "kwargs"]
        extra = [
            ParamDef(options["extra_headers"], "Mapping[str, str | None] | None", "None"),
            ParamDef(options["extra_query"], "Mapping[str, object] | None", "None"),
            ParamDef(options["extra_body"], "Mapping[str, object] | None", "None"),
            ParamDef(options["timeout"], "float | httpx.Timeout | None | NotGiven", "NOT_GIVEN"),
        ]
        star = [ParamDef("*", "", None, kind="star")]
        slash = [ParamDef("/", "", None, kind="slash")] if self_key else []
        return slash + positional + star + keywords + extra + kwargs

    def _args_doc(self, target: Entity | None, js_name: str, options: dict[str, str]) -> str | None:
        lines = ["Args:"]
        headers = self.route.header_fields() if self.route else {}
        for prop, _ in all_properties(target, self.env.at(target.key.path[:-1], PARAM)) if target else []:
            doc = doc_of(prop.doc)
            header = headers.get((js_name, prop.name))
            note = f"Sent as the `{header}` header." if header else ""
            text = (doc.text.split("\n") if doc and doc.text else []) + ([note] if note else [])
            if not text:
                continue
            first, *rest = text
            lines.append(f"    {names.identifier(prop.name)}: {first}".rstrip())
            lines.extend(textwrap.indent(line, "        ").rstrip() for line in rest)
        for option, name in options.items():
            if name != option:
                lines.append(f"    {name}: the `{option}` request option (`{option}` is a field of the parameters).")
        return "\n".join(lines) if len(lines) > 1 else None

    def returns(self) -> ReturnDef:
        scope = self.entity.key.path[:-1]
        binary = self.route is not None and self.route.binary
        ctx = ReturnContext(self.entity.key.module, scope, self.env.at(scope, MODEL), self._lower, self.pages, binary)
        return method_returns(self.method.returns, ctx)

    def build(self, name: str) -> MethodDef:
        slots, args_doc = self.params()
        returns = self.returns()
        doc = doc_of(self.method.doc)
        if args_doc:
            doc = Doc("\n\n".join(x for x in ((doc.text if doc else ""), args_doc) if x), doc.deprecated if doc else None)
        route, missing = self._route_def(slots)
        return MethodDef(name, tuple(slots.params), returns, route, missing, doc, ts_name=self.method.name, calls=(self.call(slots),))

    def _route_def(self, slots: _Slots) -> tuple[RouteDef | None, str | None]:
        if self.route is None:
            return None, _missing_route_message(self.entity, self.method)
        try:
            return _route_def(self.route, slots), None
        except Unrenderable as exc:
            key = f"{self.entity.key.dotted}.{self.method.name}"
            return None, f"the route of `{key}` uses a value that the declarations do not give ({exc}); add it under [tool.tsgen.routes]"


def _missing_route_message(entity: Entity, method: m.Method) -> str:
    key = f"{entity.key.dotted}.{method.name}"
    return (
        f"no HTTP route is known for `{key}` (no `.js` beside its declaration shows one: there is none, or the "
        f"method computes its request at run time, see the warning at the `.js`); add "
        f'`"{key}" = "POST /path/{{param}}"` under [tool.tsgen.routes] in pyproject.toml and regenerate'
    )


def _route_def(route: Route, slots: _Slots) -> RouteDef:
    render = Renderer(slots.exprs)
    body, query, headers, holes = route.values()
    return RouteDef(
        route.verb.lower(),
        render.path(route.path, holes),
        render.value(body) if body is not None else None,
        render.value(query) if query is not None else None,
        tuple((name, render.value(value)) for name, value in headers),
        "files" if route.multipart_when_files else route.multipart,
        route.envelope,
        render.value(route.stream) if route.stream is not None else None,
        tuple(slots.options.items()),
        frozenset(render.helpers),
        route.path,
    )


def _subresource(prop: m.Property, entity: Entity, env: TypeEnv, resources: set[Key]) -> SubresourceDef | None:
    found = _resolve(prop.type, entity, env)
    if not isinstance(found, Found) or Key(found.module, found.path) not in resources:
        return None
    key = Key(found.module, found.path)
    sync = env.naming.ref(key, SYNC, entity.key.module)
    async_ = env.naming.ref(key, ASYNC, entity.key.module)
    name = names.identifier(names.snake(prop.name))
    return SubresourceDef(name, sync.render(), async_.render(), doc_of(prop.doc), sync.imports() | async_.imports(), prop.name)


def method_name(name: str, taken: set[str]) -> str:
    """snake_case; `del` is `delete` as Python SDKs spell it (unless the class has a `delete`)."""
    snake = names.snake(name)
    if snake == "del_" and "delete" not in taken:
        return "delete"
    return snake


def _overloaded(built: list[MethodDef]) -> MethodDef:
    """One Python method for a TypeScript method's signatures. Signatures that Python cannot tell
    apart (the same parameters: generic params erased) are one, answering any of their answers;
    a signature whose parameters another with the same answer also takes is left out
    (`list(options?)` beside `list(query?, options?)`). Several remaining become
    `typing.overload`s over an implementation that takes what any of them takes."""
    groups: dict[tuple[str, ...], list[MethodDef]] = {}
    for method in built:
        groups.setdefault(tuple(_erased(p) for p in method.params), []).append(method)
    signatures = [replace(ms[-1], returns=merged([m.returns for m in ms])) for ms in groups.values()]
    kept = [m for i, m in enumerate(signatures) if not any(_covers(o, m) for j, o in enumerate(signatures) if j != i)]
    doc = next((m.doc for m in built if m.doc), None)
    calls = tuple(dict.fromkeys(c for m in built for c in m.calls))
    built = [replace(m, calls=calls) for m in built]
    if any(p.annotation in ("Any", "Any | None") for m in kept for p in m.params if p.kind == "normal"):
        kept = [replace(kept[-1], params=_widest(kept), returns=merged([m.returns for m in kept]))]  # Any takes every call
    if len(kept) == 1:
        return replace(kept[0], doc=doc)
    impl = replace(kept[-1], params=_widest(kept), returns=merged([m.returns for m in kept]), doc=doc)
    return replace(impl, overloads=tuple(SignatureDef(m.params, m.returns) for m in kept))


def _erased(param: ParamDef) -> str:
    """A parameter as overload resolution tells it apart: `**params` of one generic TypedDict with
    other type arguments (`TranslationCreateParams<'json'>`, `<'text'>`) are the same to type
    checkers, so such signatures are one."""
    annotation = param.annotation.strip("'\"")
    if param.kind == "kwargs" and annotation.startswith("Unpack["):
        return "**" + annotation.split("[")[1].rstrip("]")
    return param.declaration


def _covers(other: MethodDef, method: MethodDef) -> bool:
    """`other` takes every parameter `method` takes and more, all of them optional, with the
    same answer: a call that fits `method` fits `other`."""
    mine = {p.declaration for p in method.params}
    more = [p for p in other.params if p.declaration not in mine]
    optional = all(p.default is not None or p.kind != "normal" for p in more)
    return other.returns == method.returns and mine < {p.declaration for p in other.params} and optional


def _widest(methods: list[MethodDef]) -> tuple[ParamDef, ...]:
    """The implementation's parameters: each parameter of any signature, its annotation the
    union of theirs (`**params` of different TypedDicts: Any), optional unless all require it;
    positional ones first, in order, then keyword-only ones, then `**params`."""
    found: dict[str, list[ParamDef]] = {}
    keyword_only: dict[str, bool] = {}
    for method in sorted(methods, key=lambda m: -len(m.params)):
        first_keyword = next((i for i, p in enumerate(method.params) if p.kind == "star"), len(method.params))
        for i, param in enumerate(method.params):
            found.setdefault(param.name, []).append(param)
            keyword_only.setdefault(param.name, i > first_keyword)
    merged = {name: _merged_param(params, len(methods)) for name, params in found.items()}
    slash = [p for p in merged.values() if p.kind == "slash"]
    positional = [p for n, p in merged.items() if p.kind == "normal" and not keyword_only[n]]
    keywords = [p for n, p in merged.items() if p.kind == "normal" and keyword_only[n]]
    kwargs = [p for p in merged.values() if p.kind == "kwargs"]
    stars = [p for p in merged.values() if p.kind == "star"]
    return tuple(_keyword_after_defaults(slash + positional + stars + keywords + kwargs))


def _merged_param(found: list[ParamDef], signatures: int) -> ParamDef:
    first = found[0]
    annotations = list(dict.fromkeys(p.annotation for p in found))
    if first.kind == "kwargs" and (len(annotations) > 1 or len(found) < signatures):
        return replace(first, annotation="Any", needs=frozenset({py.ImportName("typing", "Any")}))
    if first.kind != "normal":
        return first
    everywhere = len(found) == signatures
    default = first.default if everywhere and all(p.default == first.default for p in found) else (first.default or "None")
    if default == "None" and first.default is None:
        annotations.append("None")
    return replace(first, annotation=_union_text(annotations), default=default, needs=frozenset().union(*(p.needs for p in found)))


def _union_text(annotations: list[str]) -> str:
    """`A | B` of annotation texts; one quoted string when any of them is quoted (a string
    operand of `|` fails when the annotation is evaluated)."""
    quoted = any(a[:1] in "'\"" for a in annotations)
    parts = list(dict.fromkeys(p for a in annotations for p in _top_level(a[1:-1] if a[:1] in "'\"" else a)))
    text = " | ".join(parts)
    return repr(text) if quoted else text


def _top_level(annotation: str) -> list[str]:
    """The members of a union's text, not splitting inside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and annotation.startswith(" | ", i):
            parts.append(annotation[start:i])
            start = i + 3
    return parts + [annotation[start:]]


def _keyword_after_defaults(params: list[ParamDef]) -> list[ParamDef]:
    """Before `*`, a parameter without a default may not follow one with a default: it gets
    None too (in the implementation only: callers see the overloads)."""
    result: list[ParamDef] = []
    defaulted = False
    for param in params:
        if param.kind == "star":
            defaulted = False
        elif param.kind == "normal" and param.default is None and defaulted:
            param = replace(param, default="None", annotation=_union_text([param.annotation, "None"]))
        defaulted = defaulted or (param.kind == "normal" and param.default is not None)
        result.append(param)
    return result


def lower_resource(
    entity: Entity, env: TypeEnv, routes: dict[str, Route], resources: set[Key], runtime_module: str, pages: frozenset[Key] = frozenset()
) -> ResourceDef:
    decl = entity.decl
    assert isinstance(decl, m.Class)
    methods: list[MethodDef] = []
    subresources: list[SubresourceDef] = []
    shadowed = {names.identifier(names.snake(x.name)) for x in decl.members if isinstance(x, (m.Method, m.Property))}
    signatures: dict[str, list[m.Method]] = {}
    for member in decl.members:
        if isinstance(member, m.Method) and member.name != "constructor":
            signatures.setdefault(member.name, []).append(member)
        elif isinstance(member, m.Property):
            sub = _subresource(member, entity, env, resources)
            if sub is None:
                env.diagnostics.warn(member.pos, f"property `{member.name}` of resource `{entity.key.dotted}` is not a resource; not converted", kind=NOT_CONVERTED)
            else:
                subresources.append(sub)
    for js_name, members in signatures.items():
        name = method_name(js_name, shadowed)
        built = [_MethodBuilder(entity, member, routes.get(js_name), env, shadowed, pages).build(name) for member in members]
        methods.append(_overloaded(built))
        if methods[-1].missing_route:
            env.diagnostics.warn(members[0].pos, methods[-1].missing_route, kind=NO_ROUTE)
    needs_adapter = any("TypeAdapter[" in arg for m in methods if m.route for arg in m.returns.conversion_args(False))
    adapters = {i for m in methods for i in m.returns.needs if i.name == "TypeAdapter" and not i.alias}  # pydantic's, or the runtime's
    extra = (adapters or {py.ImportName("pydantic", "TypeAdapter")}) if needs_adapter else set()
    return ResourceDef(
        env.naming.names[(entity.key, SYNC)],
        env.naming.names[(entity.key, ASYNC)],
        entity.key.dotted,
        tuple(methods),
        tuple(subresources),
        doc_of(decl.doc),
        decl.pos,
        runtime_module,
        frozenset(extra),
    )
