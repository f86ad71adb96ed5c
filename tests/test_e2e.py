"""End to end: the generated `Realtime` resource calls a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from conftest import GENERATED, import_generated

SESSION_ANSWER = {
    "id": "sess_123",
    "client_secret": {"expires_at": 1750000000, "value": "ek_abc"},
    "modalities": ["text", "audio"],
    "voice": "alloy",
    "turn_detection": {"type": "server_vad", "threshold": 0.5},
    "tools": [{"name": "lookup", "type": "function", "parameters": {"type": "object"}}],
    "a_field_from_a_newer_api": True,
}
TRANSCRIPTION_ANSWER = {
    "client_secret": {"expires_at": 1750000001, "value": "ek_def"},
    "input_audio_format": "pcm16",
    "input_audio_transcription": {"model": "gpt-4o-transcribe", "language": "en"},
    "modalities": ["text"],
    "turn_detection": None,
}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Server:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            state.requests.append(Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw or b"null")))
            answer: object = {"error": {"message": "bad model", "type": "invalid_request_error"}}
            if state.status == 200:
                answer = TRANSCRIPTION_ANSWER if self.path.endswith("/transcription_sessions") else SESSION_ANSWER
            data = json.dumps(answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def pkg() -> Any:
    import_generated(GENERATED)
    import openai_realtime._runtime as runtime
    import openai_realtime.resources.beta.realtime.realtime as realtime
    import openai_realtime.resources.beta.realtime.sessions as sessions
    import openai_realtime.resources.beta.realtime.transcription_sessions as transcription

    return runtime, realtime, sessions, transcription


def _check_session(answer: Any, sessions: Any) -> None:
    assert isinstance(answer, sessions.SessionCreateResponse)
    assert isinstance(answer.client_secret, sessions.SessionCreateResponseClientSecret)
    assert answer.client_secret.value == "ek_abc"
    assert answer.client_secret.expires_at == 1750000000
    assert answer.modalities == ["text", "audio"]
    assert answer.voice == "alloy"
    assert answer.turn_detection.type == "server_vad" and answer.turn_detection.threshold == 0.5
    assert answer.tools[0].name == "lookup" and answer.tools[0].parameters == {"type": "object"}
    assert answer.instructions is None  # absent from the answer


def _check_requests(server: Server) -> None:
    first, second = server.requests
    assert (first.method, first.path) == ("POST", "/v1/realtime/sessions")
    assert first.headers["openai-beta"] == "assistants=v2"
    assert first.headers["authorization"] == "Bearer sk-test"
    assert first.headers["content-type"].startswith("application/json")
    assert first.headers["x-extra"] == "1"
    assert first.body == {"model": "gpt-4o-realtime-preview", "modalities": ["text"], "turn_detection": {"type": "semantic_vad", "eagerness": "low"}, "instructions": None}
    assert (second.method, second.path) == ("POST", "/v1/realtime/transcription_sessions")
    assert second.body == {"input_audio_format": "pcm16", "include": ["item.input_audio_transcription.logprobs"]}


def test_sync_calls(server: Server, pkg: Any) -> None:
    runtime, realtime, sessions, transcription = pkg
    client = runtime.Client(base_url=server.url, api_key="sk-test")
    api = realtime.Realtime(client)
    answer = api.sessions.create(
        model="gpt-4o-realtime-preview",
        modalities=["text"],
        turn_detection={"type": "semantic_vad", "eagerness": "low"},
        instructions=None,
        extra_headers={"X-Extra": "1"},
    )
    _check_session(answer, sessions)
    ts = api.transcription_sessions.create(input_audio_format="pcm16", include=["item.input_audio_transcription.logprobs"])
    assert isinstance(ts, transcription.TranscriptionSession)
    assert ts.client_secret.value == "ek_def" and ts.turn_detection is None
    assert ts.input_audio_transcription.language == "en"
    _check_requests(server)


def test_async_calls(server: Server, pkg: Any) -> None:
    runtime, realtime, sessions, transcription = pkg

    async def main() -> tuple[Any, Any]:
        async with runtime.AsyncClient(base_url=server.url, api_key="sk-test") as client:
            api = realtime.AsyncRealtime(client)
            answer = await api.sessions.create(
                model="gpt-4o-realtime-preview",
                modalities=["text"],
                turn_detection={"type": "semantic_vad", "eagerness": "low"},
                instructions=None,
                extra_headers={"X-Extra": "1"},
            )
            ts = await api.transcription_sessions.create(input_audio_format="pcm16", include=["item.input_audio_transcription.logprobs"])
            return answer, ts

    answer, ts = asyncio.run(main())
    _check_session(answer, sessions)
    assert isinstance(ts, transcription.TranscriptionSession)
    _check_requests(server)


def test_4xx_raises_api_error(server: Server, pkg: Any) -> None:
    runtime, realtime, _, _ = pkg
    server.status = 400
    client = runtime.Client(base_url=server.url, api_key="sk-test")
    with pytest.raises(runtime.APIError) as info:
        realtime.Realtime(client).sessions.create(model="nope")
    assert info.value.status_code == 400
    assert info.value.body == {"error": {"message": "bad model", "type": "invalid_request_error"}}

    async def main() -> None:
        async with runtime.AsyncClient(base_url=server.url, api_key="sk-test") as aclient:
            await realtime.AsyncRealtime(aclient).transcription_sessions.create()

    with pytest.raises(runtime.APIError) as ainfo:
        asyncio.run(main())
    assert ainfo.value.status_code == 400


def test_api_key_from_environment(server: Server, pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime, realtime, _, _ = pkg
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    realtime.Realtime(runtime.Client(base_url=server.url)).sessions.create()
    assert server.requests[0].headers["authorization"] == "Bearer sk-env"
    assert server.requests[0].body == {}


def test_dataclass_mode_takes_a_params_object(server: Server, tmp_path: Any) -> None:
    """With model-type dataclass, methods take the params dataclass; absent fields stay absent."""
    from conftest import INPUT
    from util import generate, write_tree

    out = write_tree(tmp_path, generate(INPUT, model_type="dataclass").files)
    import_generated(out)
    import openai_realtime._runtime as runtime
    import openai_realtime.resources.beta.realtime.realtime as realtime
    import openai_realtime.resources.beta.realtime.sessions as sessions

    params = sessions.SessionCreateParams(
        model="gpt-4o-realtime-preview",
        turn_detection=sessions.SessionCreateParamsTurnDetection(type="semantic_vad", eagerness="low"),
    )
    answer = realtime.Realtime(runtime.Client(base_url=server.url, api_key="sk-test")).sessions.create(params)
    assert isinstance(answer, sessions.SessionCreateResponse) and answer.client_secret.value == "ek_abc"
    assert server.requests[0].body == {"model": "gpt-4o-realtime-preview", "turn_detection": {"type": "semantic_vad", "eagerness": "low"}}
    import_generated(GENERATED)
