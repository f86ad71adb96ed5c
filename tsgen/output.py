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
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

MARKER = "tsgen-manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def stale(out: Path, files: dict[str, bytes]) -> list[str]:
    """Files that differ from or are missing in `out`, and generated files that should not be there."""
    checker = Checker(out)
    for path, data in files.items():
        checker.put(path, data)
    return checker.problems()


class Checker:
    """Compares files, as they are produced, with the output on disk; nothing is written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.put_paths: list[str] = []
        self.found: list[str] = []

    def put(self, path: str, data: bytes) -> None:
        self.put_paths.append(path)
        try:
            current = (self.out / path).read_bytes()
        except OSError:
            self.found.append(f"{path} (missing)")
            return
        if current != data:
            self.found.append(f"{path} (stale)")

    def problems(self) -> list[str]:
        extra = [f"{p} (not generated any more)" for p in leftovers(self.out, self.put_paths)]
        return sorted(self.found + extra)


def leftovers(tree: Path, produced: Collection[str]) -> list[str]:
    """Generated-looking files in `tree` (Python modules and py.typed in the packages a run
    writes) that are not among `produced`: a run removes them."""
    tops = {p.split("/")[0] for p in produced if "/" in p}
    kept = set(produced)
    return [p for p in _generated_files(tree) if p not in kept and p.split("/")[0] in tops and p.endswith((".py", "py.typed"))]


def write(out: Path, files: dict[str, bytes]) -> list[str]:
    """Replace the generated tree in one step; files whose content is unchanged keep their mtime.
    Returns the paths that were written or removed."""
    with Staged(out) as staged:
        for path, data in files.items():
            staged.put(path, data)
        return staged.commit()


class Staged:
    """A new output tree, built file by file beside the old one and swapped in by `commit`.

    Entering takes the lock, cleans up after killed runs and starts the new tree as a copy of the
    old one; `put` writes a file only where its content differs; `commit` removes the generated
    files that were not put, then swaps (or, when nothing changed, leaves the old tree alone).
    Leaving without `commit` (an error, a warning under --fail-on-warning) keeps the old tree."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.put_paths: list[str] = []
        self.changed: list[str] = []
        self.written: list[Path] = []
        self._stack = contextlib.ExitStack()
        self.tree = out  # set on entering

    def __enter__(self) -> Staged:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._stack.enter_context(_locked(self.out.parent))
        _recover(self.out)
        self.staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.out), dir=self.out.parent))
        self._stack.callback(shutil.rmtree, self.staging, ignore_errors=True)
        self.tree = self.staging / "tree"
        if self.out.is_dir():
            shutil.copytree(self.out, self.tree, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        self.tree.mkdir(exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def put(self, path: str, data: bytes) -> None:
        target = self.tree / path
        _check_inside(self.tree, target)
        self.put_paths.append(path)
        try:
            if target.is_symlink():
                target.unlink()  # a link in the old tree is replaced, never written through
            elif target.is_file() and target.read_bytes() == data:
                return
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.changed.append(path)
        self.written.append(target)

    def commit(self) -> list[str]:
        """The paths written or removed (none: the old tree was left as it was)."""
        removed = leftovers(self.tree, self.put_paths)
        for path in removed:
            (self.tree / path).unlink()
        if not self.changed and not removed:
            return []
        _flush(self.tree, self.written)
        _swap(self.out, self.staging)
        return sorted(self.changed) + removed


def _generated_files(tree: Path) -> list[str]:
    if not tree.is_dir():
        return []
    return [p.relative_to(tree).as_posix() for p in sorted(tree.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]


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


def _flush(tree: Path, written: list[Path]) -> None:
    """The new files on disk before the swap makes them the output: one `syncfs` of the file
    system where Linux has it (a call per file costs more than writing them), else an fsync each."""
    syncfs = _syncfs()
    if syncfs is not None and syncfs(tree):
        return
    for target in written:
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def _syncfs() -> Callable[[Path], bool] | None:
    """Linux's `syncfs`: every dirty file of one file system written out, in one call."""
    function = getattr(_libc(), "syncfs", None)
    if function is None:
        return None

    def sync(directory: Path) -> bool:
        fd = os.open(directory, os.O_RDONLY)
        try:
            return bool(function(fd) == 0)
        finally:
            os.close(fd)

    return sync


@functools.lru_cache(maxsize=1)
def _exchange() -> Callable[[Path, Path], bool] | None:
    """Linux's atomic exchange of two paths, when libc has it."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return None

    def exchange(a: Path, b: Path) -> bool:
        result: int = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return result == 0  # a file system without exchange (EINVAL): the caller falls back

    return exchange
