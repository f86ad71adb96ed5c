"""`model_type = "pydantic"` (tsgen.lower.pydantic_models): interfaces are subclasses of the
runtime's BaseModel, read by wire name and written back by wire name with exactly the keys they
were read with (unknown keys kept); names pydantic or BaseModel would take are renamed with an
alias; tagged unions are discriminated; a generic alias over a generic model can be
subscripted; parameters stay TypedDicts; mypy --strict and pyright strict accept the package and
code that uses it as users would."""

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
import { APIResource } from "./core/resource";
/** A pet. */
export interface Pet {
  /** Its name. */
  name: string;
  json?: string;
  _secret?: number;
  "0"?: boolean;
  "x-y"?: string | null;
  model_config?: string;
  kind: Cat | Dog;
  children?: Pet[];
}
export interface Cat { type: "cat"; lives: number }
export interface Dog { type: "dog"; good: boolean }
export interface Message<T> { type: "message"; parsed: T | null }
export interface Call { type: "call"; name: string }
export type Item<T> = Message<T> | Call;
export interface Parsed<T> { output: Array<Item<T>> }
export declare class Pets extends APIResource {
  create(params: PetCreateParams): Promise<Pet>;
}
export interface PetCreateParams { name: string; "x-y"?: string }
"""

USE = """\
from zoo.zoo import Cat, Item, Parsed, Pet, PetCreateParams


def make() -> Pet:
    return Pet(name="Rex", json_="j", secret=1.0, x_y=None, kind=Cat(type="cat", lives=9.0))


def first(parsed: Parsed[int]) -> Item[int]:
    return parsed.output[0]


def params() -> PetCreateParams:
    return {"name": "Rex", "x-y": "z"}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("zoo")
    (work / "zoo.d.ts").write_text(SOURCE)
    command = [sys.executable, "-m", "tsgen", "generate", "zoo.d.ts", "-o", "out", "--package", "zoo", "--model-type", "pydantic", "--formatter", "ruff"]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return work / "out"


@pytest.fixture
def zoo(generated: Path, monkeypatch: pytest.MonkeyPatch) -> typing.Any:
    monkeypatch.syspath_prepend(str(generated))
    for name in [n for n in sys.modules if n == "zoo" or n.startswith("zoo.")]:
        del sys.modules[name]
    return importlib.import_module("zoo.zoo")


WIRE = {"name": "Rex", "json": "j", "_secret": 1.0, "0": True, "x-y": None, "model_config": "m", "kind": {"type": "dog", "good": True}, "added": [1]}


def test_read_by_wire_name_and_written_back_the_same(zoo: typing.Any) -> None:
    runtime = importlib.import_module("zoo._runtime")
    pet = zoo.Pet.model_validate(WIRE)
    assert isinstance(pet, runtime.BaseModel)
    assert (pet.json_, pet.secret, pet.field_0, pet.x_y, pet.model_config_) == ("j", 1.0, True, None, "m")  # `_0` would be private
    assert isinstance(pet.kind, zoo.Dog) and pet.model_extra == {"added": [1]}
    written = pet.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert written == WIRE  # `children` was not given: not written; `x-y` was null: written null
    assert runtime._jsonable(pet) == WIRE  # what the client sends


def test_made_by_python_name(zoo: typing.Any) -> None:
    pet = zoo.Pet(name="Rex", json_="j", kind=zoo.Cat(type="cat", lives=9.0))
    assert pet.model_dump(mode="json", by_alias=True, exclude_unset=True) == {"name": "Rex", "json": "j", "kind": {"type": "cat", "lives": 9.0}}
    assert pet.children is None and pet.model_config_ is None


def test_a_tagged_union_is_discriminated(zoo: typing.Any) -> None:
    with pytest.raises(ValidationError, match="union_tag_invalid|does not match any of the expected tags"):
        zoo.Pet.model_validate({**WIRE, "kind": {"type": "cow"}})


def test_a_generic_alias_of_a_generic_model_takes_its_argument(zoo: typing.Any) -> None:
    adapter: TypeAdapter[typing.Any] = TypeAdapter(zoo.Parsed[int])
    parsed = adapter.validate_python({"output": [{"type": "message", "parsed": 3}, {"type": "call", "name": "f"}]})
    assert parsed.output[0].parsed == 3 and isinstance(parsed.output[1], zoo.Call)
    with pytest.raises(ValidationError):
        adapter.validate_python({"output": [{"type": "message", "parsed": "not an int"}]})
    assert TypeAdapter(zoo.Item[str]).validate_python({"type": "message", "parsed": "s"}).parsed == "s"


def test_parameters_stay_typeddicts(zoo: typing.Any) -> None:
    assert zoo.PetCreateParams.__required_keys__ == frozenset({"name"})
    assert zoo.Pet.__name__ == "Pet" and "model_fields" in dir(zoo.Pet)


def test_type_checkers_accept_the_models_and_what_uses_them(generated: Path) -> None:
    (generated / "zoo" / "use.py").write_text(USE)
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(generated, "zoo")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out
