"""The generated runtime: configuration values are data, never code; clients behave."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import INPUT
from util import generate, write_tree

HOSTILE = 'https://x"\n__import__("os").system("echo pwned")\n"'


def test_config_values_are_string_constants(tmp_path: Path) -> None:
    files = generate(INPUT, base_url=HOSTILE, api_key_env='KEY"; import os; "', api_key_prefix="Token '\\").files
    out = write_tree(tmp_path, files)
    source = (out / "openai_realtime" / "_runtime.py").read_text()
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "__import__"]
    assert not calls
    script = "import openai_realtime._runtime as r; print(repr((r.DEFAULT_BASE_URL, r.API_KEY_ENV, r.API_KEY_PREFIX)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr((HOSTILE, 'KEY"; import os; "', "Token '\\"))


def test_client_needs_a_base_url(tmp_path: Path) -> None:
    out = write_tree(tmp_path, generate(INPUT, base_url=None).files)
    script = "import openai_realtime._runtime as r\ntry:\n    r.Client()\nexcept r.SDKError as e:\n    print(e)\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True)
    assert "no base_url given" in result.stdout, result.stderr
