"""Whole-process benchmark of tsgen, side by side with its peers; writes benchmarks/RESULTS.md.

Usage: python benchmarks/generate.py [--runs N] [--only CASE ...] [--no-peers] [--quick] [--large DIR] [--out FILE]

Cases (benchmarks/cases.py): seed, cold, cold-ruff and black-alone (when tsgen has --formatter),
unchanged, check, one-file, template, 10x, openai-7, large and large-ruff (with --large DIR: DIR/resources, --root DIR).
Peers (benchmarks/peers.py, installed pinned under benchmarks/.peers/ on first use): ts2python,
quicktype, tsjsg-datamodel. Never part of the test suite (tests/test_bench.py runs `--quick --runs 1`).
Nothing here asserts a time: it measures and reports.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import traceback
from pathlib import Path

import cases as tsgen_cases
import peers as peer_tools
import report
from measure import Stats, run

CASE_NAMES = ["seed", "cold", "cold-ruff", "black-alone", "unchanged", "check", "one-file", "template", "10x", "openai-7", "large", "large-ruff"]
PEER_NAMES = [p.name for p in peer_tools.PEERS]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each tsgen case (default 5)")
    parser.add_argument("--only", nargs="+", metavar="CASE", choices=CASE_NAMES + PEER_NAMES,
                        help=f"only these cases and peers: {', '.join(CASE_NAMES + PEER_NAMES)}")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers")
    parser.add_argument("--quick", action="store_true", help="the seed case only, no peers (a smoke run)")
    parser.add_argument("--large", type=Path, metavar="DIR", help="also DIR/resources of a large SDK package, cold")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md", help="the markdown file written")
    args = parser.parse_args(argv)
    if args.quick:
        args.only, args.no_peers = ["seed"], True
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def time_case(case: tsgen_cases.Case, runs: int) -> Stats:
    """`prepare` once, then `runs` timed runs (each after its untimed `before`); a failure ends the case, not the benchmark."""
    stats = Stats()
    try:
        case.prepare()
        stats.files = case.files
        for i in range(runs):
            case.before(i)
            sample = run([case.argv], case.cwd, case.env)
            if not sample.ok:
                stats.failure = f"exit {sample.codes[0]}: {sample.error}"
                break
            stats.samples.append(sample)
            print(f"  {case.name} run {i + 1}: {sample.seconds:.2f} s, {sample.rss_kib / 1024:.0f} MiB", flush=True)
    except Exception as exc:  # a broken setup is a row of the table, not the end of the benchmark
        traceback.print_exc()
        stats.failure = f"{type(exc).__name__}: {exc}"[:160]
    return stats


def run_peers(wanted: list[str], work: Path) -> list[peer_tools.PeerResult]:
    selected = [p for p in peer_tools.PEERS if p.name in wanted]
    if not selected:
        return []
    failure = peer_tools.install()
    sources = sorted(tsgen_cases.count_sources(tsgen_cases.OPENAI_4 / "resources"))
    results = []
    for peer in selected:
        print(f"{peer.name}: {len(sources)} files", flush=True)
        if failure:
            results.append(peer_tools.PeerResult(peer, files=len(sources), failure=failure))
            continue
        try:
            results.append(peer_tools.run_peer(peer, sources, work / "peers"))
        except Exception as exc:
            traceback.print_exc()
            results.append(peer_tools.PeerResult(peer, files=len(sources), failure=f"{type(exc).__name__}: {exc}"[:160]))
    return results


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    wanted = args.only or [n for n in CASE_NAMES if not n.startswith("large") or args.large] + PEER_NAMES
    load_before = report.load()
    with tempfile.TemporaryDirectory(prefix="tsgen-bench-") as tmp:
        work = Path(tmp)
        tsgen = tsgen_cases.Tsgen(work)
        built = {c.name: c for c in tsgen_cases.build(tsgen, work, args.large)}
        skipped = [f"{name} (tsgen has no --formatter none|ruff)" for name in wanted if name in ("cold-ruff", "black-alone") and name not in built]
        skipped += [f"{n} (no --large DIR given)" for n in ("large", "large-ruff") if n in wanted and n not in built]
        measured = []
        for case in built.values():
            if case.name in wanted:
                print(f"{case.name}: {case.label}", flush=True)
                measured.append((case, time_case(case, args.runs)))
        found = run_peers([] if args.no_peers else wanted, work)
    command = "python benchmarks/generate.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    results = report.Results(command.strip(), args.runs, measured, found, skipped, load_before)
    report.write(args.out, results)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
