"""The root client's defaults read from an SDK's compiled JavaScript (tsgen.js.client).

On the SDKs the suite has, the reading is checked against the SDK itself: its client is built in
node (tests/tsc/record_client.js) with each option given, read from the environment, or left
out, and the headers, URL, timeout and retries it uses are compared with what the reading says.
Each pattern the reader follows also has a small inline fixture."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from corpora import NODE_MODULES, OPENAI_4, OPENAI_7
from tsgen.js.client import ClientOptionSpec, ClientSpec, JsClientWarning, read_client
from tsgen.js.query_format import QueryFormat

TSC = Path(__file__).resolve().parent / "tsc"

# name: (the file read, the file node runs (the same release), the client class)
SDKS = {
    "openai-4.104.0": (OPENAI_4 / "index.js", NODE_MODULES / "openai" / "index.js", "OpenAI"),
    "openai-7.59.0": (OPENAI_7 / "client.js", OPENAI_7 / "client.js", "OpenAI"),
    "groq-sdk-1.6.0": (NODE_MODULES / "groq-sdk" / "client.js", NODE_MODULES / "groq-sdk" / "client.js", "Groq"),
    "openai-4.20.0": (NODE_MODULES / "openai-4.20.0" / "index.js", NODE_MODULES / "openai-4.20.0" / "index.js", "OpenAI"),
}


def _record(module: Path, class_name: str, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = {"PATH": os.environ.get("PATH", ""), "NODE_PATH": str(TSC / "node_modules")}  # no vendor variables
    proc = subprocess.run(
        ["node", str(TSC / "record_client.js"), str(module), class_name, json.dumps(cases)],
        capture_output=True, text=True, timeout=300, env=env, cwd=TSC,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def _given(spec: ClientSpec, left_out: ClientOptionSpec | None, same_header_too: bool) -> dict[str, str]:
    """Values for the other options the constructor may need (credentials, required ones);
    options sent as the same header as `left_out` are left out too unless `same_header_too`."""
    header = left_out.header.lower() if left_out is not None and left_out.header else None
    return {
        o.name: f"other-{o.name}"
        for o in spec.options
        if o is not left_out and (o.required or o.header or o.env) and (same_header_too or header is None or (o.header or "").lower() != header)
    }


def _cases(spec: ClientSpec) -> dict[str, dict[str, Any]]:
    variables = [o.env for o in spec.options if o.env] + ([spec.base_url_env] if spec.base_url_env else [])
    common = {"clear": variables, "props": [o.name for o in spec.options]}
    cases: dict[str, dict[str, Any]] = {"defaults": {**common, "options": _given(spec, None, True)}}
    for option in spec.options:
        others = _given(spec, option, False)
        if option.header:  # (a value for an option not sent may be invalid: `dataResidency: 'eu'`)
            cases[f"{option.name}:option"] = {**common, "options": {**others, option.name: f"opt-{option.name}"}}
        cases[f"{option.name}:missing"] = {**common, "options": _given(spec, option, True)}
        if option.env:
            cases[f"{option.name}:env"] = {**common, "env": {option.env: f"env-{option.name}"}, "options": others}
    if spec.base_url_env:
        cases["base:env"] = {**common, "env": {spec.base_url_env: "http://env.invalid/v9"}, "options": _given(spec, None, True)}
    return cases


@pytest.fixture(scope="module", params=sorted(SDKS))
def sdk(request: pytest.FixtureRequest) -> tuple[ClientSpec, dict[str, dict[str, Any]]]:
    read, run, class_name = SDKS[request.param]
    assert read.is_file() and run.is_file(), f"{request.param} is missing: run `make setup`"
    spec, warnings = read_client(read, class_name)
    assert spec is not None, warnings
    cases = _cases(spec)
    return spec, dict(zip(cases, _record(run, class_name, list(cases.values()))))


def test_defaults_match_the_sdk(sdk: tuple[ClientSpec, dict[str, dict[str, Any]]]) -> None:
    spec, seen = sdk
    got = seen["defaults"]
    assert "error" not in got and got["requestError"] is None, got
    assert spec.default_base_url is not None and got["url"] == spec.default_base_url.rstrip("/") + "/probe"
    assert (got["timeout"], got["maxRetries"]) == (spec.timeout_ms, spec.max_retries)
    assert got["idempotencyHeader"] == spec.idempotency_header
    assert spec.static_headers, "every Stainless client sends a constant Accept header"
    for name, value in spec.static_headers:
        assert got["headers"].get(name.lower()) == value, name


def test_base_url_variable_matches_the_sdk(sdk: tuple[ClientSpec, dict[str, dict[str, Any]]]) -> None:
    spec, seen = sdk
    if spec.base_url_env is None:
        assert "base:env" not in seen
        return
    assert seen["base:env"]["requestError"] is None and seen["base:env"]["url"] == "http://env.invalid/v9/probe"


def test_option_headers_match_the_sdk(sdk: tuple[ClientSpec, dict[str, dict[str, Any]]]) -> None:
    spec, seen = sdk
    assert any(o.header for o in spec.options)
    for option in (o for o in spec.options if o.header):
        got = seen[f"{option.name}:option"]
        assert "error" not in got and got["requestError"] is None, (option, got)
        assert option.header is not None and got["headers"].get(option.header.lower()) == f"{option.prefix}opt-{option.name}", option


def test_environment_variables_match_the_sdk(sdk: tuple[ClientSpec, dict[str, dict[str, Any]]]) -> None:
    spec, seen = sdk
    assert any(o.env for o in spec.options)
    for option in (o for o in spec.options if o.env):
        got = seen[f"{option.name}:env"]
        assert "error" not in got and got["requestError"] is None, (option, got)
        if option.header:
            assert got["headers"].get(option.header.lower()) == f"{option.prefix}env-{option.name}", option
        else:  # read (the client keeps it) but not sent
            assert got["props"][option.name] == f"env-{option.name}", option
            assert not any(f"env-{option.name}" in v for v in got["headers"].values()), option


def test_required_and_missing_options_match_the_sdk(sdk: tuple[ClientSpec, dict[str, dict[str, Any]]]) -> None:
    spec, seen = sdk
    for option in spec.options:
        got = seen[f"{option.name}:missing"]
        assert ("error" in got) == option.required, (option, got)  # the constructor throws
        shared = any(o is not option and o.header and option.header and o.header.lower() == option.header.lower() for o in spec.options)
        if not option.required and option.header and not shared and got["requestError"] is None:
            expected = None if option.default is None else option.prefix + option.default
            assert got["headers"].get(option.header.lower()) == expected, option


def test_openai_4_reading() -> None:
    spec, warnings = read_client(OPENAI_4 / "index.js", "OpenAI")
    assert spec is not None and warnings == []
    assert [(o.name, o.env, o.header, o.prefix, o.required) for o in spec.options] == [
        ("apiKey", "OPENAI_API_KEY", "Authorization", "Bearer ", True),
        ("organization", "OPENAI_ORG_ID", "OpenAI-Organization", "", False),
        ("project", "OPENAI_PROJECT_ID", "OpenAI-Project", "", False),
    ]
    assert (spec.base_url_env, spec.default_base_url, spec.timeout_ms, spec.max_retries) == (
        "OPENAI_BASE_URL", "https://api.openai.com/v1", 600000, 2,
    )  # fmt: skip
    assert (spec.line, spec.col) == (56, 1)


# ---- inline patterns -------------------------------------------------------------------------


def _read(tmp_path: Path, source: str, class_name: str = "Client", **files: str) -> tuple[ClientSpec | None, list[JsClientWarning]]:
    for name, text in files.items():
        (tmp_path / f"{name}.js").write_text(text)
    (tmp_path / "client.js").write_text(source)
    return read_client(tmp_path / "client.js", class_name)


def _options(spec: ClientSpec | None) -> dict[str, ClientOptionSpec]:
    assert spec is not None
    return {o.name: o for o in spec.options}


CURRENT = """\
"use strict";
var _a;
const env_1 = require("./env.js");
const headers_1 = require("./headers.js");
class Client {
    constructor({ baseURL = (0, env_1.readEnv)('ACME_BASE_URL'), apiKey = (0, env_1.readEnv)('ACME_API_KEY'),
                  region = (0, env_1.readEnv)('ACME_REGION') ?? 'eu', token = process.env['ACME_TOKEN'] ?? null, ...opts } = {}) {
        if (apiKey === undefined) {
            throw new Error('missing');
        }
        const options = { apiKey, region, token, ...opts, baseURL: baseURL || `https://api.acme.test/v2` };
        this.baseURL = options.baseURL;
        this.timeout = options.timeout ?? _a.DEFAULT_TIMEOUT;
        this.maxRetries = (0, values_1.validatePositiveInteger)('maxRetries', options.maxRetries ?? 3);
        this._options = options;
        this.apiKey = apiKey;
        this.region = region;
        this.token = token;
    }
    async authHeaders(opts) {
        return (0, headers_1.buildHeaders)([await this.keyAuth(opts), await this.tokenAuth(opts)]);
    }
    async keyAuth(opts) {
        if (this.apiKey == null) {
            return undefined;
        }
        return (0, headers_1.buildHeaders)([{ 'X-Api-Key': this.apiKey }]);
    }
    async tokenAuth(opts) {
        if (this.token == null) {
            return undefined;
        }
        return (0, headers_1.buildHeaders)([{ Authorization: `Token ${this.token}` }]);
    }
    async buildHeaders({ options, method, retryCount }) {
        const headers = (0, headers_1.buildHeaders)([
            {
                Accept: 'application/json',
                'Content-Type': 'application/json',
                'X-Stainless-Retry-Count': String(retryCount),
                ...(this._options.dangerouslyAllowBrowser ? { 'acme-browser': 'true' } : undefined),
                'acme-version': '2024-01-01',
                'Acme-Region': this.region,
            },
            await this.authHeaders(options),
            this._options.defaultHeaders,
            options.headers,
        ]);
        return headers.values;
    }
}
exports.Client = Client;
_a = Client;
Client.DEFAULT_TIMEOUT = 60000;
"""


def test_current_layout(tmp_path: Path) -> None:
    spec, warnings = _read(tmp_path, CURRENT)
    assert warnings == []
    assert spec is not None
    assert spec.options == (
        ClientOptionSpec("apiKey", "ACME_API_KEY", None, "X-Api-Key", "", True),
        ClientOptionSpec("region", "ACME_REGION", "eu", "Acme-Region", "", False),
        ClientOptionSpec("token", "ACME_TOKEN", None, "Authorization", "Token ", False),
    )
    assert (spec.base_url_env, spec.default_base_url, spec.timeout_ms, spec.max_retries) == ("ACME_BASE_URL", "https://api.acme.test/v2", 60000, 3)
    # constant and unconditional; the body's content type is the runtime's
    assert spec.static_headers == (("Accept", "application/json"), ("acme-version", "2024-01-01"))
    assert (spec.class_name, spec.idempotency_header, spec.line, spec.col) == ("Client", None, 5, 1)


BASE = """\
"use strict";
class APIClient {
    constructor({ baseURL, maxRetries = 4, timeout = 30000, fetch: overriddenFetch, }) {
        this.baseURL = baseURL;
        this.maxRetries = validatePositiveInteger('maxRetries', maxRetries);
        this.timeout = validatePositiveInteger('timeout', timeout);
        this.idempotencyHeader = 'Idempotency-Key';
    }
    authHeaders(opts) {
        return {};
    }
    defaultHeaders(opts) {
        return { Accept: 'application/json', 'User-Agent': this.getUserAgent(), ...this.authHeaders(opts) };
    }
}
exports.APIClient = APIClient;
const validatePositiveInteger = (name, n) => {
    if (typeof n !== 'number') throw new Error(`${name} must be an integer`);
    return n;
};
const readEnv = (env) => process.env?.[env]?.trim() ?? undefined;
exports.readEnv = readEnv;
"""

OLD = """\
"use strict";
const Core = __importStar(require("./core.js"));
class Client extends Core.APIClient {
    constructor({ apiKey = Core.readEnv('ACME_API_KEY'), organization = Core.readEnv('ACME_ORG') ?? null, ...opts } = {}) {
        if (apiKey === undefined) {
            throw new Error('missing');
        }
        const options = { apiKey, organization, ...opts, baseURL: opts.baseURL ?? `https://acme.test/v1` };
        super({ baseURL: options.baseURL, timeout: options.timeout, maxRetries: options.maxRetries });
        this._options = options;
        this.apiKey = apiKey;
        this.organization = organization;
    }
    defaultHeaders(opts) {
        return { ...super.defaultHeaders(opts), 'Acme-Organization': this.organization, ...this._options.defaultHeaders };
    }
    authHeaders(opts) {
        return { Authorization: `Bearer ${this.apiKey}` };
    }
}
exports.Client = Client;
"""


def test_older_layout_reads_the_base_class_in_another_file(tmp_path: Path) -> None:
    spec, warnings = _read(tmp_path, OLD, core=BASE)
    assert warnings == []
    assert spec is not None
    assert _options(spec) == {
        "apiKey": ClientOptionSpec("apiKey", "ACME_API_KEY", None, "Authorization", "Bearer ", True),
        "organization": ClientOptionSpec("organization", "ACME_ORG", None, "Acme-Organization", "", False),
    }
    assert (spec.base_url_env, spec.default_base_url, spec.timeout_ms, spec.max_retries) == (None, "https://acme.test/v1", 30000, 4)
    assert spec.idempotency_header == "Idempotency-Key"
    assert spec.static_headers == (("Accept", "application/json"),)


def test_a_base_class_that_cannot_be_read_is_a_warning(tmp_path: Path) -> None:
    spec, warnings = _read(tmp_path, OLD)  # no core.js next to it
    assert spec is not None and _options(spec)["apiKey"].header == "Authorization"
    assert (spec.timeout_ms, spec.max_retries) == (None, None)
    messages = [w.message for w in warnings]
    assert any("Core.APIClient not found" in m for m in messages)
    assert any("no default timeout" in m for m in messages) and any("no default maxRetries" in m for m in messages)
    assert all(w.file == str(tmp_path / "client.js") for w in warnings)
    assert (warnings[0].line, warnings[0].col) == (3, 22)


CREDENTIALS = """\
"use strict";
var BaseClient = /* @__PURE__ */ (() => {
    class BaseClient {
        constructor({ baseURL = readEnv('ACME_BASE_URL'), apiKey, authToken, ...opts } = {}) {
            const given = { apiKey, authToken, ...opts };
            const passed = ['apiKey', 'authToken'].filter((name) => given[name] != null);
            const [passedName] = passed;
            const env = passedName != null ? null : ({
                apiKey: apiKey === undefined ? readEnv('ACME_API_KEY') : undefined,
                authToken: authToken === undefined ? readEnv('ACME_AUTH_TOKEN') : undefined,
            });
            const credential = passedName != null ? { type: passedName, value: given[passedName] }
                : env?.apiKey != null ? { type: 'apiKey', value: env.apiKey }
                    : env?.authToken != null ? { type: 'authToken', value: env.authToken } : { type: 'none' };
            const options = {
                apiKey: credential.type === 'apiKey' ? credential.value : null,
                authToken: credential.type === 'authToken' ? credential.value : null,
                ...opts,
                baseURL: baseURL || `https://api.acme.test`,
            };
            this.baseURL = options.baseURL;
            this.timeout = options.timeout ?? BaseClient.DEFAULT_TIMEOUT;
            this.maxRetries = normalize(options.maxRetries);
            this.apiKey = typeof options.apiKey === 'string' ? options.apiKey : null;
            this.authToken = options.authToken ?? null;
            if (opts.inherited) {
                this.baseURL = opts.inherited.baseURL;
            }
        }
        async authHeaders(opts) {
            return buildHeaders([await this.bearerAuth(opts), await this.apiKeyAuth(opts)]);
        }
        async apiKeyAuth(opts) {
            if (this.apiKey == null) return undefined;
            return buildHeaders([{ 'X-Api-Key': this.apiKey }]);
        }
        async bearerAuth(opts) {
            if (this.authToken == null) return undefined;
            return buildHeaders([{ Authorization: `Bearer ${this.authToken}` }]);
        }
    }
    BaseClient.DEFAULT_TIMEOUT = 600000;
    return BaseClient;
})();
var Client = /* @__PURE__ */ (() => {
    class Client extends BaseClient {
        constructor() {
            super(...arguments);
            this.things = new Things(this);
        }
    }
    return Client;
})();
function normalize(value) {
    return typeof value === 'number' && value >= 0 ? value : 5;
}
"""


def test_credentials_read_from_the_environment_in_an_object_literal(tmp_path: Path) -> None:
    spec, warnings = _read(tmp_path, CREDENTIALS)
    assert warnings == []
    assert spec is not None
    assert spec.options == (
        ClientOptionSpec("apiKey", "ACME_API_KEY", None, "X-Api-Key", "", False),
        ClientOptionSpec("authToken", "ACME_AUTH_TOKEN", None, "Authorization", "Bearer ", False),
    )
    # the conditional reassignment of this.baseURL does not hide the default; a private helper's
    # fallback (`ok(x) ? x : 5`) is the default retries
    assert (spec.base_url_env, spec.default_base_url, spec.timeout_ms, spec.max_retries) == ("ACME_BASE_URL", "https://api.acme.test", 600000, 5)


def test_options_destructured_in_the_body_and_a_computed_header(tmp_path: Path) -> None:
    source = """\
class Client {
    constructor(clientOptions = {}) {
        const { baseURL = readEnv('ACME_BASE_URL'), user = readEnv('ACME_USER') ?? null, password, ...opts } = clientOptions;
        this.baseURL = baseURL || 'https://acme.test';
        this.timeout = opts.timeout ?? 1000;
        this.maxRetries = opts.maxRetries ?? 0;
        this.user = user;
        this.password = password;
    }
    authHeaders(opts) {
        return { Authorization: `Basic ${btoa(`${this.user}:${this.password}`)}` };
    }
}
"""
    spec, warnings = _read(tmp_path, source)
    assert spec is not None and [(o.name, o.env, o.header) for o in spec.options] == [("user", "ACME_USER", None), ("password", None, None)]
    assert (spec.default_base_url, spec.timeout_ms, spec.max_retries) == ("https://acme.test", 1000, 0)
    assert [(w.line, w.message) for w in warnings] == [
        (10, "header 'Authorization' is built from a computed value of option password, user: not read as that option's header"),
    ]


def test_class_fields_and_static_fields(tmp_path: Path) -> None:
    source = """\
class Client {
    static DEFAULT_TIMEOUT = 45000;
    idempotencyHeader = 'X-Idempotency-Key';
    constructor({ baseURL = 'https://acme.test', apiKey } = {}) {
        this.baseURL = baseURL;
        this.timeout = Client.DEFAULT_TIMEOUT;
        this.maxRetries = 2;
        this.apiKey = apiKey;
    }
    authHeaders() { return { 'X-Key': this.apiKey }; }
}
"""
    spec, warnings = _read(tmp_path, source)
    assert warnings == [] and spec is not None
    assert (spec.default_base_url, spec.timeout_ms, spec.max_retries, spec.idempotency_header) == ("https://acme.test", 45000, 2, "X-Idempotency-Key")
    assert spec.options == (ClientOptionSpec("apiKey", None, None, "X-Key", "", False),)


@pytest.mark.parametrize(
    "source",
    [
        "class Client { constructor({ apiKey = readEnv('X' } = {}) { this.apiKey = ; } authHeaders( { return {",
        "class Client extends { constructor(",
        "class Client { constructor(...args) { super(...args); this.baseURL = this.baseURL.baseURL.x[0](); } }",
        "\x00\xff class Client {}",
        "",
    ],
)
def test_malformed_input_gives_warnings_not_exceptions(tmp_path: Path, source: str) -> None:
    spec, warnings = _read(tmp_path, source)
    assert warnings, "what cannot be read is reported"
    assert all(isinstance(w, JsClientWarning) and w.line >= 1 and w.col >= 1 for w in warnings)
    if spec is not None:
        assert spec.default_base_url is None


def test_missing_class_and_missing_file(tmp_path: Path) -> None:
    spec, warnings = _read(tmp_path, "class Other {}")
    assert spec is None and [w.message for w in warnings] == ["no class Client"]
    spec, warnings = read_client(tmp_path / "absent.js", "Client")
    assert spec is None and [w.message for w in warnings] == ["cannot read the file"]


def test_base_url_from_an_environments_table(tmp_path: Path) -> None:
    source = """\
const environments = { production: 'https://api.acme.test', sandbox: 'https://sandbox.acme.test' };
class Client {
    constructor({ baseURL = readEnv('ACME_BASE_URL'), apiKey = readEnv('ACME_API_KEY'), environment = 'production', ...opts } = {}) {
        const options = { apiKey, environment, ...opts, baseURL };
        this.baseURL = options.baseURL || environments[options.environment || 'production'];
        this.timeout = options.timeout ?? 1000;
        this.maxRetries = options.maxRetries ?? 1;
        this.apiKey = apiKey;
    }
}
"""
    spec, warnings = _read(tmp_path, source)
    assert warnings == [] and spec is not None
    assert (spec.base_url_env, spec.default_base_url) == ("ACME_BASE_URL", "https://api.acme.test")
    assert [(o.name, o.env, o.default) for o in spec.options] == [("apiKey", "ACME_API_KEY", None), ("environment", None, "production")]


def test_an_option_whose_default_is_computed_is_a_warning(tmp_path: Path) -> None:
    source = """\
class Client {
    constructor({ baseURL = 'https://acme.test', apiVersion = null, ...opts } = {}) {
        this.baseURL = baseURL;
        this.timeout = 1000;
        this.maxRetries = 0;
        this.apiVersion = apiVersion || new Date().toISOString().slice(0, 10);
    }
    defaultHeaders() { return { 'api-version': this.apiVersion }; }
}
"""
    spec, warnings = _read(tmp_path, source)
    assert spec is not None and spec.options == (ClientOptionSpec("apiVersion", None, None, "api-version", "", False),)
    assert [(w.line, w.message) for w in warnings] == [(1, "option apiVersion: when not given, its value is computed at run time (slice(...))")]


def test_query_format_from_stringify_query(tmp_path: Path) -> None:
    """qs.stringify's options where the client's `stringifyQuery` calls it: in the method, or in
    a module function reached through `require` (current SDKs); none: the default."""
    inline = "class Client { stringifyQuery(query) { return qs.stringify(query, { arrayFormat: 'brackets' }); } }\nexports.Client = Client;\n"
    spec, _ = _read(tmp_path, inline)
    assert spec is not None and spec.query == QueryFormat("brackets", False)
    required = (
        "const query_1 = require('./internal/query.js');\n"
        "class Client { stringifyQuery(query) { return (0, query_1.stringifyQuery)(query); } }\nexports.Client = Client;\n"
    )
    helper = "function stringifyQuery(query) { return qs.stringify(query, { allowDots: true, arrayFormat: 'repeat' }); }\nexports.stringifyQuery = stringifyQuery;\n"
    spec, _ = _read(tmp_path, required.replace("./internal/query.js", "./query.js"), query=helper)
    assert spec is not None and spec.query == QueryFormat("repeat", True)
    spec, _ = _read(tmp_path, "class Client {}\nexports.Client = Client;\n")
    assert spec is not None and spec.query is None
    openai_7, _ = read_client(OPENAI_7 / "client.js", "OpenAI")
    assert openai_7 is not None and openai_7.query == QueryFormat("brackets", False)
