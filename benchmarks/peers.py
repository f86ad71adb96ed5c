"""The peers, pinned and installed under benchmarks/.peers/, each run once per input file (a fresh process each)."""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import Sample, run

PEERS_DIR = Path(__file__).resolve().parent / ".peers"
VENV_BIN, NPM_BIN = PEERS_DIR / "venv" / "bin", PEERS_DIR / "node" / "node_modules" / ".bin"
PYPI = {"ts2python": "0.8.3", "datamodel-code-generator": "0.89.0"}
NPM = {"quicktype": "26.0.0", "ts-json-schema-generator": "2.10.0"}

Pipeline = Callable[[Path, Path], list[list[str]]]  # (input .d.ts, output .py) -> commands, piped


@dataclass
class Peer:
    name: str
    label: str
    versions: str
    pipeline: Pipeline
    to_stdout: bool = False  # the last command writes the module on stdout (else at the output path / dir)


@dataclass
class PeerResult:
    peer: Peer
    files: int = 0
    converted: int = 0
    samples: list[Sample] = field(default_factory=list)
    reasons: collections.Counter[str] = field(default_factory=collections.Counter)
    failure: str = ""  # the peer could not run at all

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max((s.rss_kib for s in self.samples), default=0) / 1024

    @property
    def tree_mib(self) -> float:
        return max((s.tree_kib for s in self.samples), default=0) / 1024


PEERS = [
    Peer("ts2python", "ts2python", f"ts2python {PYPI['ts2python']}",
         lambda src, out: [[str(VENV_BIN / "ts2python"), str(src), "-o", str(out.parent)]]),
    Peer("quicktype", "quicktype --src-lang typescript --lang python", f"quicktype {NPM['quicktype']}",
         lambda src, out: [[str(NPM_BIN / "quicktype"), "--src-lang", "typescript", "--lang", "python", "-o", str(out), str(src)]]),
    Peer("tsjsg-datamodel", "ts-json-schema-generator → datamodel-codegen",
         f"ts-json-schema-generator {NPM['ts-json-schema-generator']}, datamodel-code-generator {PYPI['datamodel-code-generator']}",
         lambda src, out: [[str(NPM_BIN / "ts-json-schema-generator"), "--path", str(src), "--no-type-check"],
                           [str(VENV_BIN / "datamodel-codegen"), "--input-file-type", "jsonschema",
                            "--output-model-type", "pydantic_v2.BaseModel"]],
         to_stdout=True),
]


def install() -> str:
    """Install the pinned peers once (a stamp records the pins); an error message, or "" when ready."""
    stamp = PEERS_DIR / "installed.json"
    pins = {"pypi": PYPI, "npm": NPM}
    if stamp.is_file() and json.loads(stamp.read_text()) == pins:
        return ""
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(PEERS_DIR / "venv")],
        [str(VENV_BIN / "python"), "-m", "pip", "install", "--quiet", *(f"{k}=={v}" for k, v in PYPI.items())],
        ["npm", "install", "--prefix", str(PEERS_DIR / "node"), "--no-audit", "--no-fund", "--loglevel=error",
         *(f"{k}@{v}" for k, v in NPM.items())],
    ]
    PEERS_DIR.mkdir(exist_ok=True)
    for step in steps:
        print("installing peers:", " ".join(step[:4]), "...", flush=True)
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=1200)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{step[0]}: {exc}"
        if done.returncode != 0:
            return f"{' '.join(step[:4])} failed: {(done.stderr.strip().splitlines() or ['?'])[-1][:160]}"
    stamp.write_text(json.dumps(pins))
    return ""


def _converted(out: Path, sample: Sample) -> bool:
    """Exit status 0 everywhere, a non-empty module written, and no error report beside it (ts2python's)."""
    modules = [p for p in out.parent.glob("*.py") if p.read_text(errors="replace").strip()]
    return sample.ok and bool(modules) and not any("ERRORS" in p.name for p in out.parent.iterdir())


def _reason(src: Path, out_dir: Path, sample: Sample) -> str:
    """Why a file was not converted, in words that repeat across files (no paths, positions or quoted source)."""
    reports = [p.read_text(errors="replace") for p in out_dir.iterdir() if "ERRORS" in p.name]
    text = next((line for report in reports for line in report.splitlines() if line.strip()), sample.error)
    text = re.sub(r"^:\d+:\d+:", "", text.replace(str(src), "").replace(str(out_dir), "").strip())
    text = re.sub(r"»[^«]*«", "»…«", re.sub(r"\d+", "N", text)).strip(": ")
    return text or "no module written"


def _once(peer: Peer, src: Path, out_dir: Path) -> tuple[Sample, str]:
    """One file converted; the reason it was not, or ""."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    out = out_dir / "out.py"
    sample = run(peer.pipeline(src, out), cwd=out_dir, stdout=out if peer.to_stdout else None)
    return sample, "" if _converted(out, sample) else _reason(src, out_dir, sample)


def run_peer(peer: Peer, sources: list[Path], work: Path) -> PeerResult:
    """Each input file converted in its own process(es); one untimed warm-up first (first-run compilation)."""
    result = PeerResult(peer, files=len(sources))
    missing = [argv[0] for argv in peer.pipeline(sources[0], work / "x.py") if not Path(argv[0]).exists()]
    if missing:
        result.failure = f"not installed: {', '.join(missing)}"
        return result
    _once(peer, sources[0], work / peer.name / "warm-up")
    for i, src in enumerate(sources):
        sample, reason = _once(peer, src, work / peer.name / str(i))
        result.samples.append(sample)
        if reason:
            result.reasons[reason] += 1
        else:
            result.converted += 1
    return result
