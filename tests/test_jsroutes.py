from __future__ import annotations

import re
from pathlib import Path

import pytest

from tsgen.jsroutes import JsRoute, extract_routes

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "openai-4.104.0"

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


def _only(source: bytes, cls: str, method: str) -> JsRoute:
    routes, warnings = extract_routes(source)
    assert warnings == []
    return routes[cls][method]


def test_realtime_sessions_example() -> None:
    routes, warnings = extract_routes(SESSIONS)
    assert warnings == []
    assert routes == {
        "Sessions": {
            "create": JsRoute(
                class_name="Sessions",
                method="create",
                verb="post",
                path="/realtime/sessions",
                path_params=(),
                body="body",
                query=None,
                headers=(("OpenAI-Beta", "assistants=v2"),),
                paginated=None,
                multipart=False,
                binary_response=False,
                stream=False,
                line=4,
                col=5,
            )
        }
    }


def test_realtime_sessions_corpus_file() -> None:
    source = (CORPUS / "resources" / "beta" / "realtime" / "sessions.js").read_bytes()
    route = _only(source, "Sessions", "create")
    assert (route.verb, route.path, route.body) == ("post", "/realtime/sessions", "body")
    assert route.headers == (("OpenAI-Beta", "assistants=v2"),)


def test_template_literal_path_with_two_params() -> None:
    source = b"""class Runs extends APIResource {
    retrieve(threadId, runId, options) {
        return this._client.get(`/threads/${threadId}/runs/${runId}`, options);
    }
}"""
    route = _only(source, "Runs", "retrieve")
    assert route.verb == "get"
    assert route.path == "/threads/{threadId}/runs/{runId}"
    assert route.path_params == ("threadId", "runId")
    assert route.path.format(threadId="t1", runId="r2") == "/threads/t1/runs/r2"
    assert (route.body, route.query, route.headers, route.line, route.col) == (
        None,
        None,
        (),
        2,
        5,
    )


def test_get_api_list_with_query() -> None:
    source = b"""class Jobs extends core.APIResource {
    listEvents(fineTuningJobId, query, options) {
        return this._client.getAPIList(`/fine_tuning/jobs/${fineTuningJobId}/events`,
            pagination_1.CursorPage, { query, ...options });
    }
}"""
    route = _only(source, "Jobs", "listEvents")
    assert route.verb == "get"
    assert route.paginated == "CursorPage"
    assert route.query == "query"
    assert route.path_params == ("fineTuningJobId",)


def test_is_request_options_overload() -> None:
    source = b"""class Files extends resource_1.APIResource {
    list(query = {}, options) {
        if ((0, core_1.isRequestOptions)(query)) {
            return this.list({}, query);
        }
        return this._client.getAPIList('/files', FileObjectsPage, { query, ...options });
    }
}"""
    route = _only(source, "Files", "list")
    assert (route.verb, route.path, route.query, route.paginated) == (
        "get",
        "/files",
        "query",
        "FileObjectsPage",
    )


def test_is_request_options_branch_is_skipped_even_with_a_call() -> None:
    source = b"""class Files extends APIResource {
    list(query = {}, options) {
        if (isRequestOptions(query)) {
            return this._client.get('/guard', query);
        }
        return this._client.getAPIList('/files', Page, { query, ...options });
    }
}"""
    assert _only(source, "Files", "list").path == "/files"


def test_multipart_binary_stream_and_then_unwrap() -> None:
    source = b"""class X extends APIResource {
    upload(body, options) {
        return this._client.post('/files', Core.multipartFormRequestOptions({ body, ...options }));
    }
    content(fileId, options) {
        return this._client.get(`/files/${fileId}/content`, {
            ...options,
            headers: { Accept: 'application/binary', ...options?.headers },
            __binaryResponse: true,
        });
    }
    async create(body, options) {
        return await this._client.post('/responses', { body, ...options, stream: body.stream ?? false })
            ._thenUnwrap((rsp) => rsp);
    }
}"""
    routes, warnings = extract_routes(source)
    assert warnings == []
    x = routes["X"]
    assert x["upload"].multipart and x["upload"].body == "body"
    assert x["content"].binary_response
    assert x["content"].headers == (("Accept", "application/binary"),)
    assert x["create"].stream and not x["create"].multipart


def test_non_api_resource_classes_ignored() -> None:
    source = b"""class RunsPage extends pagination_1.CursorPage {
    list() { return this._client.get('/x'); }
}
class Plain {
    list() { return this._client.get('/y'); }
}
class NotResource extends APIResourceish {
    list() { return this._client.get('/z'); }
}"""
    assert extract_routes(source) == ({}, [])


def test_helpers_and_branches_are_warned() -> None:
    source = b"""class Runs extends APIResource {
    async createAndPoll(threadId, body, options) {
        const run = await this.create(threadId, body, options);
        return await this.poll(threadId, run.id, options);
    }
    pick(id, flag, options) {
        if (flag) {
            return this._client.get(`/a/${id}`, options);
        }
        return this._client.delete(`/b/${id}`, options);
    }
    odd(thing, options) {
        return this._client.get(`/a/${thing.id}`, options);
    }
}"""
    routes, warnings = extract_routes(source)
    assert routes["Runs"]["pick"].path == "/a/{id}"
    assert "odd" not in routes["Runs"] and "createAndPoll" not in routes["Runs"]
    by_method = {w.method: w for w in warnings}
    assert set(by_method) == {"createAndPoll", "pick", "odd"}
    assert "this.create" in by_method["createAndPoll"].message
    assert by_method["createAndPoll"].line == 2 and by_method["createAndPoll"].col == 5


def test_literal_braces_escaped_and_local_path_followed() -> None:
    source = b"""class X extends APIResource {
    m(id, options) {
        const path = `/v/${id}/{literal}`;
        return this._client.put(path, { body: { ...options.body }, ...options });
    }
}"""
    route = _only(source, "X", "m")
    assert route.verb == "put"
    assert route.path == "/v/{id}/{{literal}}"
    assert route.path.format(id=7) == "/v/7/{literal}"


@pytest.mark.parametrize(
    "source",
    [
        b"",
        b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n" * 50,
        bytes(range(256)) * 20,
        b"class X extends APIResource { m( { return this._client.get(`/a/${",
        b"(" * 20000 + b"class",
        b"{" * 20000,
    ],
)
def test_garbage_input_never_raises(source: bytes) -> None:
    routes, warnings = extract_routes(source)
    assert isinstance(routes, dict) and isinstance(warnings, list)
    if b"APIResource" not in source:
        assert (routes, warnings) == ({}, [])


# -- corpus ---------------------------------------------------------------------------------

CLASS_RE = re.compile(r"^class (\w+) extends [\w.]*\bAPIResource \{\n(.*?)^\}", re.M | re.S)
METHOD_RE = re.compile(r"^    (?:async )?(\w+)\(.*\) \{$", re.M)
HTTP_RE = re.compile(r"this\._client\.(?:get|post|put|patch|delete|getAPIList)\(")


def _expected(source: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(class, method) of every APIResource method, and those calling this._client directly."""
    methods: set[tuple[str, str]] = set()
    http: set[tuple[str, str]] = set()
    for cls in CLASS_RE.finditer(source):
        found = list(METHOD_RE.finditer(cls.group(2)))
        for i, match in enumerate(found):
            if match.group(1) == "constructor":
                continue
            end = found[i + 1].start() if i + 1 < len(found) else len(cls.group(2))
            methods.add((cls.group(1), match.group(1)))
            if HTTP_RE.search(cls.group(2)[match.start() : end]):
                http.add((cls.group(1), match.group(1)))
    return methods, http


def test_corpus_every_method_routed_or_warned() -> None:
    files = sorted((CORPUS / "resources").rglob("*.js"))
    assert len(files) > 50
    total: set[tuple[str, str, str]] = set()
    http: set[tuple[str, str, str]] = set()
    routed: set[tuple[str, str, str]] = set()
    warned: set[tuple[str, str, str]] = set()
    for file in files:
        rel = str(file.relative_to(CORPUS))
        routes, warnings = extract_routes(file.read_bytes())
        methods, direct = _expected(file.read_text())
        file_routed = {(c, m) for c, table in routes.items() for m in table}
        file_warned = {(w.class_name, w.method) for w in warnings}
        assert file_routed | file_warned == methods, rel
        for route in (r for table in routes.values() for r in table.values()):
            assert route.verb in {"get", "post", "put", "patch", "delete"}, rel
            assert route.path.startswith("/") and route.body in (None, "body"), (rel, route)
            assert route.path_params == tuple(re.findall(r"(?<!\{)\{(\w+)\}", route.path))
        total |= {(rel, *key) for key in methods}
        http |= {(rel, *key) for key in direct}
        routed |= {(rel, *key) for key in file_routed}
        warned |= {(rel, *key) for key in file_warned}
    print(
        f"\ncorpus: {len(total)} methods, {len(routed)} routed, {len(warned)} warned; "
        f"{len(http)} call this._client directly ({len(routed & http)} of them routed)"
    )
    assert routed <= http
    assert len(routed) >= 0.95 * len(http)
    # every unrouted method is a helper without a direct HTTP call (poll, stream, parse, ...)
    assert total - routed == total - http
