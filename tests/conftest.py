from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from corpora import Trees

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fuzz/ package, shared with the long fuzz runs
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "sessions.d.ts"
CORPUS = SHARED / "corpus" / "openai-4.104.0"
INPUT = ROOT / "input"
GENERATED = ROOT / "generated"
PACKAGE = "openai_realtime"

# The tests read warnings from stderr line by line: every run they start lists them all, as
# `--warnings all` does (tests/test_reporting.py runs without it, for the summary).
os.environ["TSGEN_WARNINGS"] = "all"


@pytest.fixture(scope="session", autouse=True)
def _shared_present() -> None:
    assert SEED.is_file(), f"{SEED} is missing: the tests need ../shared beside the checkout"


def import_generated(out: Path) -> None:
    """Put a generated tree first on sys.path, dropping modules of an earlier tree of the same package."""
    for name in list(sys.modules):
        if name == PACKAGE or name.startswith(PACKAGE + ".") or name == "seedpkg" or name.startswith("seedpkg."):
            del sys.modules[name]
    sys.path.insert(0, str(out))


@pytest.fixture(scope="session")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Trees:
    """One generated tree per corpus (tests/corpora.py), shared by every test of the session."""
    return Trees(tmp_path_factory.mktemp("corpora"))


_FIGURES = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FIGURES] = []


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> list[str]:
    """Lines a test measured (counts over a corpus); printed in the run's summary, so CI shows them."""
    return request.config.stash[_FIGURES]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(_FIGURES, [])
    if lines:
        terminalreporter.section("figures measured by the tests")
        for line in lines:
            terminalreporter.write_line(line)
