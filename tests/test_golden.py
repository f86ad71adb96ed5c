"""Golden files: the whole output for the seed and for input/ in each model type.

Regenerate on purpose with `make golden` (TSGEN_UPDATE_GOLDEN=1), then review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GENERATED, INPUT, ROOT, SEED
from util import generate, write_tree

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TSGEN_UPDATE_GOLDEN") == "1"

CASES = {
    "seed": lambda: generate(SEED.parent, ("sessions.d.ts",), package="seedpkg"),
    "realtime-typeddict": lambda: generate(INPUT, model_type="typeddict"),
    "realtime-dataclass": lambda: generate(INPUT, model_type="dataclass"),
    "realtime-pydantic": lambda: generate(INPUT, model_type="pydantic"),
    "realtime-msgspec": lambda: generate(INPUT, model_type="msgspec"),
}


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


_STAMP = re.compile(rb'^  "stamp": "[0-9a-f]{64}",$', re.MULTILINE)


def _without_stamp(files: dict[str, bytes]) -> dict[str, bytes]:
    """The manifest's stamp fingerprints tsgen's own code (tests/test_freshness.py checks it):
    it changes with any edit to tsgen, so the golden manifests hold a placeholder."""
    manifest = "tsgen-manifest.json"
    if manifest not in files:
        return files
    return {**files, manifest: _STAMP.sub(b'  "stamp": "<stamp of the tsgen that wrote it>",', files[manifest], count=1)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str) -> None:
    files = _without_stamp(CASES[case]().files)
    expected_dir = GOLDEN / case
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        write_tree(expected_dir, files)
    assert _tree(expected_dir) == files, f"output for {case} changed; review and run `make golden`"


def test_generated_dir_is_what_the_config_produces() -> None:
    """generated/ (the committed bindings) equals a fresh run with the project's configuration."""
    result = subprocess.run([sys.executable, "-m", "tsgen", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (GENERATED / "openai_realtime" / "py.typed").is_file()


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_output_type_checks(case: str, tmp_path: Path) -> None:
    """Each golden tree passes mypy --strict (pyright runs on generated/ in `make test`)."""
    write_tree(tmp_path, CASES[case]().files)
    package = next(p.name for p in tmp_path.iterdir() if p.is_dir())
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
