"""The client generated from the whole openai 4.104.0 package, used as openai-python is:
`OpenAI(...)` and `AsyncOpenAI(...)` against a real HTTP server on loopback. Three pages
iterated, a stream stopped early, a multipart upload the server parses, a binary download,
retries (503, `retry-after`, a timeout), each error class, and a 401 that is not retried."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import importlib
import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import msgspec
import pytest

from conftest import import_generated
from corpora import STYLES, Trees
from loopback import Reply, Seen, Server, server  # noqa: F401 - the fixture

MODES = ["sync", "async"]


@pytest.fixture(scope="module", params=STYLES)
def oa(trees: Trees, request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The package in each model type (corpora.STYLES): answers convert through its classes."""
    tree = trees.get("openai-4.104.0", request.param)
    import_generated(tree.out)
    yield importlib.import_module(tree.corpus.package)
    sys.path.remove(str(tree.out))
    for name in [n for n in sys.modules if n == tree.corpus.package or n.startswith(tree.corpus.package + ".")]:
        del sys.modules[name]


@pytest.fixture
def sleeps(oa: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(oa._runtime, "_sleep", waits.append)
    monkeypatch.setattr(oa._runtime, "_asleep", asleep)
    return waits


def run(oa: ModuleType, server: Server, mode: str, call: Any, **options: Any) -> Any:
    """`call(client)` on a sync client, or awaited on an async one (a paginator: collected)."""
    settings = {"api_key": "sk-test", "base_url": server.url, **options}
    if mode == "sync":
        with oa.OpenAI(**settings) as client:
            return call(client)

    async def main() -> Any:
        async with oa.AsyncOpenAI(**settings) as client:
            result = call(client)
            if hasattr(result, "__aiter__") and not hasattr(result, "response"):
                return [item async for item in result]
            return await result

    return asyncio.run(main())


def _file(n: str) -> dict[str, Any]:
    return {"id": n, "bytes": 1, "created_at": 1, "filename": f"{n}.jsonl", "object": "file", "purpose": "fine-tune", "status": "processed"}


@pytest.mark.parametrize("mode", MODES)
def test_three_pages_iterated(oa: ModuleType, server: Server, mode: str) -> None:
    ids = ["a", "b", "c", "d", "e", "f"]

    def page(seen: Seen) -> Reply:
        after = seen.query.get("after", [None])[0]
        start = ids.index(after) + 1 if after else 0
        return Reply(body={"object": "list", "data": [_file(i) for i in ids[start : start + 2]], "has_more": start + 2 < len(ids)})

    server.routes["/v1/files"] = page
    if mode == "sync":
        files = run(oa, server, mode, lambda c: list(c.files.list(limit=2)))
    else:
        files = run(oa, server, mode, lambda c: c.files.list(limit=2))
    assert [f.id for f in files] == ids
    assert all(type(f).__name__ == "FileObject" for f in files)
    assert [s.query.get("after") for s in server.seen] == [None, ["b"], ["d"]]
    assert all(s.query["limit"] == ["2"] for s in server.seen)


def _chunks(server: Server) -> Iterator[bytes]:
    chunk = {"id": "c1", "created": 1, "model": "m", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}]}
    yield f"data: {json.dumps(chunk)}\n\n".encode() * 2
    server.release.wait(10)
    for _ in range(10_000):
        yield f"data: {json.dumps(chunk)}\n\n".encode()


@pytest.mark.parametrize("mode", MODES)
def test_a_stream_stopped_early_closes_the_connection(oa: ModuleType, server: Server, mode: str) -> None:
    server.routes["/v1/chat/completions"] = lambda seen: Reply(chunks=_chunks(server))
    params = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}], "stream": True}

    def sync(client: Any) -> list[Any]:
        with client.chat.completions.create(**params) as stream:
            got = [next(stream), next(stream)]
        server.release.set()
        return got

    async def async_(client: Any) -> list[Any]:
        stream = await client.chat.completions.create(**params)
        got = []
        async for chunk in stream:
            got.append(chunk)
            if len(got) == 2:
                break
        server.release.set()
        return got

    got = run(oa, server, mode, sync) if mode == "sync" else run(oa, server, mode, async_)
    assert [type(c).__name__ for c in got] == ["ChatCompletionChunk"] * 2
    assert got[0].choices[0].delta.content == "hi"
    assert server.closed.wait(10), "the server never saw the client go away"
    assert server.seen[0].json()["stream"] is True


@pytest.mark.parametrize("mode", MODES)
def test_a_multipart_upload_the_server_parses(oa: ModuleType, server: Server, mode: str) -> None:
    server.routes["/v1/files"] = lambda seen: Reply(body=_file("file-1"))
    upload = ("train.jsonl", b'{"prompt": "p"}\n', "application/jsonl")
    result = run(oa, server, mode, lambda c: c.files.create(file=upload, purpose="fine-tune"))
    assert result.id == "file-1"
    (seen,) = server.seen
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + seen.headers["content-type"].encode() + b"\r\n\r\n" + seen.body
    )
    parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
    assert set(parts) == {"file", "purpose"}
    assert parts["file"].get_filename() == "train.jsonl"
    assert parts["file"].get_content_type() == "application/jsonl"
    assert parts["file"].get_payload(decode=True) == upload[1]
    assert parts["purpose"].get_payload(decode=True) == b"fine-tune"


@pytest.mark.parametrize("mode", MODES)
def test_a_binary_download(oa: ModuleType, server: Server, mode: str) -> None:
    data = bytes(range(256)) * 4
    server.routes["/v1/files/file-1/content"] = lambda seen: Reply(body=data, headers={"Content-Type": "application/octet-stream"})
    result = run(oa, server, mode, lambda c: c.files.content("file-1"))
    assert isinstance(result, oa.BinaryResponse)
    assert result.content == data
    assert server.seen[0].method == "GET"


MODEL = {"id": "gpt-4o", "created": 1, "object": "model", "owned_by": "openai"}


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_read_and_sent_back(oa: ModuleType, server: Server, mode: str) -> None:
    """An answer becomes the style's class (a pydantic model, or a dataclass), keeps what the
    declarations did not know (pydantic: `extra`), and sent back in a request (a message of a
    completion, into the next request's messages, as openai-python users do) is written by
    wire name: a model with exactly the keys it was read with, null and unknown keys too."""
    message = {"role": "assistant", "content": "hi", "refusal": None, "annotations": [], "added_later": {"x": 1}}
    completion = {"id": "c1", "created": 1, "model": "m", "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None, "message": message}]}
    server.routes["/v1/chat/completions"] = lambda seen: Reply(body=completion)
    first = run(oa, server, mode, lambda c: c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hello"}]))
    answer = first.choices[0].message
    again = [{"role": "user", "content": "hello"}, answer, {"role": "user", "content": "more"}]
    run(oa, server, mode, lambda c: c.chat.completions.create(model="m", messages=again))
    sent = server.seen[1].json()["messages"][1]
    if isinstance(answer, oa._runtime.BaseModel):
        assert answer.model_extra == {"added_later": {"x": 1}}
        assert sent == message
    else:  # a dataclass (auto), or a msgspec struct: absent fields (UNSET) left out, null kept
        assert dataclasses.is_dataclass(answer) or isinstance(answer, msgspec.Struct)
        assert sent == {"role": "assistant", "content": "hi", "refusal": None, "annotations": []}  # what the declarations know


@pytest.mark.parametrize("mode", MODES)
def test_a_503_then_success(oa: ModuleType, server: Server, sleeps: list[float], mode: str) -> None:
    server.replies("/v1/models/gpt-4o", Reply(503, {"error": {"message": "busy"}}), Reply(body=MODEL))
    model = run(oa, server, mode, lambda c: c.models.retrieve("gpt-4o"))
    assert (type(model).__name__, model.id) == ("Model", "gpt-4o")
    assert len(server.seen) == 2 and len(sleeps) == 1


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_honoured(oa: ModuleType, server: Server, sleeps: list[float], mode: str) -> None:
    server.replies("/v1/models/gpt-4o", Reply(429, {"error": {}}, headers={"retry-after": "7"}), Reply(body=MODEL))
    run(oa, server, mode, lambda c: c.models.retrieve("gpt-4o"))
    assert sleeps == [7.0]


@pytest.mark.parametrize("mode", MODES)
def test_a_timeout_after_every_attempt(oa: ModuleType, server: Server, sleeps: list[float], mode: str) -> None:
    def slow(seen: Seen) -> Reply:
        time.sleep(1.0)
        return Reply(body=MODEL)

    server.routes["/v1/models/gpt-4o"] = slow
    with pytest.raises(oa.APITimeoutError):
        run(oa, server, mode, lambda c: c.with_options(timeout=0.2, max_retries=1).models.retrieve("gpt-4o"))
    assert len(server.seen) == 2


ERRORS = {
    400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError",
    409: "ConflictError", 422: "UnprocessableEntityError", 429: "RateLimitError", 500: "InternalServerError",
}  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", sorted(ERRORS))
def test_each_error_class(oa: ModuleType, server: Server, sleeps: list[float], mode: str, status: int) -> None:
    body = {"error": {"message": f"status {status}", "type": "invalid_request_error"}}
    server.routes["/v1/models/gpt-4o"] = lambda seen: Reply(status, body, headers={"x-request-id": "req_123"})
    with pytest.raises(oa.APIStatusError) as info:
        run(oa, server, mode, lambda c: c.models.retrieve("gpt-4o"), max_retries=0)
    error = info.value
    assert type(error).__name__ == ERRORS[status] and isinstance(error, oa.APIError)
    assert (error.status_code, error.body, error.request_id) == (status, body, "req_123")
    assert len(server.seen) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_401_is_not_retried(oa: ModuleType, server: Server, sleeps: list[float], mode: str) -> None:
    server.routes["/v1/models/gpt-4o"] = lambda seen: Reply(401, {"error": {"message": "bad key"}})
    with pytest.raises(oa.AuthenticationError):
        run(oa, server, mode, lambda c: c.models.retrieve("gpt-4o"), max_retries=3)
    assert len(server.seen) == 1 and sleeps == []


def test_the_client_reads_its_environment_and_sends_its_headers(oa: ModuleType, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defaults from the SDK's own .js: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, and the
    headers they are sent as."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-1")
    monkeypatch.delenv("OPENAI_PROJECT_ID", raising=False)
    server.routes["/v1/models/gpt-4o"] = lambda seen: Reply(body=MODEL)
    client = oa.OpenAI()
    client.models.retrieve("gpt-4o", extra_headers={"X-Extra": "1"}, extra_query={"q": "1"})
    seen = server.seen[0]
    assert seen.headers["authorization"] == "Bearer sk-env"
    assert seen.headers["openai-organization"] == "org-1" and "openai-project" not in seen.headers
    assert (seen.headers["x-extra"], seen.query["q"]) == ("1", ["1"])
    monkeypatch.delenv("OPENAI_API_KEY")
    with pytest.raises(oa.SDKError, match="OPENAI_API_KEY"):
        oa.OpenAI()


def test_names_python_users_expect(oa: ModuleType) -> None:
    """`del` is `delete`; resources and methods in snake_case, as on openai-python's client."""
    client = oa.OpenAI(api_key="k", base_url="http://127.0.0.1:9")
    assert callable(client.files.delete) and not hasattr(client.files, "del_")
    assert callable(client.fine_tuning.jobs.list_events)
    assert callable(client.beta.realtime.sessions.create)
    assert client.with_options(max_retries=5).max_retries == 5 and client.max_retries == 2
