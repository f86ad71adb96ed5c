"""What keeps a large package's peak memory down: the parsed program is gone when lowering
returns, by reference counting alone (the CLI freezes what is left out of the collector's way, so
anything left in a cycle would stay to the end of the run); and the manifest, tens of thousands of
entries on a large package, is encoded item by item into the same bytes as `json.dumps`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS
from tsgen.emit import _indented


_LEFT_AFTER_LOWERING = """
import gc, sys
from pathlib import Path
from tsgen import tsmodel
from tsgen.generate import lower_package
from tsgen.options import Options

root = Path(sys.argv[1])
inputs = tuple(sorted(p.relative_to(root).as_posix() for p in (root / "resources").rglob("*.d.ts")))
gc.disable()
lowered = lower_package(Options(root=root, inputs=inputs, package="oa", formatter="none"))
parsed = sorted({type(o).__name__ for o in gc.get_objects() if type(o).__module__ == tsmodel.__name__})
print(len(lowered.modules), parsed, gc.collect())
"""


def test_the_parsed_program_is_freed_without_the_collector() -> None:
    """In a fresh interpreter (this one holds what other tests parsed): with the collector off,
    no parsed declaration is left once lowering returns, and nothing is left in cycles."""
    done = subprocess.run([sys.executable, "-c", _LEFT_AFTER_LOWERING, str(CORPUS)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    modules, parsed, in_cycles = done.stdout.split(" ", 1)[0], *done.stdout.split(" ", 1)[1].rsplit(" ", 1)
    assert int(modules) > 50 and parsed == "[]" and int(in_cycles) == 0, done.stdout


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"empty_list": [], "empty_dict": {}, "n": 0, "none": None, "flag": True},
        {"symbols": [{"source": "a.d.ts", "ts_name": "Ünïcode \"quoted\"\n", "module": "p.a"}], "outputs": {"p/a.py": "00ff"}},
        {"nested": [[1, [2, {}]], {"k": [{"deep": ["x"]}]}], "text": "tab\tand \u2028 line separator"},
    ],
)
def test_the_manifest_encoding_is_json_dumps_indented(doc: dict[str, object]) -> None:
    assert _indented(doc) == (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
