"""Pass: the SDK's root client (`class OpenAI extends Core.APIClient`, or current SDKs'
`class Anthropic extends BaseAnthropic` in client.d.ts) becomes `OpenAI` / `AsyncOpenAI` on the
runtime's clients: its options in snake_case with the defaults its `.js` gives them (environment
variables, base URL, auth and other headers), and its resources as lazy attributes."""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Iterator

from tsgen import names
from tsgen import tsmodel as m
from tsgen.diagnostics import Pos
from tsgen.lower.entities import Key
from tsgen.lower.models import doc_of
from tsgen.lower.types import TypeEnv
from tsgen.program import Found, Program, js_beside
from tsgen.pymodel import ClientDef, ClientOptionDef, SubresourceDef
from tsgen.js.client import ClientOptionSpec, ClientSpec, read_client
from tsgen.resolve_files import _package_entry
from tsgen.kinds import CLIENT

CLIENT_MODULE = "<client>"  # the pseudo TypeScript module of `_client.py`
# Options every client has, which the runtime's own keywords cover.
GENERIC_OPTIONS = frozenset({
    "baseURL", "timeout", "maxRetries", "defaultHeaders", "defaultQuery", "fetch", "fetchOptions", "httpAgent",
    "dangerouslyAllowBrowser", "logLevel", "logger",
})  # fmt: skip


def entry_modules(program: Program) -> list[str]:
    """The package's entry declaration files (package.json `types`, index.d.ts, client.d.ts)."""
    found = []
    entry = _package_entry(program.root)
    candidates = [entry] if entry is not None else []
    candidates += [program.root / "index.d.ts", program.root / "client.d.ts"]
    for path in candidates:
        if path.is_file() and path.name.endswith(".d.ts"):
            rel = path.resolve().relative_to(program.root.resolve()).as_posix()
            found.append(rel)
    return list(dict.fromkeys(found))


def resource_props(decl: m.Class, key: Key, program: Program, resources: set[Key]) -> Iterator[tuple[m.Property, Key]]:
    for member in decl.members:
        if isinstance(member, m.Property) and isinstance(member.type, m.TypeRef):
            found = program.lookup(key.module, key.path[:-1], member.type.name)
            if isinstance(found, Found) and Key(found.module, found.path) in resources:
                yield member, Key(found.module, found.path)


def find_clients(program: Program, resources: set[Key]) -> list[tuple[Key, m.Class]]:
    """Classes of the entry files holding resources as properties: the root clients."""
    clients = []
    for rel in entry_modules(program):
        program.load(rel)
    for rel in entry_modules(program):
        for path, decls in program.declarations(rel).items():
            for decl in decls:
                key = Key(rel, path)
                if isinstance(decl, m.Class) and key not in resources and not decl.abstract and len(path) == 1:
                    if any(True for _ in resource_props(decl, key, program, resources)):
                        clients.append((key, decl))
    return clients


def _class_chain(key: Key, decl: m.Class, program: Program) -> Iterator[tuple[Key, m.Class]]:
    """The class and the classes it extends, nearest first."""
    seen: set[Key] = set()
    current: tuple[Key, m.Class] | None = (key, decl)
    while current is not None and current[0] not in seen:
        seen.add(current[0])
        yield current
        base = current[1].extends
        found = program.lookup(current[0].module, current[0].path[:-1], base.name) if base is not None else None
        classes = [d for d in found.decls if isinstance(d, m.Class)] if isinstance(found, Found) else []
        current = (Key(found.module, found.path), classes[0]) if classes and isinstance(found, Found) else None


def _options_interface(key: Key, decl: m.Class, program: Program) -> tuple[Found | None, m.Interface | None]:
    """The interface of the constructor's options parameter (`ClientOptions`)."""
    for owner_key, owner in _class_chain(key, decl, program):
        ctor = next((x for x in owner.members if isinstance(x, m.Method) and x.name == "constructor"), None)
        if ctor is None or not ctor.params or not isinstance(ctor.params[0].type, m.TypeRef):
            continue
        found = program.lookup(owner_key.module, owner_key.path[:-1], ctor.params[0].type.name)
        if isinstance(found, Found):
            interfaces = [d for d in found.decls if isinstance(d, m.Interface)]
            return found, interfaces[0] if interfaces else None
    return None, None


def _js_spec(key: Key, decl: m.Class, env: TypeEnv) -> ClientSpec | None:
    js_rel = js_beside(key.module)
    path = env.program.path(js_rel)
    if not path.is_file():
        env.diagnostics.warn(decl.pos, f"no `.js` beside the client `{key.dotted}`: its defaults (base URL, environment variables, auth header) are not known", kind=CLIENT)
        return None
    spec, warnings = read_client(path, key.path[-1], env.program.js_read)
    root = env.program.root.resolve()
    for w in warnings:
        shown = type(root)(w.file).resolve()
        where = shown.relative_to(root).as_posix() if shown.is_relative_to(root) else w.file
        env.diagnostics.warn(Pos(where, w.line, w.col), f"client `{key.dotted}`: {w.message}", kind=CLIENT)
    return spec


def _takes_string(t: m.TypeExpr | None) -> bool:
    """`string`, or a union with `string` in it (`string | ApiKeySetter | null`)."""
    if isinstance(t, m.ParenType):
        return _takes_string(t.inner)
    if isinstance(t, m.UnionType):
        return any(_takes_string(x) for x in t.members)
    return t is None or (isinstance(t, m.KeywordType) and t.name == "string")


def _option(prop: m.Property, js: ClientOptionSpec | None, env: TypeEnv) -> ClientOptionDef | None:
    if not _takes_string(prop.type):
        env.diagnostics.warn(prop.pos, f"client option `{prop.name}` does not take a string: the generated client does not take it", kind=CLIENT)
        return None
    return ClientOptionDef(
        names.identifier(names.snake(prop.name)),
        prop.name,
        js.env if js else None,
        js.header if js else None,
        js.prefix if js else "",
        js.required if js else False,
        js.default if js else None,
        doc_of(prop.doc),
    )


def lower_client(key: Key, decl: m.Class, env: TypeEnv, resources: set[Key], runtime_module: str) -> ClientDef:
    program = env.program
    spec = _js_spec(key, decl, env)
    js_options = {o.name: o for o in spec.options} if spec is not None else {}
    _, interface = _options_interface(key, decl, program)
    options = []
    for prop in (x for x in (interface.members if interface else ()) if isinstance(x, m.Property)):
        if prop.name not in GENERIC_OPTIONS:
            option = _option(prop, js_options.get(prop.name), env)
            options += [option] if option is not None else []
    subresources = []
    for prop, target in resource_props(decl, key, program, resources):
        sync = env.naming.ref(target, "sync", CLIENT_MODULE)
        async_ = env.naming.ref(target, "async", CLIENT_MODULE)
        name = names.identifier(names.snake(prop.name))
        subresources.append(SubresourceDef(name, sync.render(), async_.render(), doc_of(prop.doc), sync.imports() | async_.imports(), prop.name))
    timeout_ms = spec.timeout_ms if spec is not None else None
    return ClientDef(
        names.class_name(key.path[-1]),
        "Async" + names.class_name(key.path[-1]),
        key.dotted,
        tuple(options),
        tuple(subresources),
        spec.default_base_url if spec else None,
        spec.base_url_env if spec else None,
        timeout_ms / 1000 if timeout_ms is not None else None,
        spec.max_retries if spec else None,
        tuple(spec.static_headers) if spec else (),
        spec.idempotency_header if spec else None,
        doc_of(decl.doc),
        decl.pos,
        runtime_module,
        _query_repeat(spec, decl, env),
        bool(spec and spec.query and spec.query.allow_dots),
    )


def _query_repeat(spec: ClientSpec | None, decl: m.Class, env: TypeEnv) -> bool:
    """Lists in the query as `a=1&a=2` ('repeat'), else `a[]=1` ('brackets', the default)."""
    array_format = spec.query.array_format if spec is not None and spec.query is not None else None
    if array_format not in (None, "brackets", "repeat"):
        env.diagnostics.warn(decl.pos, f"the client writes query lists as qs's arrayFormat `{array_format}`; the generated client writes `brackets` (`a[]=1`)", kind=CLIENT)
    return array_format == "repeat"


def configured(client: ClientDef, base_url: str | None, api_key_env: str | None) -> ClientDef:
    """The client with what [tool.tsgen] sets (`base-url`, `api-key-env`) over what its `.js` says."""
    if api_key_env is not None:
        options = tuple(replace(o, env=api_key_env) if o.name == "api_key" else o for o in client.options)
        client = replace(client, options=options)
    return replace(client, default_base_url=base_url) if base_url is not None else client
