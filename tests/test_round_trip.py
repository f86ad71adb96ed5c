"""Values round-trip through every corpus's generated types (tests/corpora.py), in each model
type the corpus-wide tests check (corpora.STYLES: auto's dataclasses, pydantic's BaseModels, msgspec's
Structs): a value drawn from a class's type hints (tests/values.py, as JSON carries it) is read by
pydantic (msgspec in its style, through the runtime's conversion), written
back as JSON by wire name, read again, and equal. Classes holding what JSON cannot carry
(callables, protocols, classes themselves) are counted apart. A CI-sized, evenly spread sample of each corpus's classes is
checked; TSGEN_ROUND_TRIP_ALL=1 checks all of them."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator

import msgspec
import pytest
import typing_extensions
from pydantic import TypeAdapter

from corpora import CORPORA, STYLES, Trees
from values import Undrawable, draw

MSGSPEC = "msgspec"
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


class _Pydantic:
    def __init__(self, cls: type) -> None:
        self.adapter: TypeAdapter[object] = TypeAdapter(cls)

    def read(self, data: object) -> object:
        return self.adapter.validate_python(data)

    def write(self, value: object) -> object:
        return self.adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


class _Msgspec:
    """The msgspec style: read by the runtime's TypeAdapter (msgspec.convert, as answers are),
    written by msgspec.to_builtins (as the runtime sends a struct)."""

    def __init__(self, package: str, cls: type) -> None:
        self.adapter = importlib.import_module(f"{package}._runtime").TypeAdapter(cls)

    def read(self, data: object) -> object:
        return self.adapter.validate_python(data)

    def write(self, value: object) -> object:
        return msgspec.to_builtins(value)


def _converter(style: str, package: str, cls: type) -> _Pydantic | _Msgspec:
    """msgspec reads the msgspec style's structs (and what else an answer may be: enums); its
    request parameters, TypedDicts the runtime writes and never reads, round-trip as in auto."""
    return _Msgspec(package, cls) if style == MSGSPEC and not typing_extensions.is_typeddict(cls) else _Pydantic(cls)


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
                convert = _converter(style, tree.corpus.package, cls)
                read = convert.read(value)
                written = convert.write(read)  # as the runtime sends a model
                again = convert.read(json.loads(json.dumps(written)))
                if again != read:
                    failures.append(f"{module}.{python_name}: {written!r} read back as {again!r}")
                elif convert.write(again) != written:
                    failures.append(f"{module}.{python_name}: {written!r} is written again otherwise")
            except Exception as exc:  # noqa: BLE001 - collected: every class is reported
                failures.append(f"{module}.{python_name}: {type(exc).__name__}: {str(exc)[:300]}")
    figures.append(f"{name} ({style}): {checked - len(failures)}/{checked} classes round-trip a drawn value through {'msgspec' if style == MSGSPEC else 'pydantic'} and JSON ({undrawable} hold callables, protocols or classes, or have no finite value, not drawn)")
    figures.extend(f"  ROUND TRIP {f}" for f in failures[:20])
    assert checked > 0
    assert not failures, failures[:10]
