"""The route oracle checks itself: record_routes.js on a small SDK written here (routed, delegating,
several and no requests; path holes from positional and params fields, query, JSON and multipart
bodies, header parameters), the Python comparison on the repository's generated package, and the
mapping of JavaScript arguments onto generated signatures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import GENERATED
from route_oracle import arguments, check_in_subprocess, record

FAKE_DTS = """\
export type Uploadable = Blob;
export interface RequestOptions { headers?: Record<string, string> }
export interface ThingListParams { limit?: number; order?: 'asc' | 'desc' }
export interface ThingUpdateParams { group_id: string; name?: string; 'x-trace'?: string }
export interface ThingUploadParams { file: Uploadable; purpose: string }
export interface ThingScopedParams { account_id?: string; zone_id?: string; name?: string }
export declare class APIResource { protected _client: Fake; constructor(client: Fake) }
export declare class Things extends APIResource {
  retrieve(thingID: string, options?: RequestOptions): Promise<unknown>;
  list(query?: ThingListParams, options?: RequestOptions): Promise<unknown>;
  update(thingID: string, params: ThingUpdateParams, options?: RequestOptions): Promise<unknown>;
  upload(body: ThingUploadParams, options?: RequestOptions): Promise<unknown>;
  retrieveTwice(thingID: string): Promise<unknown>;
  sync(): Promise<unknown>;
  describe(): string;
  scoped(params: ThingScopedParams, options?: RequestOptions): Promise<unknown>;
}
export declare class Fake {
  constructor(opts: { apiKey: string; fetch?: unknown; baseURL?: string });
  things: Things;
  get(path: string): Promise<unknown>;
}
export default Fake;
"""

FAKE_JS = """\
class APIResource { constructor(client) { this._client = client; } }
class Things extends APIResource {
  retrieve(thingID, options) { return this._client.request('get', `/things/${thingID}`, options); }
  list(query = {}, options) { return this._client.request('get', '/things', { query, ...options }); }
  update(thingID, params, options) {
    const { group_id, 'x-trace': trace, ...body } = params;
    return this._client.request('patch', `/groups/${group_id}/things/${thingID}`, { body, headers: { 'x-trace': trace } });
  }
  upload(body, options) {
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) form.append(k, v);
    return this._client.request('post', '/files', { body: form });
  }
  async retrieveTwice(thingID) { await this.retrieve(thingID); return this.retrieve(thingID); }
  async sync() { await this._client.request('post', '/sync/a'); return this._client.request('post', '/sync/b'); }
  describe() { return 'things'; }
  scoped(params, options) {
    const { account_id, zone_id, ...body } = params;
    if (account_id && zone_id) throw new Error('You cannot provide both account_id and zone_id.');
    return this._client.request('post', account_id ? `/accounts/${account_id}/scoped` : `/zones/${zone_id}/scoped`, { body });
  }
}
class Fake {
  constructor(opts) { this.apiKey = opts.apiKey; this.fetch = opts.fetch; this.baseURL = opts.baseURL; this.things = new Things(this); }
  get(path) { return this.request('get', path); }
  async request(method, path, opts = {}) {
    const url = new URL(this.baseURL + path);
    for (const [k, v] of Object.entries(opts.query || {})) url.searchParams.append(k, String(v));
    const headers = { authorization: `Bearer ${this.apiKey}`, 'x-stainless-lang': 'js', ...(opts.headers || {}) };
    let body;
    if (opts.body instanceof FormData) body = opts.body;
    else if (opts.body) { body = JSON.stringify(opts.body); headers['content-type'] = 'application/json'; }
    return (await this.fetch(url.toString(), { method: method.toUpperCase(), headers, body })).json();
  }
}
module.exports = Fake;
module.exports.default = Fake;
"""


def _fake_sdk(tmp_path: Path) -> Path:
    sdk = tmp_path / "fake-sdk"
    sdk.mkdir()
    (sdk / "package.json").write_text('{"name": "fake-sdk", "version": "0.0.1", "types": "index.d.ts", "main": "index.js"}')
    (sdk / "index.d.ts").write_text(FAKE_DTS)
    (sdk / "index.js").write_text(FAKE_JS)
    return sdk


def test_the_sdks_own_javascript_says_what_each_method_sends(tmp_path: Path) -> None:
    sdk = _fake_sdk(tmp_path)
    calls = {c["method"]: c for c in record(sdk, sdk, {})["calls"]}
    assert {m: c["outcome"] for m, c in calls.items()} == {
        "retrieve": "routed", "list": "routed", "update": "routed", "upload": "routed",
        "retrieveTwice": "delegates", "sync": "several", "describe": "none", "scoped": "routed",
    }
    assert all((c["source"], c["class"], c["resource"]) == ("index.d.ts", "Things", "things") for c in calls.values())
    only = {m: c["requests"][0] for m, c in calls.items() if c["outcome"] == "routed"}
    assert (only["retrieve"]["verb"], only["retrieve"]["path"], only["retrieve"]["headers"]) == ("GET", "/things/v-thingID", {})
    assert (only["list"]["query"], only["list"]["body"]) == (["limit", "order"], {"kind": "none", "keys": []})
    assert calls["list"]["args"][0] == {"name": "query", "kind": "object", "value": {"limit": 17, "order": "asc"}, "required": []}
    update = only["update"]
    assert (update["verb"], update["path"]) == ("PATCH", "/groups/v-group_id/things/v-thingID")
    assert update["body"] == {"kind": "json", "keys": ["name"]}
    assert update["headers"] == {"x-trace": "v-x-trace"}  # not the client's own (authorization, x-stainless-*)
    assert only["upload"]["body"] == {"kind": "multipart", "keys": ["file", "purpose"]}
    assert calls["upload"]["args"][0]["value"] == {"file": {"$file": "v-file.txt"}, "purpose": "v-purpose"}
    assert calls["retrieveTwice"]["delegated"] == ["retrieve"]
    assert [r["path"] for r in calls["sync"]["requests"]] == ["/sync/a", "/sync/b"]
    # fields that exclude each other: the first that the SDK accepts is kept, the other left out
    assert (only["scoped"]["path"], only["scoped"]["body"]["keys"]) == ("/accounts/v-account_id/scoped", ["name"])
    assert calls["scoped"]["args"][0]["value"] == {"account_id": "v-account_id", "name": "v-name"}


def _expected(path: str, body_keys: list[str], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "resource": "beta.realtime.sessions", "source": "resources/beta/realtime/sessions.d.ts", "class": "Sessions", "method": "create",
        "args": [{"name": "body", "kind": "object", "value": {"model": "gpt-4o-realtime-preview"}}, {"name": "options", "kind": "options"}],
        "outcome": "routed", "delegated": [], "error": None,
        "requests": [{"verb": "POST", "path": path, "query": [], "body": {"kind": "json", "keys": body_keys}, "headers": headers}],
    }


def test_the_generated_classes_are_called_and_compared(tmp_path: Path) -> None:
    beta = {"openai-beta": "assistants=v2"}
    oracle = {"calls": [
        _expected("/realtime/sessions", ["model"], beta),  # what the generated package does
        _expected("/realtime/other", ["model"], beta),
        _expected("/realtime/sessions", ["model"], {"openai-beta": "other"}),
        _expected("/realtime/sessions", ["model", "voice"], beta),
    ]}
    (tmp_path / "oracle.json").write_text(json.dumps(oracle))
    report = check_in_subprocess(GENERATED, "openai_realtime", tmp_path / "oracle.json")
    assert (report["routed"], report["verb_path"], report["placement"]) == (4, 3, 1)
    problems = [w["problems"] for w in report["wrong"]]
    assert problems == [
        ["sent POST /realtime/sessions"],
        ["header openai-beta: 'assistants=v2' != 'other'"],
        ["body keys missing ['voice'] extra []"],
    ]


def test_javascript_arguments_map_onto_the_generated_signature() -> None:
    class Resource:
        def spread(self, thing_id: str, *, group_id: str, timeout: float | None = None, **params: object) -> None: ...

        def whole(self, thing_id: str, params: dict[str, object]) -> None: ...

        def closed(self, *, name: str) -> None: ...

        def keyword(self, thing_id: str, *, params: dict[str, object] | None = None) -> None: ...

    js: list[dict[str, Any]] = [
        {"name": "thingID", "kind": "value", "value": "v-thingID"},
        {"name": "params", "kind": "object", "value": {"group_id": "v-group_id", "self-harm": True, "file": {"$file": "a.txt"}}},
        {"name": "options", "kind": "options"},
    ]
    assert arguments(Resource.spread, js) == (["v-thingID"], {"group_id": "v-group_id", "self-harm": True, "file": b"contents of a.txt"}, [])
    whole = {"group_id": "v-group_id", "self-harm": True, "file": b"contents of a.txt"}
    assert arguments(Resource.whole, js) == (["v-thingID", whole], {}, [])
    assert arguments(Resource.keyword, js) == (["v-thingID"], {"params": whole}, [])
    assert arguments(Resource.closed, [{"name": "params", "kind": "object", "value": {"name": "n", "extra": 1}}]) == ([], {"name": "n"}, ["extra"])
