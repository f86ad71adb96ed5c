"""The generated package runs on the oldest Python it supports (3.10), not only on ours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GENERATED

SCRIPT = r"""
import importlib, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
manifest = json.loads((root / "tsgen-manifest.json").read_text())
for sym in manifest["symbols"]:
    getattr(importlib.import_module(sym["module"]), sym["python_name"])
from pydantic import TypeAdapter
from openai_realtime.resources.beta.realtime import sessions
answer = TypeAdapter(sessions.SessionCreateResponse).validate_python(
    {"client_secret": {"expires_at": 1, "value": "ek"}, "voice": "custom-voice", "modalities": ["text"]}
)
assert answer.client_secret.value == "ek" and answer.voice == "custom-voice" and answer.instructions is None
assert "model" in sessions.SessionCreateParams.__optional_keys__
assert sessions.ExpiresAt.__optional_keys__ == frozenset({"anchor", "seconds"})
print(sys.version_info[:2], len(manifest["symbols"]), "symbols imported")
"""


@pytest.fixture(scope="session")
def python310(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pyenv = sorted(Path.home().glob(".pyenv/versions/3.10*/bin/python3.10"))
    interpreter = str(pyenv[-1]) if pyenv else shutil.which("python3.10")
    assert interpreter, "python3.10 is needed to check that generated code runs on Python 3.10"
    env_dir = tmp_path_factory.mktemp("py310")
    subprocess.run([interpreter, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "pydantic>=2.7", "httpx", "httpx-sse", "typing-extensions"], check=True)
    return python


def test_generated_package_imports_and_converts_on_python_310(python310: Path) -> None:
    result = subprocess.run([str(python310), "-c", SCRIPT, str(GENERATED)], cwd=GENERATED, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("(3, 10)")
