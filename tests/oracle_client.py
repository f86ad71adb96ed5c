"""The route oracle through the generated root client (`OpenAI(...)`, `AsyncOpenAI(...)`): the
resource of a recorded call is reached as the SDK's client reaches it (`client.fine_tuning.jobs`),
the method is called sync and async, and its answer (a complete sample of the declared answer
type, made by tests/tsc/record_routes.js from the TypeScript declarations) must come back
converted: a model equal to the JSON it was made from, a page whose items are, the bytes of a
binary answer."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

BINARY = b"\x00\x01 a binary answer \xff"


def root_clients(package: Any, runtime: Any) -> tuple[type[Any] | None, type[Any] | None]:
    """The package's generated sync and async root clients (subclasses of the runtime's)."""
    found: dict[str, type[Any]] = {}
    for name in getattr(package, "__all__", []):
        value = getattr(package, name, None)
        if isinstance(value, type) and value not in (runtime.Client, runtime.AsyncClient):
            for kind in ("Client", "AsyncClient"):
                if issubclass(value, getattr(runtime, kind)) and kind not in found:
                    found[kind] = value
    return found.get("Client"), found.get("AsyncClient")


def client_options(cls: type[Any], js_options: Mapping[str, str]) -> dict[str, str]:
    """The SDK client's options of the oracle run (`apiKey`, `adminAPIKey`) as the Python
    client's keywords, when it has them."""
    from tsgen.names import snake

    accepted = set(inspect.signature(cls.__init__).parameters)
    wanted = {"api_key": "test-key", **{snake(k): v for k, v in js_options.items()}}
    return {k: v for k, v in wanted.items() if k in accepted}


def resource_of(client: Any, path: str) -> Any:
    from tsgen.names import snake

    target = client
    for segment in path.split("."):
        target = getattr(target, snake(segment))
    return target


def answer_bytes(answer: Mapping[str, Any] | None) -> tuple[bytes, str] | None:
    """What the loopback server answers for a call: the sample as JSON, or binary bytes."""
    if not answer:
        return None
    if answer.get("$binary"):
        return BINARY, "application/octet-stream"
    if "$events" in answer:
        return b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in answer["$events"]), "text/event-stream"
    return json.dumps(answer.get("$json")).encode(), "application/json"


def drained(result: Any) -> Any:
    """A stream's events, read while its client is open."""
    return list(result) if type(result).__name__ == "Stream" else result


def _plain(value: Any) -> Any:
    """JSON data without nulls (absent and null are one to this comparison)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dumped(value: Any) -> Any:
    """A result as JSON data, as the runtime writes models: pydantic, by wire names."""
    from pydantic import TypeAdapter

    return _plain(TypeAdapter(type(value)).dump_python(value, mode="json", by_alias=True))


def _difference(got: Any, expected: Any, where: str = "") -> str | None:
    """Where two JSON values first differ."""
    if isinstance(got, dict) and isinstance(expected, dict):
        for key in sorted(set(got) | set(expected)):
            if key not in got or key not in expected:
                return f"{where}.{key}: {'missing' if key not in got else 'extra'}"
            found = _difference(got[key], expected[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(got, list) and isinstance(expected, list):
        if len(got) != len(expected):
            return f"{where}: {len(got)} items, expected {len(expected)}"
        return next((d for i, (g, e) in enumerate(zip(got, expected)) if (d := _difference(g, e, f"{where}[{i}]"))), None)
    return None if got == expected else f"{where}: {got!r} != {expected!r}"


def typed_problem(result: Any, answer: Mapping[str, Any] | None, runtime: Any) -> str | None:
    """Why a method's result is not its answer converted (None: it is)."""
    if not answer:
        return None
    if answer.get("$binary"):
        ok = isinstance(result, runtime.BinaryResponse) and result.content == BINARY
        return None if ok else f"a binary answer came back as {type(result).__name__}"
    if "$events" in answer:
        if not isinstance(result, list):
            return f"a stream of events came back as {type(result).__name__}"
        differences = [_difference(_dumped(e), _plain(x)) for e, x in zip(result, answer["$events"])]
        return next((f"event differs at {d}" for d in differences if d), None if len(result) == len(answer["$events"]) else "events missing")
    expected = _plain(answer.get("$json"))
    if isinstance(result, (runtime.BaseSyncPage, runtime.BaseAsyncPage)):
        items = [_dumped(i) for i in result.page_items()]
        lists = [v for v in (expected.values() if isinstance(expected, dict) else [expected]) if isinstance(v, list)]
        differences = [_difference(items, items_expected) for items_expected in lists]
        return None if None in differences else f"page items differ from the answer's: {differences[:1]}"
    if isinstance(result, (runtime.Stream, runtime.AsyncStream)):
        return "a stream came back for a call that does not stream"
    difference = _difference(_dumped(result), expected)
    return f"converted to {type(result).__name__}, which differs at {difference}"[:300] if difference else None


def call_async(make: Callable[[], Any], resource_path: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Exception | None]:
    """The same call through the async root client; a paginator is awaited."""

    async def run() -> Any:
        client = make()
        try:
            result = getattr(resource_of(client, resource_path), method)(*args, **kwargs)
            result = await result if inspect.isawaitable(result) else result
            return [e async for e in result] if type(result).__name__ == "AsyncStream" else result
        finally:
            await client.aclose()

    try:
        return asyncio.run(run()), None
    except Exception as exc:  # noqa: BLE001 - compared by the caller
        return None, exc
