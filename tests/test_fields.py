"""Every property of every interface, field by field, against the model the parser built:
present, same optionality, same literal values, doc comment kept.

Runs over input/ (the committed generated/ tree, auto mode) and the seed, and over the
TypedDict-only and dataclass-only trees, so both forms are checked for every interface.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pydantic
import pytest

from conftest import GENERATED, INPUT, SEED, import_generated
from introspect import fields
from util import generate, write_tree
from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.program import Found, Program
from tsgen import config as cfg


def _program(root: Path, inputs: list[str]) -> Program:
    program = Program(root, cfg.DEFAULT_RUNTIME_MODULES, Diagnostics())
    for rel in inputs:
        program.load(rel)
    return program


def _interfaces(program: Program) -> dict[tuple[str, str], list[m.Property]]:
    """(source, qualified name) -> properties, own and inherited, for every interface."""
    result: dict[tuple[str, str], list[m.Property]] = {}
    for module in program.modules:
        for path, decls in program.declarations(module).items():
            interfaces = [d for d in decls if isinstance(d, m.Interface)]
            if interfaces and not any(isinstance(d, m.Class) for d in decls):
                result[(module, ".".join(path))] = _properties(program, module, path, interfaces)
    return result


def _properties(program: Program, module: str, path: tuple[str, ...], interfaces: list[m.Interface]) -> list[m.Property]:
    props: dict[str, m.Property] = {}
    for base in (b for i in interfaces for b in i.extends):
        found = program.lookup(module, path[:-1], base.name)
        assert isinstance(found, Found)
        bases = [d for d in found.decls if isinstance(d, m.Interface)]
        props.update({p.name: p for p in _properties(program, found.module, found.path, bases)})
    props.update({p.name: p for i in interfaces for p in i.members if isinstance(p, m.Property)})
    return list(props.values())


def _ts_literals(program: Program, module: str, scope: tuple[str, ...], t: m.TypeExpr | None, depth: int = 0) -> set[object]:
    if t is None or depth > 20:
        return set()
    if isinstance(t, m.LiteralType):
        return {t.value}
    if isinstance(t, (m.UnionType, m.IntersectionType)):
        return set().union(*(_ts_literals(program, module, scope, x, depth) for x in t.members))
    if isinstance(t, m.ParenType):
        return _ts_literals(program, module, scope, t.inner, depth)
    if isinstance(t, m.ArrayType):
        return _ts_literals(program, module, scope, t.element, depth)
    if isinstance(t, m.TypeRef):
        found = program.lookup(module, scope, t.name)
        if isinstance(found, Found):
            aliases = [d for d in found.decls if isinstance(d, m.TypeAlias)]
            if aliases:
                return _ts_literals(program, found.module, found.path[:-1], aliases[0].type, depth + 1)
        return set().union(*(_ts_literals(program, module, scope, a, depth) for a in t.args))
    return set()


def _norm(text: str) -> str:
    return " ".join(text.split())


def _check_tree(out: Path, program: Program, expect_forms: set[str]) -> tuple[int, int]:
    """Checks every property of every interface in each of its forms; returns (properties, checks)."""
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    import_generated(out)
    by_decl: dict[tuple[str, str], list[dict[str, str]]] = {}
    for sym in manifest["symbols"]:
        by_decl.setdefault((sym["source"], sym["ts_name"]), []).append(sym)
    checked = 0
    interfaces = _interfaces(program)
    for (source, ts_name), props in sorted(interfaces.items()):
        symbols = [s for s in by_decl.get((source, ts_name), []) if s["kind"] == "interface"]
        assert symbols, f"{source}: interface {ts_name} missing from the output"
        for sym in symbols:
            module = importlib.import_module(sym["module"])
            cls = getattr(module, sym["python_name"])
            form = "typeddict" if hasattr(cls, "__required_keys__") else "pydantic" if issubclass(cls, pydantic.BaseModel) else "dataclass"
            assert form in expect_forms, f"{ts_name}: unexpected {form}"
            py_fields = fields(cls)
            assert set(py_fields) == {p.name for p in props}, f"{ts_name}: fields differ"
            scope = tuple(ts_name.split("."))[:-1]
            for prop in props:
                where = f"{source}: {ts_name}.{prop.name} ({sym['python_name']}, {form})"
                field = py_fields[prop.name]
                assert field.optional == prop.optional, f"{where}: optionality"
                assert field.literals == _ts_literals(program, source, scope, prop.type), f"{where}: literals"
                if prop.doc is not None:
                    assert _norm(prop.doc.text) in _norm(field.doc), f"{where}: doc comment"
                checked += 1
    total = sum(len(props) for props in interfaces.values())
    print(f"{out}: {len(interfaces)} interfaces, {total} properties, {checked} field checks")
    return total, checked


def test_generated_tree_fields_match_the_model() -> None:
    inputs = sorted(p.relative_to(INPUT).as_posix() for p in INPUT.rglob("*.d.ts"))
    total, checked = _check_tree(GENERATED, _program(INPUT, inputs), {"typeddict", "dataclass"})
    assert total > 400 and checked >= total


@pytest.mark.parametrize(("model_type", "forms"), [("typeddict", {"typeddict"}), ("dataclass", {"dataclass"}), ("pydantic", {"typeddict", "pydantic"})])
def test_each_form_keeps_every_field(model_type: str, forms: set[str], tmp_path: Path) -> None:
    out = write_tree(tmp_path, generate(INPUT, model_type=model_type).files)
    inputs = sorted(p.relative_to(INPUT).as_posix() for p in INPUT.rglob("*.d.ts"))
    total, checked = _check_tree(out, _program(INPUT, inputs), forms)
    assert total > 400 and checked == total


def test_seed_fields_match_the_model(tmp_path: Path) -> None:
    out = write_tree(tmp_path, generate(SEED.parent, ("sessions.d.ts",), package="seedpkg").files)
    total, checked = _check_tree(out, _program(SEED.parent, ["sessions.d.ts"]), {"typeddict", "dataclass"})
    assert total > 50 and checked >= total
