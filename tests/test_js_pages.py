"""Page classes read from an SDK's compiled JavaScript (tsgen.js.pages).

Every reading is checked against the SDK's own page class: it is built in node
(tests/tsc/record_pages.js) over made-up pages (items or none, a cursor in the body or not,
`has_more` true, false or missing, queries with and without the keys the rules read) and the
next query it asks for is compared with the one the spec gives (`next_query` below: what the
generated runtime computes from a PageSpec)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from corpora import NODE_MODULES, OPENAI_4, OPENAI_7
from tsgen.js.pages import JsPageWarning, NextRule, NextValue, PageSpec, read_pages

TSC = Path(__file__).resolve().parent / "tsc"

# name: (the file read, the file node runs (the same release))
SDKS = {
    "openai-4.104.0": (OPENAI_4 / "pagination.js", NODE_MODULES / "openai" / "pagination.js"),
    "openai-4.104.0-files": (OPENAI_4 / "resources" / "files.js", NODE_MODULES / "openai" / "resources" / "files.js"),
    "openai-7.59.0": (OPENAI_7 / "core" / "pagination.js", OPENAI_7 / "core" / "pagination.js"),
    "openai-7.59.0-reexport": (OPENAI_7 / "pagination.js", OPENAI_7 / "pagination.js"),
    "openai-4.20.0": (NODE_MODULES / "openai-4.20.0" / "pagination.js", NODE_MODULES / "openai-4.20.0" / "pagination.js"),
}
PAGE_CLASSES = {
    "openai-4.104.0": ["CursorPage", "Page"],
    "openai-4.104.0-files": ["FileObjectsPage"],
    "openai-7.59.0": ["ConversationCursorPage", "CursorPage", "NextCursorPage", "Page", "TokenPage"],
    "openai-7.59.0-reexport": ["ConversationCursorPage", "CursorPage", "NextCursorPage", "Page", "TokenPage"],
    "openai-4.20.0": ["CursorPage", "Page"],
}


# ---- the model: the next query a spec gives --------------------------------------------------


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def next_query(spec: PageSpec, body: Any, query: dict[str, Any] | None, headers: dict[str, str]) -> dict[str, Any] | None:
    current = dict(query or {})
    items = _get(body, spec.items)
    items = items if isinstance(items, list) else []
    if spec.has_more is not None:
        more = _get(body, spec.has_more)
        if (not more) if spec.has_more_falsy_stops else more is False:
            return None
    if spec.stops_when_empty and not items:
        return None
    for rule in spec.next:
        if rule.when_query is not None and not current.get(rule.when_query):
            continue
        value = _value(rule.value, body, items, current, {k.lower(): v for k, v in headers.items()})
        return None if not value else {**current, rule.key: value}
    return None


def _value(value: NextValue, body: Any, items: list[Any], query: dict[str, Any], headers: dict[str, str]) -> Any:
    if value.kind in ("item", "first_item"):
        return _get(items[-1 if value.kind == "item" else 0], value.path) if items else None
    if value.kind == "body":
        return _get(body, value.path)
    if value.kind == "header":
        return headers.get(value.path[0].lower())
    current = query.get(value.key)
    base = value.start if current is None else current
    return base + (value.step if value.kind == "query_plus" else len(items))


# ---- made-up pages --------------------------------------------------------------------------


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _cases(spec: PageSpec) -> list[dict[str, Any]]:
    item_paths = {r.value.path for r in spec.next if r.value.kind in ("item", "first_item")} | {("id",)}
    items = [{}, {}]
    for path in item_paths:
        for index, item in enumerate(items):
            _put(item, path, f"i{index}-{'.'.join(path)}")
    body_paths = [r.value.path for r in spec.next if r.value.kind == "body"]
    header_names = [r.value.path[0] for r in spec.next if r.value.kind == "header"]
    queries: list[dict[str, Any] | None] = [None, {}, {"limit": 2}]
    queries += [{r.when_query: "w", "limit": 2} for r in spec.next if r.when_query]
    queries += [{r.value.key: 3} for r in spec.next if r.value.kind in ("query_plus", "query_offset")]
    has_more_path = spec.has_more or ("has_more",)  # probed also where the spec says it is not read
    cases = []
    for listed, cursor, more, query in itertools.product([items, []], [True, False], [True, False, None], queries):
        body: dict[str, Any] = {}
        if spec.items:
            _put(body, spec.items, listed)
        for path in body_paths:
            if cursor:
                _put(body, path, f"cur-{'.'.join(path)}")
        if more is not None:
            _put(body, has_more_path, more)
        headers = {name: f"cur-{name}" for name in header_names} if cursor else {}
        cases.append({"body": body if spec.items else listed, "query": query, "headers": headers})
    return cases


def _record(module: Path, class_name: str, cases: list[dict[str, Any]]) -> list[Any]:
    env = {"PATH": os.environ.get("PATH", ""), "NODE_PATH": str(TSC / "node_modules")}
    proc = subprocess.run(
        ["node", str(TSC / "record_pages.js"), str(module), class_name, json.dumps(cases)],
        capture_output=True, text=True, timeout=300, env=env, cwd=TSC,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results: list[Any] = json.loads(proc.stdout)
    return results


def _check_against_node(spec: PageSpec, module: Path) -> None:
    cases = _cases(spec)
    for case, got in zip(cases, _record(module, spec.class_name, cases), strict=True):
        assert got == next_query(spec, case["body"], case["query"], case["headers"]), (spec, case)


# ---- the SDKs -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SDKS))
def test_page_classes_match_the_sdk(name: str) -> None:
    read, run = SDKS[name]
    assert read.is_file() and run.is_file(), f"{name} is missing: run `make setup`"
    specs, warnings = read_pages(read)
    assert warnings == []
    assert sorted(specs) == PAGE_CLASSES[name]
    for spec in specs.values():
        _check_against_node(spec, run)


def test_openai_cursor_page() -> None:
    specs, _ = read_pages(OPENAI_7 / "core" / "pagination.js")
    assert specs["CursorPage"] == PageSpec("CursorPage", ("data",), (NextRule("after", NextValue("item", ("id",))),), ("has_more",), 93, 1)
    assert specs["Page"].next == ()
    assert specs["NextCursorPage"].stops_when_empty is False  # its hasNextPage asks only for a cursor


# ---- inline patterns ------------------------------------------------------------------------

ABSTRACT = """\
"use strict";
class AbstractPage {
    constructor(client, response, body, options) {
        this.options = options;
        this.response = response;
        this.body = body;
    }
    hasNextPage() {
        const items = this.getPaginatedItems();
        if (!items.length)
            return false;
        return this.nextPageRequestOptions() != null;
    }
}
exports.AbstractPage = AbstractPage;
"""


def _pages(tmp_path: Path, classes: str, **files: str) -> tuple[dict[str, PageSpec], list[JsPageWarning], Path]:
    for name, text in files.items():
        (tmp_path / f"{name}.js").write_text(text)
    path = tmp_path / "pagination.js"
    path.write_text(ABSTRACT + classes)
    specs, warnings = read_pages(path)
    return specs, warnings, path


BIDIRECTIONAL = """\
class ItemsPage extends AbstractPage {
    constructor(client, response, body, options) {
        super(client, response, body, options);
        this.items = body.items || [];
    }
    getPaginatedItems() {
        return this.items ?? [];
    }
    nextPageRequestOptions() {
        const items = this.getPaginatedItems();
        if (this.options.query?.['before']) {
            const first = items[0]?.key;
            if (!first) {
                return null;
            }
            return { ...this.options, query: { ...maybeObj(this.options.query), before: first } };
        }
        const last = items.at(-1)?.key;
        if (!last) {
            return null;
        }
        return { ...this.options, query: { ...maybeObj(this.options.query), after: last } };
    }
}
exports.ItemsPage = ItemsPage;
function maybeObj(x) { return typeof x === 'object' && x !== null ? x : {}; }
"""


def test_first_and_last_item_by_query(tmp_path: Path) -> None:
    specs, warnings, path = _pages(tmp_path, BIDIRECTIONAL)
    assert warnings == []
    assert specs["ItemsPage"].items == ("items",)
    assert specs["ItemsPage"].next == (
        NextRule("before", NextValue("first_item", ("key",)), when_query="before"),
        NextRule("after", NextValue("item", ("key",))),
    )
    _check_against_node(specs["ItemsPage"], path)


OFFSETS = """\
class OffsetPage extends AbstractPage {
    constructor(client, response, body, options) {
        super(client, response, body, options);
        this.result = body.result || {};
        this.total = body.total;
    }
    getPaginatedItems() {
        return this.result?.records ?? [];
    }
    nextPageRequestOptions() {
        const offset = this.options.query?.offset ?? 0;
        return { ...this.options, query: { ...this.options.query, offset: offset + this.getPaginatedItems().length } };
    }
}
exports.OffsetPage = OffsetPage;
class NumberedPage extends AbstractPage {
    getPaginatedItems() {
        return this.body;
    }
    hasNextPage() {
        if (this.body.more === false) {
            return false;
        }
        return super.hasNextPage();
    }
    nextPageRequestOptions() {
        const page = Number(this.options.query?.page_number ?? 0);
        return { ...this.options, query: { ...this.options.query, page_number: page + 2 } };
    }
}
exports.NumberedPage = NumberedPage;
"""


def test_offsets_page_numbers_and_a_list_body(tmp_path: Path) -> None:
    specs, warnings, path = _pages(tmp_path, OFFSETS)
    assert warnings == []
    assert specs["OffsetPage"] == PageSpec("OffsetPage", ("result", "records"), (NextRule("offset", NextValue("query_offset", key="offset", start=0)),), None, 16, 1)
    numbered = specs["NumberedPage"]
    assert (numbered.items, numbered.next) == ((), (NextRule("page_number", NextValue("query_plus", key="page_number", start=0, step=2)),))
    for spec in specs.values():
        _check_against_node(spec, path)


HEADER_CURSOR = """\
class HeaderPage extends AbstractPage {
    constructor(client, response, body, options) {
        super(client, response, body, options);
        this.items = body || [];
        this.after_cursor = this.response.headers.get('X-After-Cursor') ?? null;
    }
    getPaginatedItems() {
        return this.items ?? [];
    }
    hasNextPage() {
        return this.nextPageRequestOptions() != null;
    }
    nextPageRequestOptions() {
        const cursor = this.after_cursor;
        if (!cursor) {
            return null;
        }
        return { ...this.options, query: { ...this.options.query, after_cursor: cursor } };
    }
}
exports.HeaderPage = HeaderPage;
"""


def test_a_cursor_in_a_response_header(tmp_path: Path) -> None:
    specs, warnings, path = _pages(tmp_path, HEADER_CURSOR)
    assert warnings == []
    spec = specs["HeaderPage"]
    assert (spec.items, spec.next, spec.stops_when_empty) == ((), (NextRule("after_cursor", NextValue("header", ("X-After-Cursor",))),), False)
    _check_against_node(spec, path)


OLDER = """\
"use strict";
const core_1 = require("./core.js");
class CursorPage extends core_1.AbstractPage {
    constructor(client, response, body, options) {
        super(client, response, body, options);
        this.data = body.data;
        this.next_token = body.meta?.next_token || '';
    }
    getPaginatedItems() {
        return this.data;
    }
    nextPageInfo() {
        if (!this.data?.length) {
            return null;
        }
        const next = this.next_token;
        if (!next)
            return null;
        return { params: { token: next } };
    }
}
exports.CursorPage = CursorPage;
class ThingsPage extends CursorPage {
}
exports.ThingsPage = ThingsPage;
"""

OLDER_CORE = """\
"use strict";
class AbstractPage {
    constructor(client, response, body, options) {
        this.options = options;
        this.body = body;
    }
    hasNextPage() {
        const items = this.getPaginatedItems();
        if (!items.length)
            return false;
        return this.nextPageInfo() != null;
    }
}
exports.AbstractPage = AbstractPage;
"""


def test_older_next_page_info_with_the_base_class_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "core.js").write_text(OLDER_CORE)
    path = tmp_path / "pagination.js"
    path.write_text(OLDER)
    specs, warnings = read_pages(path)
    assert warnings == []
    assert sorted(specs) == ["CursorPage", "ThingsPage"]
    assert specs["ThingsPage"].next == (NextRule("token", NextValue("body", ("meta", "next_token"))),)
    for spec in specs.values():
        _check_against_node(spec, path)


UNREADABLE = """\
class UrlPage extends AbstractPage {
    constructor(client, response, body, options) {
        super(client, response, body, options);
        this.data = body.data || [];
        this.next = body.links?.next;
    }
    getPaginatedItems() {
        return this.data;
    }
    nextPageRequestOptions() {
        return { ...this.options, path: this.next, query: undefined };
    }
}
class BadItems extends AbstractPage {
    getPaginatedItems() {
        return Object.values(this.body).flat();
    }
    nextPageRequestOptions() {
        return null;
    }
}
class OddStop extends AbstractPage {
    getPaginatedItems() {
        return this.body.data;
    }
    hasNextPage() {
        this.count = (this.count ?? 0) + 1;
        return this.count < 3;
    }
    nextPageRequestOptions() {
        if (this.body.total > 100) {
            return null;
        }
        return { ...this.options, query: { ...this.options.query, after: this.body.data[this.body.data.length - 1].id } };
    }
}
"""


def test_what_cannot_be_read_is_a_warning_and_one_page(tmp_path: Path) -> None:
    specs, warnings, _ = _pages(tmp_path, UNREADABLE)
    assert sorted(specs) == ["OddStop", "UrlPage"]  # BadItems: no item path to read from
    assert specs["UrlPage"].next == () and specs["OddStop"].next == ()
    assert [(w.class_name, w.line, w.message) for w in warnings] == [
        ("UrlPage", 26, "next page not understood: the next request sets 'path' (one page only)"),
        ("BadItems", 31, "items not understood: getPaginatedItems() return Object.values(this.body).flat(); (class left out)"),
        ("OddStop", 46, "next page not understood: condition this.body.total > 100 (one page only)"),
        ("OddStop", 42, "hasNextPage not understood: statement this.count = (this.count ?? 0) + 1; (one page only)"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "class P extends AbstractPage { getPaginatedItems() { return this.body.data } nextPageRequestOptions() { return { ...this.options, query: {",
        "class P extends AbstractPage { constructor(a, b, c, d) { super(...",
        "class P extends AbstractPage {}\nclass Q extends P { getPaginatedItems() { return this.body; } nextPageRequestOptions() { return { query: 1 }; } }",
        "class P extends Missing.AbstractPage { getPaginatedItems() { return this.body } }",
        "\x00\xff class P extends AbstractPage {",
    ],
)
def test_malformed_input_gives_warnings_not_exceptions(tmp_path: Path, source: str) -> None:
    path = tmp_path / "pagination.js"
    path.write_text(source)
    specs, warnings = read_pages(path)
    assert warnings
    assert all(isinstance(w, JsPageWarning) and w.line >= 1 and w.col >= 1 for w in warnings)
    assert all(spec.next == () for spec in specs.values())


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    specs, warnings = read_pages(tmp_path / "absent.js")
    assert specs == {} and [w.message for w in warnings] == [f"cannot read {tmp_path / 'absent.js'}"]
