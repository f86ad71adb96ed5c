"""Long fuzz runs, outside the test suite (which keeps CI-sized runs in tests/test_fuzz.py).

    python fuzz/run.py grammar --examples 2000 [--seed N]
    python fuzz/run.py mutate --cases 5000 [--seed N] [--jobs 8]

Prints the number of cases run and the failures found; each failing case is saved under
fuzz/failures/ (the .d.ts and what went wrong) so that it can be replayed and turned into a
test. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz import checks, mutate  # noqa: E402
from fuzz.grammar import Module, modules  # noqa: E402

FAILURES = ROOT / "fuzz" / "failures"
warnings.filterwarnings("ignore", message="Generating overly large repr")  # hypothesis, on big drawn modules


def _save(kind: str, index: int, source: bytes, problem: str) -> None:
    FAILURES.mkdir(parents=True, exist_ok=True)
    (FAILURES / f"{kind}-{index}.d.ts").write_bytes(source)
    (FAILURES / f"{kind}-{index}.txt").write_text(problem)


def run_grammar(examples: int, seed: int, type_check_every: int) -> tuple[int, int]:
    work = Path(tempfile.mkdtemp(prefix="tsgen-fuzz-"))
    state = {"cases": 0, "failures": 0, "values": 0, "invalid": 0}
    pending: list[tuple[Path, str, bytes]] = []

    def flush() -> None:
        invalid = checks.tsc_errors([s.decode() for _, _, s in pending], work)
        if invalid:  # a fault of the grammar, not of tsgen: reported apart
            state["invalid"] += 1
            _save("grammar-invalid-ts", state["cases"], b"\n\n".join(s for _, _, s in pending), invalid)
        report = checks.type_check([p for p, _, _ in pending], [n for _, n, _ in pending])
        if report:
            state["failures"] += 1
            _save("grammar-mypy", state["cases"], b"\n\n".join(s for _, _, s in pending), report)
        for path, _, _ in pending:
            shutil.rmtree(path.parent, ignore_errors=True)
        pending.clear()

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(modules(), st.sampled_from(["typeddict", "dataclass"]))
    def case(module: Module, model_type: str) -> None:
        state["cases"] += 1
        package, source = f"fz{state['cases']}", module.ts()
        try:
            out = checks.generate(source, work / package, package, model_type)
            checks.check_tree(out)
            state["values"] += checks.check_round_trip(module, out, package, state["cases"])
        except Exception:
            state["failures"] += 1
            _save("grammar", state["cases"], source.encode(), f"model type {model_type}\n" + traceback.format_exc())
            return
        pending.append((out, package, source.encode()))
        if len(pending) >= type_check_every:
            flush()

    hypothesis_seed(seed)(case)()
    flush()
    print(f"grammar: {state['cases']} cases, {state['values']} values round-tripped, {state['failures']} failures"
          f" ({state['invalid']} batches where tsc rejected what the grammar drew)")
    return state["cases"], state["failures"]


def run_mutate(cases: int, seed: int, jobs: int) -> tuple[int, int]:
    outcomes, failures = mutate.campaign(cases, seed, jobs, on_failure=lambda i, src, why: _save("mutate", i, src, why))
    print(f"mutate: {cases} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + f"; {len(failures)} failures")
    return cases, len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fuzzer", choices=["grammar", "mutate"])
    parser.add_argument("--examples", "--cases", type=int, default=1000, dest="count")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--type-check-every", type=int, default=50, help="grammar: cases per mypy --strict run")
    args = parser.parse_args()
    print(f"seed {args.seed}")
    if args.fuzzer == "grammar":
        _, failed = run_grammar(args.count, args.seed, args.type_check_every)
    else:
        _, failed = run_mutate(args.count, args.seed, args.jobs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
