"""Routes read from the compiled `.js` of resource classes: one small fixture per pattern, in
the openai-4 (`Core.APIResource`) and the current Stainless (`resource_1.APIResource`,
`resolveResourceRequestOptions`) spellings, with the exact routes expected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tsgen.js.values import Arr, Cond, Field, Lit, Obj, Param
from tsgen.jsroutes import JsRoute, JsRouteWarning, extract_routes

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
OLD = CORPORA / "openai-4.104.0"
NEW = CORPORA / "openai-7.59.0"

SESSIONS = b"""\
"use strict";
const resource_1 = require("../../../resource.js");
class Sessions extends resource_1.APIResource {
    create(body, options) {
        return this._client.post('/realtime/sessions', {
            body,
            ...options,
            headers: { 'OpenAI-Beta': 'assistants=v2', ...options?.headers },
        });
    }
}
exports.Sessions = Sessions;
"""

RESOLVE = b"""function resolveResourceRequestOptions(options, buildOptions) {
    return Promise.resolve(options).then(buildOptions);
}
"""


def _routes(source: bytes) -> dict[str, JsRoute]:
    routes, warnings = extract_routes(source)
    assert warnings == []
    return {f"{c}.{m}": r for c, table in routes.items() for m, r in table.items()}


def _one(body: str, spelling: str = "new") -> JsRoute:
    """The route of method `m` of a resource class with that body (in either spelling)."""
    base = "resource_1.APIResource" if spelling == "new" else "core.APIResource"
    source = RESOLVE.decode() + f"class X extends {base} {{\n    {body}\n}}\n"
    (route,) = _routes(source.encode()).values()
    return route


def _slots(route: JsRoute) -> tuple[object, ...]:
    return (route.verb, route.path, route.path_values, route.body, route.query, route.headers)


def test_realtime_sessions_example() -> None:
    assert _routes(SESSIONS) == {
        "Sessions.create": JsRoute(
            class_name="Sessions", method="create", verb="post", path="/realtime/sessions", path_params=(),
            path_values=(), body=Param("body"), query=None, headers=(("OpenAI-Beta", Lit("assistants=v2")),),
            paginated=None, multipart=False, binary_response=False, stream=None, envelope=(), line=4, col=5,
        )  # fmt: skip
    }


@pytest.mark.parametrize(
    "call",
    [
        "this._client.get(`/threads/${threadId}/runs/${runId}`, options)",
        "this._client.get((0, path_1.path) `/threads/${threadId}/runs/${runId}`, resolveResourceRequestOptions(options, (options) => ({ ...options, __security: { bearerAuth: true } })))",
        "this._client.get(path `/threads/${encodeURIComponent(threadId)}/runs/${String(runId)}`, { ...options })",
        "this._client.get('/threads/' + threadId + '/runs/' + runId, options)",
    ],
)
def test_paths_with_positional_params(call: str) -> None:
    route = _one(f"retrieve(threadId, runId, options) {{ return {call}; }}")
    assert (route.verb, route.path, route.path_params) == ("get", "/threads/{threadId}/runs/{runId}", ("threadId", "runId"))
    assert route.path_values == (Param("threadId"), Param("runId"))
    assert (route.body, route.query, route.headers) == (None, None, ())


def test_path_bound_to_a_local_and_literal_braces() -> None:
    route = _one("m(id, options) { const path = `/v/${id}/{literal}`; return this._client.put(path, { body: { a: 1 }, ...options }); }")
    assert (route.verb, route.path, route.body) == ("put", "/v/{id}/{{literal}}", Obj((("a", Lit(1)),)))


@pytest.mark.parametrize(
    "options",
    ["{ query, ...options }", "resolveResourceRequestOptions(options, (options) => ({ query, ...options, __security: { bearerAuth: true } }))"],
)
def test_paginated_list_with_query(options: str) -> None:
    route = _one(f"list(jobID, query = {{}}, options) {{ return this._client.getAPIList(`/jobs/${{jobID}}/events`, (pagination_1.CursorPage), {options}); }}")
    assert (route.verb, route.paginated, route.query, route.path_values) == ("get", "CursorPage", Param("query"), (Param("jobID"),))


@pytest.mark.parametrize(
    "options",
    ["{ body, method: 'post', ...options }", "resolveResourceRequestOptions(options, (options) => ({ body, method: 'post', ...options }))"],
)
def test_paginated_post_method_override(options: str) -> None:
    route = _one(f"create(id, body, options) {{ return this._client.getAPIList(`/p/${{id}}/permissions`, Page, {options}); }}")
    assert (route.verb, route.paginated, route.body) == ("post", "Page", Param("body"))


def test_request_and_request_api_list_take_method_and_path_from_the_options() -> None:
    route = _one("m(body, options) { return this._client.request({ method: 'patch', path: '/x', body, ...options }); }")
    assert (route.verb, route.path, route.body) == ("patch", "/x", Param("body"))
    route = _one("m(query, options) { return this._client.requestAPIList(Page, { method: 'get', path: '/y', query, ...options }); }")
    assert (route.verb, route.path, route.query, route.paginated) == ("get", "/y", Param("query"), "Page")


def test_path_params_out_of_the_params_object() -> None:
    route = _one("""create(bucketName, params, options) {
        const { account_id, 'cf-r2-jurisdiction': cfR2Jurisdiction, ...body } = params;
        return this._client.put((0, path_1.path) `/accounts/${account_id}/r2/buckets/${bucketName}/sippy`, {
            body,
            ...options,
            headers: (0, headers_1.buildHeaders)([
                { ...(cfR2Jurisdiction?.toString() != null ? { 'cf-r2-jurisdiction': cfR2Jurisdiction?.toString() } : undefined) },
                options?.headers,
            ]),
        })._thenUnwrap((obj) => obj.result);
    }""")
    assert _slots(route) == (
        "put",
        "/accounts/{account_id}/r2/buckets/{bucketName}/sippy",
        (Field("params", ("account_id",)), Param("bucketName")),
        Param("params", ("account_id", "cf-r2-jurisdiction")),
        None,
        (("cf-r2-jurisdiction", Field("params", ("cf-r2-jurisdiction",))),),
    )
    assert route.envelope == ("result",)


def test_query_picked_from_the_params_and_body_rest() -> None:
    route = _one("""create(params, options) {
        const { account_id, cacheTTL, ...body } = params;
        return this._client.post(path `/accounts/${account_id}/markdown`, { query: { cacheTTL }, body, ...options });
    }""")
    assert route.query == Obj((("cacheTTL", Field("params", ("cacheTTL",))),))
    assert route.body == Param("params", ("account_id", "cacheTTL"))


def test_renames_defaults_nested_and_params_default() -> None:
    route = _one("""list(params = {}, options) {
        const { zone_id: zone, filter: { kind } = {}, limit = 10, ...query } = params ?? {};
        return this._client.get(`/zones/${zone}/k/${kind}`, { query: { ...query, limit }, ...options });
    }""")
    assert route.path_values == (Field("params", ("zone_id",)), Field("params", ("filter", "kind")))
    assert route.query == Obj(((None, Param("params", ("zone_id", "filter", "limit"))), ("limit", Field("params", ("limit",)))))


@pytest.mark.parametrize(
    "headers",
    [
        "{ 'anthropic-beta': betas?.toString(), ...options?.headers }",  # older releases
        "(0, headers_1.buildHeaders)([{ ...(betas?.toString() != null ? { 'anthropic-beta': betas?.toString() } : undefined) }, options?.headers])",
    ],
)
def test_header_params(headers: str) -> None:
    route = _one(f"""retrieve(fileID, params = {{}}, options) {{
        const {{ betas }} = params ?? {{}};
        return this._client.get((0, path_1.path) `/v1/files/${{fileID}}`, {{ ...options, headers: {headers} }});
    }}""")
    (name, value), = route.headers
    assert name == "anthropic-beta"
    assert value in (Field("params", ("betas",)), Cond(Field("params", ("betas",)), Field("params", ("betas",)), Lit(None), True))


def test_header_array_with_spread_and_static_accept() -> None:
    route = _one("""count(params, options) {
        const { betas, ...body } = params;
        return this._client.post('/count', { body, ...options, headers: buildHeaders([
            { Accept: 'application/binary', 'anthropic-beta': [...(betas ?? []), 'tokens-1'].toString() }, options?.headers]) });
    }""")
    assert route.headers == (
        ("Accept", Lit("application/binary")),
        ("anthropic-beta", Arr(((True, Field("params", ("betas",))), (False, Lit("tokens-1"))))),
    )


@pytest.mark.parametrize(
    "options",
    [
        "Core.multipartFormRequestOptions({ body, ...options })",
        "(0, uploads_1.multipartFormRequestOptions)({ body, ...options }, this._client)",
        "resolveResourceRequestOptions(options, (options) => (0, uploads_1.maybeMultipartFormRequestOptions)({ body, ...options, __security: {} }, this._client))",
        "Core.maybeMultipartFormRequestOptions({ body, ...options })",
    ],
)
def test_multipart(options: str) -> None:
    route = _one(f"upload(body, options) {{ return this._client.post('/files', {options}); }}")
    assert route.multipart and route.body == Param("body")


def test_to_file_in_the_body_is_a_multipart_upload() -> None:
    route = _one("async put(params, options) { const { data, name } = params; return this._client.post('/f', { body: { file: await toFile(data, name), purpose: 'x' }, ...options }); }")
    assert route.multipart and route.body == Obj((("file", Field("params", ("data",))), ("purpose", Lit("x"))))


@pytest.mark.parametrize(
    "headers",
    ["{ Accept: 'application/binary', ...options?.headers }", "(0, headers_1.buildHeaders)([{ Accept: 'application/binary' }, options?.headers])"],
)
def test_binary_response(headers: str) -> None:
    route = _one(f"content(fileID, options) {{ return this._client.get(`/files/${{fileID}}/content`, {{ ...options, headers: {headers}, __binaryResponse: true }}); }}")
    assert route.binary_response and route.headers == (("Accept", Lit("application/binary")),)


@pytest.mark.parametrize(
    ("unwrap", "envelope"),
    [
        ("._thenUnwrap((obj) => obj.result)", ("result",)),
        ("._thenUnwrap((page) => { return page.data.items; })", ("data", "items")),
        ("._thenUnwrap((rsp) => rsp)", ()),
        ("._thenUnwrap((result, props) => props.options.stream ? normalize(result) : result)", ()),
        ("", ()),
    ],
)
def test_envelopes(unwrap: str, envelope: tuple[str, ...]) -> None:
    assert _one(f"get(id, options) {{ return this._client.get(`/z/${{id}}`, options){unwrap}; }}").envelope == envelope


def test_stream_and_body_through_a_local_arrow_called_later() -> None:
    route = _one("""create(body, options) {
        const creation = capture(body, options);
        const request = (body, options) => this._client.post('/sessions', resolveResourceRequestOptions(options, (options) => withBodyFinalization({
            body, ...options, stream: body.stream ?? false }, { streamFromBody: true })));
        return request(body, creation.options)._thenUnwrap((obj) => obj.session);
    }""")
    assert (route.body, route.envelope) == (Param("body"), ("session",))
    assert route.stream == Field("body", ("stream",))
    assert not _one("create(body, options) { return this._client.post('/c', { body, ...options, stream: false }); }").stream


def test_account_or_zone_ternary_in_the_path() -> None:
    route = _one("""list(params = {}, options) {
        const { account_id, zone_id } = params ?? {};
        if (!account_id && !zone_id) { throw new Error('You must provide either account_id or zone_id.'); }
        const { accountOrZone, accountOrZoneId } = account_id ?
            { accountOrZone: 'accounts', accountOrZoneId: account_id } : { accountOrZone: 'zones', accountOrZoneId: zone_id };
        return this._client.getAPIList((0, path_1.path) `/${accountOrZone}/${accountOrZoneId}/rulesets`, (pagination_1.SinglePage), options);
    }""")
    account, zone = Field("params", ("account_id",)), Field("params", ("zone_id",))
    assert route.path == "/{arg0}/{arg1}/rulesets"
    assert route.path_values == (Cond(account, Lit("accounts"), Lit("zones")), Cond(account, account, zone))


def test_body_default_and_options_rebuilt_by_an_immediately_called_function() -> None:
    route = _one("""create(body, options) {
        const given = !!body.format;
        let format = given ? body.format : 'base64';
        return this._client.post('/e', { body: { ...body, format: format }, ...options });
    }""", "old")
    fmt = Field("body", ("format",))
    assert route.body == Obj(((None, Param("body")), ("format", Cond(fmt, fmt, Lit("base64")))))
    route = _one("""edit(body, options) {
        return this._client.post('/edits', ((requestOptions) => {
            const omitNulls = (value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map((e) => omitNulls(e)));
            return { ...requestOptions, body: omitNulls(requestOptions.body ?? {}) };
        })({ body, ...options }));
    }""")
    assert route.body == Param("body")


def test_overload_branch_is_skipped() -> None:
    route = _one("""list(query = {}, options) {
        if ((0, core_1.isRequestOptions)(query)) { return this.list({}, query); }
        return this._client.getAPIList('/files', FileObjectsPage, { query, ...options });
    }""", "old")
    assert (route.path, route.query) == ("/files", Param("query"))


def test_classes_resources_by_inheritance_and_inside_iifes() -> None:
    source = b"""var BaseZones = /* @__PURE__ */ (() => {
    class BaseZones extends resource_1.APIResource { get(id, options) { return this._client.get(`/zones/${id}`, options); } }
    return BaseZones;
})();
class Zones extends BaseZones { edit(id, options) { return this._client.patch(`/zones/${id}`, options); } }
class RunsPage extends pagination_1.CursorPage { list() { return this._client.get('/x'); } }
class Plain { list() { return this._client.get('/y'); } }
"""
    assert {k: (r.verb, r.path) for k, r in _routes(source).items()} == {"BaseZones.get": ("get", "/zones/{id}"), "Zones.edit": ("patch", "/zones/{id}")}


def test_helpers_branches_and_unknown_values_are_warned() -> None:
    source = b"""class Runs extends APIResource {
    async createAndPoll(threadId, body, options) {
        const run = await this.create(threadId, body, options);
        return await this.poll(threadId, run.id, options);
    }
    pick(id, flag, options) {
        if (flag) { return this._client.get(`/a/${id}`, options); }
        return this._client.delete(`/b/${id}`, options);
    }
    odd(thing, options) { return this._client.get(`/a/${thing()}`, options); }
    async results(id, options) {
        const batch = await this.retrieve(id);
        return this._client.get(batch.results_url, options);
    }
    lost(params, options) {
        const { secret, ...body } = params;
        return this._client.post('/l', { body, ...options, headers: sign(secret) });
    }
}"""
    routes, warnings = extract_routes(source)
    assert routes["Runs"]["pick"].path == "/a/{id}" and routes["Runs"]["lost"].body == Param("params", ("secret",))
    assert set(routes["Runs"]) == {"pick", "lost"}
    by_method = {w.method: w for w in warnings}
    assert set(by_method) == {"createAndPoll", "pick", "odd", "results", "lost"}
    assert by_method["createAndPoll"] == JsRouteWarning(
        "Runs", "createAndPoll", 2, 5, "no this._client HTTP call; the route is computed at run time (calls this.create, this.poll)"
    )
    assert "2 HTTP calls (get /a/{id}, delete /b/{id}); using the first" in by_method["pick"].message
    assert "path placeholder not understood" in by_method["odd"].message
    assert "path not understood" in by_method["results"].message
    assert "secret taken out of `params` but not sent" in by_method["lost"].message


@pytest.mark.parametrize(
    "source",
    [
        b"",
        b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n" * 50,
        bytes(range(256)) * 20,
        b"class X extends APIResource { m( { return this._client.get(`/a/${",
        b"(" * 20000 + b"class",
        b"{" * 20000,
        b"class X extends APIResource { m(a) { const a = a.b; const b = b; return this._client.get(a, { body: b }); } }",
    ],
)
def test_garbage_input_never_raises(source: bytes) -> None:
    routes, warnings = extract_routes(source)
    assert isinstance(routes, dict) and isinstance(warnings, list)
    if b"APIResource" not in source:
        assert (routes, warnings) == ({}, [])


# -- corpus ---------------------------------------------------------------------------------

HTTP_RE = re.compile(r"this\._client\s*\.(?:get|post|put|patch|delete|getAPIList)\(")


@pytest.mark.parametrize(("corpus", "minimum"), [(OLD, 1.0), (NEW, 0.99)])
def test_corpus_every_calling_method_routed(corpus: Path, minimum: float) -> None:
    """Every method whose class body calls this._client gets a route; the rest is warned."""
    routed = warned = 0
    problems: list[str] = []
    for file in sorted((corpus / "resources").rglob("*.js")):
        routes, warnings = extract_routes(file.read_bytes())
        for route in (r for table in routes.values() for r in table.values()):
            assert route.verb in {"get", "post", "put", "patch", "delete"} and route.path.startswith("/"), route
            assert len(route.path_values) == len(re.findall(r"(?<!\{)\{(\w+)\}", route.path)), route
        clean = {(c, m) for c, t in routes.items() for m in t} - {(w.class_name, w.method) for w in warnings}
        routed += len(clean)
        for w in warnings:
            if not w.message.startswith("no this._client HTTP call"):
                problems.append(f"{file.name}:{w.line} {w.class_name}.{w.method}: {w.message}")
            warned += 1
    print(f"\n{corpus.name}: {routed} methods routed without warning, {len(problems)} with problems, {warned} warnings")
    assert routed > 100
    assert routed / (routed + len(problems)) >= minimum, problems
