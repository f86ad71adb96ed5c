"""RESULTS.md: the machine, the commit, the tsgen table, the peers' table, the issue's targets."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cases import ROOT, Case
from measure import Stats
from peers import PeerResult

COLD = "cold"


@dataclass
class Results:
    command: str
    runs: int
    tsgen: list[tuple[Case, Stats]]
    peers: list[PeerResult]
    skipped: list[str]
    load_before: str


def _cpu() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()


def _subject(rev: str) -> str:
    subject = _git("log", "-1", "--format=%s", rev)
    return subject if len(subject) <= 80 else subject[:80].rsplit(" ", 1)[0] + " …"


def _version(module: str) -> str:
    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
    return (done.stdout.strip().splitlines() or ["not installed"])[0].removeprefix("python -m ")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _commit() -> str:
    head = _git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "not a git checkout"
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--", "tsgen", "templates") else ""
    last = _git("log", "-1", "--format=%h", "--abbrev=12", "--", "tsgen", "templates")
    return f"commit `{head}`{dirty}: {_subject('HEAD')}; last change to tsgen/ or templates/: `{last}`"


def machine() -> list[str]:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"- date: {now}",
        f"- tsgen: {_commit()}",
        f"- machine: {os.cpu_count()} cores ({_cpu()}), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {_version('black')}; {_version('ruff')}",
    ]


def _s(x: float) -> str:
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def _ratio(x: float, base: float | None) -> str:
    return f"{x / base:.2f}×" if base else "–"


def _cold(results: Results) -> float | None:
    return next((s.median for c, s in results.tsgen if c.name == COLD and s.samples and not s.failure), None)


def tsgen_table(results: Results) -> list[str]:
    cold = _cold(results)
    rows = ["| case | files | median s | min–max s | peak RSS MiB | tree MiB | × cold |", "|---|--:|--:|--:|--:|--:|--:|"]
    for case, stats in results.tsgen:
        if stats.failure or not stats.samples:
            rows.append(f"| {case.label} | {stats.files} | failed: {stats.failure.replace('|', '/')} | | | | |")
            continue
        rows.append(f"| {case.label} | {stats.files} | {_s(stats.median)} | {_s(min(stats.times))}–{_s(max(stats.times))}"
                    f" | {stats.peak_mib:.0f} | {stats.tree_mib:.0f} | {_ratio(stats.median, cold)} |")
    return rows


def peers_table(results: Results) -> list[str]:
    cold = _cold(results)
    rows = ["| peer | version | files converted | total s | peak RSS MiB | × tsgen cold | why the others failed (files) |",
            "|---|---|--:|--:|--:|--:|---|"]
    for r in results.peers:
        if r.failure:
            rows.append(f"| {r.peer.label} | {r.peer.versions} | – | – | – | – | could not run: {r.failure.replace('|', '/')} |")
            continue
        why = "; ".join(f"{reason[:100]} ({n})" for reason, n in r.reasons.most_common(3)).replace("|", "/")
        rows.append(f"| {r.peer.label} | {r.peer.versions} | {r.converted} of {r.files} | {_s(r.seconds)} | {r.peak_mib:.0f}"
                    f" | {_ratio(r.seconds, cold)} | {why or '–'} |")
    return rows


def _memory_rows(done: dict[str, Stats], name: str) -> tuple[str, str, float | None, float | None, str]:
    """Peak memory of a large run: of its largest single process (the tree's sum counts the pages
    black's worker processes share with each other as many times as there are workers)."""
    return (f"{name}: peak memory, largest process (tree summed: {done[name].tree_mib * 1.048576:.0f} MB)" if name in done
            else f"{name}: peak memory", "≤ 250 MB", done[name].peak_mib * 1.048576 if name in done else None, 250.0, "MB")


def targets(results: Results) -> list[str]:
    """Issue 10's targets against what was measured (a report, not a test)."""
    done = {c.name: s for c, s in results.tsgen if s.samples and not s.failure}
    med = {name: s.median for name, s in done.items()}
    cores = os.cpu_count() or 1
    peers = [r.seconds for r in results.peers if not r.failure and r.samples]
    checks: list[tuple[str, str, float | None, float | None, str]] = [
        ("openai 4.104.0, nothing changed", "≤ 0.3 s", med.get("unchanged"), 0.3, "s"),
        ("openai 4.104.0, one file changed", "≤ 1 s", med.get("one-file"), 1.0, "s"),
        ("openai 4.104.0 cold with black", f"≤ 1.15 × black alone ÷ {cores} cores", med.get(COLD),
         1.15 * med["black-alone"] / cores if "black-alone" in med else None, "s"),
        ("openai 4.104.0 cold with ruff", "≤ 1 s and faster than every peer", med.get("cold-ruff"), min([1.0, *peers]), "s"),
        ("synthetic 10× cold", "≤ 10 × the 1× cold", med.get("10x"), 10 * med[COLD] if COLD in med else None, "s"),
        ("large package (--large) cold with black", "≤ 60 s", med.get("large"), 60.0, "s"),
        ("large package (--large) cold with ruff", "≤ 15 s", med.get("large-ruff"), 15.0, "s"),
        *(_memory_rows(done, name) for name in ("large", "large-ruff")),
    ]
    rows = ["| target | bound | measured | bound value | met |", "|---|---|--:|--:|:-:|"]
    for name, bound, value, limit, unit in checks:
        met = "not measured" if value is None else "–" if limit is None else ("yes" if value <= limit else "**no**")
        shown = [f"{_s(x)} {unit}" if x is not None else "–" for x in (value, limit)]
        rows.append(f"| {name} | {bound} | {shown[0]} | {shown[1]} | {met} |")
    return rows


def write(path: Path, results: Results) -> None:
    text = [
        "# tsgen benchmark",
        "",
        f"Written by `{results.command}`; re-run it to refresh this file (`make bench` runs the whole benchmark).",
        "",
        *machine(),
        f"- load average (1, 5, 15 min) before: {results.load_before}, after: {load()}",
        "",
        "## tsgen",
        "",
        f"Each row: {results.runs} run(s), each a fresh `python -m tsgen` process timed from start to exit; median and",
        "min–max wall time; peak RSS of the largest single process (`wait4`) and of the whole process tree (summed,",
        "sampled every 50 ms); × cold: median ÷ the cold openai 4.104.0 median (for the 10× row: how cost grows).",
        "Cold: no output, no cache, every cache directory (`TSGEN_CACHE_DIR`, `--cache-dir` when tsgen has it,",
        "`XDG_CACHE_HOME`) emptied before each run. The other openai rows follow one untimed run on the same output;",
        "an edit (a sentence added to the first doc comment of the input, a Jinja comment in a copy of the template)",
        "differs on every run. tsgen's bytecode is compiled once before any timing (as pip does on install).",
        "",
        *tsgen_table(results),
        "",
    ]
    if results.peers:
        text += [
            "## Peers, on the openai 4.104.0 resources/ files",
            "",
            "Each input file converted by its own process (or pipeline), once, after one untimed warm-up run;",
            "converted: every exit status 0 and a non-empty module written (and, for ts2python, no error report).",
            "Total: the sum of the per-file times.",
            "",
            *peers_table(results),
            "",
        ]
    text += ["## Issue 10's targets", "", *targets(results), ""]
    if results.skipped:
        text += ["Not measured: " + "; ".join(results.skipped) + ".", ""]
    path.write_text("\n".join(text))
