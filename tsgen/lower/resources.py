"""Pass: resource classes (`class Sessions extends APIResource`) to sync and async Python classes."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.jsroutes import JsRoute
from tsgen.lower.entities import Entity, Key
from tsgen.lower.models import all_properties, doc_of
from tsgen.lower.naming import ASYNC, MODEL, PARAM, SYNC
from tsgen.lower.types import TypeEnv, lower
from tsgen.program import Found, RuntimeName
from tsgen.pymodel import Doc, MethodDef, ParamDef, ResourceDef, RouteDef, SubresourceDef

OPTIONS = "RequestOptions"


@dataclass(frozen=True)
class Route:
    """An HTTP route for one method, from the `.js` sibling or from the configuration."""

    verb: str
    path: str  # with `{name}` placeholders naming parameters (JS or Python names)
    path_params: tuple[str, ...]
    body: str | None
    query: str | None
    headers: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def from_js(route: JsRoute) -> Route:
        return Route(route.verb, route.path, route.path_params, route.body, route.query, route.headers)


def _resolve(t: m.TypeExpr | None, entity: Entity, env: TypeEnv) -> Found | RuntimeName | None:
    if isinstance(t, m.TypeRef):
        found = env.program.lookup(entity.key.module, entity.key.path[:-1], t.name)
        return found if isinstance(found, (Found, RuntimeName)) else None
    return None


def _interface_entity(t: m.TypeExpr | None, entity: Entity, env: TypeEnv) -> Entity | None:
    found = _resolve(t, entity, env)
    if isinstance(found, Found):
        interfaces = [d for d in found.decls if isinstance(d, m.Interface)]
        if interfaces:
            return Entity(Key(found.module, found.path), interfaces[0], 0)
    return None


@dataclass
class _MethodBuilder:
    entity: Entity
    method: m.Method
    route: Route | None
    env: TypeEnv
    shadowed: set[str]  # member names of the class: builtins of the same name are spelled builtins.X

    def _lower(self, t: m.TypeExpr | None, role: str) -> py.PyType:
        return py.shadow_safe(lower(t, self.env.at(self.entity.key.path[:-1], role)), self.shadowed)

    def params(self) -> tuple[list[ParamDef], dict[str, str], str | None]:
        """Python parameters, JS name -> Python expression, and the docs' Args section."""
        result: list[ParamDef] = []
        exprs: dict[str, str] = {}
        args_doc: list[str] = []
        kwargs_taken = False
        path_params = set(self.route.path_params) if self.route else set()
        for param in self.method.params:
            found = _resolve(param.type, self.entity, self.env)
            if isinstance(found, RuntimeName) and found.name == OPTIONS:
                continue
            py_name = names.identifier(names.snake(param.name))
            body_like = self.route is None or param.name in (self.route.body, self.route.query)
            target = _interface_entity(param.type, self.entity, self.env) if body_like else None
            forms = self.env.naming.forms.get(target.key, ()) if target else ()
            role = PARAM if target is None or PARAM in forms else MODEL
            if target is not None and role == PARAM and not kwargs_taken and param.name not in path_params:
                kwargs_taken = True
                hint = self._lower(param.type, PARAM)
                result.append(ParamDef("params", py.annotation(py.PyGeneric(py.PyName("Unpack"), (hint,)), locals_defined=True), kind="kwargs", needs=hint.imports()))
                exprs[param.name] = "params"
                args_doc.extend(self._args_doc(target))
                continue
            hint = self._lower(param.type, role)
            default = "None" if param.optional else None
            hint_text = py.annotation(hint, or_none=param.optional, locals_defined=True)
            result.append(ParamDef(py_name, hint_text, default, needs=hint.imports()))
            exprs[param.name] = py_name
        return self._ordered(result), exprs, "\n".join(args_doc) or None

    @staticmethod
    def _ordered(params: list[ParamDef]) -> list[ParamDef]:
        positional = [p for p in params if p.kind == "normal" and p.default is None]
        keywords = [p for p in params if p.kind == "normal" and p.default is not None]
        kwargs = [p for p in params if p.kind == "kwargs"]
        options = [ParamDef("extra_headers", "Mapping[str, str] | None", "None"), ParamDef("timeout", "float | None", "None")]
        star = [ParamDef("*", "", None, kind="star")]
        return positional + star + keywords + options + kwargs

    def _args_doc(self, target: Entity) -> list[str]:
        lines = ["Args:"]
        for prop, _ in all_properties(target, self.env.at(target.key.path[:-1], PARAM)):
            doc = doc_of(prop.doc)
            if doc is None or not doc.text:
                continue
            first, *rest = doc.text.split("\n")
            lines.append(f"    {names.identifier(prop.name)}: {first}".rstrip())
            lines.extend(textwrap.indent(line, "        ").rstrip() for line in rest)
        return lines if len(lines) > 1 else []

    def returns(self) -> tuple[py.PyType, str, bool]:
        """The return hint, the `cast_to` expression, and whether it needs pydantic's TypeAdapter."""
        hint = self._lower(self.method.returns, MODEL)
        if hint == py.NONE:
            return hint, "type(None)", False
        returns = self.method.returns
        inner = returns.args[-1] if isinstance(returns, m.TypeRef) and returns.args else None
        if _interface_entity(inner, self.entity, self.env) is not None and isinstance(hint, py.PyName):
            return hint, hint.render(), False
        return hint, f"TypeAdapter[{hint.render()}]({hint.render()})", True

    def build(self) -> tuple[MethodDef, bool]:
        params, exprs, args_doc = self.params()
        returns, cast_to, adapter = self.returns()
        doc = doc_of(self.method.doc)
        if args_doc:
            doc = Doc("\n\n".join(x for x in ((doc.text if doc else ""), args_doc) if x), doc.deprecated if doc else None)
        name = names.identifier(names.snake(self.method.name))
        route = _route_def(self.route, exprs) if self.route else None
        missing = None if self.route else _missing_route_message(self.entity, self.method)
        if missing:
            self.env.diagnostics.warn(self.method.pos, missing)
        return MethodDef(name, tuple(params), returns, cast_to, route, missing, doc), adapter


def _missing_route_message(entity: Entity, method: m.Method) -> str:
    key = f"{entity.key.dotted}.{method.name}"
    return (
        f"no HTTP route is known for `{key}` (no `.js` sibling declares it); add "
        f'`"{key}" = "POST /path/{{param}}"` under [tool.tsgen.routes] in pyproject.toml and regenerate'
    )


def _route_def(route: Route, exprs: dict[str, str]) -> RouteDef:
    body = exprs.get(route.body) if route.body else None
    query = exprs.get(route.query) if route.query else None
    return RouteDef(route.verb.lower(), _path_expr(route, exprs), body, query, route.headers)


_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")  # escaped braces first, then {placeholders}


def _path_expr(route: Route, exprs: dict[str, str]) -> str:
    """The path as a Python expression: a literal, or a str.format template (literal braces
    already doubled) whose placeholders become the quoted parameters."""
    if not route.path_params:
        return repr(route.path.replace("{{", "{").replace("}}", "}"))

    def field(match: re.Match[str]) -> str:
        param = match.group(1)
        return "{" + exprs.get(param, names.snake(param)) + "}" if param in route.path_params else match.group(0)

    template = _FORMAT_FIELD.sub(field, route.path)
    args = ", ".join(f"{exprs.get(p, names.snake(p))}=quote(str({exprs.get(p, names.snake(p))}), safe='')" for p in dict.fromkeys(route.path_params))
    return f"{template!r}.format({args})"


def _subresource(prop: m.Property, entity: Entity, env: TypeEnv, resources: set[Key]) -> SubresourceDef | None:
    found = _resolve(prop.type, entity, env)
    if not isinstance(found, Found) or Key(found.module, found.path) not in resources:
        return None
    key = Key(found.module, found.path)
    sync = env.naming.ref(key, SYNC, entity.key.module)
    async_ = env.naming.ref(key, ASYNC, entity.key.module)
    name = names.identifier(names.snake(prop.name))
    return SubresourceDef(name, sync.render(), async_.render(), doc_of(prop.doc), sync.imports() | async_.imports())


def lower_resource(
    entity: Entity, env: TypeEnv, routes: dict[str, Route], resources: set[Key], runtime_module: str
) -> ResourceDef:
    decl = entity.decl
    assert isinstance(decl, m.Class)
    methods: list[MethodDef] = []
    subresources: list[SubresourceDef] = []
    needs_adapter = needs_quote = False
    seen: set[str] = set()
    shadowed = {names.identifier(names.snake(x.name)) for x in decl.members if isinstance(x, (m.Method, m.Property))}
    for member in decl.members:
        if isinstance(member, m.Method) and member.name != "constructor":
            if member.name in seen:
                env.diagnostics.warn(member.pos, f"overload of `{entity.key.dotted}.{member.name}` is not emitted (the first signature is used)")
                continue
            seen.add(member.name)
            built, adapter = _MethodBuilder(entity, member, routes.get(member.name), env, shadowed).build()
            methods.append(built)
            needs_adapter |= adapter and built.route is not None
            needs_quote |= bool(built.route and ".format(" in built.route.path_expr)
        elif isinstance(member, m.Property):
            sub = _subresource(member, entity, env, resources)
            if sub is None:
                env.diagnostics.warn(member.pos, f"property `{member.name}` of resource `{entity.key.dotted}` is not a resource; not converted")
            else:
                subresources.append(sub)
    extra = {py.ImportName("pydantic", "TypeAdapter")} if needs_adapter else set()
    extra |= {py.ImportName("urllib.parse", "quote")} if needs_quote else set()
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
