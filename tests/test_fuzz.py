"""CI-sized fuzz runs (long runs: `python fuzz/run.py grammar|mutate`, see fuzz/run.py).

Grammar: hypothesis draws declaration files from the constructs tsgen supports; each converts,
compiles, holds only declarations, and round-trips values through its types; then mypy
--strict checks all of them at once. Mutation: random byte edits of the openai files; tsgen
ends in a clean error or a valid output, every time."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import checks, mutate
from fuzz.grammar import Module, modules
from fuzz.packages import Package, packages as cycle_packages

GRAMMAR_EXAMPLES = int(os.environ.get("TSGEN_FUZZ_EXAMPLES", "60"))
MUTATIONS = int(os.environ.get("TSGEN_FUZZ_MUTATIONS", "60"))
CYCLE_EXAMPLES = int(os.environ.get("TSGEN_FUZZ_CYCLES", "25"))


def test_random_declaration_files_convert_compile_type_check_and_round_trip(tmp_path: Path, figures: list[str]) -> None:
    trees: list[Path] = []
    packages: list[str] = []
    sources: list[str] = []
    values = [0]

    @settings(max_examples=GRAMMAR_EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(modules(), st.sampled_from(["typeddict", "dataclass"]))
    def case(module: Module, model_type: str) -> None:
        package = f"fz{len(packages)}"
        sources.append(module.ts())
        out = checks.generate(sources[-1], tmp_path / package, package, model_type)
        checks.check_tree(out)
        values[0] += checks.check_round_trip(module, out, package, len(packages))
        trees.append(out)
        packages.append(package)

    case()
    invalid = checks.tsc_errors(sources, tmp_path)
    assert not invalid, f"the grammar drew TypeScript that tsc rejects:\n{invalid}"
    report = checks.type_check(trees, packages)
    assert not report, report
    figures.append(f"grammar fuzzing: {len(packages)} declaration files (valid for tsc), {values[0]} values round-tripped, mypy --strict clean, 0 failures")


def test_mutated_corpus_files_end_in_a_clean_error_or_a_valid_output(figures: list[str]) -> None:
    outcomes, failures = mutate.campaign(MUTATIONS, seed=2024, jobs=os.cpu_count() or 2)
    figures.append(f"mutation fuzzing: {MUTATIONS} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + f"; {len(failures)} failures")
    assert not failures, failures[:3]
    assert sum(outcomes.values()) == MUTATIONS and outcomes["converted"] + outcomes["rejected"] == MUTATIONS


def test_random_packages_with_import_cycles_import_in_any_order(tmp_path: Path, figures: list[str]) -> None:
    """Files that import each other both ways (aliases of aliases across files, re-exports,
    resources returning other files' types): every generated module imports first, alone."""
    roots: list[Path] = []
    trees: list[Path] = []
    packages: list[str] = []
    counts = [0, 0]

    @settings(max_examples=CYCLE_EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(cycle_packages())
    def case(drawn: Package) -> None:
        name = f"cy{len(packages)}"
        sources = drawn.all_sources()
        out = checks.generate_package(sources, list(drawn.sources()), tmp_path / name, name)
        checks.check_tree(out)
        counts[0] += checks.check_imports_alone(out, name)
        counts[1] += checks.check_package_round_trip(drawn.interfaces, out, len(packages))
        roots.append(tmp_path / name / "src")
        trees.append(out)
        packages.append(name)

    case()
    invalid = checks.tsc_package_errors(roots)
    assert not invalid, f"the grammar drew TypeScript that tsc rejects:\n{invalid}"
    report = checks.type_check(trees, packages)
    assert not report, report
    figures.append(f"import-cycle fuzzing: {len(packages)} packages, {counts[0]} modules each imported first and alone, {counts[1]} values round-tripped, mypy --strict clean")
