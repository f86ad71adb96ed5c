"""Whole-process benchmark of `tsgen generate`: wall time and peak memory, side by side.

Usage: python benchmarks/generate.py [--runs N]
Runs each case N times in a fresh process (no warm state) and prints the median wall time,
the spread, and the peak resident memory of the child process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "openai-4.104.0"


def cases(work: Path) -> dict[str, list[str]]:
    corpus_root = work / "corpus"
    shutil.copytree(CORPUS / "resources", corpus_root / "resources")
    return {
        "realtime input/ (5 files)": ["generate", str(ROOT / "input"), "--root", str(ROOT / "input"), "-o", str(work / "out-rt"), "--package", "rt"],
        "openai corpus resources/ (78 files)": ["generate", str(corpus_root), "--root", str(corpus_root), "-o", str(work / "out-all"), "--package", "oa"],
        "check, realtime (nothing to write)": ["check", str(ROOT / "input"), "--root", str(ROOT / "input"), "-o", str(work / "out-rt"), "--package", "rt"],
    }


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one tsgen process, measured for that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tsgen", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"tsgen {' '.join(args)} failed with {proc.returncode}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"{'case':40} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS MiB':>13}")
        for name, args in cases(work).items():
            times, peak = [], 0
            for _ in range(runs):
                elapsed, rss = run(args, work)
                times.append(elapsed)
                peak = max(peak, rss)
            print(f"{name:40} {statistics.median(times):9.2f} {min(times):7.2f} {max(times):7.2f} {peak / 1024:13.0f}")


if __name__ == "__main__":
    main()
