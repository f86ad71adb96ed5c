"""Write the generated tree atomically, and compare it with what is on disk.

The new tree is assembled in a staging directory beside the output (same file system) and
swapped in only when it is complete: on Linux with one atomic `renameat2(RENAME_EXCHANGE)`,
elsewhere with two renames. A run killed part-way leaves the old tree in place and, at worst,
a staging directory that the next run removes (or, killed between the two renames, restores
the old tree from). Runs on the same output take turns through a lock on its parent directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

MARKER = "tsgen-manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


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
    Returns the paths that were written or removed."""
    for path in files:
        _check_inside(out, out / path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent):
        _recover(out)
        current = _existing(out)
        changed = sorted(p for p, data in files.items() if current.get(p) != data)
        removed = [p for p in current if p not in files and _owned(p, files)]
        if not changed and not removed:
            return []
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
        try:
            _assemble(out, staging / "tree", files, current, removed)
            _swap(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return changed + removed


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.tsgen-"


def recover(out: Path) -> None:
    """`_recover` under the lock: what a run does first, also when it then has nothing to write."""
    if out.parent.is_dir() and any(out.parent.glob(_staging_prefix(out) + "*")):
        with _locked(out.parent):
            _recover(out)


def _recover(out: Path) -> None:
    """Clean up after runs that were killed: restore the old tree if one was killed between the
    two renames of the fallback swap, then remove their staging directories."""
    leftovers = sorted(out.parent.glob(_staging_prefix(out) + "*"))
    if not out.exists():
        for staging in leftovers:
            if (staging / "old").is_dir():
                os.replace(staging / "old", out)
                break
    for staging in leftovers:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent runs are the user's to avoid
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _assemble(out: Path, new_tree: Path, files: dict[str, bytes], current: dict[str, bytes], removed: list[str]) -> None:
    if out.is_dir():
        shutil.copytree(out, new_tree, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    new_tree.mkdir(exist_ok=True)
    for path in removed:
        (new_tree / path).unlink()
    for path, data in files.items():
        if current.get(path) == data:
            continue
        target = new_tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def _check_inside(root: Path, target: Path) -> None:
    """Generated paths come from module names; this is the last guard that none leaves the output."""
    root_abs, target_abs = os.path.abspath(root), os.path.abspath(target)
    if os.path.commonpath([root_abs, target_abs]) != root_abs:
        raise ValueError(f"refusing to write outside the output directory: {target}")


def _swap(out: Path, staging: Path) -> None:
    new_tree = staging / "tree"
    if not out.exists():
        os.replace(new_tree, out)
        return
    exchange = _exchange()
    if exchange is not None and exchange(new_tree, out):
        return
    os.replace(out, staging / "old")
    os.replace(new_tree, out)


@functools.lru_cache(maxsize=1)
def _exchange() -> Callable[[Path, Path], bool] | None:
    """Linux's atomic exchange of two paths, when libc has it."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None

    def exchange(a: Path, b: Path) -> bool:
        result: int = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return result == 0  # a file system without exchange (EINVAL): the caller falls back

    return exchange
