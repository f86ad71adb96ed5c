"""The tsgen cases: what each one prepares (untimed) and the `tsgen` process it times."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # as for the tests: ../shared beside the checkout
SEED = SHARED / "seeds" / "sessions.d.ts"
OPENAI_4 = SHARED / "corpus" / "openai-4.104.0"
OPENAI_7 = SHARED / "corpus" / "openai-7.59.0"
EDITED_INPUT = "resources/batches.d.ts"  # a leaf resource: what one edited file costs
EDITED_TEMPLATE = "module.py.jinja"  # every module is laid out by it
SYNTHETIC_COPIES = 10


def _noop(run: int) -> None:
    pass


@dataclass
class Case:
    """One row of the table: `prepare` once and `before` each run, untimed; then `argv` is timed."""

    name: str
    label: str
    inputs: list[Path]
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    prepare: Callable[[], None] = lambda: None
    before: Callable[[int], None] = _noop
    cold: bool = False

    @property
    def files(self) -> int:
        """The .d.ts files converted (counted once prepared: some inputs are copies made then)."""
        return count_dts(*self.inputs)


def count_sources(*inputs: Path) -> list[Path]:
    """The .d.ts files tsgen converts for these inputs (files, or directories walked, without node_modules)."""
    return [f for d in inputs for f in ([d] if d.is_file() else d.rglob("*.d.ts")) if "node_modules" not in f.parts]


def count_dts(*inputs: Path) -> int:
    return len(count_sources(*inputs))


class Tsgen:
    """`python -m tsgen` of this checkout, with what its `generate --help` says it supports."""

    def __init__(self, work: Path) -> None:
        self.work = work
        # As an installed tsgen has (pip compiles on install), and as a shell with
        # PYTHONDONTWRITEBYTECODE set would never write: tsgen's bytecode, before any timing.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tsgen")], check=True, capture_output=True)
        help_text = subprocess.run(self.command("generate", "--help"), capture_output=True, text=True, env=self.env(work)).stdout
        self.has_cache_dir = "--cache-dir" in help_text
        self.has_formatter = "--formatter" in help_text and "none" in help_text and "ruff" in help_text

    @staticmethod
    def command(*args: str) -> list[str]:
        return [sys.executable, "-m", "tsgen", *args]

    @staticmethod
    def env(case_dir: Path) -> dict[str, str]:
        """This checkout's tsgen first; every cache (tsgen's, black's, ruff's, XDG) under the case's directory."""
        path = os.environ.get("PYTHONPATH")
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""),
            "TSGEN_CACHE_DIR": str(case_dir / "cache"),
            "XDG_CACHE_HOME": str(case_dir / "xdg"),
            "BLACK_CACHE_DIR": str(case_dir / "xdg" / "black"),
            "RUFF_CACHE_DIR": str(case_dir / "xdg" / "ruff"),
        }

    def case(self, name: str, label: str, inputs: list[Path], root: Path, *extra: str, verb: str = "generate",
             case_dir: Path | None = None, cold: bool = False) -> Case:
        """`tsgen VERB inputs` writing into (and caching under) `case_dir`, by default the case's own."""
        case_dir = case_dir or self.work / name
        (case_dir / "cwd").mkdir(parents=True, exist_ok=True)
        argv = self.command(verb, *map(str, inputs), "--root", str(root), "-o", str(case_dir / "out"), "--package", "bench_sdk", *extra)
        if self.has_cache_dir:
            argv += ["--cache-dir", str(case_dir / "cache")]
        return Case(name, label, inputs, argv, case_dir / "cwd", self.env(case_dir), cold=cold)


def clear(case: Case) -> None:
    """Cold: no output, no cache of any kind, a fresh working directory."""
    case_dir = case.cwd.parent
    for sub in ("out", "cache", "xdg", "cwd"):
        shutil.rmtree(case_dir / sub, ignore_errors=True)
    case.cwd.mkdir()


def warm(case: Case) -> None:
    """One untimed run, so that the timed ones find the output (and any cache) of a previous run."""
    clear(case)
    subprocess.run(case.argv, cwd=case.cwd, env=case.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def _clearing(case: Case) -> Callable[[int], None]:
    return lambda run: clear(case)


def _copy_package(source: Path, dest: Path, copies: int = 1) -> None:
    """The package copied to `dest`, its resources/ tree `copies` times (resources, resources_2, ...)."""
    if not dest.exists():
        shutil.copytree(source, dest)
        for i in range(2, copies + 1):
            shutil.copytree(source / "resources", dest / f"resources_{i}")


def _edit_input(file: Path) -> Callable[[int], None]:
    """A doc comment edited (a different text each run): its module's Python changes, as with a real edit."""
    def before(run: int) -> None:
        text = file.read_text()
        assert "/**" in text, f"{file} has no doc comment to edit"
        file.write_text(text.replace("/**", f"/** Benchmark edit {run}.", 1))
    return before


def _edit_template(directory: Path) -> Callable[[int], None]:
    def before(run: int) -> None:
        original = (ROOT / "templates" / EDITED_TEMPLATE).read_text()
        (directory / EDITED_TEMPLATE).write_text(f"{{# benchmark edit {run} #}}" + original)
    return before


def _black_alone(tsgen: Tsgen, work: Path, cold: Case) -> Case:
    """black by itself, one process, on the unformatted output of the cold case (tsgen --formatter none)."""
    case_dir = work / "black-alone"
    unformatted, tree = case_dir / "unformatted", case_dir / "cwd" / "tree"

    def prepare() -> None:
        argv = [a if a != str(cold.cwd.parent / "out") else str(unformatted) for a in cold.argv]
        done = subprocess.run([*argv, "--formatter", "none"], cwd=cold.cwd, env=cold.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"tsgen --formatter none: exit {done.returncode}: {(done.stderr.splitlines() or [''])[-1][:120]}")

    def before(run: int) -> None:
        shutil.rmtree(tree, ignore_errors=True)
        shutil.rmtree(case_dir / "xdg", ignore_errors=True)
        shutil.copytree(unformatted, tree)

    (case_dir / "cwd").mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "black", "-q", "--workers", "1", str(tree)]
    return Case("black-alone", "black alone on that output unformatted (1 process)", cold.inputs, argv, case_dir / "cwd",
                tsgen.env(case_dir), prepare, before)


def build(tsgen: Tsgen, work: Path, large: Path | None = None) -> list[Case]:
    """Every case, in table order (nothing is copied or run until a case's `prepare`)."""
    copy, tenx = work / "corpus" / "openai", work / "corpus" / "openai-10x"
    o4 = [OPENAI_4 / "resources"]
    cold = tsgen.case("cold", "openai 4.104.0 resources/, cold", o4, OPENAI_4, cold=True)
    unchanged = tsgen.case("unchanged", "the same again, nothing changed", o4, OPENAI_4)
    check = tsgen.case("check", "`tsgen check` on it, nothing changed", o4, OPENAI_4, verb="check", case_dir=work / "unchanged")
    one = tsgen.case("one-file", f"the same after one input changed ({EDITED_INPUT})", [copy / "resources"], copy)
    templates = work / "templates"
    template = tsgen.case("template", f"the same after a template changed ({EDITED_TEMPLATE})", o4, OPENAI_4,
                          "--templates", str(templates))
    synthetic = tsgen.case("10x", f"synthetic {SYNTHETIC_COPIES}× openai 4.104.0, cold",
                           [tenx / "resources"] + [tenx / f"resources_{i}" for i in range(2, SYNTHETIC_COPIES + 1)], tenx, cold=True)
    cases = [
        tsgen.case("seed", "seed file (sessions.d.ts), cold", [SEED], SEED.parent, cold=True),
        cold,
        unchanged, check, one, template, synthetic,
        tsgen.case("openai-7", "openai 7.59.0 resources/, cold", [OPENAI_7 / "resources"], OPENAI_7, cold=True),
    ]
    unchanged.prepare = lambda: warm(unchanged)
    check.prepare = lambda: None if (work / "unchanged" / "out").is_dir() else warm(unchanged)

    def prepare_one() -> None:
        _copy_package(OPENAI_4, copy)
        warm(one)
    one.prepare, one.before = prepare_one, _edit_input(copy / EDITED_INPUT)

    def prepare_template() -> None:
        templates.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "templates" / EDITED_TEMPLATE, templates / EDITED_TEMPLATE)
        warm(template)
    template.prepare, template.before = prepare_template, _edit_template(templates)

    synthetic.prepare = lambda: _copy_package(OPENAI_4, tenx, SYNTHETIC_COPIES)
    if large:
        cases.append(tsgen.case("large", f"{large.resolve().name} resources/, cold", [large / "resources"], large, cold=True))
        if tsgen.has_formatter:
            cases.append(tsgen.case("large-ruff", f"{large.resolve().name} resources/, cold, --formatter ruff", [large / "resources"], large,
                                    "--formatter", "ruff", cold=True))
    if tsgen.has_formatter:
        ruff = tsgen.case("cold-ruff", "openai 4.104.0 resources/, cold, --formatter ruff", o4, OPENAI_4, "--formatter", "ruff", cold=True)
        cases[2:2] = [ruff, _black_alone(tsgen, work, cold)]
    for case in cases:
        if case.cold:
            case.before = _clearing(case)
    return cases
