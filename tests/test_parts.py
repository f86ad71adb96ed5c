"""A module too large for a type checker is written in parts (tsgen.lower.parts): users import
from the module as before, every part imports alone (pickle imports a class's own module
first), a class stays with the classes it inherits from, references between parts resolve at
run time and for type checkers, and the manifest and recorded API name the module users see.
lib.dom.d.ts (tests/corpora.py) is the real case: one file of 44,000 fields."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from checks import import_failures, modules, type_errors
from util import generate, write_tree


def _declarations(count: int) -> str:
    """`count` interfaces in chains of five (each extends the one before), each naming a later
    one and an alias of an earlier one, with an alias per interface."""
    out = []
    for i in range(count):
        base = f" extends I{i - 1}" if i % 5 else ""
        out.append(
            f"/** Interface {i}. */\nexport interface I{i}{base} {{\n  /** Field a{i}. */\n  a{i}: string;\n"
            f"  next{i}?: I{(i + 37) % count};\n  items{i}: Array<A{(i * 3) % count}>;\n}}\n"
            f"export type A{i} = I{i} | 'none';\n"
        )
    return "".join(out)


def _convert(tmp_path: Path, count: int, budget: int) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path / "in"
    root.mkdir(parents=True)
    (root / "big.d.ts").write_text(_declarations(count))
    result = generate(root, package="pkg", module_fields=budget)
    return write_tree(tmp_path / "out", result.files), result.files


def test_a_large_module_is_written_in_parts_that_work_alone_and_together(tmp_path: Path) -> None:
    out, files = _convert(tmp_path, 120, 100)
    parts = sorted(p for p in files if p.startswith("pkg/_big_part"))
    assert len(parts) >= 4, sorted(files)
    facade = files["pkg/big.py"].decode()
    assert "class " not in facade
    for i in range(120):  # every name is imported from the module users know
        assert f"import I{i} as I{i}\n" in facade and f"import A{i} as A{i}\n" in facade
    for part in parts:  # a class and its bases in one part: `class I3(I2)` needs I2 at import
        text = files[part].decode()
        for i in range(120):
            if f"class I{i}(I{i - 1})" in text:
                assert f"class I{i - 1}(" in text or f"class I{i - 1}:" in text
    names = modules(out, "pkg")
    assert import_failures(out, names) == {}
    mypy, mypy_out, pyright, pyright_out = type_errors(out, "pkg")
    assert (mypy, pyright) == (0, 0), mypy_out[-2000:] + pyright_out[-2000:]


def test_values_cross_the_parts_and_pickle_from_a_fresh_interpreter(tmp_path: Path) -> None:
    out, _ = _convert(tmp_path, 120, 100)
    script = """
import pickle, sys
from pydantic import TypeAdapter
from pkg.big import I4, I119, A3
assert I4.__module__ != I119.__module__, (I4.__module__, I119.__module__)
assert issubclass(I4, __import__("pkg.big", fromlist=["I0"]).I0)
value = TypeAdapter(I4).validate_python({
    "a0": "x", "a1": "y", "a2": "z", "a3": "w", "a4": "v",
    "items0": [], "items1": [], "items2": [], "items3": ["none"], "items4": [],
    "next4": {"a41": "n", "a40": "m", "items40": [], "items41": [{"a3": "deep", "a2": "d", "a1": "c", "a0": "b", "items0": [], "items1": [], "items2": [], "items3": []}]},
})
assert type(value.next4).__name__ == "I41" and type(value.next4.items41[0]) is A3.__args__[0]
sys.stdout.buffer.write(pickle.dumps(value))
"""
    dumped = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, check=True).stdout
    # a fresh interpreter that never imported pkg.big: unpickling imports the class's own part first
    loaded = subprocess.run([sys.executable, "-c", "import pickle, sys; v = pickle.loads(sys.stdin.buffer.read()); print(type(v).__module__, v.next4.items41[0].a3)"],
                            cwd=out, input=dumped, capture_output=True, check=True).stdout.decode()
    assert loaded.split()[1] == "deep" and loaded.startswith("pkg._big_part")


def test_the_manifest_and_the_api_name_the_module_users_import(tmp_path: Path) -> None:
    out, files = _convert(tmp_path, 120, 100)
    symbols = json.loads(files["tsgen-manifest.json"])["symbols"]
    assert {s["module"] for s in symbols} == {"pkg.big"} and {s["source"] for s in symbols} == {"big.d.ts"}
    assert len(symbols) == 240
    api = files["tsgen-api.json"].decode()
    assert '"big:I119": {' in api and "_big_part" not in api


def test_a_module_under_the_budget_is_one_module_and_the_parts_are_deterministic(tmp_path: Path) -> None:
    _, whole = _convert(tmp_path / "a", 120, 100_000)
    assert not any("_part" in p for p in whole)
    _, first = _convert(tmp_path / "b", 120, 100)
    _, again = _convert(tmp_path / "c", 120, 100)
    assert first == again
