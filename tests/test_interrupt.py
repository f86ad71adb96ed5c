"""Interrupted runs: `tsgen generate` killed (SIGKILL, no chance to clean up) at random points
leaves the output as the old tree or the new one, never a mix; the next run cleans up."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import INPUT
from tsgen import output

KILLS = int(os.environ.get("TSGEN_KILLS", "24"))


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def command(model_type: str) -> list[str]:
    return [sys.executable, "-m", "tsgen", "generate", "input", "-o", "out", "--package", "pkg", "--model-type", model_type]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_killed_run_leaves_the_old_tree_or_the_new_one(tmp_path: Path, figures: list[str]) -> None:
    shutil.copytree(INPUT, tmp_path / "input")
    trees: dict[str, dict[str, bytes]] = {}
    timings: list[float] = []
    for model_type in ("dataclass", "typeddict"):  # both complete trees, timed
        start = time.perf_counter()
        subprocess.run(command(model_type), cwd=tmp_path, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
        trees[model_type] = tree(tmp_path / "out")
    differing = {p for p in trees["dataclass"] if trees["dataclass"].get(p) != trees["typeddict"].get(p)}
    assert len(differing) >= 3  # a mix of the two trees would show
    rng = random.Random(4)
    current, outcomes = "typeddict", {"before the swap": 0, "after the swap": 0, "not at all (the run had ended)": 0}
    for attempt in range(KILLS):
        target = "dataclass" if current == "typeddict" else "typeddict"
        proc = subprocess.Popen(command(target), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt % 2:  # anywhere in the run
            time.sleep(max(timings) * rng.uniform(0.2, 1.1))
        else:  # while it writes: once its staging directory appears, within the next few ms
            _wait_for_staging(tmp_path, proc)
            time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree(tmp_path / "out")
        assert now in (trees[current], trees[target]), "a mix of the old and the new tree"
        if proc.returncode == 0:
            outcomes["not at all (the run had ended)"] += 1
        else:
            outcomes["after the swap" if now == trees[target] else "before the swap"] += 1
        current = target if now == trees[target] else current
    subprocess.run(command(current), cwd=tmp_path, check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input", "out"]  # staging directories removed
    figures.append(f"interrupted runs: {KILLS} SIGKILLs, a mixed tree 0 times; killed " + ", ".join(f"{what}: {n}" for what, n in outcomes.items()))


def _wait_for_staging(directory: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.startswith(".out.tsgen-") for p in directory.iterdir()):
            return
        time.sleep(0.0005)


def test_a_run_killed_between_the_two_renames_of_the_fallback_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the atomic exchange is missing, the swap is two renames; a run killed between them
    leaves the old tree in its staging directory, and the next run puts it back first."""
    out = tmp_path / "out"
    old = {"pkg/__init__.py": b"# old\n", "pkg/a.py": b"A = 1\n", "tsgen-manifest.json": b"{}\n"}
    new = {"pkg/__init__.py": b"# new\n", "pkg/a.py": b"A = 2\n", "tsgen-manifest.json": b"{}\n"}
    output.write(out, old)
    staging = tmp_path / ".out.tsgen-killed"
    staging.mkdir()
    os.replace(out, staging / "old")  # the first rename happened, then the process died
    assert not out.exists()
    monkeypatch.setattr(output, "_exchange", lambda: None)
    assert tree(out) == {}
    output.write(out, old)  # the next run: recovers the old tree, finds it up to date
    assert tree(out) == old and not staging.exists()
    output.write(out, new)  # and the fallback swap itself works
    assert tree(out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unchanged_files_keep_their_mtime_across_a_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    output.write(out, {"pkg/a.py": b"A = 1\n", "pkg/b.py": b"B = 1\n"})
    before = (out / "pkg/a.py").stat().st_mtime_ns
    time.sleep(0.01)
    assert output.write(out, {"pkg/a.py": b"A = 1\n", "pkg/b.py": b"B = 2\n"}) == ["pkg/b.py"]
    assert (out / "pkg/a.py").stat().st_mtime_ns == before


def test_a_link_in_the_old_tree_is_replaced_not_written_through(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside.py"
    output.write(out, {"pkg/a.py": b"A = 1\n"})
    outside.write_bytes(b"# not tsgen's\n")
    (out / "pkg/a.py").unlink()
    (out / "pkg/a.py").symlink_to(outside)
    output.write(out, {"pkg/a.py": b"A = 2\n"})
    assert outside.read_bytes() == b"# not tsgen's\n"
    assert not (out / "pkg/a.py").is_symlink() and (out / "pkg/a.py").read_bytes() == b"A = 2\n"
