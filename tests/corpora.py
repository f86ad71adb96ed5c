"""The version matrix: every package the corpus-wide tests run over (tests/test_corpus.py,
tests/test_differential.py, tests/test_routes.py), and one generated tree per package per
session, shared by those tests.

SDKs have a `js_root` (the package whose .js the route oracle runs) and the constructor options
their client needs (test data). `TSGEN_CORPUS_<NAME>` (name upper-cased, other characters `_`,
e.g. TSGEN_CORPUS_OPENAI_7_59_0) points a corpus at another copy of its declarations."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tsgen.types_versions import other_versions

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NODE_MODULES = ROOT / "tests" / "tsc" / "node_modules"
TYPES = ROOT / "tests" / "types" / "node_modules"
TS_LIB = NODE_MODULES / "typescript" / "lib"


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path  # the package root (--root): its other files are read for names
    converted: str  # the directory converted, relative to root ("" for root itself)
    package: str  # the generated Python package
    js_root: Path | None = None  # an SDK's own .js, run by the route oracle; None: no routes
    client_options: Mapping[str, str] = field(default_factory=dict)  # what its client needs besides apiKey
    routes_min: float = 0.98  # share of routed methods that must send the right verb and path

    @property
    def target(self) -> Path:
        return self.root / self.converted if self.converted else self.root

    def files(self) -> list[str]:
        """The declaration files converted (relative to the root): the target's own, not its
        dependencies' (node_modules) nor those for other compilers (typesVersions)."""
        if self.target.is_file():
            return [self.target.relative_to(self.root).as_posix()]
        others = tuple(prefix for prefix, _ in other_versions(self.target))
        inside = (p.relative_to(self.target) for p in self.target.rglob("*.d.ts"))
        return sorted((self.target / p).relative_to(self.root).as_posix() for p in inside if "node_modules" not in p.parts and not p.as_posix().startswith(others))


def _override(corpus: Corpus) -> Corpus:
    variable = "TSGEN_CORPUS_" + re.sub(r"\W", "_", corpus.name).upper()
    value = os.environ.get(variable)
    if not value:
        return corpus
    return Corpus(corpus.name, Path(value), corpus.converted, corpus.package, corpus.js_root, corpus.client_options, corpus.routes_min)


OPENAI_4 = SHARED / "corpus" / "openai-4.104.0"
OPENAI_7 = SHARED / "corpus" / "openai-7.59.0"
_ALL = [
    # the corpus ships without its vendored parsers: its .js runs from the same release, installed
    Corpus("openai-4.104.0", OPENAI_4, "resources", "oa4", NODE_MODULES / "openai", routes_min=1.0),
    Corpus("openai-7.59.0", OPENAI_7, "resources", "oa7", OPENAI_7, {"adminAPIKey": "test-admin-key"}),
    Corpus("groq-sdk-1.6.0", NODE_MODULES / "groq-sdk", "resources", "groq", NODE_MODULES / "groq-sdk"),
    Corpus("lsp-types", NODE_MODULES / "vscode-languageserver-types/lib/umd", "", "lsptypes"),
    Corpus("lsp-protocol", NODE_MODULES / "vscode-languageserver-protocol/lib/common", "", "lspproto"),
    # declaration packages (tests/types, apart from the SDKs, whose `types="node"` would find them):
    # ambient modules, `declare global`, `global { }` inside them, `export =`, typesVersions
    Corpus("types-node-22.20.7", TYPES / "@types/node", "", "typesnode"),
    Corpus("types-vscode-1.140.0", TYPES / "@types/vscode", "", "typesvscode"),
    # TypeScript's own lib files, from the pinned compiler; lib.dom.d.ts is written in parts
    # (tsgen.lower.parts: pyright gives up on a 175,000-line module, "code is too complex")
    Corpus("lib.es5", TS_LIB, "lib.es5.d.ts", "libes5"),
    Corpus("lib.dom", TS_LIB, "lib.dom.d.ts", "libdom"),
    Corpus("lib.webworker", TS_LIB, "lib.webworker.d.ts", "libwebworker"),
]
CORPORA: dict[str, Corpus] = {c.name: _override(c) for c in _ALL}
SDKS = sorted(name for name, c in CORPORA.items() if c.js_root is not None)


@dataclass(frozen=True)
class Tree:
    """One run of `tsgen generate` over a corpus."""

    corpus: Corpus
    out: Path
    returncode: int
    stderr: str
    seconds: float

    @property
    def manifest(self) -> dict[str, object]:
        data: dict[str, object] = json.loads((self.out / "tsgen-manifest.json").read_text())
        return data

    def check(self) -> Tree:
        assert self.returncode == 0, f"{self.corpus.name}: tsgen generate exited {self.returncode}\n{self.stderr[-3000:]}"
        assert "Traceback" not in self.stderr
        return self


def generate(corpus: Corpus, out: Path, timeout: float = 1800, model_type: str = "auto") -> Tree:
    assert corpus.target.exists(), f"{corpus.target} is missing: run `make setup` (npm ci --prefix tests/tsc and tests/types)"
    start = time.monotonic()
    out.parent.mkdir(parents=True, exist_ok=True)
    # The trees of the styles other than auto are not formatted (most of their generation's
    # time): nothing the corpus tests check depends on the layout; auto's are formatted by black.
    layout = [] if model_type == "auto" else ["--formatter", "none"]
    result = subprocess.run(  # the directory is converted; the package's other files are read for names
        [sys.executable, "-m", "tsgen", "generate", str(corpus.target), "--root", str(corpus.root), "-o", str(out), "--package", corpus.package,
         "--model-type", model_type, "--warnings", "all", *layout],
        capture_output=True, text=True, timeout=timeout, cwd=out.parent,  # not under this repository's [tool.tsgen]
    )
    return Tree(corpus, out, result.returncode, result.stderr, time.monotonic() - start)


# The model types whose trees the corpus-wide tests check: auto (dataclasses and TypedDicts by
# role), pydantic (BaseModels) and msgspec (Structs), both with TypedDicts by role. `typeddict`
# and `dataclass` alone are parts of auto's output, checked on input/ (tests/test_golden.py).
STYLES = ("auto", "pydantic", "msgspec")

# The differential test and the round trips run every style on every corpus. Importing each
# module alone and type-checking, the longest checks, run auto on every corpus and the other
# styles on a CI-sized sample: the SDKs and the LSP packages (openai 7.59.0's 282 modules are
# imported alone in auto only: a minute a style); `make test-styles` (TSGEN_ALL_STYLES=1) runs
# them on every corpus (lib.dom, lib.webworker, lib.es5, @types/node, @types/vscode too).
SAMPLED = {"openai-4.104.0", "openai-7.59.0", "groq-sdk-1.6.0", "lsp-protocol", "lsp-types"}


def style_cases(names: list[str], sample: set[str] = SAMPLED) -> list[tuple[str, str]]:
    """(corpus, style) pairs of one of the longest corpus-wide checks: auto on every corpus, the
    other styles on `sample` (on every corpus with TSGEN_ALL_STYLES=1)."""
    every = os.environ.get("TSGEN_ALL_STYLES") == "1"
    return [(n, s) for s in STYLES for n in names if s == "auto" or every or n in sample]


class Trees:
    """Generated trees by corpus name and model type, made on first use and kept for the session."""

    def __init__(self, base: Path) -> None:
        self._base = base
        self._trees: dict[tuple[str, str], Tree] = {}
        self._lock = threading.Lock()

    def get(self, name: str, model_type: str = "auto") -> Tree:
        with self._lock:
            if (name, model_type) not in self._trees:
                folder = name if model_type == "auto" else f"{name}-{model_type}"
                self._trees[name, model_type] = generate(CORPORA[name], self._base / folder / "out", model_type=model_type)
            return self._trees[name, model_type].check()
