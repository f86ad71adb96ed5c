"""Whole packages (tests/corpora.py: openai 4.104.0 and 7.59.0, groq-sdk 1.6.0 — each one's
resources/, the package's other files read for names — the pinned LSP packages, @types/node and
@types/vscode), each
generated unmodified into one Python package whose modules import one by one in fresh
interpreters and that type-checks clean under mypy --strict and pyright strict, in each model
type of corpora.STYLES (auto on every corpus, pydantic and msgspec on those of
corpora.style_cases; `make test-styles` on every one)."""

from __future__ import annotations

import collections
import time

import pytest

from checks import import_failures, modules, type_errors, warning_kinds
from corpora import CORPORA, SAMPLED, Trees, style_cases

ALL = sorted(CORPORA)


@pytest.mark.parametrize("name", ALL)
def test_every_file_becomes_a_module(name: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name)  # exit 0 on the unmodified package, no traceback
    manifest = tree.manifest
    kinds = collections.Counter(s["kind"] for s in manifest["symbols"])  # type: ignore[attr-defined]
    warnings = warning_kinds(tree.stderr)
    figures.append(f"{name}: generate exit {tree.returncode} in {tree.seconds:.0f}s; {len(manifest['inputs'])} files read;"  # type: ignore[arg-type]
                   f" symbols {dict(sorted(kinds.items()))}; {sum(warnings.values())} warnings")
    for message, count in warnings.most_common():
        figures.append(f"  {count:4} {message}")
    converted = {i["path"] for i in manifest["inputs"]}  # type: ignore[attr-defined]
    expected = set(tree.corpus.files())
    assert expected <= converted, sorted(expected - converted)[:10]
    if name == "openai-4.104.0":
        assert len([p for p in converted if p.startswith("resources/") and p.endswith(".d.ts")]) == 78
        assert {"resources/beta/realtime/sessions.d.ts", "pagination.d.ts"} <= converted
        assert kinds["interface"] >= 865 and kinds["type_alias"] >= 94
    else:
        assert kinds["interface"] >= 50
    if name == "openai-7.59.0":  # what the client's reader follows from client.js is read too: listed, so a change to it is seen
        assert {"client.js", "internal/utils/query.js", "core/pagination.js"} <= converted, sorted(p for p in converted if p.endswith(".js"))[:20]


@pytest.mark.parametrize(("name", "style"), style_cases(ALL, SAMPLED - {"openai-7.59.0"}))
def test_each_module_imports_on_its_own(name: str, style: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name, style)
    names = modules(tree.out, tree.corpus.package)
    start = time.monotonic()
    failures = import_failures(tree.out, names)
    figures.append(f"{name} ({style}): {len(names) - len(failures)}/{len(names)} modules import alone in a fresh interpreter ({time.monotonic() - start:.0f}s)")
    figures.extend(f"  IMPORT {m}: {err}" for m, err in sorted(failures.items())[:20])
    assert len(names) > 1
    assert not failures, sorted(failures.items())[:5]


@pytest.mark.parametrize(("name", "style"), style_cases(ALL))
def test_mypy_strict_and_pyright_strict(name: str, style: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name, style)
    start = time.monotonic()
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(tree.out, tree.corpus.package)
    figures.append(f"{name} ({style}): mypy --strict {mypy_errors} errors, pyright strict {pyright_errors} errors ({time.monotonic() - start:.0f}s)")
    assert mypy_errors == 0, mypy_out[-3000:]
    assert pyright_errors == 0, pyright_out[-3000:]
