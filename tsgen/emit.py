"""Emission: the lowered modules rendered, formatted and handed over one file at a time (to a
dict, a staging directory or a comparison with the output), then the manifest.

Nothing holds the whole package's text: each module is rendered when its turn comes and
released once rendered, the formatter keeps a bounded window, and the consumer writes or
compares each file as it arrives. Only the paths and hashes of the files stay, for the manifest."""

from __future__ import annotations

import collections
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tsgen import __version__, names, progress
from tsgen.api.index import ModuleEntry, module_entry
from tsgen.api.markdown import API_MD, document
from tsgen.api.snapshot import API_FILE, assemble, module_aliases, where_of
from tsgen.diagnostics import Diagnostics
from tsgen.formatting import FormatSettings, Unformatted, format_stream
from tsgen.freshness import MANIFEST, record
from tsgen.lower.client import CLIENT_MODULE
from tsgen.options import Options
from tsgen.pymodel import ModuleFile, ResourceDef, TypeVarDef
from tsgen.render import render
from tsgen.sharing import Shared

Put = Callable[[str, bytes], None]  # path relative to the output directory, content


@dataclass
class Lowered:
    """A package ready to render: its modules by source file, what the run reported, every file
    read with its hash, and where every declaration went (the last two for the manifest)."""

    modules: dict[str, ModuleFile]
    diagnostics: Diagnostics
    inputs: list[dict[str, str]]
    symbols: list[dict[str, str]]
    package: str  # the npm package read, `name@version` ("" when unknown)
    examples: collections.Counter[str] = field(default_factory=collections.Counter)  # `@example`s translated, or why not


def emit(options: Options, lowered: Lowered, put: Put) -> None:
    """Every file of the package to `put`, the recorded API (`tsgen-api.json`), its index for
    readers (`api.md`) and the manifest last. The modules are consumed (each is dropped from
    `lowered.modules` once rendered); the large texts at the end are made one at a time, each
    released once `put` has it."""
    outputs: dict[str, str] = {}
    settings = FormatSettings(options.formatter, options.line_length, options.jobs, options.cache_dir)
    recorded: list[bytes] = []
    paths, inits = _layout(options.package, lowered.modules)
    progress.phase("writing modules", len(paths) + len(inits))
    entries: list[ModuleEntry] = []
    for path, text in format_stream(_sources(options, lowered.modules, recorded, entries), settings):
        _put(put, outputs, path, text.encode())
        progress.advance()
    _put(put, outputs, f"{options.package}/py.typed", b"")
    _put(put, outputs, API_FILE, assemble(recorded, lowered.package))  # not kept: the manifest is next
    _put(put, outputs, API_MD, document(entries, options.package, lowered.package, options.templates, options.cache_dir))
    put(MANIFEST, _manifest(options, lowered, outputs))


def _put(put: Put, outputs: dict[str, str], path: str, data: bytes) -> None:
    outputs[path] = hashlib.sha256(data).hexdigest()
    put(path, data)


def _sources(options: Options, modules: dict[str, ModuleFile], recorded: list[bytes], entries: list[ModuleEntry]) -> Iterator[tuple[str, Unformatted]]:
    """The runtime, then each module rendered in turn (largest first; each released once
    rendered, its declarations' lines of the recorded API added to `recorded`, its entry of
    `api.md` to `entries`), then the packages' `__init__`s."""
    pkg = options.package
    _, inits = _layout(pkg, modules)
    exports = _root_exports(modules.get(CLIENT_MODULE))
    yield f"{pkg}/_runtime.py", Unformatted(runtime_text(options), "_runtime.py.jinja")
    ordered = sorted(modules, key=lambda rel: -_weight(modules[rel]))
    work = functools.partial(_rendered, options, module_aliases(modules))
    jobs = [("/".join((pkg,) + modules[rel].path) + ".py", (rel, modules.pop(rel))) for rel in ordered]
    for path, (text, api_lines, entry) in Shared(jobs, work):
        recorded += api_lines
        entries.append(entry)
        yield path, text
    for init in inits:
        root = init == f"{pkg}/__init__.py"
        yield init, Unformatted(render("init.py.jinja", options.templates, cache_dir=options.cache_dir, version=__version__, root=root, **(exports if root else {})), "init.py.jinja")


def runtime_text(options: Options) -> str:
    """The generated runtime, `_runtime.py` (also inlined by `tsgen convert`: tsgen.standalone)."""
    return render(
        "_runtime.py.jinja",
        options.templates,
        cache_dir=options.cache_dir,
        default_base_url=options.base_url,
        api_key_env=options.api_key_env,
        api_key_header=options.api_key_header,
        api_key_prefix=options.api_key_prefix,
        model_type=options.model_type,
    )


def _layout(pkg: str, modules: dict[str, ModuleFile]) -> tuple[list[str], list[str]]:
    """The paths of the package's modules (the runtime's with them), and of the `__init__.py`
    files its directories need besides."""
    paths = ["/".join((pkg,) + mod.path) + ".py" for mod in modules.values()] + [f"{pkg}/_runtime.py"]
    dirs = {parent.as_posix() for p in paths for parent in Path(p).parents if parent.as_posix() != "."}
    modules_at = set(paths)
    return paths, [init for d in sorted(dirs) if (init := f"{d}/__init__.py") not in modules_at]


def _rendered(options: Options, aliases: dict[str, str], job: tuple[str, ModuleFile]) -> tuple[Unformatted, list[bytes], ModuleEntry]:
    """A module's text, its lines of the recorded API and its entry of `api.md`."""
    rel, mod = job
    text = render(mod.template, options.templates, cache_dir=options.cache_dir, module=mod, version=__version__)
    file = "/".join((options.package,) + mod.path) + ".py"
    entry, api_lines = module_entry(mod.source if mod.public_path else rel, mod, file, where_of(mod, aliases))
    return Unformatted(text, mod.template), api_lines, entry


def _weight(mod: ModuleFile) -> int:
    """About how much text a module becomes: the largest are rendered (and handed to the
    formatter's workers) first, so that no worker is left with a large one at the end while the
    others have nothing to do."""
    return sum(1 + len(getattr(d, "fields", ())) + len(getattr(d, "members", ())) + 8 * len(getattr(d, "methods", ())) for d in mod.all_definitions)


RUNTIME_EXPORTS = (
    "APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError", "APITimeoutError", "AsyncStream",
    "AuthenticationError", "BadRequestError", "BinaryResponse", "ConflictError", "InternalServerError", "NOT_GIVEN",
    "NotFoundError", "NotGiven", "PermissionDeniedError", "RateLimitError", "SDKError", "Stream", "UnprocessableEntityError",
)  # fmt: skip


def _root_exports(client: ModuleFile | None) -> dict[str, list[str]]:
    """What the package's `__init__` exports, as openai-python's does: the clients (imported
    when first used, so that importing one module does not import every resource), the
    errors, the stream classes and NOT_GIVEN."""
    lazy = client.public_names if client is not None else []
    return {"eager": list(RUNTIME_EXPORTS), "lazy": lazy, "all_names": sorted([*RUNTIME_EXPORTS, *lazy])}


def manifest_symbols(options: Options, modules: dict[str, ModuleFile]) -> list[dict[str, str]]:
    """Where every declaration went: its source file and TypeScript name, its Python module and name."""
    symbols = []
    for rel, mod in sorted(modules.items()):
        dotted = ".".join((options.package,) + names.imported_path(mod.users_path))
        source = mod.source if mod.public_path else rel
        for d in mod.definitions + mod.late_definitions:
            if isinstance(d, TypeVarDef):
                continue
            for python_name in (d.name, d.async_name) if isinstance(d, ResourceDef) else (d.name,):
                symbols.append({"source": source, "ts_name": d.ts_name, "kind": d.ts_kind, "module": dotted, "python_name": python_name})
    return symbols


def _manifest(options: Options, lowered: Lowered, outputs: dict[str, str]) -> bytes:
    """What was read and written (with hashes: `tsgen.freshness` answers from them), and where
    every declaration went."""
    run = record(options, dict(sorted(outputs.items())), len(lowered.diagnostics.items))
    package = {"package": lowered.package} if lowered.package else {}  # the npm package read, `name@version`
    doc = {"tsgen_version": __version__, **package, **run, "inputs": lowered.inputs, "symbols": lowered.symbols}
    return _indented(doc)


def _indented(doc: dict[str, object]) -> bytes:
    """`json.dumps(doc, indent=2, ensure_ascii=False)` and a newline, as UTF-8, made a list item at
    a time: a manifest's lists run to tens of thousands of items, and the encoder would hold a
    piece of text for every token of them, then all of it as one str, then as bytes."""
    parts = [b"{"]
    for n, (key, value) in enumerate(doc.items()):
        parts.append(b"," if n else b"")
        parts.append(f"\n  {json.dumps(key, ensure_ascii=False)}: ".encode())
        if isinstance(value, list) and value:
            parts.append(b"[")
            for i, item in enumerate(value):
                parts.append(b",\n    " if i else b"\n    ")
                parts.append(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ").encode())
            parts.append(b"\n  ]")
        else:
            parts.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ").encode())
    parts.append(b"\n}\n" if doc else b"}\n")
    return b"".join(parts)
