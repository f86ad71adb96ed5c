"""Timing one process (or a pipeline of two): wall time, peak RSS, exit codes, last error line."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

SAMPLE_EVERY_S = 0.05


@dataclass
class Sample:
    """One timed run: wall seconds, peak RSS of the largest process (wait4) and of the whole tree (sampled)."""

    seconds: float
    rss_kib: int
    tree_kib: int
    codes: list[int]
    error: str = ""

    @property
    def ok(self) -> bool:
        return all(code == 0 for code in self.codes)


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)
    failure: str = ""
    files: int = 0  # .d.ts files converted

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024

    @property
    def tree_mib(self) -> float:
        return max(s.tree_kib for s in self.samples) / 1024


def _tree_rss_kib(root: int) -> int:
    """Resident memory of `root` and all its descendants now (Linux /proc; 0 elsewhere)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        for task in tasks:
            try:
                stack.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                pass
    return total


class _TreeSampler(threading.Thread):
    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.done = pids, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(_tree_rss_kib(pid) for pid in self.pids))
            self.done.wait(SAMPLE_EVERY_S)


def _last_error_line(path: Path) -> str:
    lines = [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return ((errors or lines or [""])[-1])[:160]


def run(
    commands: list[list[str]],
    cwd: Path,
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
) -> Sample:
    """Run `commands` as a pipeline (each one's stdout into the next), the last one's stdout into `stdout`."""
    with tempfile.TemporaryDirectory() as tmp:
        errs = [Path(tmp, f"stderr{i}") for i in range(len(commands))]
        final = open(stdout, "wb") if stdout else open(os.devnull, "wb")
        procs: list[subprocess.Popen[bytes]] = []
        start = time.perf_counter()
        with final:
            previous: IO[bytes] | int = subprocess.DEVNULL
            for i, (argv, err) in enumerate(zip(commands, errs)):
                last = i == len(commands) - 1
                with open(err, "wb") as err_file:
                    proc = subprocess.Popen(
                        argv, cwd=cwd, env=env, stdin=previous, stdout=final if last else subprocess.PIPE, stderr=err_file
                    )
                if procs and procs[-1].stdout:
                    procs[-1].stdout.close()  # only the next process holds the pipe now
                procs.append(proc)
                previous = proc.stdout if proc.stdout else subprocess.DEVNULL
            sampler = _TreeSampler([p.pid for p in procs])
            sampler.start()
            codes, rss = [], 0
            for proc in procs:
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                codes.append(proc.returncode)
                rss = max(rss, usage.ru_maxrss)  # KiB on Linux: the largest of the child and its waited-for children
            elapsed = time.perf_counter() - start
            sampler.done.set()
            sampler.join()
        failed = [err for err, code in zip(errs, codes) if code != 0]
        error = _last_error_line(failed[0]) if failed else ""
        return Sample(elapsed, rss, max(sampler.peak, rss), codes, error)
