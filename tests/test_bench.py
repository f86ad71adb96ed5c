"""The benchmark script (benchmarks/generate.py) keeps working: a smoke run of its cheapest case, and the
measuring it relies on. Nothing here looks at how long anything took."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark's modules import each other as a script's do

import cases  # noqa: E402
import generate  # noqa: E402
from measure import run  # noqa: E402

PY = sys.executable


def test_quick_run_writes_the_seed_row_and_the_commit(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([PY, str(ROOT / "benchmarks" / "generate.py"), "--quick", "--runs", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| seed file"))
    label, files, median, spread, rss, tree, ratio = (cell.strip() for cell in row.strip("|").split("|"))
    assert files == "1"
    assert float(median) > 0 and float(rss) > 0 and float(tree) >= float(rss)  # measured, not "failed: ..."
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert f"commit `{head}`" in text and f"{os.cpu_count()} cores" in text
    assert "## Peers" not in text  # --quick runs no peer


def test_a_failing_run_is_recorded_and_ends_only_its_case(tmp_path: Path) -> None:
    argv = [PY, "-c", "import sys; print('first line'); sys.stderr.write('x\\nerror: it broke\\n'); sys.exit(3)"]
    case = cases.Case("broken", "broken", [], argv, tmp_path, dict(os.environ))
    stats = generate.time_case(case, runs=3)
    assert stats.failure == "exit 3: error: it broke"
    assert stats.samples == []


def test_a_pipeline_feeds_each_output_into_the_next_and_reports_every_status(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    sample = run([[PY, "-c", "print('schema')"], [PY, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper()); sys.exit(2)"]],
                 cwd=tmp_path, stdout=out)
    assert out.read_text() == "SCHEMA\n"
    assert sample.codes == [0, 2] and not sample.ok
