"""What type checkers see of the client generated from openai 4.104.0: the usage example in
examples/ is clean under mypy --strict and pyright strict, and the overloads resolve as
openai-python's do (`stream=True` gives a `Stream`, a list a page, a download bytes)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpora import Trees

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "openai_client.py"
PACKAGE = "openai_sdk"  # the name the example imports


@pytest.fixture(scope="module")
def site(trees: Trees, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated package under the example's name (its imports are relative), and a pyright
    configuration in strict mode."""
    tree = trees.get("openai-4.104.0")
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(tree.out / tree.corpus.package, site / PACKAGE)
    (site / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"}))
    return site


def _mypy(site: Path, file: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", str(file)]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=900, env={"MYPYPATH": str(site), "PATH": ""})


def _pyright(site: Path, file: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pyright", "--pythonpath", sys.executable, str(file)]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=900)


def test_the_example_type_checks(site: Path) -> None:
    example = site / EXAMPLE.name
    shutil.copy(EXAMPLE, example)
    mypy = _mypy(site, example)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    pyright = _pyright(site, example)
    assert pyright.returncode == 0 and "0 errors" in pyright.stdout, pyright.stdout[-3000:]


REVEALS = {
    "client.chat.completions.create(model='m', messages=[])": "ChatCompletion",
    "client.chat.completions.create(model='m', messages=[], stream=True)": "Stream[ChatCompletionChunk]",
    "client.chat.completions.create(model='m', messages=[], stream=flag)": "Stream[ChatCompletionChunk] | ChatCompletion",
    "client.files.list()": "SyncCursorPage[FileObject]",
    "client.files.content('file-1')": "BinaryResponse",
    "client.files.delete('file-1')": "FileDeleted",
    "await aclient.chat.completions.create(model='m', messages=[], stream=True)": "AsyncStream[ChatCompletionChunk]",
    "aclient.files.list()": "AsyncPaginator[FileObject, AsyncCursorPage[FileObject]]",
}


def _short(revealed: str) -> str:
    """`openai_sdk._runtime.Stream[openai_sdk.resources...ChatCompletionChunk]` -> `Stream[ChatCompletionChunk]`."""
    return re.sub(r"\b[\w.]+\.(\w+)", r"\1", revealed).replace('"', "").replace("*", "")


def test_overloads_resolve_as_in_openai_python(site: Path) -> None:
    lines = [f"from {PACKAGE} import AsyncOpenAI, OpenAI", "client = OpenAI(api_key='k')", "aclient = AsyncOpenAI(api_key='k')", "async def f(flag: bool) -> None:"]
    lines += [f"    reveal_type({expr})" for expr in REVEALS]
    snippet = site / "reveal.py"
    snippet.write_text("\n".join(lines) + "\n")
    mypy = [_short(m) for m in re.findall(r'Revealed type is "(.*)"', _mypy(site, snippet).stdout)]
    pyright = [_short(m) for m in re.findall(r'Type of ".*" is "(.*)"', _pyright(site, snippet).stdout)]
    assert mypy == list(REVEALS.values()), mypy
    assert pyright == list(REVEALS.values()), pyright
