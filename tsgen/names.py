"""Names are validated: one helper each for identifiers, class names and module paths."""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Python's keywords (the soft ones, `match`, `case`, `type`, `_`, are names like any other, and
# which words are soft differs between Python versions), and the names of methods' own first parameter
_RESERVED = frozenset(keyword.kwlist) | {"self", "cls"}


@functools.lru_cache(maxsize=65536)
def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def is_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


@functools.lru_cache(maxsize=65536)
def identifier(name: str) -> str:
    """A Python identifier for a TypeScript member name: `$ref` -> `ref`, `from` -> `from_`, `0` -> `_0`."""
    clean = re.sub(r"\W", "_", _ascii(name)).strip("_") or "_"
    if clean[0].isdigit():
        clean = "_" + clean
    return clean + "_" if clean in _RESERVED else clean


def free(name: str, taken: set[str] | frozenset[str]) -> str:
    """`name`, or with trailing underscores (PEP 8) until it is not taken."""
    while name in taken:
        name += "_"
    return name


@functools.lru_cache(maxsize=65536)
def snake(name: str) -> str:
    """`transcriptionSessions` -> `transcription_sessions`, `transcription-sessions` -> same."""
    words = [w.lower() for part in _WORD.findall(_ascii(name)) for w in _CAMEL.split(part) if w]
    return identifier("_".join(words) or name)


@functools.lru_cache(maxsize=65536)  # pure, and called with the same names again and again
def class_name(name: str) -> str:
    """A Python class name for a TypeScript declaration name (already PascalCase in most SDKs)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", _ascii(name)) if p]
    joined = "".join(p[:1].upper() + p[1:] for p in parts) or "Type"
    if joined[0].isdigit():
        joined = "T" + joined
    return joined + "_" if joined in _RESERVED else joined


def package_name(value: str) -> str:
    """A package name given by the user: a plain identifier, or ValueError."""
    if not is_identifier(value):
        raise ValueError(f"{value!r} is not a Python package name (letters, digits and _; not a keyword)")
    return value


def module_path(relative_file: str) -> tuple[str, ...]:
    """`resources/beta/realtime/transcription-sessions.d.ts` -> ("resources", "beta", "realtime", "transcription_sessions")."""
    path = relative_file.replace("\\", "/")
    for suffix in (".d.ts", ".d.mts", ".d.cts", ".ts"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if parts and parts[0] == "node_modules":  # another npm package, read for its names
        parts[0] = "npm"
    return tuple(_module_part(p) for p in parts)


INIT = "__init__"  # the last part of the module path of a file that becomes its directory's package


def imported_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """The path Python imports a module by: a package's `__init__` is the package itself."""
    return path[:-1] if path[-1:] == (INIT,) else path


def module_alias(path: tuple[str, ...]) -> str:
    """The name a generated module is imported under by the package's other modules
    (`from .. import shared as _resources_shared`); module_paths keeps these distinct."""
    return "_" + "_".join(imported_path(path))


RESERVED_MODULES = frozenset({("_runtime",)})  # modules of the package that tsgen itself writes


def module_paths(relative_files: list[str]) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, str, str, str]]]:
    """A distinct Python module path for each file. A file beside the directory of its name
    (`a.d.ts` beside `a/b.d.ts`, as @types/node's `fs.d.ts` beside `fs/promises.d.ts`, or a
    re-export shim of `a/index.d.ts`) is that package's `__init__`: `a` and `a.b`, as Python
    lays a package out. Otherwise files whose names differ only in case or punctuation
    (`my-file`, `My_File`) or are named like a module tsgen writes (`_runtime`) would share a
    module: the file that sorts later gets a numbered suffix, files whose names needed no
    escaping sorting first. Module aliases (`_a_b` for `a.b`) are kept distinct too.
    Returns the paths and, for each renamed file, (file, wanted name, given name, why)."""
    wanted = {rel: module_path(rel) for rel in sorted(relative_files, key=lambda r: (_renamed(r), r))}
    packages = {p[:i] for p in wanted.values() for i in range(1, len(p))}
    wanted.update({rel: path + (INIT,) for rel, path in wanted.items() if path in packages})
    owners: dict[str, str] = {module_alias(p): "tsgen's runtime module" for p in RESERVED_MODULES}
    result: dict[str, tuple[str, ...]] = {}
    renamed: list[tuple[str, str, str, str]] = []
    for rel, path in wanted.items():
        if path[-1:] == (INIT,) and module_alias(path) in owners:
            path = path[:-1]  # the package's name is taken: the shim is a module of its own
        candidate, n = path, 1
        while module_alias(candidate) in owners or candidate in packages:
            n += 1
            candidate = path[:-1] + (f"{path[-1]}_{n}",)
        if candidate != path:
            why = f"the directory `{'/'.join(path)}/` is a package of that name" if path in packages else f"{owners[module_alias(path)]} has that name"
            renamed.append((rel, ".".join(path), ".".join(candidate), why))
        owners[module_alias(candidate)] = f"`{rel}`"
        result[rel] = candidate
    return result, renamed


def _renamed(relative_file: str) -> bool:
    """Whether the file's module path is not its own path (`my-file`, `protocol.$`)."""
    stem = relative_file.replace("\\", "/")
    for suffix in (".d.ts", ".d.mts", ".d.cts", ".ts"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return "/".join(module_path(relative_file)) != stem


def _module_part(part: str) -> str:
    return snake(part.replace(".", "_"))
