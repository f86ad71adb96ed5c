"""One side of a comparison: an output tree (the API recorded beside it), or anything
`generate` takes (a declaration file, a directory, a package), lowered the way `generate`
lowers it, without rendering or formatting; and the npm package an input root is."""

from __future__ import annotations

from pathlib import Path

from tsgen.api.snapshot import API_FILE, Api, loads
from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError
from tsgen.freshness import MANIFEST
from tsgen.resolve_files import read_manifest


def package_of(root: Path) -> str:
    """`name@version` of the npm package at `root`, when its package.json says both."""
    manifest = read_manifest(root)
    if manifest is not None and isinstance(manifest.get("name"), str) and isinstance(manifest.get("version"), str):
        return f"{manifest['name']}@{manifest['version']}"
    return ""


def package_root(path: Path) -> Path | None:
    """The npm package that holds `path` (the nearest directory with a package.json that has a
    name, not past a node_modules folder), if any."""
    for directory in (path if path.is_dir() else path.parent, *path.parents):
        manifest = read_manifest(directory)
        if manifest is not None and isinstance(manifest.get("name"), str):
            return directory
        if directory.name == "node_modules":
            return None
    return None


def is_output(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def recorded_api(out: Path) -> Api:
    record = out / API_FILE
    if not record.is_file():
        raise _error(out / MANIFEST, f"this output has no {API_FILE} (written by an older tsgen): regenerate it once with this tsgen, or compare its inputs")
    try:
        return loads(record.read_bytes(), str(record))
    except ValueError as exc:
        raise _error(record, str(exc).split(": ", 1)[-1]) from None


def _error(path: Path, message: str) -> TsgenError:
    return TsgenError([Diagnostic(Level.ERROR, Pos(str(path), 1, 1), message)])
