"""Which declaration file an import specifier names: relative paths, and packages found in a
`node_modules` folder beside the importing file or above it.

Files are keyed by a '/'-separated path: relative to the input root when inside it, else
`node_modules/<package>/<path in the package>`, else `external/up/.../<path>` (so they get a
stable module path too). Absolute specifiers and URLs are never followed, and only
declaration files (`.d.ts`, `.d.mts`, `.d.cts`) are ever read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

_SUFFIXES = (".d.ts", "/index.d.ts", ".d.mts", ".d.cts")


def _stem(path: str) -> str:
    for ext in (".js", ".mjs", ".cjs", ".ts"):
        if path.endswith(ext) and not path.endswith(".d.ts"):
            return path[: -len(ext)]
    return path


def _existing(base: Path) -> Path | None:
    text = str(base)
    if text.endswith(".d.ts") and base.is_file():
        return base
    for suffix in _SUFFIXES:
        candidate = Path(_stem(text) + suffix)
        if candidate.is_file():
            return candidate
    return None


def _package_entry(package_dir: Path) -> Path | None:
    try:
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    for key in ("types", "typings", "main"):
        value = manifest.get(key) if isinstance(manifest, dict) else None
        if isinstance(value, str):
            found = _existing(package_dir / value)
            if found is not None:
                return found
    return _existing(package_dir / "index")


def _external_key(file: Path, root: Path) -> str:
    """A file outside the root and outside node_modules (`../../shared/types.d.ts` in a
    monorepo): keyed by its path from the root with each `..` spelled `up`, so that the key is
    distinct per file and the same on every machine with the same layout."""
    relative = os.path.relpath(file, root).replace(os.sep, "/").split("/")
    return "/".join(["external", *("up" if part == ".." else part for part in relative)])


@dataclass
class FileResolver:
    root: Path
    locations: dict[str, Path] = field(default_factory=dict)  # key -> absolute path

    def path(self, key: str) -> Path:
        return self.locations.get(key, self.root / key)

    def key(self, file: Path) -> str:
        resolved = file.resolve()
        try:
            key = resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            parts = resolved.parts
            index = len(parts) - 1 - parts[::-1].index("node_modules") if "node_modules" in parts else None
            key = "/".join(parts[index:]) if index is not None else _external_key(resolved, self.root.resolve())
        if "node_modules" in key.split("/") and not key.startswith("node_modules/"):
            key = key[key.index("node_modules/") :]
        self.locations.setdefault(key, resolved)
        return key

    def resolve(self, current: str, specifier: str) -> str | None:
        """The key of the declaration file `specifier` names from file `current`, if any (a
        specifier the file system rejects, too long or holding NUL, names nothing)."""
        try:
            return self._resolve(current, specifier)
        except (OSError, ValueError):
            return None

    def _resolve(self, current: str, specifier: str) -> str | None:
        here = self.path(current).parent
        if specifier.startswith("."):
            found = _existing(Path(os.path.normpath(here / specifier)))
        elif specifier.startswith("/") or ":" in specifier:
            return None  # absolute paths and URLs are never followed
        else:
            found = self._package(here, specifier)
        return self.key(found) if found is not None else None

    def _package(self, here: Path, specifier: str) -> Path | None:
        parts = specifier.split("/")
        name_len = 2 if specifier.startswith("@") else 1
        name, sub = "/".join(parts[:name_len]), "/".join(parts[name_len:])
        for directory in (here, *here.parents):
            package_dir = directory / "node_modules" / name
            if package_dir.is_dir():
                return _existing(package_dir / sub) if sub else _package_entry(package_dir)
        types_dir = "@types/" + (name[1:].replace("/", "__") if name.startswith("@") else name)
        for directory in (here, *here.parents):
            if (directory / "node_modules" / types_dir).is_dir():
                return _package_entry(directory / "node_modules" / types_dir)
        return None
