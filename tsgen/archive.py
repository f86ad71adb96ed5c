"""npm tarballs (`openai-7.59.0.tgz`, as `npm pack` writes them) read in memory, never unpacked
to disk.

A file in a tarball has a path as if the tarball were a directory
(`/work/openai-7.59.0.tgz/package/resources/batches.d.ts`): `ArchivePath`, a `Path` whose
reading half (is_file, is_dir, read_bytes, read_text, rglob, resolve) answers from memory, so
that the readers take a tarball's files as they take a directory's, and diagnostics name them
in a way a person can follow. The tarball is read once per process, in one pass, keeping only
the files tsgen reads (declaration files, JavaScript, JSON)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tarfile

ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar")
_KEPT = (".d.ts", ".d.mts", ".d.cts", ".js", ".cjs", ".json")  # what tsgen reads (not the .mjs twins)


def is_archive(path: Path) -> bool:
    return path.name.endswith(ARCHIVE_SUFFIXES) and path.is_file()


@dataclass
class _Archive:
    files: dict[str, bytes] = field(default_factory=dict)  # member path ("package/a/b.d.ts") -> content
    dirs: set[str] = field(default_factory=set)  # every directory a member is in ("", "package", ...)


_OPEN: dict[str, _Archive] = {}


def _archive(location: str) -> _Archive:
    """The tarball at `location`, read on first use (OSError when it cannot be read as one)."""
    if location not in _OPEN:
        import tarfile  # only when there is a tarball: it imports every compression module

        try:
            _OPEN[location] = _read(tarfile.open(location, "r:*"))
        except tarfile.TarError as exc:
            raise OSError(f"not a readable tarball ({exc})") from None
    return _OPEN[location]


def _read(tar: tarfile.TarFile) -> _Archive:
    found = _Archive(dirs={""})
    with tar:
        for member in tar:
            name = os.path.normpath(member.name).lstrip("/")
            if not member.isfile() or name.startswith("..") or not name.endswith(_KEPT):
                continue
            data = tar.extractfile(member)
            if data is not None:
                found.files[name] = data.read()
                parts = name.split("/")[:-1]
                found.dirs.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found


def input_path(raw: str | Path) -> Path:
    """A path given as input, resolved: a tarball is the package directory in it, and a path
    through a tarball (`openai-7.59.0.tgz/resources/beta/realtime`) that part of the package.
    FileNotFoundError when there is no such file; OSError when a tarball cannot be read."""
    path = Path(raw).resolve()
    if path.exists():
        return package_dir(path) if is_archive(path) else path
    for parent in path.parents:
        if is_archive(parent):
            inside = package_dir(parent).joinpath(*path.relative_to(parent).parts)
            if inside.exists():
                return inside
            break
    raise FileNotFoundError(2, "No such file or directory", str(raw))


def common_package(paths: list[Path]) -> Path | None:
    """The package directory of the tarball all of `paths` are in, if they are in one: where
    module names start, as they would in the unpacked package."""
    located = {_locate(str(p)) if isinstance(p, ArchivePath) else None for p in paths}
    tarballs = {found[0] for found in located if found is not None}
    if None in located or len(tarballs) != 1:
        return None
    return package_dir(Path(tarballs.pop()))


def package_dir(tarball: Path) -> Path:
    """The package's directory inside an npm tarball: its only top-level directory (`package`)."""
    location = str(tarball.resolve())
    tops = {name.split("/", 1)[0] for name in _archive(location).files if "/" in name}
    top = tops.pop() if len(tops) == 1 else ""
    return ArchivePath(location, top) if top else ArchivePath(location)


@functools.lru_cache(maxsize=65536)
def _locate(text: str) -> tuple[str, str] | None:
    """(the tarball, the member path in it) of a path written as if the tarball were a directory."""
    parts = PurePath(text).parts
    for i in range(len(parts), 0, -1):
        location = str(PurePath(*parts[:i]))
        if location in _OPEN or (location.endswith(ARCHIVE_SUFFIXES) and os.path.isfile(location)):
            return location, "/".join(parts[i:])
    return None


class ArchivePath(type(Path())):  # type: ignore[misc]  # PosixPath (WindowsPath there): a Path to the readers
    """A path inside a tarball (or the tarball itself, as a directory), with the reading half of
    Path answered from the tarball. Which part of the path is the tarball is found again from
    the path alone (the longest leading part that is an archive file), so that a path is a
    plain value: it pickles, compares and hashes as one, and a worker process reads it too."""

    def _member(self) -> tuple[_Archive, str] | None:
        split = _locate(str(self))
        if split is None:
            return None
        try:
            return _archive(split[0]), split[1]
        except OSError:
            return None

    def is_file(self) -> bool:
        found = self._member()
        return found is not None and found[1] in found[0].files

    def is_dir(self) -> bool:
        found = self._member()
        return found is not None and found[1] in found[0].dirs

    def exists(self) -> bool:
        return self.is_file() or self.is_dir()

    def read_bytes(self) -> bytes:
        found = self._member()
        if found is None or found[1] not in found[0].files:
            raise FileNotFoundError(2, "No such file in the archive", str(self))
        return found[0].files[found[1]]

    def read_text(self, encoding: str | None = None, errors: str | None = None) -> str:
        return self.read_bytes().decode(encoding or "utf-8", errors or "strict")

    def resolve(self, strict: bool = False) -> ArchivePath:
        return ArchivePath(os.path.normpath(str(self)))

    def open(self, *args: object, **kwargs: object) -> None:
        raise OSError(f"{self}: a file in a tarball is read whole (read_bytes)")

    def rglob(self, pattern: str, **_: object) -> Iterator[ArchivePath]:
        """Files under this directory whose name matches `pattern` (`*.d.ts`)."""
        found = self._member()
        if found is None:
            return
        archive, inside = found
        prefix = f"{inside}/" if inside else ""
        suffix = pattern.removeprefix("*")
        for name in sorted(archive.files):
            if name.startswith(prefix) and name.endswith(suffix) and "*" not in suffix:
                yield self / name[len(prefix) :]
