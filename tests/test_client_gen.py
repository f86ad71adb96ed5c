"""The root client of a small SDK in the current layout (client.d.ts / client.js with a base
class in another file): options, defaults read from the .js, [tool.tsgen] over them, lazy
resources, `del` as `delete` unless the class has a `delete` already."""

from __future__ import annotations

from pathlib import Path

from util import assert_mypy_strict, generate, imported, write_tree

CLIENT_DTS = """\
import * as API from './resources/things';
export interface ClientOptions {
    /** The API key. */
    apiKey?: string | null | undefined;
    /** The workspace every request is made in. */
    workspace?: string | null | undefined;
    /** Sent nowhere: a callback. */
    onRetry?: (() => void) | undefined;
    baseURL?: string | null | undefined;
    timeout?: number | undefined;
}
export declare class BaseAcme {
    constructor({ baseURL, apiKey, workspace, ...opts }?: ClientOptions);
}
/** The Acme API. */
export declare class Acme extends BaseAcme {
    /** Things. */
    things: API.Things;
}
export { Acme as default };
"""

CLIENT_JS = """\
"use strict";
const API = require("./resources/things.js");
const readEnv = (name) => process.env[name];
class BaseAcme {
    constructor({ baseURL = readEnv('ACME_BASE_URL'), apiKey = readEnv('ACME_API_KEY'), workspace = readEnv('ACME_WORKSPACE') ?? null, ...opts } = {}) {
        if (apiKey === undefined) { throw new Error('ACME_API_KEY is missing'); }
        this.baseURL = baseURL || 'https://api.acme.test/v2';
        this.timeout = opts.timeout ?? 30000;
        this.maxRetries = opts.maxRetries ?? 4;
        this.apiKey = apiKey;
        this.workspace = workspace;
    }
    authHeaders(opts) { return { 'X-Acme-Key': this.apiKey }; }
    defaultHeaders(opts) { return { 'Acme-Workspace': this.workspace, 'Acme-Version': '2026-01-01' }; }
}
class Acme extends BaseAcme {
    constructor() { super(...arguments); this.things = new API.Things(this); }
}
exports.Acme = Acme;
exports.default = Acme;
"""

THINGS_DTS = """\
import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    del(id: string, options?: RequestOptions): APIPromise<Thing>;
    retrieve(id: string, options?: RequestOptions): APIPromise<Thing>;
}
export declare class Drawers extends APIResource {
    delete(id: string, options?: RequestOptions): APIPromise<Thing>;
    del(id: string, options?: RequestOptions): APIPromise<Thing>;
}
export interface Thing { id: string }
"""

THINGS_JS = """\
"use strict";
const resource_1 = require("../core/resource.js");
class Things extends resource_1.APIResource {
    del(id, options) { return this._client.delete(`/things/${id}`, options); }
    retrieve(id, options) { return this._client.get(`/things/${id}`, options); }
}
exports.Things = Things;
class Drawers extends resource_1.APIResource {
    delete(id, options) { return this._client.delete(`/drawers/${id}`, options); }
    del(id, options) { return this._client.delete(`/old/drawers/${id}`, options); }
}
exports.Drawers = Drawers;
"""


def _sdk(root: Path) -> Path:
    (root / "resources").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "acme", "types": "client.d.ts"}')
    for name, text in {"client.d.ts": CLIENT_DTS, "client.js": CLIENT_JS}.items():
        (root / name).write_text(text)
    (root / "resources" / "things.d.ts").write_text(THINGS_DTS)
    (root / "resources" / "things.js").write_text(THINGS_JS)
    return root


def test_the_root_client_takes_its_defaults_from_the_js(tmp_path: Path) -> None:
    root = _sdk(tmp_path / "sdk")
    result = generate(root, ("resources/things.d.ts",), package="acme", base_url=None, api_key_env=None)
    out = write_tree(tmp_path / "out", result.files)
    source = (out / "acme" / "_client.py").read_text()
    assert 'ClientOption("api_key", env="ACME_API_KEY", header="X-Acme-Key", required=True)' in source
    assert 'ClientOption("workspace", env="ACME_WORKSPACE", header="Acme-Workspace")' in source
    assert 'default_base_url: ClassVar[str | None] = "https://api.acme.test/v2"' in source
    assert "default_timeout: ClassVar[float] = 30.0" in source and "default_max_retries: ClassVar[int] = 4" in source
    assert '"Acme-Version": "2026-01-01"' in source
    assert "on_retry" not in source.split("def __init__")[1]
    assert any("client option `onRetry` does not take a string" in d.message for d in result.diagnostics.items)
    with imported(out, "acme") as acme:
        client = acme.Acme(api_key="k", workspace="w")
        assert (client.base_url, client.workspace, client.max_retries) == ("https://api.acme.test/v2", "w", 4)
        assert type(client.things).__name__ == "Things" and client.things is client.things
        assert callable(client.things.delete) and not hasattr(client.things, "del_")
    assert_mypy_strict(out, "acme")


def test_a_class_with_delete_keeps_del_apart(tmp_path: Path) -> None:
    root = _sdk(tmp_path / "sdk")
    out = write_tree(tmp_path / "out", generate(root, ("resources/things.d.ts",), package="acme").files)
    with imported(out, "acme.resources.things") as things:
        assert callable(things.Drawers.delete) and callable(things.Drawers.del_)


def test_tool_tsgen_settings_override_the_js(tmp_path: Path) -> None:
    root = _sdk(tmp_path / "sdk")
    files = generate(root, ("resources/things.d.ts",), package="acme", base_url="https://eu.acme.test", api_key_env="MY_KEY").files
    source = files["acme/_client.py"].decode()
    assert 'default_base_url: ClassVar[str | None] = "https://eu.acme.test"' in source
    assert 'ClientOption("api_key", env="MY_KEY", header="X-Acme-Key", required=True)' in source
