"""Values round-trip through every corpus's generated types (tests/corpora.py), in each model
type the corpus-wide tests check (corpora.STYLES: auto's dataclasses, pydantic's BaseModels): a value drawn
from a class's type hints (tests/values.py, as JSON carries it) is read by pydantic, written
back as JSON by wire name, read again, and equal. Classes holding what JSON cannot carry
(callables, protocols, classes themselves) are counted apart. A CI-sized, evenly spread sample of each corpus's classes is
checked; TSGEN_ROUND_TRIP_ALL=1 checks all of them."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator

import pytest
from pydantic import TypeAdapter

from corpora import CORPORA, STYLES, Trees
from values import Undrawable, draw

SAMPLE = 300  # classes per corpus in the suite's run


def _classes(tree_manifest: dict[str, object]) -> list[tuple[str, str]]:
    symbols = tree_manifest["symbols"]
    assert isinstance(symbols, list)
    found = sorted({(s["module"], s["python_name"]) for s in symbols if s["kind"] in ("interface", "type_alias")})
    if os.environ.get("TSGEN_ROUND_TRIP_ALL") or len(found) <= SAMPLE:
        return found
    step = len(found) / SAMPLE
    return [found[int(i * step)] for i in range(SAMPLE)]


def _imported(out: object, package: str) -> Iterator[None]:
    sys.path.insert(0, str(out))
    try:
        yield
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(CORPORA))
def test_values_round_trip(name: str, style: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name, style)
    checked = undrawable = 0
    failures: list[str] = []
    for _ in _imported(tree.out, tree.corpus.package):
        for module, python_name in _classes(tree.manifest):
            cls = getattr(importlib.import_module(module), python_name)
            if not isinstance(cls, type):
                continue  # an alias of a union or a scalar: its members are classes of their own
            try:
                value = draw(cls)
            except Undrawable:
                undrawable += 1
                continue
            checked += 1
            try:
                adapter = TypeAdapter(cls)
                read = adapter.validate_python(value)
                written = adapter.dump_python(read, mode="json", by_alias=True, exclude_unset=True)  # as the runtime sends a model
                again = adapter.validate_python(json.loads(json.dumps(written)))
                if again != read:
                    failures.append(f"{module}.{python_name}: {written!r} read back as {again!r}")
                elif adapter.dump_python(again, mode="json", by_alias=True, exclude_unset=True) != written:
                    failures.append(f"{module}.{python_name}: {written!r} is written again otherwise")
            except Exception as exc:  # noqa: BLE001 - collected: every class is reported
                failures.append(f"{module}.{python_name}: {type(exc).__name__}: {str(exc)[:300]}")
    figures.append(f"{name} ({style}): {checked - len(failures)}/{checked} classes round-trip a drawn value through pydantic and JSON ({undrawable} hold callables, protocols or classes, or have no finite value, not drawn)")
    figures.extend(f"  ROUND TRIP {f}" for f in failures[:20])
    assert checked > 0
    assert not failures, failures[:10]
