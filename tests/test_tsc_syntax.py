"""Whatever the TypeScript compiler accepts, tsgen parses: every declaration file of every
corpus of the test suite goes through the compiler (one node process, syntactic diagnostics
only) and through tsgen's parser (in-process), and each file the compiler accepts must parse
without an error and without a syntax warning.

The corpora: every package under ../shared/corpus and every package tests/tsc/package.json
pins (the LSP packages, the SDKs pinned there), except the compiler itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from tsgen.diagnostics import Diagnostics, TsgenError
from tsgen.parse import parse_module

TSC = ROOT / "tests" / "tsc"
NODE_MODULES = TSC / "node_modules"
SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
READ_BY_PINNED = ("vscode-jsonrpc",)  # not pinned itself: the LSP protocol package reads it


def corpora() -> dict[str, Path]:
    found = {path.name: path for path in sorted((SHARED / "corpus").iterdir()) if path.is_dir()}
    pinned = json.loads((TSC / "package.json").read_text())["dependencies"]
    found.update({name: NODE_MODULES / name for name in sorted(pinned) + list(READ_BY_PINNED) if name != "typescript"})
    return found


def declaration_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.name.endswith(SUFFIXES) and p.is_file())


def tsc_syntax(files: list[Path]) -> dict[str, list[str]]:
    assert (NODE_MODULES / "typescript").is_dir(), "run `npm ci --prefix tests/tsc` (the Makefile's setup does)"
    out = subprocess.run(
        ["node", str(TSC / "syntax.js")], input=json.dumps([str(f) for f in files]), capture_output=True, text=True, check=True, timeout=600
    )
    result: dict[str, list[str]] = json.loads(out.stdout)
    return result


def test_the_corpora_are_there() -> None:
    names = set(corpora())
    assert {"openai-4.104.0", "openai-7.59.0", "openai-4.20.0", "vscode-languageserver-types", "vscode-languageserver-protocol"} <= names
    assert all(path.is_dir() for path in corpora().values()), "run `npm ci --prefix tests/tsc` (the Makefile's setup does)"


def _tsgen_syntax_errors(shown: str, file: Path) -> list[str]:
    diagnostics = Diagnostics()
    try:
        parse_module(shown, file.read_bytes(), diagnostics)
    except TsgenError as exc:
        return [str(exc)]
    return [str(d) for d in diagnostics.items if "syntax error" in d.message]


def test_tsgen_parses_every_file_tsc_accepts(figures: list[str]) -> None:
    roots = corpora()
    by_corpus = {name: declaration_files(root) for name, root in roots.items()}
    verdicts = tsc_syntax([f for files in by_corpus.values() for f in files])
    failures: list[str] = []
    for name, files in by_corpus.items():
        accepted = [f for f in files if not verdicts[str(f)]]
        for file in accepted:
            failures += [f"{name}: {e}" for e in _tsgen_syntax_errors(file.relative_to(roots[name]).as_posix(), file)]
        figures.append(f"tsc syntax, {name}: {len(accepted)}/{len(files)} declaration files accepted by tsc; tsgen parses each of those")
    assert not failures, "\n".join(failures[:20])
