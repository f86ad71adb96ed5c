"""Which declaration file an import specifier names: relative paths, the package's own name
(`openai/resources/shared` inside the `openai` package: its `package.json` `name`, then
`exports`), and packages found in a `node_modules` folder beside the importing file or above it.

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
        candidate = type(base)(_stem(text) + suffix)  # a Path, or a path inside a tarball
        if candidate.is_file():
            return candidate
    return None


def read_manifest(package_dir: Path) -> dict[str, object] | None:
    try:
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _package_entry(package_dir: Path, manifest: dict[str, object] | None = None) -> Path | None:
    manifest = manifest if manifest is not None else read_manifest(package_dir) or {}
    for key in ("types", "typings", "main"):
        value = manifest.get(key)
        if isinstance(value, str):
            found = _existing(package_dir / value)
            if found is not None:
                return found
    return _existing(package_dir / "index")


_CONDITIONS = ("types", "typings", "require", "import", "node", "default")


def _conditional(target: object, star: str) -> list[str]:
    """The paths an `exports` target can mean, in the order tried: conditions in the order the
    object lists them (those TypeScript uses), arrays in order; `*` filled."""
    if isinstance(target, str):
        return [target.replace("*", star)] if target.startswith("./") else []
    if isinstance(target, list):
        return [path for item in target for path in _conditional(item, star)]
    if isinstance(target, dict):
        return [path for key, value in target.items() if key in _CONDITIONS for path in _conditional(value, star)]
    return []


def _exported(exports: object, subpath: str) -> list[str]:
    """The targets `exports` maps `subpath` ("." or "./a/b") to: an exact key, else the
    pattern (`./a/*`) with the longest prefix that matches."""
    if not isinstance(exports, dict) or not all(isinstance(k, str) and k.startswith(".") for k in exports):
        return _conditional(exports, "") if subpath == "." else []
    if subpath in exports:
        return _conditional(exports[subpath], "")
    patterns = []
    for key in exports:
        prefix, star, suffix = key.partition("*")
        if star and subpath.startswith(prefix) and subpath.endswith(suffix) and len(subpath) >= len(prefix) + len(suffix):
            patterns.append((len(prefix), key, subpath[len(prefix) : len(subpath) - len(suffix)]))
    return [path for _n, key, middle in sorted(patterns, reverse=True) for path in _conditional(exports[key], middle)]


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
    _manifests: dict[Path, dict[str, object] | None] = field(default_factory=dict)
    _resolved: dict[tuple[str, str], str | None] = field(default_factory=dict)  # files do not change during a run

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
        if (current, specifier) not in self._resolved:
            try:
                self._resolved[(current, specifier)] = self._resolve(current, specifier)
            except (OSError, ValueError):
                self._resolved[(current, specifier)] = None
        return self._resolved[(current, specifier)]

    def _resolve(self, current: str, specifier: str) -> str | None:
        here = self.path(current).parent
        if specifier.startswith("."):
            found = _existing(type(here)(os.path.normpath(here / specifier)))
        elif specifier.startswith("/") or ":" in specifier:
            return None  # absolute paths and URLs are never followed
        else:
            found = self._package(here, specifier)
        return self.key(found) if found is not None else None

    def manifests_read(self) -> set[str]:
        root = self.root.resolve()
        found = {d.resolve() / "package.json" for d, manifest in self._manifests.items() if manifest is not None}
        return {p.relative_to(root).as_posix() for p in found if p.is_relative_to(root)}

    def _manifest(self, directory: Path) -> dict[str, object] | None:
        if directory not in self._manifests:
            self._manifests[directory] = read_manifest(directory)
        return self._manifests[directory]

    def _own_package(self, here: Path, name: str) -> Path | None:
        """The directory of the package named `name` that holds `here`, if any: the nearest
        `package.json` with a name, not past a `node_modules` folder."""
        for directory in (here, *here.parents):
            manifest = self._manifest(directory)
            if manifest is not None and "name" in manifest:
                return directory if manifest["name"] == name else None
            if directory.name == "node_modules":
                return None
        return None

    def _in_package(self, package_dir: Path, sub: str) -> Path | None:
        """A file of the package by the subpath it is imported with: its own path (as
        TypeScript's `node` resolution reads it), else what its `exports` map it to."""
        manifest = self._manifest(package_dir) or {}
        found = _existing(package_dir / sub) if sub else _package_entry(package_dir, manifest)
        if found is not None:
            return found
        for target in _exported(manifest.get("exports"), f"./{sub}" if sub else "."):
            found = _existing(type(package_dir)(os.path.normpath(package_dir / target)))
            if found is not None and found.resolve().is_relative_to(package_dir.resolve()):
                return found
        return None

    def _package(self, here: Path, specifier: str) -> Path | None:
        parts = specifier.split("/")
        name_len = 2 if specifier.startswith("@") else 1
        name, sub = "/".join(parts[:name_len]), "/".join(parts[name_len:])
        own = self._own_package(here, name)
        if own is not None:
            return self._in_package(own, sub)
        for directory in (here, *here.parents):
            package_dir = directory / "node_modules" / name
            if package_dir.is_dir():
                return self._in_package(package_dir, sub)
        types_dir = "@types/" + (name[1:].replace("/", "__") if name.startswith("@") else name)
        for directory in (here, *here.parents):
            if (directory / "node_modules" / types_dir).is_dir():
                return _package_entry(directory / "node_modules" / types_dir)
        return None
