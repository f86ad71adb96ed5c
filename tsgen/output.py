"""Write the generated tree atomically, and compare it with what is on disk."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MARKER = "tsgen-manifest.json"


def _existing(out: Path) -> dict[str, bytes]:
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def stale(out: Path, files: dict[str, bytes]) -> list[str]:
    """Files that differ from or are missing in `out`, and generated files that should not be there."""
    current = _existing(out)
    changed = [f"{path} (stale)" if path in current else f"{path} (missing)" for path, data in files.items() if current.get(path) != data]
    extra = [f"{path} (not generated any more)" for path in current if path not in files and _owned(path, files)]
    return sorted(changed + extra)


def _owned(path: str, files: dict[str, bytes]) -> bool:
    top = path.split("/")[0]
    return any(p.split("/")[0] == top for p in files if "/" in p) and path.endswith((".py", "py.typed"))


def write(out: Path, files: dict[str, bytes]) -> list[str]:
    """Replace the generated tree in one step; files whose content is unchanged keep their mtime.

    The new tree is assembled in a temporary directory beside `out` and swapped in with
    renames, so an interrupted run leaves either the old tree or the new one.
    Returns the paths that were written.
    """
    current = _existing(out)
    changed = sorted(p for p, data in files.items() if current.get(p) != data)
    removed = [p for p in current if p not in files and _owned(p, files)]
    if not changed and not removed:
        return []
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tsgen-", dir=out.parent))
    try:
        _assemble(out, staging, files, current, removed)
        _swap(out, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed + removed


def _assemble(out: Path, staging: Path, files: dict[str, bytes], current: dict[str, bytes], removed: list[str]) -> None:
    new_tree = staging / "tree"
    if out.is_dir():
        shutil.copytree(out, new_tree, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    new_tree.mkdir(exist_ok=True)
    for path in removed:
        (new_tree / path).unlink()
    for path, data in files.items():
        if current.get(path) == data:
            continue
        target = new_tree / path
        _check_inside(new_tree, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _check_inside(root: Path, target: Path) -> None:
    if os.path.commonpath([root.resolve(), target.resolve()]) != str(root.resolve()):
        raise ValueError(f"refusing to write outside the output directory: {target}")


def _swap(out: Path, staging: Path) -> None:
    new_tree = staging / "tree"
    if not out.exists():
        os.replace(new_tree, out)
        return
    old = staging / "old"
    os.replace(out, old)
    os.replace(new_tree, out)
