"""`tsgen convert`: the module it prints stands alone. Each is written to a directory of its own
under a module name, imported in a fresh interpreter, used (a data type built, a resource
method called against a real HTTP server on loopback), and type-checked (mypy --strict and
pyright strict) as the file a user drops into a project."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, SEED, SHARED
from loopback import Reply, Server, server  # noqa: F401 - the fixture

OPENAI_7 = SHARED / "corpus" / "openai-7.59.0"
REAL = {
    "seed": SEED,
    "sessions4": CORPUS / "resources/beta/realtime/sessions.d.ts",
    "completions4": CORPUS / "resources/chat/completions/completions.d.ts",
    "responses7": OPENAI_7 / "resources/responses/input-items.d.ts",
}

PLAIN = '''
/** A user. Not code: """ + __import__("os").system("true") + """ */
export interface User { id: string; name?: string; tags: string[]; address: Address; }
export interface Address { street: string; }
/** Collides with the inlined runtime's client. */
export interface Client { id: number; }
export interface Page { items: User[]; }
export type Stream = "on" | "off";
export enum Color { Red = "red", Blue = "blue" }
'''


def convert(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", "convert", str(path), *flags], capture_output=True, text=True, timeout=600)


def written(tmp_path: Path, name: str, text: str) -> Path:
    """The module written alone in a fresh directory (nothing of tsgen's output beside it)."""
    directory = tmp_path / name
    directory.mkdir()
    (directory / f"{name}.py").write_text(text)
    return directory


def run_python(directory: Path, code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=directory, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def imports_of(text: str) -> list[str]:
    """Every module the text imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def type_check(directory: Path) -> None:
    """mypy --strict and pyright strict (the project's [tool.pyright]) on the files of `directory`."""
    shutil.copy(ROOT / "pyproject.toml", directory / "pyproject.toml")
    files = sorted(p.name for p in directory.glob("*.py"))
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", *files], cwd=directory, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, *files], cwd=directory, capture_output=True, text=True)
    assert pyright.returncode == 0 and "0 errors" in pyright.stdout, pyright.stdout[-3000:]


@pytest.fixture(scope="module")
def converted() -> dict[str, subprocess.CompletedProcess[str]]:
    return {name: convert(path) for name, path in REAL.items()}


@pytest.mark.parametrize("name", sorted(REAL))
def test_converted_module_imports_nothing_it_does_not_have(converted: dict[str, subprocess.CompletedProcess[str]], name: str, tmp_path: Path) -> None:
    result = converted[name]
    assert result.returncode == 0, result.stderr
    assert not [m for m in imports_of(result.stdout) if m.startswith(".")]
    assert "imports" not in result.stderr or "from its package" not in result.stderr
    directory = written(tmp_path, name, result.stdout)
    names = json.loads(run_python(directory, f"import json, {name}; print(json.dumps({name}.__all__))"))
    assert names and all(not n.startswith("_") for n in names)
    run_python(directory, f"import {name}\nfor n in {name}.__all__: getattr({name}, n)")


def test_converted_real_files_type_check_together(converted: dict[str, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    for name, result in converted.items():
        (tmp_path / f"{name}.py").write_text(result.stdout)
    type_check(tmp_path)


def test_what_a_file_uses_from_other_files_is_converted_into_it(converted: dict[str, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    """completions.d.ts names shared types (`ChatModel`), a page class of pagination.d.ts and the
    `Messages` sub-resource of messages.d.ts, whose method takes `MessageListParams`."""
    text = converted["completions4"].stdout
    for needed in ("ChatModel: TypeAlias", "class SyncCursorPage(", "class Messages(SyncAPIResource)", "class MessageListParams("):
        assert needed in text
    assert "is not a type tsgen can emit" not in converted["completions4"].stderr
    directory = written(tmp_path, "completions", text)
    out = run_python(directory, "import completions as c\nprint(c.Completions(c.Client(api_key='k', base_url='http://x')).messages.__class__.__name__)")
    assert out.strip() == "Messages"


def test_data_type_built_and_resource_called_on_loopback(converted: dict[str, subprocess.CompletedProcess[str]], tmp_path: Path, server: Server) -> None:
    server.replies("/v1/realtime/sessions", Reply(body={"id": "sess_1", "model": "gpt-4o-realtime-preview", "client_secret": {"value": "ek_1", "expires_at": 7}}))
    directory = written(tmp_path, "sessions", converted["sessions4"].stdout)
    code = f"""
import sessions
client = sessions.Client(api_key="sk-test", base_url={server.url!r}, max_retries=0)
made = sessions.Sessions(client).create(model="gpt-4o-realtime-preview", voice="alloy")
assert isinstance(made, sessions.SessionCreateResponse), type(made)
print(made.client_secret.value, made.client_secret.expires_at)
print(sessions.Session(id="s", modalities=["text"]).modalities)
"""
    assert run_python(directory, code).split() == ["ek_1", "7.0", "['text']"]  # a TypeScript number is a float
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/v1/realtime/sessions")
    assert seen.json() == {"model": "gpt-4o-realtime-preview", "voice": "alloy"}
    assert seen.headers["authorization"] == "Bearer sk-test"


def test_seed_without_a_route_says_so_when_called(converted: dict[str, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    directory = written(tmp_path, "seed", converted["seed"].stdout)
    code = """
import seed
try:
    seed.Sessions(seed.Client(api_key="k", base_url="http://127.0.0.1:9")).create(model="m")
except seed.RouteNotConfiguredError as exc:
    print("no route:", "Sessions.create" in str(exc))
print(seed.SessionCreateParams(model="m"))
"""
    assert run_python(directory, code).split("\n")[:2] == ["no route: True", "{'model': 'm'}"]


def test_types_only_prints_the_data_types_alone(tmp_path: Path) -> None:
    result = convert(REAL["sessions4"], "--types-only")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "class Sessions" not in text and "class Client" not in text and "httpx" not in imports_of(text)
    directory = written(tmp_path, "session_types", text)
    assert run_python(directory, "import session_types as t\nprint(t.Session(id='s').id)").strip() == "s"
    type_check(directory)


def test_plain_declaration_file_without_an_sdk(tmp_path: Path) -> None:
    """Names the inlined runtime takes (`Client`, `Page`, `Stream`) go to the declarations under
    other names; a doc comment stays a docstring."""
    source = tmp_path / "src" / "models.d.ts"
    source.parent.mkdir()
    source.write_text(PLAIN)
    result = convert(source)
    assert result.returncode == 0, result.stderr
    assert convert(source).stdout == result.stdout  # deterministic
    assert "_runtime" not in result.stdout and "import httpx" not in result.stdout  # no resource: no runtime
    directory = written(tmp_path, "models", result.stdout)
    code = "import models as m\nu = m.User(id='1', tags=['a'], address=m.Address(street='x'))\nprint(u.address.street, m.Color.Red.value, m.__all__)"
    out = run_python(directory, code)
    assert out.startswith("x red ") and "'Client', 'Color', 'Page', 'Stream'" in out  # no runtime: the names are the file's
    assert "os.system" not in "".join(imports_of(result.stdout)) and not (directory / "true").exists()
    type_check(directory)


def test_runtime_names_are_not_taken_when_it_is_inlined(tmp_path: Path) -> None:
    """A resource makes the runtime inlined: declarations named like the runtime's own classes
    are renamed, and the runtime's `Client` stays the one resources take."""
    source = tmp_path / "src" / "api.d.ts"
    source.parent.mkdir()
    source.write_text(
        "import { APIResource } from './resource.js';\nimport * as Core from './core.js';\n" + PLAIN
        + "export declare class Users extends APIResource {\n  retrieve(id: string, options?: Core.RequestOptions): Core.APIPromise<User>;\n}\n"
    )
    (tmp_path / "src" / "api.js").write_text(
        "class Users extends resource_1.APIResource {\n    retrieve(id, options) {\n        return this._client.get(`/users/${id}`, options);\n    }\n}\n"
    )
    result = convert(source, "--warnings", "all")
    assert result.returncode == 0, result.stderr
    defined = [n.name for n in ast.parse(result.stdout).body if isinstance(n, ast.ClassDef)]
    assert len(defined) == len(set(defined))
    assert re.search(r"^class Client\(_BaseClient\)", result.stdout, re.M)
    for name in ("Client", "Page", "Stream"):
        assert f"`{name}` is named `{name}2` in Python: the runtime inlined in the module has a `{name}`" in result.stderr
    directory = written(tmp_path, "api", result.stdout)
    out = run_python(directory, "import api\nprint(sorted(n for n in api.__all__ if 'Client' in n or 'Page' in n or 'Stream' in n))")
    assert "'Client'" not in out and "'Page'" not in out
    type_check(directory)
