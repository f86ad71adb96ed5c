"""Import every module of a generated tree alone, each in a fresh interpreter: a child forked from
a parent that has loaded only the third-party libraries the generated runtime imports (so that
each child starts fast), never a module of the generated package.

    python tests/import_alone.py OUT MODULE [MODULE ...]   # prints JSON {module: error ("" if it imports)}
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path


def _third_party(out: Path, package: str) -> list[str]:
    """The absolute imports of the generated runtime that are not the package itself."""
    runtime = out / package / "_runtime.py"
    if not runtime.is_file():
        return []
    names: set[str] = set()
    for node in ast.walk(ast.parse(runtime.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] != package)


def _import(module: str) -> str:
    try:
        importlib.import_module(module)
    except BaseException as exc:  # noqa: BLE001 - any failure is the answer
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return last or type(exc).__name__
    return ""


def _spawn(out: Path, module: str) -> str:
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=out, capture_output=True, text=True)
    return proc.stderr.strip().splitlines()[-1] if proc.returncode else ""


def _fork(module: str) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, report, leave without running the parent's exit handlers
        os.close(read)
        os.write(write, _import(module).encode()[:4000])
        os._exit(0)
    os.close(write)
    return pid, read


def import_each(out: Path, modules: list[str], workers: int | None = None) -> dict[str, str]:
    """{module: last line of its import error, "" when it imports} (call from a fresh process)."""
    sys.path.insert(0, str(out))
    if not hasattr(os, "fork"):
        return {m: _spawn(out, m) for m in modules}
    for name in _third_party(out, modules[0].split(".")[0]) if modules else []:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the children report it
    results: dict[str, str] = {}
    running: dict[int, tuple[str, int]] = {}
    pending = list(reversed(modules))
    while pending or running:
        while pending and len(running) < (workers or os.cpu_count() or 2):
            module = pending.pop()
            pid, read = _fork(module)
            running[pid] = (module, read)
        pid, status = os.wait()
        module, read = running.pop(pid)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode(errors="replace")
        results[module] = message if os.WIFEXITED(status) else f"the interpreter died (status {status})"
    return results


if __name__ == "__main__":
    out_dir, *names = sys.argv[1:]
    json.dump(import_each(Path(out_dir), names), sys.stdout)
