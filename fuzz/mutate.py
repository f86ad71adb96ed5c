"""Mutation fuzzer: random byte edits of the real openai declaration files, each converted by
the `tsgen` command in its own process. tsgen must end with exit 0 and a tree that compiles
and holds only declarations, or exit 1 with `file:line:col:` messages and nothing written;
a traceback, an internal error, another exit status or a hang (60 s) is a failure.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fuzz import checks

CORPUS = checks.ROOT.parent / "shared" / "corpus" / "openai-4.104.0"
TOKENS = [b"{", b"}", b"<", b">", b"(", b")", b"[", b"]", b"|", b"&", b";", b",", b"?", b":", b"=", b"'", b'"', b"`", b"\\",
          b"/**", b"*/", b"//", b"\n", b"\x00", b"\xff", b"\xe2\x80\xa8", b"namespace N ", b"interface ", b"extends ",
          b"export = X;", b"declare global ", b"declare module 'm' ", b"typeof ", b"keyof ", b"infer ", b"readonly ",
          b"import ", b"from '../../../../etc/passwd'", b"/// <reference path=\"/etc/passwd\" />", b"\"\"\"", b"'''",
          b"__init__", b"class ", b"enum ", b"const ", b"type T = T;", b"A.B.C", b"1e400", b"0x", b"${", b"...", b"=>"]
MESSAGE = re.compile(r"^(.+?):\d+:\d+: (error|warning): \S|^tsgen: ")


def corpus_files() -> list[Path]:
    return sorted((CORPUS / "resources").rglob("*.d.ts"))


def mutated(source: bytes, rng: random.Random) -> bytes:
    data = bytearray(source)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(data) + 1)
        op = rng.randrange(6)
        if op == 0 and data:  # flip a byte
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif op == 1:  # insert a token
            data[at:at] = rng.choice(TOKENS)
        elif op == 2:  # delete a range
            del data[at : at + rng.randint(1, 64)]
        elif op == 3 and data:  # duplicate a range elsewhere
            start = rng.randrange(len(data))
            data[at:at] = data[start : start + rng.randint(1, 200)]
        elif op == 4:  # truncate
            del data[at:]
        else:  # repeat a token many times (deep nesting, long unions)
            data[at:at] = rng.choice([b"(", b"{ a: ", b"Array<", b"A | ", b"namespace N { "]) * rng.randint(10, 3000)
    return bytes(data)


def run_case(source: bytes, work: Path) -> tuple[str, str | None]:
    """(outcome, failure or None) for one mutated file."""
    work.mkdir(parents=True)
    (work / "x.d.ts").write_bytes(source)
    try:
        proc = subprocess.run([sys.executable, "-m", "tsgen", "generate", "x.d.ts", "-o", "out", "--package", "pkg", "--warnings", "all"],
                              cwd=work, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "hang", "no answer in 60 s"
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    unclear = [line for line in lines if not MESSAGE.match(line)]
    if proc.returncode == 0:
        try:
            checks.check_tree(work / "out")
        except Exception as exc:  # noqa: BLE001 - any problem with the output is the finding
            return "invalid output", f"exit 0 but the output is not valid: {type(exc).__name__}: {exc}"
        return "converted", ("unclear messages:\n" + "\n".join(unclear[:5])) if unclear else None
    if proc.returncode == 1 and lines and not unclear and any(": error: " in line for line in lines):
        return ("rejected", "an error exit left output behind") if (work / "out").exists() else ("rejected", None)
    return f"exit {proc.returncode}", proc.stderr[-3000:]


def campaign(cases: int, seed: int, jobs: int, on_failure: Callable[[int, bytes, str], None] | None = None) -> tuple[Counter[str], list[tuple[int, str]]]:
    rng = random.Random(seed)
    files = corpus_files()
    sources = [mutated(rng.choice(files).read_bytes(), rng) for _ in range(cases)]
    base = Path(tempfile.mkdtemp(prefix="tsgen-mutate-"))
    outcomes: Counter[str] = Counter()
    failures: list[tuple[int, str]] = []
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for index, (outcome, problem) in enumerate(pool.map(lambda ix: run_case(ix[1], base / str(ix[0])), enumerate(sources))):
                outcomes[outcome] += 1
                shutil.rmtree(base / str(index), ignore_errors=True)
                if problem is not None:
                    failures.append((index, problem))
                    if on_failure is not None:
                        on_failure(index, sources[index], problem)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return outcomes, failures
