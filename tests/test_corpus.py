"""Whole packages: openai@4.104.0 (all of resources/, the package's other files read for
names) and the pinned LSP packages (tests/tsc), each generated into one Python package that
imports module by module in fresh interpreters and type-checks clean."""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


LSP = ROOT / "tests" / "tsc" / "node_modules"
CORPORA = {  # name: (root, converted directory, package)
    "openai": (CORPUS, CORPUS / "resources", "oa"),
    "lsp-types": (LSP / "vscode-languageserver-types/lib/umd", LSP / "vscode-languageserver-types/lib/umd", "lsptypes"),
    "lsp-protocol": (LSP / "vscode-languageserver-protocol/lib/common", LSP / "vscode-languageserver-protocol/lib/common", "lspproto"),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    name = request.param
    root, converted, package = CORPORA[name]
    assert converted.is_dir(), f"{converted} is missing: run `make setup` (npm ci --prefix tests/tsc)"
    work = tmp_path_factory.mktemp(name)
    result = subprocess.run(  # the directory is converted; other files are read for names
        [sys.executable, "-m", "tsgen", "generate", str(converted), "--root", str(root), "-o", "out", "--package", package],
        cwd=work, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return name, work / "out", result.stderr


def test_every_file_becomes_a_module(corpus_out: tuple[str, Path, str], figures: list[str]) -> None:
    name, out, stderr = corpus_out
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    kinds = collections.Counter(s["kind"] for s in manifest["symbols"])
    warnings = collections.Counter(re.sub(r"`[^`]*`", "X", line.split(": warning: ", 1)[1]) for line in stderr.splitlines() if ": warning: " in line)
    figures.append(f"{name}: {len(manifest['inputs'])} files read; symbols {dict(sorted(kinds.items()))}; {sum(warnings.values())} warnings")
    for message, count in warnings.most_common():
        figures.append(f"  {count:4} {message}")
    if name == "openai":
        assert len([i for i in manifest["inputs"] if i["path"].startswith("resources/")]) == 78
        assert {"resources/beta/realtime/sessions.d.ts", "pagination.d.ts"} <= {i["path"] for i in manifest["inputs"]}
        assert kinds["interface"] >= 865 and kinds["type_alias"] >= 94
    else:
        assert kinds["interface"] >= 50


def test_each_module_imports_on_its_own(corpus_out: tuple[str, Path, str]) -> None:
    _, out, _ = corpus_out
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    modules = sorted({s["module"] for s in manifest["symbols"]})

    def run(module: str) -> tuple[str, str]:
        proc = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=out, capture_output=True, text=True)
        return module, proc.stderr.strip().splitlines()[-1] if proc.returncode else ""

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = [(m, err) for m, err in pool.map(run, modules) if err]
    assert not failures, failures[:5]
    assert modules


def test_mypy_strict_and_pyright_strict(corpus_out: tuple[str, Path, str]) -> None:
    name, out, _ = corpus_out
    package = CORPORA[name][2]
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "-p", package], cwd=out, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    shutil.copy(ROOT / "pyproject.toml", out / "pyproject.toml")  # [tool.pyright] strict, Python 3.10
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, package], cwd=out, capture_output=True, text=True)
    assert pyright.returncode == 0, pyright.stdout[-3000:]
    assert "0 errors" in pyright.stdout
