"""`model_type = "msgspec"` (tsgen.lower.msgspec_models): interfaces are msgspec Structs (the
runtime's `Struct`), read by wire name (`rename`) and written back with exactly the keys they
were read with ("absent" as UNSET, left out; null kept); a union of interfaces told apart by a
literal property tags its structs; a union msgspec cannot decode is widened to Any with a
warning; generic structs, import cycles and inheritance across modules convert; the client's
runtime converts answers with msgspec; mypy --strict and pyright strict accept the package and
code that uses it as users would."""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
from pathlib import Path

import msgspec
import pytest

from checks import type_errors

SOURCE = """\
import { APIResource } from "./core/resource";
import { Owner } from "./owners";
/** A pet. */
export interface Pet {
  /** Its name. */
  name: string;
  json?: string;
  _secret?: number;
  "0"?: boolean;
  "x-y"?: string | null;
  from?: string;
  UNSET?: string;
  kind: Cat | Dog;
  children?: Pet[];
  owner?: Owner;
  either?: Left | Right;
  both?: Left | Other;
}
export interface Cat {
  /** Always cat. */
  type: "cat";
  lives: number;
}
export interface Dog { type: "dog"; good: boolean }
export interface Left { side: "left"; mark: "l" }
export interface Right { side: "right"; mark: "l" }
export interface Other { side: "left"; mark: "o" }
export interface Box<T> { value: T; next?: Box<T> | null }
export interface Boxes { ints: Box<number>; meta?: Json }
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export interface Named { label: string }
export interface Aged { age?: number }
export interface Tag extends Named, Aged { id: string }
export declare class Pets extends APIResource {
  create(params: PetCreateParams): Promise<Pet>;
  pick(): Promise<Left | Other>;
}
export interface PetCreateParams { name: string; "x-y"?: string }
"""

OWNERS = """\
import { Pet } from "./zoo";
export interface Person { name: string }
export interface Owner extends Person { pets?: Array<Pet> }
"""

USE = """\
from zoo._runtime import UNSET
from zoo.zoo import Box, Cat, Pet, PetCreateParams


def make() -> Pet:
    return Pet(name="Rex", json="j", x_y=None, from_=UNSET, kind=Cat(lives=9.0))


def lives(pet: Pet) -> float:
    return pet.kind.lives if isinstance(pet.kind, Cat) else 0.0


def boxed(box: Box[int]) -> int:
    return box.value


def params() -> PetCreateParams:
    return {"name": "Rex", "x-y": "z"}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("zoo")
    (work / "zoo.d.ts").write_text(SOURCE)
    (work / "owners.d.ts").write_text(OWNERS)
    command = [sys.executable, "-m", "tsgen", "generate", "zoo.d.ts", "owners.d.ts", "-o", "out", "--package", "zoo", "--model-type", "msgspec", "--formatter", "ruff", "--warnings", "all"]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return work / "out", done.stderr


@pytest.fixture
def zoo(generated: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> typing.Any:
    monkeypatch.syspath_prepend(str(generated[0]))
    for name in [n for n in sys.modules if n == "zoo" or n.startswith("zoo.")]:
        del sys.modules[name]
    return importlib.import_module("zoo.zoo")


WIRE = {"name": "Rex", "json": "j", "_secret": 1.0, "0": True, "x-y": None, "from": "f", "UNSET": "u", "kind": {"type": "dog", "good": True}}


def _read(zoo: typing.Any, hint: object, data: object) -> typing.Any:
    return importlib.import_module("zoo._runtime").TypeAdapter(hint).validate_python(data)


def test_read_by_wire_name_and_written_back_the_same(zoo: typing.Any) -> None:
    runtime = importlib.import_module("zoo._runtime")
    pet = _read(zoo, zoo.Pet, {**WIRE, "added": [1]})  # an unknown key is ignored
    assert isinstance(pet, runtime.Struct) and isinstance(pet.kind, zoo.Dog)
    assert (pet.json, pet.secret, getattr(pet, "_0"), pet.x_y, pet.from_, pet.UNSET_) == ("j", 1.0, True, None, "f", "u")
    assert pet.children is msgspec.UNSET and pet.owner is msgspec.UNSET  # absent, not null
    assert msgspec.to_builtins(pet) == WIRE  # absent fields left out, `x-y` null kept
    assert runtime._jsonable(pet) == WIRE  # what the client sends


def test_absent_and_null_stay_apart(zoo: typing.Any) -> None:
    assert "x-y" not in msgspec.to_builtins(zoo.Pet(name="a", kind=zoo.Cat(lives=1.0)))
    assert msgspec.to_builtins(zoo.Pet(name="a", x_y=None, kind=zoo.Cat(lives=1.0)))["x-y"] is None
    with pytest.raises(msgspec.ValidationError):  # `name` is required
        _read(zoo, zoo.Pet, {"kind": {"type": "cat", "lives": 1}})


def test_a_tagged_union_picks_its_member_by_the_tag(zoo: typing.Any) -> None:
    assert zoo.Cat.__struct_config__.tag_field == "type" and zoo.Cat.__struct_config__.tag == "cat"
    assert "type" not in zoo.Cat.__struct_fields__  # msgspec writes and reads it
    assert "`type` (the tag, set by msgspec): Always cat." in (zoo.Cat.__doc__ or "")
    assert msgspec.to_builtins(zoo.Cat(lives=9.0)) == {"type": "cat", "lives": 9.0}
    with pytest.raises(msgspec.ValidationError, match="Invalid value 'cow'"):
        _read(zoo, zoo.Pet, {**WIRE, "kind": {"type": "cow"}})


def test_a_struct_two_unions_would_tag_differently_is_not_tagged_and_the_union_is_widened(zoo: typing.Any, generated: tuple[Path, str]) -> None:
    # Left and Right are told apart by `side` in `either`, Left and Other by `mark` in `both`
    assert zoo.Left.__struct_config__.tag_field is None
    assert (zoo.Right.__struct_config__.tag_field, zoo.Other.__struct_config__.tag_field) == ("side", "mark")
    warnings = " ".join(generated[1].split())
    for prop in ("either", "both"):
        assert f"property `Pet.{prop}` is " in warnings
        assert typing.get_type_hints(zoo.Pet)[prop] is typing.Any
    assert "which msgspec cannot decode (several object types that are not all structs tagged by one property); typed Any" in warnings
    pet = _read(zoo, zoo.Pet, {**WIRE, "either": {"side": "left", "mark": "l"}, "both": {"side": "left", "mark": "o"}})
    assert pet.either == {"side": "left", "mark": "l"}  # Any: the value as JSON carries it


def test_an_answer_msgspec_cannot_decode_is_any(zoo: typing.Any, generated: tuple[Path, str]) -> None:
    assert typing.get_type_hints(zoo.Pets.pick)["return"] is typing.Any
    assert typing.get_type_hints(zoo.Pets.create)["return"] is zoo.Pet
    assert "the answer of `Pets.pick` is `Left | Other`, which msgspec cannot decode" in " ".join(generated[1].split())


def test_generic_and_recursive_structs(zoo: typing.Any) -> None:
    boxes = _read(zoo, zoo.Boxes, {"ints": {"value": 1, "next": {"value": 2, "next": None}}})
    assert boxes.ints.next.value == 2 and boxes.ints.next.next is None
    with pytest.raises(msgspec.ValidationError, match="Expected `float`, got `str`"):
        _read(zoo, zoo.Box[float], {"value": "s"})


def test_a_recursive_alias_is_any_to_msgspec(zoo: typing.Any, generated: tuple[Path, str]) -> None:
    # a TypeAliasType's value names itself in strings, which msgspec does not resolve there
    boxes = _read(zoo, zoo.Boxes, {"ints": {"value": 1}, "meta": {"a": [1, "x", None]}})
    assert boxes.meta == {"a": [1, "x", None]}
    assert "property `Boxes.meta` is `Json`, which msgspec cannot decode" in " ".join(generated[1].split())


def test_an_import_cycle_and_a_base_in_another_module(zoo: typing.Any) -> None:
    owners = importlib.import_module("zoo.owners")
    assert issubclass(owners.Owner, owners.Person)
    pet = _read(zoo, zoo.Pet, {**WIRE, "owner": {"name": "Ann", "pets": [{"name": "Tom", "kind": {"type": "cat", "lives": 3}}]}})
    assert isinstance(pet.owner, owners.Owner) and isinstance(pet.owner.pets[0].kind, zoo.Cat)


def test_a_struct_of_several_bases_declares_their_fields(zoo: typing.Any, generated: tuple[Path, str]) -> None:
    assert zoo.Tag.__bases__ == (importlib.import_module("zoo._runtime").Struct,)  # two structs' slots cannot share a layout
    tag = _read(zoo, zoo.Tag, {"id": "1", "label": "l"})
    assert (tag.id, tag.label, tag.age) == ("1", "l", msgspec.UNSET)
    assert "`Tag` extends several interfaces: its msgspec struct declares the fields it inherits" in " ".join(generated[1].split())
    assert issubclass(importlib.import_module("zoo.owners").Owner, importlib.import_module("zoo.owners").Person)  # one base: a subclass


def test_parameters_stay_typeddicts(zoo: typing.Any) -> None:
    assert zoo.PetCreateParams.__required_keys__ == frozenset({"name"})


def test_type_checkers_accept_the_structs_and_what_uses_them(generated: tuple[Path, str]) -> None:
    (generated[0] / "zoo" / "use.py").write_text(USE)
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(generated[0], "zoo")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out
