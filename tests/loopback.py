"""A real HTTP server on loopback for the client tests: routes answered by scripted replies
(JSON, bytes, or a stream of chunks flushed one by one), every request recorded, and whether
the client went away in the middle of a stream."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

@dataclasses.dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: object = None  # JSON unless bytes
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    chunks: Iterable[bytes] | None = None  # a streamed body, each chunk flushed


@dataclasses.dataclass
class Server:
    url: str = ""
    seen: list[Seen] = dataclasses.field(default_factory=list)
    routes: dict[str, Callable[[Seen], Reply]] = dataclasses.field(default_factory=dict)
    closed: threading.Event = dataclasses.field(default_factory=threading.Event)  # a stream's client went away
    release: threading.Event = dataclasses.field(default_factory=threading.Event)

    def replies(self, path: str, *replies: Reply) -> None:
        """Answer `path` with these replies in turn (the last one again after them)."""
        queue = list(replies)
        self.routes[path] = lambda seen: queue.pop(0) if len(queue) > 1 else queue[0]


def _send(handler: BaseHTTPRequestHandler, state: Server, reply: Reply) -> None:
    try:
        _write(handler, reply)
    except OSError:  # the client closed the connection
        state.closed.set()


def _write(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    kind = "text/event-stream" if reply.chunks is not None else "application/json"
    headers = {"Content-Type": kind, **reply.headers}
    for name, value in headers.items():
        handler.send_header(name, value)
    if reply.chunks is None:
        data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        return
    handler.end_headers()
    for chunk in reply.chunks:
        handler.wfile.write(chunk)
        handler.wfile.flush()


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = Seen(self.command, url.path, parse_qs(url.query, keep_blank_values=True), headers, body)
            state.seen.append(seen)
            _send(self, state, state.routes[url.path](seen))

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()


