"""`interface B extends A` becomes Python inheritance (tsgen.lower.inheritance), in both forms:
subclasses at run time and to mypy --strict and pyright, with the same fields in the same order
as before; where Python cannot say it (a property retyped, bases that disagree) the class keeps
all its fields, with a warning that names the place."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
import typing
from pathlib import Path

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
        [sys.executable, "-m", "tsgen", "generate", "kennel.d.ts", "-o", str(out), "--package", "kennel", "--model-type", model_type, "--formatter", "ruff"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stderr


@pytest.fixture(params=["dataclass", "typeddict"])
def generated(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path, str, typing.Any]:
    out, stderr = _generate(tmp_path, request.param)
    monkeypatch.syspath_prepend(str(out))
    for name in [n for n in sys.modules if n == "kennel" or n.startswith("kennel.")]:
        del sys.modules[name]
    return request.param, out, stderr, importlib.import_module("kennel.kennel")


def _extends(cls: type, base: type) -> bool:
    """A subclass (a TypedDict's bases are in `__orig_bases__`: it refuses issubclass)."""
    if dataclasses.is_dataclass(cls):
        return issubclass(cls, base)
    parents = getattr(cls, "__orig_bases__", ())
    return base in parents or any(_extends(p, base) for p in parents if hasattr(p, "__required_keys__"))


def _field_names(model_type: str, cls: type) -> list[str]:
    if model_type == "dataclass":
        return [f.name for f in dataclasses.fields(cls)]
    return list(typing.get_type_hints(cls))


def test_subclasses_with_the_fields_they_had(generated: tuple[str, Path, str, typing.Any]) -> None:
    model_type, _, _, mod = generated
    assert _extends(mod.Pet, mod.Animal) and _extends(mod.Dog, mod.Pet) and _extends(mod.Dog, mod.Animal)
    assert _extends(mod.TaggedPet, mod.Pet) and _extends(mod.TaggedPet, mod.Tagged)
    assert _field_names(model_type, mod.Dog) == ["name", "legs", "owner", "barks"]
    assert _field_names(model_type, mod.TaggedPet) == ["name", "legs", "owner", "tag", "since"]
    if model_type == "dataclass":
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
    (out / "kennel" / "use.py").write_text(USE.format(item=".item" if model_type == "dataclass" else '["item"]'))
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "kennel")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out
