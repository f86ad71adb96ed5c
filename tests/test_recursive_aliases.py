"""Type aliases that refer to themselves through a list, a dict, a generic or a callable keep
their recursion (tsgen.lower.cycles): both model forms use them, mypy --strict and pyright
strict accept them and what uses them, pydantic validates and round-trips values through them
(and rejects values that do not fit). An alias that is its own value or union member, which
TypeScript rejects too, becomes Any with a warning at its place."""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from checks import type_errors

SOURCE = """\
/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Tree<T> = T | Tree<T>[];
export type Even = number | Odd[];
export type Odd = string | { [k: string]: Even };
export type Callback = (x: number) => Callback | null;
export type Letters = 'a' | 'b' | Letters[];
export type Bad = string | Bad;
export type Ping = Pong;
export type Pong = Ping;
export interface Holder {
  json: Json;
  tree: Tree<string>;
  maybe?: Json | null;
  even: Even;
}
"""

USE = """\
from forest.forest import Holder, Json, Tree


def depth(tree: Tree[int]) -> int:
    if isinstance(tree, int):
        return 0
    return 1 + max((depth(t) for t in tree), default=0)


def first_key(value: Json) -> str | None:
    return next(iter(value), None) if isinstance(value, dict) else None


def holder() -> Holder:
    return Holder({json}=[1.0, {{"a": None}}], tree=["x"], even=[{{"k": 1.0}}])
"""

ROUND_TRIPS: list[tuple[str, object]] = [
    ("Json", {"k": [1.5, None, True, {"x": "y"}]}),
    ("Even", [{"k": [{"j": 2.0}, "s"]}]),
    ("Letters", ["a", ["b", ["a"]]]),
]


@pytest.fixture(scope="module", params=["dataclass", "typeddict", "pydantic"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    work = tmp_path_factory.mktemp(request.param)
    (work / "forest.d.ts").write_text(SOURCE)
    command = [sys.executable, "-m", "tsgen", "generate", "forest.d.ts", "-o", "out", "--package", "forest", "--model-type", request.param, "--formatter", "ruff"]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return request.param, work / "out", done.stderr


@pytest.fixture
def forest(generated: tuple[str, Path, str], monkeypatch: pytest.MonkeyPatch) -> typing.Any:
    monkeypatch.syspath_prepend(str(generated[1]))
    for name in [n for n in sys.modules if n == "forest" or n.startswith("forest.")]:
        del sys.modules[name]
    return importlib.import_module("forest.forest")


def test_only_the_aliases_typescript_rejects_are_warned(generated: tuple[str, Path, str]) -> None:
    warned = {line.split(": warning: ")[0] for line in generated[2].splitlines() if ": warning: " in line}
    assert warned == {"forest.d.ts:8:8", "forest.d.ts:9:8", "forest.d.ts:10:8"}, generated[2]
    assert "type alias `Bad` refers to itself as its own value or union member" in generated[2]


@pytest.mark.parametrize(("name", "value"), ROUND_TRIPS)
def test_values_round_trip_through_the_recursive_alias(forest: typing.Any, name: str, value: object) -> None:
    adapter: TypeAdapter[typing.Any] = TypeAdapter(getattr(forest, name))
    parsed = adapter.validate_python(value)
    assert adapter.validate_json(adapter.dump_json(parsed)) == parsed
    assert adapter.dump_python(parsed, mode="json") == value


def test_a_generic_recursive_alias_takes_its_argument(forest: typing.Any) -> None:
    adapter: TypeAdapter[typing.Any] = TypeAdapter(forest.Tree[int])
    assert adapter.validate_json(b"[1, [2, [3]], []]") == [1, [2, [3]], []]
    with pytest.raises(ValidationError):
        adapter.validate_python([1, ["x"]])
    assert [p.__name__ for p in forest.Tree.__type_params__] == ["T"]


def test_a_model_field_of_a_recursive_alias_validates(forest: typing.Any) -> None:
    adapter: TypeAdapter[typing.Any] = TypeAdapter(forest.Holder)
    value = {"json": [1.0, "x", {"y": None}], "tree": ["a", ["b"]], "even": 3.0}
    parsed = adapter.validate_python(value)
    assert adapter.validate_json(adapter.dump_json(parsed)) == parsed
    with pytest.raises(ValidationError):
        adapter.validate_python({**value, "json": [object()]})


def test_type_checkers_accept_the_aliases_and_what_uses_them(generated: tuple[str, Path, str]) -> None:
    out = generated[1]
    (out / "forest" / "use.py").write_text(USE.format(json="json_" if generated[0] == "pydantic" else "json"))  # a model's `json` would hide BaseModel.json
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "forest")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out


CYCLE = {
    "a.d.ts": """\
import { Leaf } from './b';
export type Node = Leaf | Node[];
export interface Box { node: Node }
""",
    "b.d.ts": """\
import { Node } from './a';
export interface Leaf { value: string; children?: Node[] }
export type Forest = Node[];
export type Deep = Node | { [k: string]: Deep };
""",
}


def test_recursive_aliases_across_an_import_cycle(tmp_path: Path) -> None:
    """Two modules that import each other, each with a recursive alias naming the other's
    definitions: each module imports alone (in either order), type checkers accept them, and
    values round-trip."""
    for name, text in CYCLE.items():
        (tmp_path / name).write_text(text)
    command = [sys.executable, "-m", "tsgen", "generate", "a.d.ts", "b.d.ts", "-o", "out", "--package", "cyc", "--formatter", "ruff"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    out = tmp_path / "out"
    check = """
import sys
from pydantic import TypeAdapter
first = __import__(sys.argv[1], fromlist=["_"])
from cyc import a, b
value = [{"value": "x", "children": [[{"value": "y"}]]}]
for alias, data in ((a.Node, value), (b.Deep, {"k": value}), (b.Forest, [value])):
    adapter = TypeAdapter(alias)
    parsed = adapter.validate_python(data)
    assert adapter.validate_json(adapter.dump_json(parsed)) == parsed
    assert adapter.dump_python(parsed, mode="json", exclude_none=True) == data, adapter.dump_python(parsed, mode="json")
print("ok")
"""
    for first in ("cyc.a", "cyc.b"):
        ran = subprocess.run([sys.executable, "-c", check, first], cwd=out, capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr[-3000:]
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "cyc")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out
