"""`tsgen convert`: one .d.ts file as one Python module that imports nothing it does not have.

The file is lowered as a package of one module (Options.single_module: what it uses from other
files of its package is converted into it). The generated runtime (`_runtime.py`), which its
resource classes call the API through, is inlined after the module's imports: its imports
join the module's (as names: one import list), its code follows them, and its top-level names
are reserved, so that no declaration of the input takes one. With `types_only`, resources and
clients are left out, and the runtime is inlined only where a data type still needs a name of it
(`Uploadable`, `Never`)."""

from __future__ import annotations

import ast
import sys
from dataclasses import replace
from pathlib import Path

from tsgen import __version__
from tsgen import config as cfg
from tsgen.api.sides import package_root
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.emit import Lowered
from tsgen.formatting import FormatSettings, Unformatted, format_stream
from tsgen.kinds import RENAMED
from tsgen.lower.naming import relative_module
from tsgen.options import Options
from tsgen.pymodel import ClientDef, ModuleFile, ResourceDef, TypeVarDef
from tsgen.pytypes import ImportName
from tsgen.render import render

RUNTIME = ("_runtime",)
PACKAGE = "converted"


def options(path: Path, model_type: str, cache_dir: Path | None, templates: str | None = None) -> Options:
    """The settings of a one-off conversion of `path` (a file): the root is its npm package's
    (so that the `.js` files the routes and page rules are read from are found as
    `tsgen generate` finds them), else its directory."""
    root = package_root(path) or path.parent
    base = Options(
        root=root,
        inputs=(path.relative_to(root).as_posix(),),
        package=PACKAGE,
        model_type=model_type,
        runtime_types=dict(cfg.DEFAULT_RUNTIME_TYPES),
        runtime_modules=cfg.DEFAULT_RUNTIME_MODULES,
        templates=templates,
        cache_dir=cache_dir,
        module_fields=sys.maxsize,  # one module, never written in parts
        single_module=True,
    )
    return replace(base, reserved_names=tuple(sorted(top_level_names(runtime_text(base)))))


def runtime_text(options: Options) -> str:
    """The generated runtime, rendered as `tsgen generate` writes `_runtime.py`."""
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


def top_level_names(source: str) -> set[str]:
    """Every name a module binds at its top level (under `if` and `try` too)."""
    found: set[str] = set()
    for node in _top_level(ast.parse(source).body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    statements: list[ast.stmt] = []
    for node in body:
        statements.append(node)
        if isinstance(node, ast.If):
            statements += _top_level(node.body) + _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            statements += _top_level(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])
    return statements


def split_imports(source: str) -> tuple[frozenset[ImportName], str]:
    """The imports at the head of a module (as names), and the code after them."""
    tree = ast.parse(source)
    head = [n for n in _leading(tree.body) if isinstance(n, (ast.Import, ast.ImportFrom))]
    if any(isinstance(n, ast.ImportFrom) and (n.level or n.module == "__future__") for n in head):
        raise ValueError("the runtime imports a module of its package or from __future__: it cannot be inlined")
    names = {_import_name(n, a) for n in head for a in n.names}
    end = max((n.end_lineno or n.lineno for n in head), default=0)
    return frozenset(names), "\n".join(source.splitlines()[end:]).strip("\n")


def _leading(body: list[ast.stmt]) -> list[ast.stmt]:
    """The module's docstring and the imports that follow it."""
    lead: list[ast.stmt] = []
    for node in body:
        docstring = not lead and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (docstring or isinstance(node, (ast.Import, ast.ImportFrom))):
            break
        lead.append(node)
    return lead


_SAME = {"typing", "typing_extensions"}  # typing_extensions re-exports typing's names (or newer forms of them)


def merged_imports(runtime: frozenset[ImportName], own: frozenset[ImportName]) -> frozenset[ImportName]:
    """The runtime's imports that the module's own do not bind already. A name both import from
    `typing` and `typing_extensions` is the module's (`typing_extensions.TypeVar` has what
    `typing.TypeVar` has); any other name bound twice cannot be inlined."""
    bound = {i.alias or i.name: i for i in own if i.module or i.alias}
    kept = set()
    for imp in runtime:
        theirs = bound.get(imp.alias or imp.name)
        if theirs is None or theirs == imp:
            kept.add(imp)
        elif {theirs.module, imp.module} != _SAME or theirs.name != imp.name:
            raise ValueError(f"the module and the runtime both import `{imp.alias or imp.name}` ({theirs.module}, {imp.module})")
    return frozenset(kept)


def _import_name(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> ImportName:
    if isinstance(node, ast.Import):
        if alias.asname not in (None, alias.name):
            raise ValueError(f"the runtime's `import {alias.name}` cannot be merged")
        return ImportName("", alias.name, alias.name)
    return ImportName(node.module or "", alias.name, alias.asname or "")


def convert(path: Path, model_type: str, types_only: bool, cache_dir: Path | None, templates: str | None = None) -> tuple[str, Diagnostics]:
    """The module of `path`, standing alone and formatted, and what the run reported. Names of
    the runtime are reserved while it is lowered; where the module turns out not to need the
    runtime and a declaration lost its name to it, it is lowered again without the reservation."""
    from tsgen.generate import lower_package  # the whole pipeline

    reserving = options(path, model_type, cache_dir, templates)
    lowered = lower_package(reserving)
    module, needs_runtime = _assembled(reserving, lowered, types_only)
    run = reserving
    if not needs_runtime and _renamed(module, set(reserving.reserved_names)):
        run = replace(reserving, reserved_names=())
        lowered = lower_package(run)
        module, needs_runtime = _assembled(run, lowered, types_only)
    if needs_runtime:
        imports, module.prelude = split_imports(runtime_text(run))
        module.prelude_imports = merged_imports(imports, _own_imports(module))
        module.inlined = relative_module(module.path, RUNTIME)
        for ts_name, name in _renamed(module, set(run.reserved_names)):
            lowered.diagnostics.warn(Pos(module.source, 1, 1), f"`{ts_name}` is named `{name}` in Python: the runtime inlined in the module has a `{ts_name.split('.')[-1]}`", kind=RENAMED)
    text = render(module.template, run.templates, cache_dir=run.cache_dir, module=module, version=__version__)
    settings = FormatSettings(run.formatter, run.line_length, run.jobs, run.cache_dir)
    formatted = "".join(out for _, out in format_stream(iter([(run.inputs[0], Unformatted(text, module.template))]), settings))
    return formatted, lowered.diagnostics


def _assembled(run: Options, lowered: Lowered, types_only: bool) -> tuple[ModuleFile, bool]:
    """The input's module (without its resources for `types_only`), and whether it names the runtime."""
    module = lowered.modules[run.inputs[0]]
    if types_only:
        _leave_out_resources(module)
    runtime = relative_module(module.path, RUNTIME)
    return module, any(i.module == runtime for i in _own_imports(module))


def _own_imports(module: ModuleFile) -> frozenset[ImportName]:
    return frozenset().union(*(d.imports() for d in module.all_definitions))


def _renamed(module: ModuleFile, reserved: set[str]) -> list[tuple[str, str]]:
    """The declarations (TypeScript and Python names) named otherwise than in TypeScript because
    the runtime has that name."""
    named = [(d.ts_name, d.name) for d in module.all_definitions if not isinstance(d, TypeVarDef)]
    return [(ts, py) for ts, py in named if ts.split(".")[-1] in reserved and py != ts.split(".")[-1]]


def _leave_out_resources(module: ModuleFile) -> None:
    """Only the data types: resource and client classes are left out (as asked: not a warning).
    Page classes stay: they are the types of lists, which aliases of the data types name."""
    kinds = (ResourceDef, ClientDef)
    module.definitions = [d for d in module.definitions if not isinstance(d, kinds)]
    module.late_definitions = [d for d in module.late_definitions if not isinstance(d, kinds)]
