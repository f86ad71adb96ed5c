"""End to end: routes read from a `.js` (current Stainless spelling) drive generated methods
that a loopback HTTP server records: path parameters out of the params, header parameters,
query picks, a body field named like a request option, multipart uploads, binary answers,
envelopes and a paginated POST."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from util import assert_mypy_strict, generate, imported, write_tree

DTS = """\
import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { PagePromise, CursorPage } from "../core/pagination";
import { RequestOptions } from "../internal/request-options";
import { type Uploadable } from "../core/uploads";
export declare class Things extends APIResource {
    create(bucketID: string, params: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    upload(body: ThingUploadParams, options?: RequestOptions): APIPromise<Thing>;
    content(thingID: string, options?: RequestOptions): APIPromise<Response>;
    search(thingID: string, body: ThingSearchParams, options?: RequestOptions): PagePromise<ThingsPage, Thing>;
    get(thingID: string, params?: ThingGetParams | null | undefined, options?: RequestOptions): APIPromise<Thing>;
    run(thingID: string, options?: RequestOptions): APIPromise<ThingRunResponse>;
}
export type ThingRunResponse = Array<Thing> | Uploadable | Thing;
export interface ThingGetParams {
    account_id?: string;
    zone_id?: string;
}
export type ThingsPage = CursorPage<Thing>;
export interface Thing {
    id: string;
    name?: string;
}
export interface ThingCreateParams {
    /** Path param: the account. */
    account_id: string;
    /** Body param: the name. */
    name: string;
    /** Body param: seconds the job may run. */
    timeout?: number;
    /** Header param: beta features. */
    betas?: Array<string>;
    /** Query param */
    dry_run?: boolean;
}
export interface ThingUploadParams {
    file: Uploadable;
    purpose: string;
    tags?: Array<string>;
}
export interface ThingSearchParams {
    query: string;
}
"""

JS = """\
"use strict";
const resource_1 = require("../core/resource.js");
const pagination_1 = require("../core/pagination.js");
const headers_1 = require("../internal/headers.js");
const uploads_1 = require("../internal/uploads.js");
const path_1 = require("../internal/utils/path.js");
function resolveResourceRequestOptions(options, buildOptions) {
    return Promise.resolve(options).then(buildOptions);
}
class Things extends resource_1.APIResource {
    create(bucketID, params, options) {
        const { account_id, betas, dry_run, ...body } = params;
        return this._client.post((0, path_1.path) `/accounts/${account_id}/buckets/${bucketID}/things`, resolveResourceRequestOptions(options, (options) => ({
            query: { dry_run },
            body,
            ...options,
            headers: (0, headers_1.buildHeaders)([
                { ...(betas?.toString() != null ? { 'x-beta': betas?.toString() } : undefined) },
                options?.headers,
            ]),
        })))._thenUnwrap((obj) => obj.result);
    }
    upload(body, options) {
        return this._client.post('/things/upload', resolveResourceRequestOptions(options, (options) => (0, uploads_1.multipartFormRequestOptions)({ body, ...options }, this._client)));
    }
    content(thingID, options) {
        return this._client.get((0, path_1.path) `/things/${thingID}/content`, resolveResourceRequestOptions(options, (options) => ({
            ...options,
            headers: (0, headers_1.buildHeaders)([{ Accept: 'application/binary' }, options?.headers]),
            __binaryResponse: true,
        })));
    }
    search(thingID, body, options) {
        return this._client.getAPIList((0, path_1.path) `/things/${thingID}/search`, (pagination_1.CursorPage), resolveResourceRequestOptions(options, (options) => ({ body, method: 'post', ...options })));
    }
    get(thingID, params = {}, options) {
        const { account_id, zone_id } = params ?? {};
        const { accountOrZone, accountOrZoneId } = account_id ?
            { accountOrZone: 'accounts', accountOrZoneId: account_id } : { accountOrZone: 'zones', accountOrZoneId: zone_id };
        return this._client.get((0, path_1.path) `/${accountOrZone}/${accountOrZoneId}/things/${thingID}`, options)._thenUnwrap((obj) => obj.result);
    }
    run(thingID, options) {
        return this._client.post((0, path_1.path) `/things/${thingID}/run`, options)._thenUnwrap((obj) => obj.result);
    }
}
exports.Things = Things;
"""


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    url: str
    requests: list[Recorded] = field(default_factory=list)


ANSWERS: dict[str, tuple[str, bytes]] = {
    "/things": ("application/json", json.dumps({"result": {"id": "t1", "name": "n"}, "success": True}).encode()),
    "/upload": ("application/json", json.dumps({"id": "u1"}).encode()),
    "/content": ("application/octet-stream", b"\x00\x01raw"),
    "/t1": ("application/json", json.dumps({"result": {"id": "t1"}}).encode()),
    "/run": ("application/json", json.dumps({"result": {"id": "r1"}}).encode()),
    "/search": ("application/json", json.dumps({"data": [{"id": "s1"}], "has_more": False}).encode()),
}


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server("")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, raw))
            kind, data = next(v for k, v in ANSWERS.items() if self.path.split("?")[0].endswith(k))
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sdk")
    (root / "resources").mkdir()
    (root / "resources" / "things.d.ts").write_text(DTS)
    (root / "resources" / "things.js").write_text(JS)
    result = generate(root, ("resources/things.d.ts",), package="pkg")
    assert not [d for d in result.diagnostics.items if "route" in d.message], result.diagnostics.items
    return write_tree(root / "out", result.files)


def test_output_type_checks(out: Path) -> None:
    assert_mypy_strict(out)


def test_path_params_from_params_header_query_and_timeout_field(out: Path, server: Server) -> None:
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        answer = api.create("b/1", account_id="acc", name="n", timeout=30, betas=["x", "y"], dry_run=True, timeout_=5.0)
        api.create("b2", account_id="acc", name="m")
    assert answer == things.Thing(id="t1", name="n")  # the `result` envelope, typed
    first, second = server.requests
    assert (first.method, first.path) == ("POST", "/v1/accounts/acc/buckets/b%2F1/things?dry_run=true")
    assert first.headers["x-beta"] == "x,y"
    assert json.loads(first.body) == {"name": "n", "timeout": 30}
    assert (second.path, "x-beta" in second.headers) == ("/v1/accounts/acc/buckets/b2/things", False)
    assert json.loads(second.body) == {"name": "m"}


def test_docstring_says_where_fields_go(out: Path) -> None:
    text = (out / "pkg" / "resources" / "things.py").read_text()
    assert "Sent as the `x-beta` header." in text
    assert "timeout_: the `timeout` request option (`timeout` is a field of the parameters)." in text


def test_multipart_binary_and_paginated_post(out: Path, server: Server, tmp_path: Path) -> None:
    upload = tmp_path / "notes.txt"
    upload.write_bytes(b"hello")
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        uploaded = api.upload(file=upload, purpose="fine-tune", tags=["a", "b"])
        content = api.content("t1")
        page = api.search("t1", query="q")
    assert uploaded == things.Thing(id="u1") and content.content == b"\x00\x01raw"
    assert [item.id for item in page.data] == ["s1"]
    sent, binary, search = server.requests
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="notes.txt"' in sent.body and b"hello" in sent.body
    assert b'name="purpose"\r\n\r\nfine-tune' in sent.body and b'name="tags[]"\r\n\r\nb' in sent.body
    assert (binary.path, binary.headers["accept"]) == ("/v1/things/t1/content", "application/binary")
    assert (search.method, search.path, json.loads(search.body)) == ("POST", "/v1/things/t1/search", {"query": "q"})


def test_optional_params_choose_the_path(out: Path, server: Server) -> None:
    """`account_id ? 'accounts' : 'zones'` in the path; the optional params are keyword arguments."""
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        assert api.get("t1", zone_id="z") == things.Thing(id="t1")
        api.get("t1", account_id="a")
        with pytest.raises(TypeError, match="path parameter"):
            api.get("t1")
    assert [r.path for r in server.requests] == ["/v1/zones/z/things/t1", "/v1/accounts/a/things/t1"]


def test_an_answer_typed_with_an_upload_type_converts(out: Path, server: Server) -> None:
    """A response type that holds `Uploadable` (cloudflare's `ai.run`) still sends and converts:
    an upload type accepts only uploads, so the JSON object becomes the model."""
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        assert api.run("t1") == things.Thing(id="r1")
    assert [(r.method, r.path) for r in server.requests] == [("POST", "/v1/things/t1/run")]


def test_missing_path_field_is_an_error_before_sending(out: Path, server: Server) -> None:
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        with pytest.raises(TypeError, match="path parameter"):
            api.create("b", **{"name": "n"})  # type: ignore[call-arg]
    assert server.requests == []


def test_dataclass_mode_sends_the_same(server: Server, tmp_path: Path) -> None:
    root = tmp_path / "sdk"
    (root / "resources").mkdir(parents=True)
    (root / "resources" / "things.d.ts").write_text(DTS)
    (root / "resources" / "things.js").write_text(JS)
    out = write_tree(tmp_path / "out", generate(root, ("resources/things.d.ts",), package="pkg", model_type="dataclass").files)
    with imported(out, "pkg.resources.things") as things, imported(out, "pkg._runtime") as runtime:
        api = things.Things(runtime.Client(base_url=server.url, api_key="k"))
        api.create("b", things.ThingCreateParams(account_id="acc", name="n", betas=["z"]))
    (sent,) = server.requests
    assert (sent.path, sent.headers["x-beta"], json.loads(sent.body)) == ("/v1/accounts/acc/buckets/b/things", "z", {"name": "n"})
