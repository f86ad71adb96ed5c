"""The generated runtime as a client: a real HTTP server on loopback answers small resource and
page classes written the way generated code calls the runtime (`request`, `request_stream`,
`request_page`), sync and async: pages, streams, uploads, downloads, retries, errors, options."""

from __future__ import annotations

import asyncio
import dataclasses
import email.parser
import email.policy
import json
import socket
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, TypeVar

import pytest

from conftest import INPUT, PACKAGE, import_generated
from util import generate, write_tree

from loopback import Reply, Seen, Server, server  # noqa: F401 - the fixture


# The runtime, and an SDK written on it the way tsgen generates one.


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = write_tree(tmp_path_factory.mktemp("runtime"), generate(INPUT).files)
    import_generated(out)
    import openai_realtime._runtime as runtime

    yield runtime
    sys.path.remove(str(out))
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def sleeps(rt: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between attempts, recorded instead of slept."""
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(rt, "_sleep", waits.append)
    monkeypatch.setattr(rt, "_asleep", asleep)
    return waits


@dataclasses.dataclass
class Item:
    id: str


@dataclasses.dataclass
class Event:
    n: int


@dataclasses.dataclass
class Enveloped:
    event: str
    data: Event


def _pages(rt: ModuleType, base: Any) -> SimpleNamespace:
    """Page classes as the generator writes them from an SDK's pagination.js."""
    _I = TypeVar("_I")
    item, body, query = (rt.NextValue(kind, **kw) for kind, kw in [("item", {"path": ("id",)}), ("body", {"path": ("next",)}), ("query_plus", {"key": "page", "start": 1})])

    class CursorPage(base[_I]):  # type: ignore[misc,valid-type]
        _rule = rt.PageRule(next=(rt.NextRule("after", item),), has_more=("has_more",))
        data: list[_I]
        has_more: bool

    class NextPage(base[_I]):  # type: ignore[misc,valid-type]
        _rule = rt.PageRule(items=("result", "items"), next=(rt.NextRule("cursor", body),))

    class NumberedPage(base[_I]):  # type: ignore[misc,valid-type]
        _rule = rt.PageRule(items=(), next=(rt.NextRule("page", query),))

    return SimpleNamespace(cursor=CursorPage, body=NextPage, numbered=NumberedPage)


def _sdk(rt: ModuleType, is_async: bool) -> Any:
    """A root client with its own options, a resource reached through it, and its page classes."""
    pages = _pages(rt, rt.BaseAsyncPage if is_async else rt.BaseSyncPage)

    class Things(rt.AsyncAPIResource if is_async else rt.SyncAPIResource):  # type: ignore[misc]
        def get(self, thing_id: str, **options: Any) -> Any:
            return self._client.request("get", rt.route_path("/things/{}", thing_id), cast_to=Item, **options)

        def list(self, kind: str, *, extra_query: Any = None, **query: Any) -> Any:
            page = getattr(pages, kind)[Item]
            options = {"query": query, "extra_query": extra_query, "headers": {"X-Trace": "t1"}}
            return self._client.request_page("get", f"/{kind}", page=page, item_to=Item, **options)

        def search(self, **body: Any) -> Any:
            return self._client.request_page("post", "/search", page=pages.cursor[Item], item_to=Item, body=body)

        def create(self, *, stream: bool = False, envelope: bool = False, **body: Any) -> Any:
            event_to = Enveloped if envelope else Event
            kwargs = {"cast_to": Item, "event_to": event_to, "stream": stream, "event_envelope": envelope}
            return self._client.request_stream("post", "/stream", **kwargs, body={"stream": stream, **body})

        def upload(self, **params: Any) -> Any:
            extra_body = params.pop("extra_body", None)
            return self._client.request("post", "/upload", cast_to=Item, body=params, multipart=True, extra_body=extra_body)

        def content(self, thing_id: str) -> Any:
            path = rt.route_path("/things/{}/content", thing_id)
            return self._client.request("get", path, cast_to=rt.BinaryResponse, headers={"Accept": "application/binary"})

        def delete(self, thing_id: str) -> Any:
            return self._client.request("delete", rt.route_path("/things/{}", thing_id), cast_to=type(None))

    class SDK(rt.AsyncClient if is_async else rt.Client):  # type: ignore[misc]
        options = (
            rt.ClientOption("api_key", env="TSGEN_TEST_KEY", header="Authorization", prefix="Bearer ", required=True),
            rt.ClientOption("organization", env="TSGEN_TEST_ORG", header="X-Org"),
        )
        default_base_url = None
        base_url_env = "TSGEN_TEST_BASE_URL"
        static_headers = {"X-Version": "2"}
        idempotency_header = "Idempotency-Key"

        @cached_property
        def things(self) -> Things:
            return Things(self)

    return SDK


@pytest.fixture
def sdk(rt: ModuleType) -> Any:
    return _sdk(rt, False)


@pytest.fixture
def asdk(rt: ModuleType) -> Any:
    return _sdk(rt, True)


def _sse(*events: str) -> list[bytes]:
    return [e.encode() + b"\n\n" for e in events]


# Pages.


def _serve_pages(server: Server) -> None:
    ids = ["a", "b", "c", "d", "e", "f"]

    def cursor(seen: Seen) -> Reply:
        start = ids.index(seen.query["after"][0]) + 1 if "after" in seen.query else 0
        return Reply(body={"data": [{"id": i} for i in ids[start : start + 2]], "has_more": start + 2 < 6, "object": "list"})

    def by_body(seen: Seen) -> Reply:
        start = int(seen.query.get("cursor", ["0"])[0])
        following = str(start + 2) if start + 2 < 6 else None
        return Reply(body={"result": {"items": [{"id": i} for i in ids[start : start + 2]]}, "next": following})

    def numbered(seen: Seen) -> Reply:
        start = (int(seen.query.get("page", ["1"])[0]) - 1) * 2
        return Reply(body=[{"id": i} for i in ids[start : start + 2]])

    server.routes.update({"/v1/cursor": cursor, "/v1/body": by_body, "/v1/numbered": numbered, "/v1/search": cursor})


PAGE_QUERIES = {
    "cursor": [{"limit": ["2"]}, {"limit": ["2"], "after": ["b"]}, {"limit": ["2"], "after": ["d"]}],
    "body": [{"limit": ["2"]}, {"limit": ["2"], "cursor": ["2"]}, {"limit": ["2"], "cursor": ["4"]}],
    "numbered": [{"limit": ["2"]}, {"limit": ["2"], "page": ["2"]}, {"limit": ["2"], "page": ["3"]}, {"limit": ["2"], "page": ["4"]}],
}


@pytest.mark.parametrize("kind", ["cursor", "body", "numbered"])
def test_pages_iterate_across_requests(rt: ModuleType, sdk: Any, server: Server, kind: str) -> None:
    _serve_pages(server)
    client = sdk(base_url=server.url, api_key="k")
    page = client.things.list(kind, limit=2)
    assert page.page_items() == [Item("a"), Item("b")] and page.has_next_page()
    assert [item.id for item in page] == ["a", "b", "c", "d", "e", "f"]
    assert [s.query for s in server.seen] == PAGE_QUERIES[kind]  # each page fetched once, on demand
    assert {s.headers["x-trace"] for s in server.seen} == {"t1"}  # the next requests repeat the first
    if kind == "cursor":
        assert page.data == [Item("a"), Item("b")] and page.has_more is True and page.object == "list"
        last = page.get_next_page().get_next_page()
        assert (last.data, last.has_more, last.has_next_page()) == ([Item("e"), Item("f")], False, False)
        assert [[i.id for i in p.page_items()] for p in page.iter_pages()] == [["a", "b"], ["c", "d"], ["e", "f"]]
        with pytest.raises(rt.SDKError):
            last.get_next_page()


@pytest.mark.parametrize("kind", ["cursor", "body", "numbered"])
def test_async_pages_iterate_across_requests(asdk: Any, server: Server, kind: str) -> None:
    _serve_pages(server)

    async def main() -> tuple[list[str], list[str], list[str]]:
        async with asdk(base_url=server.url, api_key="k") as client:
            first = await client.things.list(kind, limit=2)
            on_first = [item.id for item in first.page_items()]
            every = [item.id async for item in client.things.list(kind, limit=2)]
            pages = [[i.id for i in page.page_items()] async for page in first.iter_pages()]
            return on_first, every, [x for p in pages for x in p]

    on_first, every, by_page = asyncio.run(main())
    assert on_first == ["a", "b"]
    assert every == by_page == ["a", "b", "c", "d", "e", "f"]
    queries = PAGE_QUERIES[kind]
    assert [s.query for s in server.seen] == [queries[0]] + queries + queries[1:]


def test_a_posted_page_repeats_its_body(sdk: Any, asdk: Any, server: Server) -> None:
    _serve_pages(server)
    client = sdk(base_url=server.url, api_key="k")
    assert [item.id for item in client.things.search(q="x")] == ["a", "b", "c", "d", "e", "f"]

    async def main() -> list[str]:
        async with asdk(base_url=server.url, api_key="k") as aclient:
            return [item.id async for item in aclient.things.search(q="x")]

    assert asyncio.run(main()) == ["a", "b", "c", "d", "e", "f"]
    assert [(s.method, s.json(), s.query.get("after")) for s in server.seen[:3]] == [
        ("POST", {"q": "x"}, None),
        ("POST", {"q": "x"}, ["b"]),
        ("POST", {"q": "x"}, ["d"]),
    ]


def test_extra_query_is_kept_on_next_pages(sdk: Any, server: Server) -> None:
    _serve_pages(server)
    client = sdk(base_url=server.url, api_key="k", default_query={"v": "1"})
    assert len(list(client.things.list("cursor", extra_query={"x": "y"}))) == 6
    assert [s.query for s in server.seen] == [
        {"v": ["1"], "x": ["y"]},
        {"v": ["1"], "x": ["y"], "after": ["b"]},
        {"v": ["1"], "x": ["y"], "after": ["d"]},
    ]


def test_page_rules_offset_and_backwards(rt: ModuleType) -> None:
    """Offsets count the items of this page; a rule that applies only when the query has a key
    (anthropic pages backwards with `before_id`) wins over the ones after it."""
    offset = rt.PageRule(next=(rt.NextRule("offset", rt.NextValue("query_offset", key="offset")),))
    assert offset.next_query({}, [1, 2, 3], {"limit": 3}) == {"limit": 3, "offset": 3}
    assert offset.next_query({}, [1, 2], {"offset": "3"}) == {"offset": 5}
    assert offset.next_query({}, [], {"offset": 3}) is None  # no items: no next page
    both = rt.PageRule(
        next=(
            rt.NextRule("before_id", rt.NextValue("body", ("first_id",)), when_query="before_id"),
            rt.NextRule("after_id", rt.NextValue("body", ("last_id",))),
        ),
        has_more=("has_more",),
    )
    body = {"first_id": "f", "last_id": "l", "has_more": True}
    assert both.next_query(body, [1], {"before_id": "x"}) == {"before_id": "f"}
    assert both.next_query(body, [1], {"limit": 1}) == {"limit": 1, "after_id": "l"}
    assert both.next_query({**body, "has_more": False}, [1], {}) is None
    assert both.next_query({**body, "last_id": None}, [1], {}) is None


# Streams.


def _slow_stream(server: Server) -> Iterator[bytes]:
    """Two events, then (once the test lets it go) events until the client's socket is gone."""
    yield from _sse('data: {"n": 1}', ": keep-alive", 'data: {"n": 2}')
    server.release.wait(10)
    for n in range(3, 10_000):
        yield from _sse(f'data: {{"n": {n}}}')


@pytest.mark.parametrize("leave", ["break", "with"])
def test_stream_stopped_early_closes_the_connection(sdk: Any, server: Server, leave: str) -> None:
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=_slow_stream(server))
    client = sdk(base_url=server.url, api_key="k")
    stream = client.things.create(stream=True, model="m")
    assert stream.response.status_code == 200
    if leave == "break":
        for event in stream:
            if event.n == 2:
                break
    else:
        with stream:
            assert [next(stream), next(stream)] == [Event(1), Event(2)]
    server.release.set()
    assert server.closed.wait(10)
    assert server.seen[0].json() == {"stream": True, "model": "m"}
    assert server.seen[0].headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("leave", ["break", "with"])
def test_async_stream_stopped_early_closes_the_connection(asdk: Any, server: Server, leave: str) -> None:
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=_slow_stream(server))

    async def main() -> list[Event]:
        async with asdk(base_url=server.url, api_key="k") as client:
            stream = await client.things.create(stream=True)
            got = []
            if leave == "break":
                async for event in stream:
                    got.append(event)
                    if event.n == 2:
                        break
            else:
                async with stream:
                    got += [await stream.__anext__(), await stream.__anext__()]
            server.release.set()
            assert await asyncio.to_thread(server.closed.wait, 10)
            return got

    assert asyncio.run(main()) == [Event(1), Event(2)]


ERROR_STREAM = _sse('data: {"n": 1}', "event: ping\ndata:", 'event: error\ndata: {"error": {"message": "overloaded"}}', 'data: {"n": 2}')


def test_stream_error_event_raises(rt: ModuleType, sdk: Any, asdk: Any, server: Server) -> None:
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=ERROR_STREAM)
    got: list[Event] = []
    with pytest.raises(rt.APIError, match="overloaded") as info:
        for event in sdk(base_url=server.url, api_key="k").things.create(stream=True):
            got.append(event)
    assert got == [Event(1)] and info.value.body == {"error": {"message": "overloaded"}}

    async def main() -> None:
        async with asdk(base_url=server.url, api_key="k") as client:
            async for event in await client.things.create(stream=True):
                got.append(event)

    with pytest.raises(rt.APIError, match="overloaded"):
        asyncio.run(main())
    assert got == [Event(1), Event(1)]


def test_stream_error_field_raises_and_done_ends(rt: ModuleType, sdk: Any, server: Server) -> None:
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=_sse('data: {"n": 1}', 'data: {"error": {"message": "bad"}}'))
    client = sdk(base_url=server.url, api_key="k")
    with pytest.raises(rt.APIError, match="bad"):
        list(client.things.create(stream=True))
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=_sse('data: {"n": 1}', "data: [DONE]", 'data: {"n": 2}'))
    assert list(client.things.create(stream=True)) == [Event(1)]


def test_stream_event_envelope_and_not_streaming(sdk: Any, asdk: Any, server: Server) -> None:
    """`event_envelope`: each item is the event's name and data; `stream=False`: the whole answer."""
    server.routes["/v1/stream"] = lambda seen: Reply(chunks=_sse('event: thread.created\ndata: {"n": 7}'))
    client = sdk(base_url=server.url, api_key="k")
    assert list(client.things.create(stream=True, envelope=True)) == [Enveloped("thread.created", Event(7))]

    async def main() -> list[Enveloped]:
        async with asdk(base_url=server.url, api_key="k") as aclient:
            return [e async for e in await aclient.things.create(stream=True, envelope=True)]

    assert asyncio.run(main()) == [Enveloped("thread.created", Event(7))]
    server.routes["/v1/stream"] = lambda seen: Reply(body={"id": "whole"})
    assert client.things.create() == Item("whole")
    assert server.seen[-1].headers["accept"] == "application/json"


# Uploads and downloads.


def _parts(seen: Seen) -> list[tuple[str | None, str | None, str, bytes]]:
    """The multipart body's parts, parsed by the standard library: name, filename, type, bytes."""
    head = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + seen.body)
    assert message.is_multipart()
    return [
        (p.get_param("name", header="content-disposition"), p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
        for p in message.iter_parts()
    ]


def _upload_params(tmp_path: Path) -> dict[str, Any]:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"hello\r\n--not-a-boundary")
    return {
        "file": notes,
        "extra": ("data.json", b'{"a": 1}', "application/json"),
        "purpose": "fine-tune",
        "tags": ["x", "y"],
        "meta": {"k": "v", "deep": True},
        "absent": None,
        "extra_body": {"added": 3},
    }


EXPECTED_PARTS = [
    ("purpose", None, "text/plain", b"fine-tune"),
    ("tags[]", None, "text/plain", b"x"),
    ("tags[]", None, "text/plain", b"y"),
    ("meta[k]", None, "text/plain", b"v"),
    ("meta[deep]", None, "text/plain", b"true"),
    ("added", None, "text/plain", b"3"),
    ("file", "notes.txt", "text/plain", b"hello\r\n--not-a-boundary"),
    ("extra", "data.json", "application/json", b'{"a": 1}'),
]


def test_multipart_upload(sdk: Any, asdk: Any, server: Server, tmp_path: Path) -> None:
    server.routes["/v1/upload"] = lambda seen: Reply(body={"id": "u1"})
    client = sdk(base_url=server.url, api_key="k")
    assert client.things.upload(**_upload_params(tmp_path)) == Item("u1")
    with open(tmp_path / "notes.txt", "rb") as handle:
        client.things.upload(file=handle, raw=b"\x00\x01")

    async def main() -> Any:
        async with asdk(base_url=server.url, api_key="k") as aclient:
            return await aclient.things.upload(**_upload_params(tmp_path))

    assert asyncio.run(main()) == Item("u1")
    first, second, third = server.seen
    assert _parts(first) == _parts(third) == EXPECTED_PARTS
    assert _parts(second) == [
        ("file", "notes.txt", "text/plain", b"hello\r\n--not-a-boundary"),
        ("raw", "upload", "application/octet-stream", b"\x00\x01"),
    ]


def test_binary_download(rt: ModuleType, sdk: Any, asdk: Any, server: Server, tmp_path: Path) -> None:
    payload = bytes(range(256)) * 4
    server.routes["/v1/things/t%2F1/content"] = lambda seen: Reply(body=payload, headers={"Content-Type": "application/octet-stream"})
    answer = sdk(base_url=server.url, api_key="k").things.content("t/1")
    assert isinstance(answer, rt.BinaryResponse)
    assert answer.content == payload and answer.headers["content-type"] == "application/octet-stream"
    assert b"".join(answer.iter_bytes(100)) == payload
    answer.write_to_file(tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == payload

    async def main() -> Any:
        async with asdk(base_url=server.url, api_key="k") as aclient:
            return await aclient.things.content("t/1")

    assert asyncio.run(main()).content == payload
    assert [s.headers["accept"] for s in server.seen] == ["application/binary"] * 2


# Retries.


OK = Reply(body={"id": "t1"})


def test_503_then_success_with_one_idempotency_key(sdk: Any, asdk: Any, server: Server, sleeps: list[float]) -> None:
    server.replies("/v1/search", Reply(503, {"error": "busy"}), Reply(body={"data": []}))
    assert list(sdk(base_url=server.url, api_key="k").things.search(q=1)) == []
    server.replies("/v1/search", Reply(503, {"error": "busy"}), Reply(body={"data": []}))

    async def main() -> list[Any]:
        async with asdk(base_url=server.url, api_key="k") as client:
            return [i async for i in client.things.search(q=1)]

    assert asyncio.run(main()) == []
    keys = [s.headers["idempotency-key"] for s in server.seen]
    assert len(keys) == 4 and keys[0] == keys[1] != keys[2] == keys[3]
    assert len(sleeps) == 2 and all(0.375 <= s <= 0.5 for s in sleeps)  # first backoff, with jitter


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"retry-after": "3"}, 3.0), ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5), ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, None)],
)
def test_retry_after_is_honoured(sdk: Any, asdk: Any, server: Server, sleeps: list[float], headers: dict[str, str], wait: float | None) -> None:
    server.replies("/v1/things/t1", Reply(429, {}, headers), OK)
    assert sdk(base_url=server.url, api_key="k").things.get("t1") == Item("t1")
    server.replies("/v1/things/t1", Reply(429, {}, headers), OK)

    async def main() -> Any:
        async with asdk(base_url=server.url, api_key="k") as client:
            return await client.things.get("t1")

    assert asyncio.run(main()) == Item("t1")
    if wait is None:  # a date in the past: the backoff instead
        assert all(0.375 <= s <= 0.5 for s in sleeps) and len(sleeps) == 2
    else:
        assert sleeps == [wait, wait]
    assert "idempotency-key" not in server.seen[0].headers  # GET


def test_backoff_grows_and_x_should_retry_decides(rt: ModuleType, sdk: Any, server: Server, sleeps: list[float]) -> None:
    server.replies("/v1/things/t1", Reply(500, {"error": "x"}))
    with pytest.raises(rt.InternalServerError):
        sdk(base_url=server.url, api_key="k", max_retries=5).things.get("t1")
    assert len(server.seen) == 6
    bounds = [0.5, 1, 2, 4, 8]
    assert all(0.75 * b <= s <= b for s, b in zip(sleeps, bounds, strict=True))
    server.replies("/v1/things/t1", Reply(503, {}, {"x-should-retry": "false"}))
    with pytest.raises(rt.InternalServerError):
        sdk(base_url=server.url, api_key="k").things.get("t1")
    assert len(server.seen) == 7
    server.replies("/v1/things/t1", Reply(400, {}, {"x-should-retry": "true"}), OK)
    assert sdk(base_url=server.url, api_key="k").things.get("t1") == Item("t1")


def test_timeout_after_all_attempts(rt: ModuleType, sdk: Any, asdk: Any, server: Server, sleeps: list[float]) -> None:
    def hang(seen: Seen) -> Reply:
        server.release.wait(10)
        return OK

    server.routes["/v1/things/t1"] = hang
    with pytest.raises(rt.APITimeoutError) as info:
        sdk(base_url=server.url, api_key="k", timeout=0.2).things.get("t1")
    assert isinstance(info.value, rt.APIConnectionError) and info.value.request.url.path == "/v1/things/t1"
    assert len(server.seen) == 3 and len(sleeps) == 2

    async def main() -> None:
        async with asdk(base_url=server.url, api_key="k", max_retries=1) as client:
            await client.things.get("t1", timeout=0.2)

    with pytest.raises(rt.APITimeoutError):
        asyncio.run(main())
    assert len(server.seen) == 5 and len(sleeps) == 3


def test_connection_error(rt: ModuleType, sdk: Any, sleeps: list[float]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(rt.APIConnectionError) as info:
        sdk(base_url=f"http://127.0.0.1:{port}", api_key="k", max_retries=1).things.get("t1")
    assert not isinstance(info.value, rt.APITimeoutError) and len(sleeps) == 1


# Errors.

STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (418, "APIStatusError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
]


@pytest.mark.parametrize(("status", "name"), STATUS_CLASSES)
def test_error_class_by_status(rt: ModuleType, sdk: Any, asdk: Any, server: Server, status: int, name: str) -> None:
    body = {"error": {"message": "no", "type": "t"}}
    server.replies("/v1/things/t1", Reply(status, body, {"x-request-id": "req_1", "x-custom": "c"}))
    with pytest.raises(rt.APIStatusError) as info:
        sdk(base_url=server.url, api_key="k", max_retries=0).things.get("t1")

    async def main() -> None:
        async with asdk(base_url=server.url, api_key="k", max_retries=0) as client:
            await client.things.get("t1")

    with pytest.raises(rt.APIStatusError) as ainfo:
        asyncio.run(main())
    for error in (info.value, ainfo.value):
        assert type(error) is getattr(rt, name) and isinstance(error, (rt.APIError, rt.SDKError))
        assert (error.status_code, error.body, error.request_id) == (status, body, "req_1")
        assert error.headers["x-custom"] == "c" and error.response.status_code == status
        assert error.request.url.path == "/v1/things/t1" and str(status) in error.message


def test_401_is_not_retried_and_request_id_header(rt: ModuleType, sdk: Any, server: Server, sleeps: list[float]) -> None:
    server.replies("/v1/things/t1", Reply(401, b"denied", {"request-id": "req_2", "Content-Type": "text/plain"}))
    with pytest.raises(rt.AuthenticationError) as info:
        sdk(base_url=server.url, api_key="k").things.get("t1")
    assert (len(server.seen), sleeps) == (1, [])
    assert (info.value.body, info.value.request_id) == ("denied", "req_2")


def test_answer_that_does_not_convert(rt: ModuleType, sdk: Any, server: Server) -> None:
    server.replies("/v1/things/t1", Reply(200, {"name": "no id"}))
    with pytest.raises(rt.APIResponseValidationError) as info:
        sdk(base_url=server.url, api_key="k").things.get("t1")
    assert info.value.body == {"name": "no id"} and info.value.response.status_code == 200
    server.replies("/v1/things/t1", Reply(204, b""))
    assert sdk(base_url=server.url, api_key="k").things.delete("t1") is None


# Options, headers, copies.


def test_with_options_changes_the_copy_only(rt: ModuleType, sdk: Any, server: Server, sleeps: list[float]) -> None:
    server.replies("/v1/things/t1", Reply(503, {}))
    client = sdk(base_url=server.url, api_key="sk-1", organization="org-1")
    assert client.things._client is client
    copy = client.with_options(max_retries=0)
    assert copy.things._client is copy and copy._http is client._http and type(copy) is sdk
    with pytest.raises(rt.InternalServerError):
        copy.things.get("t1")
    assert len(server.seen) == 1
    with pytest.raises(rt.InternalServerError):
        client.things.get("t1")
    assert len(server.seen) == 4
    server.replies("/v1/things/t1", OK)
    other = client.copy(api_key="sk-2")
    other.things.get("t1")
    client.things.get("t1")
    assert [s.headers["authorization"] for s in server.seen[-2:]] == ["Bearer sk-2", "Bearer sk-1"]
    assert (other.api_key, other.organization, client.api_key) == ("sk-2", "org-1", "sk-1")
    assert server.seen[-2].headers["x-org"] == "org-1"


def test_async_with_options(asdk: Any, server: Server, sleeps: list[float]) -> None:
    server.replies("/v1/things/t1", OK)

    async def main() -> None:
        async with asdk(base_url=server.url, api_key="sk-1") as client:
            copy = client.with_options(api_key="sk-2", max_retries=0)
            assert copy.things._client is copy and copy.max_retries == 0 and client.max_retries == 2
            await copy.things.get("t1")
            await client.things.get("t1")

    asyncio.run(main())
    assert [s.headers["authorization"] for s in server.seen] == ["Bearer sk-2", "Bearer sk-1"]


def test_required_option_and_environment(rt: ModuleType, sdk: Any, asdk: Any, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TSGEN_TEST_KEY", "TSGEN_TEST_ORG", "TSGEN_TEST_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for klass in (sdk, asdk):
        with pytest.raises(rt.SDKError, match="TSGEN_TEST_KEY") as info:
            klass(base_url=server.url)
        assert "api_key" in str(info.value)
        with pytest.raises(TypeError, match="bogus"):
            klass(base_url=server.url, api_key="k", bogus="x")
        with pytest.raises(rt.SDKError, match="base_url"):
            klass(api_key="k")
    monkeypatch.setenv("TSGEN_TEST_KEY", "sk-env")
    monkeypatch.setenv("TSGEN_TEST_ORG", "org-env")
    monkeypatch.setenv("TSGEN_TEST_BASE_URL", server.url)
    server.replies("/v1/things/t1", OK)
    client = sdk()
    assert (client.api_key, client.organization, client.base_url) == ("sk-env", "org-env", server.url)
    client.things.get("t1")
    sent = server.seen[0].headers
    assert (sent["authorization"], sent["x-org"], sent["x-version"]) == ("Bearer sk-env", "org-env", "2")


def test_headers_and_query_layers(rt: ModuleType, sdk: Any, server: Server) -> None:
    """Accept, option headers, static headers, default headers (None removes), the call's
    headers, extra headers (None removes); default query under the call's query."""
    server.replies("/v1/things/t1", OK)
    client = sdk(
        base_url=server.url + "/",
        api_key="k",
        organization="o",
        default_headers={"X-Version": "3", "X-Org": None, "X-Default": "d"},
        default_query={"v": "1", "gone": "x"},
    )
    extra_query = {"q": True, "gone": None, "v": rt.ABSENT, "list": [1, 2], "obj": {"a": rt.NOT_GIVEN, "b": 1}}
    client.things.get("t1", extra_headers={"X-Default": None, "X-Extra": "e"}, extra_query=extra_query)
    seen = server.seen[0]
    assert seen.path == "/v1/things/t1"
    assert seen.query == {"v": ["1"], "q": ["true"], "list[]": ["1", "2"], "obj[b]": ["1"]}
    assert (seen.headers["x-version"], seen.headers["x-extra"], seen.headers["accept"]) == ("3", "e", "application/json")
    assert "x-org" not in seen.headers and "x-default" not in seen.headers
    assert "idempotency-key" not in seen.headers


# Types: code written like the generated code type-checks, and the types it sees are the ones asserted.

USAGE = '''\
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Literal, TypeVar, overload

import httpx
from typing_extensions import assert_type

import openai_realtime._runtime as rt

_Item = TypeVar("_Item")


@dataclass
class Thing:
    id: str


class SyncCursorPage(rt.BaseSyncPage[_Item]):
    _rule: ClassVar[rt.PageRule] = rt.PageRule(next=(rt.NextRule("after", rt.NextValue("item", ("id",))),))
    data: list[_Item]
    has_more: bool


class AsyncCursorPage(rt.BaseAsyncPage[_Item]):
    _rule: ClassVar[rt.PageRule] = rt.PageRule(next=(rt.NextRule("after", rt.NextValue("item", ("id",))),))
    data: list[_Item]


class Things(rt.SyncAPIResource):
    def list(
        self,
        *,
        limit: int | rt.NotGiven = rt.NOT_GIVEN,
        extra_headers: Mapping[str, str | None] | None = None,
        timeout: float | httpx.Timeout | None | rt.NotGiven = rt.NOT_GIVEN,
    ) -> SyncCursorPage[Thing]:
        return self._client.request_page(
            "get", "/things", page=SyncCursorPage[Thing], item_to=Thing, query={"limit": limit},
            extra_headers=extra_headers, timeout=timeout,
        )

    @overload
    def create(self, *, stream: Literal[True]) -> rt.Stream[Thing]: ...
    @overload
    def create(self, *, stream: Literal[False] | None = None) -> Thing: ...
    def create(self, *, stream: bool | None = None) -> Thing | rt.Stream[Thing]:
        return self._client.request_stream(
            "post", "/things", cast_to=Thing, event_to=Thing, stream=bool(stream), body={"stream": stream}
        )

    def content(self) -> rt.BinaryResponse:
        return self._client.request("get", "/content", cast_to=rt.BinaryResponse, headers={"Accept": "application/binary"})

    def upload(self, file: rt.Uploadable) -> Thing:
        return self._client.request("post", "/files", cast_to=Thing, body={"file": file}, multipart=True)


class AsyncThings(rt.AsyncAPIResource):
    def list(self) -> rt.AsyncPaginator[Thing, AsyncCursorPage[Thing]]:
        return self._client.request_page("get", "/things", page=AsyncCursorPage[Thing], item_to=Thing)

    async def create(self, *, stream: bool) -> Thing | rt.AsyncStream[Thing]:
        return await self._client.request_stream("post", "/things", cast_to=Thing, event_to=Thing, stream=stream)


class SDK(rt.Client):
    options: ClassVar[tuple[rt.ClientOption, ...]] = (rt.ClientOption("api_key", env="K", header="Authorization"),)

    @cached_property
    def things(self) -> Things:
        return Things(self)


class AsyncSDK(rt.AsyncClient):
    @cached_property
    def things(self) -> AsyncThings:
        return AsyncThings(self)


def use(client: SDK) -> None:
    page = client.things.list(limit=2, timeout=3.0)
    assert_type(page, SyncCursorPage[Thing])
    assert_type(page.data, list[Thing])
    assert_type(page.get_next_page(), SyncCursorPage[Thing])
    for item in page:
        assert_type(item, Thing)
    for each in page.iter_pages():
        assert_type(each, SyncCursorPage[Thing])
    assert_type(client.things.create(stream=True), rt.Stream[Thing])
    assert_type(client.things.create(), Thing)
    with client.things.create(stream=True) as stream:
        for event in stream:
            assert_type(event, Thing)
    assert_type(client.things.content().content, bytes)
    client.things.upload(("a.txt", b"x", "text/plain"))
    assert_type(client.with_options(max_retries=0), SDK)
    assert_type(client.copy(api_key="x").things, Things)
    assert_type(client.api_key, str | None)


async def ause(client: AsyncSDK) -> None:
    assert_type(await client.things.list(), AsyncCursorPage[Thing])
    async for item in client.things.list():
        assert_type(item, Thing)
    first = await client.things.list()
    assert_type(await first.get_next_page(), AsyncCursorPage[Thing])
    answer = await client.things.create(stream=True)
    if isinstance(answer, rt.AsyncStream):
        async with answer:
            async for event in answer:
                assert_type(event, Thing)
    async with client.with_options(timeout=None) as copy:
        assert_type(copy, AsyncSDK)
'''


def test_usage_type_checks(tmp_path: Path) -> None:
    import subprocess

    out = write_tree(tmp_path, generate(INPUT).files)
    (out / "usage.py").write_text(USAGE)
    (out / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"}))
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "usage.py"], cwd=out, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout
    command = [sys.executable, "-m", "pyright", "--pythonpath", sys.executable, "--pythonversion", "3.10", "usage.py"]
    pyright = subprocess.run(command, cwd=out, capture_output=True, text=True)
    assert pyright.returncode == 0, pyright.stdout
