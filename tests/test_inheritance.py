"""`interface B extends A` becomes Python inheritance (tsgen.lower.inheritance), in every form
(dataclass, TypedDict, pydantic model):
subclasses at run time and to mypy --strict and pyright, with the same fields in the same order
as before; where Python cannot say it (a property retyped, bases that disagree) the class keeps
all its fields, with a warning that names the place."""

from __future__ import annotations

import dataclasses
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path

import pydantic
import pytest

from checks import type_errors

SOURCE = """\
export interface Animal {
  /** The name. */
  name: string;
  legs?: number;
}
/** A pet. */
export interface Pet extends Animal {
  owner: string;
}
export interface Dog extends Pet {
  /** The dog's name, redocumented. */
  name: string;
  barks: boolean;
}
export interface Tagged {
  tag: string;
}
export interface TaggedPet extends Pet, Tagged {
  since: number;
}
export interface Narrowed extends Animal {
  legs: 4;
}
export interface Disagree extends Animal, Other {}
export interface Other {
  name: number;
}
export interface Box<T extends Animal> {
  item: T;
}
"""

USE = """\
from kennel.kennel import Animal, Box, Dog, Pet, TaggedPet


def keep(box: Box[Dog]) -> Animal:
    return box{item}


def as_pet(dog: Dog, tagged: TaggedPet) -> list[Pet]:
    return [dog, tagged]
"""


def _generate(tmp_path: Path, model_type: str) -> tuple[Path, str]:
    (tmp_path / "kennel.d.ts").write_text(SOURCE)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "tsgen", "generate", "kennel.d.ts", "-o", str(out), "--package", "kennel", "--model-type", model_type, "--formatter", "ruff", "--warnings", "all"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stderr


@pytest.fixture(params=["dataclass", "typeddict", "pydantic"])
def generated(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path, str, typing.Any]:
    out, stderr = _generate(tmp_path, request.param)
    monkeypatch.syspath_prepend(str(out))
    for name in [n for n in sys.modules if n == "kennel" or n.startswith("kennel.")]:
        del sys.modules[name]
    return request.param, out, stderr, importlib.import_module("kennel.kennel")


CLASSES = ("dataclass", "pydantic")  # the model types whose classes are real classes (attributes, isinstance)


def _extends(cls: type, base: type) -> bool:
    """A subclass (a TypedDict's bases are in `__orig_bases__`: it refuses issubclass)."""
    if dataclasses.is_dataclass(cls) or issubclass(cls, pydantic.BaseModel):
        return issubclass(cls, base)
    parents = getattr(cls, "__orig_bases__", ())
    return base in parents or any(_extends(p, base) for p in parents if hasattr(p, "__required_keys__"))


def _field_names(model_type: str, cls: type) -> list[str]:
    if model_type == "dataclass":
        return [f.name for f in dataclasses.fields(cls)]
    if model_type == "pydantic":
        return list(typing.cast("type[pydantic.BaseModel]", cls).model_fields)
    return list(typing.get_type_hints(cls))


def test_subclasses_with_the_fields_they_had(generated: tuple[str, Path, str, typing.Any]) -> None:
    model_type, _, _, mod = generated
    assert _extends(mod.Pet, mod.Animal) and _extends(mod.Dog, mod.Pet) and _extends(mod.Dog, mod.Animal)
    assert _extends(mod.TaggedPet, mod.Pet) and _extends(mod.TaggedPet, mod.Tagged)
    assert _field_names(model_type, mod.Dog) == ["name", "legs", "owner", "barks"]
    assert _field_names(model_type, mod.TaggedPet) == ["name", "legs", "owner", "tag", "since"]
    if model_type in CLASSES:
        dog = mod.Dog(name="Rex", owner="Ann", barks=True)
        assert isinstance(dog, mod.Animal) and dog.legs is None
        assert list(vars(mod.Dog)["__annotations__"]) == ["name", "barks"]  # name: redeclared for its own doc
    else:
        assert mod.Dog.__required_keys__ == frozenset({"name", "owner", "barks"})


def test_where_python_cannot_say_it_the_class_keeps_all_its_fields(generated: tuple[str, Path, str, typing.Any]) -> None:
    model_type, _, stderr, mod = generated
    assert not _extends(mod.Narrowed, mod.Animal) and not _extends(mod.Disagree, mod.Animal)
    assert _field_names(model_type, mod.Narrowed) == ["name", "legs"]
    assert "kennel.d.ts:21:8: warning: `Narrowed` redeclares property `legs` with another type than its base's" in stderr
    assert "kennel.d.ts:24:8: warning: `Disagree`: its bases disagree on property `name`" in stderr


def test_a_subclass_is_its_base_to_type_checkers(generated: tuple[str, Path, str, typing.Any]) -> None:
    model_type, out, _, _ = generated
    (out / "kennel" / "use.py").write_text(USE.format(item=".item" if model_type in CLASSES else '["item"]'))
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "kennel")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out


# Bases in other modules: imported before the class (`class Dog(_pets.Pet)`), unless the base's
# module imports this one, even through others (then the class keeps all its fields).
MODULES = {
    "animals.d.ts": """\
/** An animal. */
export interface Animal {
  /** The name. */
  name: string;
  legs?: number;
}
export interface Box<T extends Animal> {
  item: T;
}
export interface Toy {
  kind: string;
}
export interface Owned {
  toy?: Toy;
}
""",
    "pets.d.ts": """\
import { Animal } from './animals';
/** A pet. */
export interface Pet extends Animal {
  /** Who feeds it. */
  owner: string;
}
""",
    "dogs/dog.d.ts": """\
import { Pet } from '../pets';
import { Animal, Owned } from '../animals';
/** An optional key naming a type of the package: a TypedDict in another module cannot inherit it. */
export interface Chewer extends Owned {
  teeth: number;
}
export interface Dog extends Pet {
  /** The dog's name, redocumented. */
  name: string;
  barks: boolean;
}
export interface Stray extends Animal {
  found: string;
}
/** A generic interface inherits too. */
export interface Pack<T extends Animal> extends Pet {
  members: T[];
}
""",
    "left.d.ts": """\
import { Right } from './right';
export interface Left {
  right?: Right;
}
""",
    "right.d.ts": """\
import { Left } from './left';
export interface Right extends Left {
  size: number;
}
export interface Sized<T> { size: T }
export interface IntSized extends Sized<number> { unit: string }
""",
}

USE_ACROSS = """\
from kennel.animals import Animal, Box
from kennel.dogs.dog import Dog, Pack
from kennel.pets import Pet


def keep(box: Box[Dog]) -> Animal:
    return box{item}


def lead(pack: Pack[Dog]) -> Pet:
    return pack
"""


@pytest.fixture(params=["dataclass", "typeddict", "pydantic"])
def across(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    for rel, text in MODULES.items():
        (tmp_path / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / rel).write_text(text)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "tsgen", "generate", "src", "-o", str(out), "--package", "kennel", "--model-type", request.param, "--formatter", "ruff", "--warnings", "all"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (out / "stderr.txt").write_text(done.stderr)
    return request.param, out


PROBE = """\
import dataclasses, importlib, json, sys, typing
import pydantic
mod = importlib.import_module(sys.argv[1])
animals, pets = importlib.import_module("kennel.animals"), importlib.import_module("kennel.pets")
dogs, right, left = importlib.import_module("kennel.dogs.dog"), importlib.import_module("kennel.right"), importlib.import_module("kennel.left")
def bases(cls):
    return [b for b in getattr(cls, "__orig_bases__", cls.__bases__) if isinstance(b, type) and b is not object and not b.__module__.endswith("_runtime")]
def hints(cls):
    found = typing.get_type_hints(cls)
    return {k: found[k] for k in cls.model_fields} if issubclass(cls, pydantic.BaseModel) else found
value = {"name": "Rex", "owner": "Ann", "barks": True, "legs": 4}
dog = pydantic.TypeAdapter(dogs.Dog).validate_python(value)
back = pydantic.TypeAdapter(dogs.Dog).dump_python(dog, mode="json", exclude_none=True)
print(json.dumps({
    "dog": [b.__qualname__ + "@" + b.__module__ for b in bases(dogs.Dog)],
    "pet": [b.__qualname__ + "@" + b.__module__ for b in bases(pets.Pet)],
    "stray": [b.__qualname__ + "@" + b.__module__ for b in bases(dogs.Stray)],
    "pack": [b.__qualname__ + "@" + b.__module__ for b in bases(dogs.Pack)],
    "pack_hints": list(hints(dogs.Pack)),
    "chewer": [b.__qualname__ for b in bases(dogs.Chewer)],
    "chewer_hints": {k: str(v) for k, v in hints(dogs.Chewer).items()},
    "right": [b.__qualname__ for b in bases(right.Right)],
    "hints": list(hints(dogs.Dog)),
    "round_trip": back == value,
    "is_animal": isinstance(dog, animals.Animal) if not isinstance(dog, dict) else None,
}))
"""


@pytest.mark.parametrize("first", ["kennel.dogs.dog", "kennel.pets", "kennel.right"])
def test_a_base_of_another_module_is_inherited_whichever_module_is_imported_first(across: tuple[str, Path], first: str) -> None:
    model_type, out = across
    done = subprocess.run([sys.executable, "-c", PROBE, first], cwd=out, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["dog"] == ["Pet@kennel.pets"] and seen["pet"] == ["Animal@kennel.animals"] and seen["stray"] == ["Animal@kennel.animals"]
    assert seen["pack"] == ["Pet@kennel.pets"] and seen["pack_hints"] == ["name", "legs", "owner", "members"]
    assert seen["chewer"] == (["Owned"] if model_type in CLASSES else [])
    assert list(seen["chewer_hints"]) == ["toy", "teeth"] and "Toy" in seen["chewer_hints"]["toy"]
    assert seen["right"] == []  # left.py and right.py import each other: Right keeps Left's fields
    assert seen["hints"] == ["name", "legs", "owner", "barks"] and seen["round_trip"]
    assert seen["is_animal"] in ((True,) if model_type in CLASSES else (None,))
    dog_module = (out / "kennel" / "dogs" / "dog.py").read_text()
    assert "class Dog(_pets.Pet):" in dog_module or "class Dog(_kennel_pets.Pet):" in dog_module, dog_module
    assert "Who feeds it." not in dog_module  # the inherited field's doc stays with its class


def test_a_base_of_another_module_is_a_base_to_type_checkers(across: tuple[str, Path]) -> None:
    model_type, out = across
    (out / "kennel" / "use.py").write_text(USE_ACROSS.format(item=".item" if model_type in CLASSES else '["item"]'))
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "kennel")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out


def test_where_a_base_is_not_inherited_from_a_warning_says_why(across: tuple[str, Path]) -> None:
    _, out = across
    stderr = (out / "stderr.txt").read_text()
    assert "right.d.ts:2:8: warning: `Right` extends `Left` of a module that imports this one (an import cycle)" in stderr, stderr
    assert "right.d.ts:6:8: warning: `IntSized` extends the generic `Sized`: its class declares the fields it inherits" in stderr, stderr
    right = (out / "kennel" / "right.py").read_text()
    assert "class IntSized:" in right or "class IntSized(TypedDict):" in right or "class IntSized(BaseModel):" in right
