"""Reproducible output: byte-identical trees from 10 runs that differ in PYTHONHASHSEED, in the
order the input files were created (so directory listings come back in other orders), in the
absolute path of the input, in the working directory and the way paths are given, in locale
and time zone."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, INPUT

RUNS = 10


def _copy_shuffled(source: Path, target: Path, rng: random.Random) -> None:
    files = [p for p in source.rglob("*") if p.is_file()]
    rng.shuffle(files)
    for file in files:
        dest = target / file.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, dest)


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_ten_runs_write_the_same_bytes(tmp_path: Path, figures: list[str]) -> None:
    rng = random.Random(10)
    results: list[dict[str, bytes]] = []
    for run in range(RUNS):
        work = tmp_path / f"run{run}" / ("deeper/" * (run % 3)) / "project"
        _copy_shuffled(INPUT, work / "input", rng)
        # a second copy of the realtime files one level deeper: more files, more imports to resolve
        _copy_shuffled(CORPUS / "resources/beta/realtime", work / "input/extra/realtime", rng)
        env = {**os.environ, "PYTHONHASHSEED": str(rng.randrange(2**32)), "TZ": rng.choice(["UTC", "Asia/Kolkata", "America/St_Johns"]),
               "LC_ALL": rng.choice(["C", "C.UTF-8", "POSIX"])}
        if run % 2:  # from inside the project, relative paths
            cwd, args = work, ["input", "-o", "out"]
        else:  # from elsewhere, absolute paths
            cwd, args = tmp_path, [str(work / "input"), "-o", str(work / "out")]
        result = subprocess.run([sys.executable, "-m", "tsgen", "generate", *args, "--package", "pkg"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        results.append(tree(work / "out"))
    assert all(r == results[0] for r in results), [sorted(k for k in r if r.get(k) != results[0].get(k)) for r in results]
    figures.append(f"reproducibility: {RUNS} runs, {len(results[0])} files each, {sum(map(len, results[0].values()))} bytes, all identical")
