"""The root client's defaults, read from its compiled JavaScript: its own options (the
environment variables they fall back to, the header each is sent as), the base URL, timeout and
retries it defaults to, the constant headers every request carries and the idempotency header.

Read by following values (tsgen.js.thisflow): the constructor's destructured options and their
defaults, what it stores on `this`, base classes (also in another file, through `require`), and
the header-building methods (`authHeaders`, `defaultHeaders`, `buildHeaders`) down to the
`this.x` each header is made of. What is not plain (credential providers, signing, computed
headers) is left out: an option without a header is a valid reading."""

from __future__ import annotations

from pathlib import Path

from tsgen.js.classes import Modules, chain, find_class, syntax_error
from tsgen.js.ctor import UNKNOWN, Ctor, Props, absent, destructured, env_name, options_ctor, props
from tsgen.js.headers import HeaderReader
from tsgen.js.ownership import Owners, env_owners, required_options
from tsgen.js.query_format import QueryFormat, query_format
from tsgen.js.syntax import position, string_value, text, walk
from tsgen.js.thisflow import ClassEvaluator, Scope, leaves
from tsgen.js.values import Call, Cond, Lit, Tmpl, Value, describe
from tsgen.records import record

GENERIC = frozenset({
    "baseURL", "timeout", "maxRetries", "defaultHeaders", "defaultQuery", "fetch", "fetchOptions",
    "httpAgent", "dangerouslyAllowBrowser", "logLevel", "logger",
})  # fmt: skip


@record(frozen=True)
class ClientOptionSpec:
    name: str  # the JS option name ('apiKey', 'organization')
    env: str | None  # environment variable read when the option is not given
    default: str | None  # literal string default when neither is given
    header: str | None  # header the option is sent as
    prefix: str  # text before the value in that header ('Bearer ')
    required: bool  # the constructor throws when it ends up undefined


@record(frozen=True)
class ClientSpec:
    class_name: str
    options: tuple[ClientOptionSpec, ...]  # in constructor order; without the GENERIC ones
    base_url_env: str | None
    default_base_url: str | None
    timeout_ms: int | None
    max_retries: int | None
    static_headers: tuple[tuple[str, str], ...]  # constant headers every request sends
    idempotency_header: str | None
    line: int
    col: int
    query: QueryFormat | None = None  # how the client writes query strings (qs.stringify's options)


@record(frozen=True)
class JsClientWarning:
    file: str
    line: int
    col: int
    message: str


def read_client(js_file: Path, class_name: str, reads: set[Path] | None = None) -> tuple[ClientSpec | None, list[JsClientWarning]]:
    """The spec of class `class_name` of `js_file`; None (with a warning) when it is not there.
    Never raises: what cannot be read is a warning and a missing value. Every file read is added
    to `reads`."""
    warnings: list[JsClientWarning] = []
    try:
        spec = _Reader(js_file, class_name, warnings, reads).read()
    except Exception as exc:  # never raise on odd input
        warnings.append(JsClientWarning(str(js_file), 1, 1, f"internal error: {exc!r}"))
        spec = None
    return spec, warnings


class _Reader:
    def __init__(self, js_file: Path, class_name: str, warnings: list[JsClientWarning], reads: set[Path] | None) -> None:
        self.js_file = js_file
        self.class_name = class_name
        self.warnings = warnings
        self.modules = Modules(reads)
        self.where: tuple[Path, int, int] = (js_file, 1, 1)  # the class, for warnings about it

    def warn(self, file: Path | str, line: int, col: int, message: str) -> None:
        self.warnings.append(JsClientWarning(str(file), line, col, message))

    def read(self) -> ClientSpec | None:
        module = self.modules.load(self.js_file)
        if module is None:
            self.warn(self.js_file, 1, 1, "cannot read the file")
            return None
        broken = syntax_error(module)
        if broken is not None:
            self.warn(self.js_file, *position(broken), "syntax error: the file is read as far as it parses")
        ref = find_class(self.modules, module, self.class_name)
        if ref is None:
            self.warn(self.js_file, 1, 1, f"no class {self.class_name}")
            return None
        classes, missing = chain(self.modules, ref)
        line, col = position(ref.node)
        self.where = (ref.module.path, line, col)
        if missing:
            where = position(classes[-1].heritage or classes[-1].node)
            self.warn(classes[-1].module.path, *where, f"base class {missing} not found: the defaults it sets are not read")
        scope = Scope(self.modules, classes)
        ctor = options_ctor(scope)
        stored = props(scope)
        param = ctor.params[0] if ctor is not None else ""
        names = _option_names(ctor, param)
        owner = Owners(stored, param, names)
        headers = HeaderReader(scope, owner.of_path, self.warn).read()
        extra = [k for k in headers.options if k not in names and k not in GENERIC]
        envs = env_owners(scope, ctor, owner, self.warn) if ctor is not None else {}
        required = required_options(scope, ctor, owner) if ctor is not None else set()
        options = []
        for name in [*names, *extra]:
            header, prefix = headers.options.get(name, (None, ""))
            default = self._default(scope, ctor, name, stored, owner)
            options.append(ClientOptionSpec(name, envs.get(name), default, header, prefix, name in required))
        return ClientSpec(
            self.class_name, tuple(options), envs.get("baseURL"), self._base_url(scope, stored, param),
            self._number(stored, "timeout", param), self._number(stored, "maxRetries", param),
            headers.static, _idempotency(stored), line, col, query_format(self.modules, classes),
        )  # fmt: skip

    def _default(self, scope: Scope, ctor: Ctor | None, name: str, stored: Props, owner: Owners) -> str | None:
        """The literal the option has when neither given nor in the environment: from what the
        client keeps (`this.x = x || 'eu'`), else from the destructuring default."""
        param = ctor.params[0] if ctor is not None else ""
        kept = [found[-1] for prop, found in stored.items() if found and owner.of_prop(prop) == name]
        for value in kept:
            result = absent(value, param)
            if isinstance(result, Lit) and isinstance(result.value, str):
                return result.value
            computed = _computed_fallback(value, name, owner)
            if computed is not None:
                self.warn(*self.where, f"option {name}: when not given, its value is computed at run time ({computed})")
                return None
        if ctor is None:
            return None
        cls = scope.classes[ctor.index]
        flow = ClassEvaluator(ctor.node, scope, cls.module, ctor.index)
        body = ctor.node.child_by_field_name("body") or ctor.node
        for key, local, _ in destructured(ctor.node, param):
            result = absent(flow.lookup(local, body), param) if key == name else UNKNOWN
            if isinstance(result, Lit) and isinstance(result.value, str):
                return result.value
        return None

    def _number(self, stored: Props, key: str, param: str) -> int | None:
        values = stored.get(key, [])
        result = absent(values[-1], param) if values else UNKNOWN
        if isinstance(result, Lit) and isinstance(result.value, (int, float)) and not isinstance(result.value, bool):
            return int(result.value)
        self.warn(*self.where, f"no default {key} found for {self.class_name}" if not values else f"the default {key} of {self.class_name} is computed at run time")
        return None

    def _base_url(self, scope: Scope, stored: Props, param: str) -> str | None:
        values = stored.get("baseURL", [])
        if not values:
            self.warn(*self.where, f"no base URL found for {self.class_name}")
            return None
        result = absent(values[-1], param)
        if isinstance(result, Lit) and isinstance(result.value, str):
            return result.value
        urls = sorted({u for u in (_text(v) for v in leaves(values[-1])) if u is not None and "://" in u})
        if len(urls) == 1:
            if not _compared(scope, urls[0]):
                self.warn(*self.where, f"the base URL of {self.class_name} depends on other options; {urls[0]!r} is its only literal")
            return urls[0]
        self.warn(*self.where, f"the default base URL of {self.class_name} is computed at run time")
        return None


def _computed_fallback(value: Value, name: str, owner: Owners) -> str | None:
    """What `x || compute()` falls back to when option x is missing, if it is a call."""
    for inner in leaves(value):
        if isinstance(inner, Cond) and name in owner.options_in(inner.test, tests=True) and isinstance(inner.other, Call):
            if env_name(inner.other) is None:
                return describe(inner.other)
    return None


def _option_names(ctor: Ctor | None, param: str) -> list[str]:
    if ctor is None:
        return []
    keys = [key for key, _, _ in destructured(ctor.node, param)]
    return list(dict.fromkeys(k for k in keys if k not in GENERIC and not k.startswith("_")))


def _idempotency(stored: Props) -> str | None:
    values = stored.get("idempotencyHeader", [])
    value = values[-1] if values else None
    return value.value if isinstance(value, Lit) and isinstance(value.value, str) else None


def _text(value: Value) -> str | None:
    if isinstance(value, Lit) and isinstance(value.value, str):
        return value.value
    if isinstance(value, Tmpl) and all(isinstance(p, str) for p in value.parts):
        return "".join(p for p in value.parts if isinstance(p, str))
    return None


def _compared(scope: Scope, url: str) -> bool:
    """Whether the class compares `this.baseURL` with this URL (its "base URL overridden" test)."""
    for cls in scope.classes:
        for node in walk(cls.module.root):
            if node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in ("!==", "===", "!=", "=="):
                continue
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            if any(s is not None and "".join(text(s).split()) == "this.baseURL" for s in sides):
                if any(string_value(s) == url for s in sides if s is not None):
                    return True
    return False
