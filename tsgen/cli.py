"""The `tsgen` command line: generate, check, convert, diff."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from tsgen import config as cfg, progress, reporting
from tsgen.archive import common_package, input_path
from tsgen.diagnostics import Diagnostics, TsgenError, one_line
from tsgen.formatting import FORMATTERS, default_cache_dir
from tsgen.freshness import previous_inputs, up_to_date, warnings_recorded
from tsgen.types_versions import other_versions
from tsgen.options import Options

if TYPE_CHECKING:
    from tsgen.api.snapshot import Api
    from tsgen.emit import Lowered
from tsgen import names
from tsgen.output import Checker, Staged, recover
from tsgen.records import record

MODEL_TYPES = click.Choice(["auto", "typeddict", "dataclass", "pydantic", "msgspec"])
F = TypeVar("F", bound=Callable[..., None])


def _report(diagnostics: Diagnostics) -> None:
    reporting.report(diagnostics.items, _reporting())


def _reporting() -> reporting.Reporting:
    """How this command reports (its options -q, -v, --warnings, --warnings-as-json)."""
    meta = click.get_current_context().meta
    quiet, verbose = bool(meta.get("tsgen.quiet")), bool(meta.get("tsgen.verbose"))
    warnings = meta.get("tsgen.warnings") or ("none" if quiet else "all" if verbose else "summary")
    return reporting.Reporting(warnings, quiet, verbose, meta.get("tsgen.json"))


def _warnings_wanted() -> bool:
    """Every warning asked for on the command line (--warnings all, --warnings-as-json): an
    output that is up to date records only their number, so the package is lowered again to
    list them. ($TSGEN_WARNINGS=all is a default for every run, not such a request.)"""
    meta = click.get_current_context().meta
    return (meta.get("tsgen.warnings") == "all" and bool(meta.get("tsgen.warnings.given"))) or meta.get("tsgen.json") is not None


def _last_run(out: Path) -> str:
    count = warnings_recorded(out)
    return f"; {count} warning(s) when it was written (--warnings all lists them)" if count else ""


def _info(line: str) -> None:
    """A line about the run (not with -q)."""
    if not _reporting().quiet:
        reporting.say(line)


def _remember(key: str) -> Callable[[click.Context, click.Parameter, object], None]:
    def store(ctx: click.Context, param: click.Parameter, value: object) -> None:
        if value:
            ctx.meta[key] = value
            if param.name and ctx.get_parameter_source(param.name) is click.core.ParameterSource.COMMANDLINE:
                ctx.meta[key + ".given"] = True

    return store


_reporting_options = [
    click.option("--warnings", type=click.Choice(reporting.WARNINGS), expose_value=False, callback=_remember("tsgen.warnings"), envvar="TSGEN_WARNINGS",
                 help="Warnings as a summary by kind (the default), all of them, or none (default from $TSGEN_WARNINGS). Errors are always listed."),
    click.option("--warnings-as-json", type=click.Path(dir_okay=False), expose_value=False, callback=_remember("tsgen.json"),
                 help="Write every diagnostic to FILE as JSON (for tools)."),
    click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember("tsgen.quiet"), help="Only errors (and warnings if --warnings says so)."),
    click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_remember("tsgen.verbose"), help="Every warning, and the phases of the run with their times."),
]


def reports(fn: F) -> F:
    """The options that say how a command reports."""
    for decorator in reversed(_reporting_options):
        fn = decorator(fn)
    return fn


@contextlib.contextmanager
def _watched() -> Iterator[None]:
    """The run's progress on stderr when it is a terminal (not with -q); its phases with -v."""
    shown = _reporting()
    with progress.watched(sys.stderr.isatty() and not shown.quiet) as watch:
        yield
    if shown.verbose:
        for phase in watch.done:
            reporting.say(f"tsgen: {phase.name}: {phase.count} in {phase.seconds:.2f} s")


def _input_path(raw: str | Path) -> Path:
    """A path given as input (a tarball, or a path through one, is read in memory: tsgen.archive)."""
    try:
        return input_path(raw)
    except FileNotFoundError:
        raise click.UsageError(f"Path '{raw}' does not exist.") from None
    except OSError as exc:
        raise click.UsageError(f"{raw}: cannot read the tarball: {exc}") from None


def _inputs(paths: tuple[str, ...], root: Path) -> tuple[str, ...]:
    found: list[str] = []
    for raw in paths:
        path = _input_path(raw)
        files = sorted(path.rglob("*.d.ts")) if path.is_dir() else [path]
        others = other_versions(path) if path.is_dir() else []
        for prefix, version_range in others:
            click.echo(f"tsgen: {prefix} holds the declarations for TypeScript {version_range} (package.json typesVersions); not converted", err=True)
        for file in files:
            if "node_modules" in file.relative_to(path).parts if path.is_dir() else False:
                continue  # a directory's own dependencies are read when imported, not converted
            if any(file.relative_to(path).as_posix().startswith(prefix) for prefix, _ in others):
                continue
            try:
                found.append(file.relative_to(root).as_posix())
            except ValueError:
                raise click.UsageError(f"{file} is not inside the root {root} (use --root)") from None
    if not found:
        raise click.UsageError("no .d.ts files to convert")
    return tuple(dict.fromkeys(found))


@record(frozen=True)
class _Formatting:
    formatter: str | None = None
    jobs: int = 0
    cache_dir: str | None = None
    no_cache: bool = False


def _options(paths: tuple[str, ...], root: str | None, package: str | None, model_type: str | None, templates: str | None, fmt: _Formatting = _Formatting()) -> tuple[Options, cfg.Config, Path]:
    config, line_length, base = cfg.load(cfg.find_pyproject(Path.cwd()))
    if not paths:
        if config.input is None:
            raise click.UsageError("no PATH given and no `input` in [tool.tsgen]")
        paths = (str(base / config.input),)
    resolved = [_input_path(p) for p in paths]
    configured = (base / config.input).resolve() if config.input is not None else None
    if root:
        root_dir = Path(root).resolve()
    elif (in_tarball := common_package(resolved)) is not None:
        root_dir = in_tarball  # a tarball, or parts of one: named from its package's root
    elif configured is not None and all(p.is_relative_to(configured) for p in resolved):
        root_dir = configured
    else:
        root_dir = Path(os.path.commonpath([p if p.is_dir() else p.parent for p in resolved]))
    try:
        package = names.package_name(package or config.package)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--package") from None
    options = Options(
        root=root_dir,
        inputs=_inputs(paths, root_dir),
        package=package,
        model_type=model_type or config.model_type,
        routes=dict(config.routes),
        runtime_types={**cfg.DEFAULT_RUNTIME_TYPES, **config.runtime_types},
        runtime_modules=cfg.DEFAULT_RUNTIME_MODULES | set(config.runtime_modules),
        templates=templates or (str(base / config.templates) if config.templates else None),
        line_length=line_length,
        base_url=config.base_url,
        api_key_env=config.api_key_env,
        api_key_header=config.api_key_header,
        api_key_prefix=config.api_key_prefix,
        formatter=fmt.formatter or config.formatter,
        jobs=fmt.jobs,
        cache_dir=None if fmt.no_cache else Path(fmt.cache_dir) if fmt.cache_dir else default_cache_dir(),
    )
    return options, config, base


class _Group(click.Group):
    """Reports a TsgenError as its diagnostics and exit status 1, and a failure of tsgen itself
    as one line and exit status 70 (EX_SOFTWARE); the traceback only with TSGEN_DEBUG=1.
    Either way nothing has been written."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            with _collector_for_a_run():
                return super().invoke(ctx)
        except TsgenError as exc:
            reporting.report(exc.diagnostics, _reporting())
            sys.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("TSGEN_DEBUG"):
                raise
            click.echo(f"tsgen: internal error: {type(exc).__name__}: {one_line(str(exc))[:200]}; nothing was written."
                       " Please report it with the input (TSGEN_DEBUG=1 shows the traceback).", err=True)
            sys.exit(70)


def _prepare_formatter(options: Options) -> None:
    """black's workers made ready while the package is lowered (a run that gets here has modules
    to format: at least the one or two of an input that changed)."""
    if options.formatter == "black":
        from tsgen.blackpool import prepare

        prepare(options.formatter, options.jobs)


@contextlib.contextmanager
def _collector_for_a_run() -> Iterator[None]:
    """The lowered package, frozen out of the cyclic collector's walks while it is rendered (see
    `lower_package`), is the collector's again once the run is over (for a caller that goes on)."""
    try:
        yield
    finally:
        gc.unfreeze()


def _lowered(options: Options, fail_on_warning: bool, out: Path | None = None) -> Lowered:
    """The package parsed and lowered (not rendered yet), its warnings reported. `out`: the
    output of the previous run, whose manifest says which files are worth caching."""
    from tsgen.generate import lower_package  # the whole pipeline: imported only when there is work

    lowered = lower_package(options, previous_inputs(out) if out is not None else None, freeze=True)
    progress.suspend()
    _report(lowered.diagnostics)
    if fail_on_warning and lowered.diagnostics.items:
        reporting.say(f"tsgen: {len(lowered.diagnostics.items)} warning(s) and --fail-on-warning: nothing written")
        sys.exit(1)
    return lowered


def _emit(options: Options, lowered: Lowered, put: Callable[[str, bytes], None]) -> None:
    """The package written through `put`."""
    from tsgen.emit import emit

    emit(options, lowered, put)


_common = [
    click.argument("paths", nargs=-1, type=click.Path()),  # checked by _input_path (a path may go through a tarball)
    click.option("--root", type=click.Path(file_okay=False), help="Directory that paths in the output are relative to."),
    click.option("--package", help="Name of the generated Python package."),
    click.option("--model-type", type=MODEL_TYPES, help="TypedDicts, dataclasses, both by role (auto), or pydantic models (pydantic) or msgspec structs (msgspec) by role."),
    click.option("--templates", type=click.Path(file_okay=False), help="Directory of templates overriding the packaged ones by file name."),
    click.option("--fail-on-warning", is_flag=True, default=None, help="Treat warnings as errors."),
    click.option("--formatter", type=click.Choice(FORMATTERS), help="black (the default), ruff, or none."),
    click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Formatting processes (0: one per core)."),
    click.option("--cache-dir", type=click.Path(file_okay=False), help="Formatting cache (default: $TSGEN_CACHE_DIR, else ~/.cache/tsgen)."),
    click.option("--no-cache", is_flag=True, help="Format every module, and keep nothing."),
]


def common(fn: F) -> F:
    """The arguments and options `generate` and `check` share."""
    for decorator in reversed(_common):
        fn = decorator(fn)
    return fn


@click.group(cls=_Group, invoke_without_command=True)
@click.version_option(package_name="tsgen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Generate typed Python bindings from TypeScript declaration files (.d.ts).

    Without a command, regenerates from [tool.tsgen] in pyproject.toml.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(generate)


@main.command()
@common
@reports
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Output directory (default: from config, else generated/).")
@click.option("--diff", "show_diff", is_flag=True, help="Print what changed in the Python API (as `tsgen diff` does).")
def generate(
    paths: tuple[str, ...] = (), root: str | None = None, package: str | None = None, model_type: str | None = None, templates: str | None = None,
    fail_on_warning: bool | None = None, formatter: str | None = None, jobs: int = 0, cache_dir: str | None = None, no_cache: bool = False,
    output: str | None = None, show_diff: bool = False,
) -> None:
    """Write bindings for PATH (.d.ts files or directories) into the output directory."""
    options, config, base = _options(paths, root, package, model_type, templates, _Formatting(formatter, jobs, cache_dir, no_cache))
    out = _output_dir(Path(output) if output else base / config.output, options.root)
    strict = bool(fail_on_warning if fail_on_warning is not None else config.fail_on_warning)
    recover(out)  # a killed run's leftovers: the old tree back, staging directories removed
    if not _warnings_wanted() and up_to_date(options, out, strict):
        _info(f"tsgen: {out} is up to date (no input, setting or template changed){_last_run(out)}")
        if show_diff:
            click.echo(f"{out}: no change to the Python API")
        return
    previous = _previous_api(out) if show_diff else None
    _prepare_formatter(options)
    with _watched():
        lowered = _lowered(options, strict, out)
        try:
            with Staged(out) as staged:
                _emit(options, lowered, staged.put)
                written = staged.commit()
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; the previous output is unchanged") from None
    unchanged = len(set(staged.put_paths) - set(written))
    _info(f"tsgen: {len(written)} file(s) written to {out}, {unchanged} unchanged")
    if previous is not None:
        from tsgen.api.compare import compare
        from tsgen.api.report import Report
        from tsgen.api.sides import recorded_api

        now = recorded_api(out)  # the API just written
        click.echo(Report(previous.package or f"{out} (before)", now.package or str(out), compare(previous, now)).text(), nl=False)


def _previous_api(out: Path) -> Api | None:
    """The API the output recorded before this run (None, said, when there is none to compare with)."""
    from tsgen.api.sides import is_output, recorded_api

    if not is_output(out):
        click.echo(f"tsgen: --diff: {out} has no previous output to compare with", err=True)
        return None
    try:
        return recorded_api(out)
    except TsgenError as exc:  # an output of an older tsgen: generate all the same
        click.echo(f"tsgen: --diff: nothing to compare with: {exc.diagnostics[0]}", err=True)
        return None


def _output_dir(out: Path, root: Path) -> Path:
    """The output is replaced as a whole, so it must be a directory of its own: not a file, and
    not the input root, the working directory or a directory that contains either."""
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"the output {out} exists and is not a directory")
    resolved = out.resolve()
    for protected, what in ((root.resolve(), "the input root"), (Path.cwd().resolve(), "the working directory")):
        if resolved == protected or resolved in protected.parents:
            raise click.UsageError(f"the output {out} is or contains {what} ({protected}); tsgen replaces its output directory as a whole, so give it one of its own")
    return out


@main.command()
@common
@reports
@click.option("-o", "--output", type=click.Path(file_okay=False))
def check(
    paths: tuple[str, ...], root: str | None, package: str | None, model_type: str | None, templates: str | None, fail_on_warning: bool | None,
    formatter: str | None, jobs: int, cache_dir: str | None, no_cache: bool, output: str | None,
) -> None:
    """Exit 0 when the output directory is what `generate` would write now, else 1 and list the files."""
    options, config, base = _options(paths, root, package, model_type, templates, _Formatting(formatter, jobs, cache_dir, no_cache))
    out = Path(output) if output else base / config.output
    strict = bool(fail_on_warning if fail_on_warning is not None else config.fail_on_warning)
    if not _warnings_wanted() and up_to_date(options, out, strict):
        _info(f"tsgen: {out} is up to date{_last_run(out)}")
        return
    _prepare_formatter(options)
    with _watched():
        lowered = _lowered(options, strict, out)
        checker = Checker(out)
        _emit(options, lowered, checker.put)
    problems = checker.problems()
    for line in problems:
        click.echo(line)
    if problems:
        reporting.say(f"tsgen: {out} is not up to date ({len(problems)} file(s)); run `tsgen generate`")
        sys.exit(1)
    _info(f"tsgen: {out} is up to date")


@main.command("init")
@click.argument("input_dir", type=click.Path())  # checked by _input_path (it may be a tarball)
@click.option("--package", help="Name of the generated Python package (default: from the input's package.json).")
@click.option("-o", "--output", default=cfg.Config().output, show_default=True, help="Output directory, relative to pyproject.toml.")
@click.option("--pyproject", type=click.Path(dir_okay=False), help="The file to add to (default: the nearest pyproject.toml, else ./pyproject.toml).")
@click.option("--templates", type=click.Path(file_okay=False), help="Directory of templates overriding the packaged ones by file name.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the section instead of adding it.")
def init_command(input_dir: str, package: str | None, output: str, pyproject: str | None, templates: str | None, to_stdout: bool) -> None:
    """Add a commented [tool.tsgen] section for INPUT_DIR to pyproject.toml (created if missing)."""
    from tsgen.init import Request, init, section

    path = Path(pyproject) if pyproject else cfg.find_pyproject(Path.cwd()) or Path("pyproject.toml")
    request = Request(input_dir, path.absolute(), package, output, templates)
    if to_stdout:
        click.echo(section(request, _input_path(input_dir)), nl=False)
        return
    init(request, _input_path(input_dir))
    click.echo(f"tsgen: [tool.tsgen] for {input_dir} added to {path}; run `tsgen` to generate", err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--model-type", type=MODEL_TYPES, default="auto")
@click.option("--fail-on-warning", is_flag=True)
@click.option("--types-only", is_flag=True, help="Only the data types: no resource classes (and no runtime unless a type needs it).")
@click.option("--templates", type=click.Path(file_okay=False), help="Directory of templates overriding the packaged ones by file name.")
@reports
def convert(file: str, model_type: str, fail_on_warning: bool, types_only: bool, templates: str | None) -> None:
    """Convert one .d.ts file and print a Python module that stands alone: what it uses from
    other files is converted into it, and the runtime its resources call the API through is
    inlined (see tsgen.standalone)."""
    from tsgen import standalone

    text, diagnostics = standalone.convert(Path(file).resolve(), model_type, types_only, default_cache_dir(), templates)
    _report(diagnostics)
    if fail_on_warning and diagnostics.items:
        reporting.say(f"tsgen: {len(diagnostics.items)} warning(s) and --fail-on-warning: nothing printed")
        sys.exit(1)
    click.echo(text, nl=False)


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True, help="text for the terminal, markdown for a changelog, json for tools.")
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when a change is breaking.")
@click.option("--package", help="Name of the generated Python package (for inputs; default: from config).")
@click.option("--model-type", type=MODEL_TYPES, help="TypedDicts, dataclasses, both by role (auto), or pydantic models (pydantic) or msgspec structs (msgspec) by role.")
@reports
def diff(old: str, new: str, fmt: str, fail_on_breaking: bool, package: str | None, model_type: str | None) -> None:
    """Compare the Python API of OLD and NEW: each an output tree (its recorded API) or anything
    `generate` takes (.d.ts files, directories, packages)."""
    from tsgen.api.compare import compare
    from tsgen.api.report import Report

    roots = _package_roots(Path(old), Path(new))
    (before, old_label), (after, new_label) = (_api(side, root, package, model_type) for side, root in zip((old, new), roots))
    report = Report(old_label, new_label, compare(before, after))
    click.echo(report.render(fmt), nl=False)
    if fail_on_breaking and report.breaking:
        click.echo(f"tsgen: {len(report.breaking)} breaking change(s) and --fail-on-breaking", err=True)
        sys.exit(1)


def _package_roots(old: Path, new: Path) -> tuple[Path | None, Path | None]:
    """Where module names start on each side: inside npm packages, at the packages' roots when
    both sides are the same part of their package (`resources/beta/realtime` of two releases),
    so that they compare module by module; else at the paths given."""
    from tsgen.api.sides import package_root

    found = [package_root(p.resolve()) for p in (old, new)]
    a, b = found
    if a is not None and b is not None and old.resolve().relative_to(a) == new.resolve().relative_to(b):
        return a, b
    return None, None


def _api(side: str, root: Path | None, package: str | None, model_type: str | None) -> tuple[Api, str]:
    """The API at `side` and a label for it: the npm package and version when known, else the path."""
    from tsgen.api.sides import is_output, recorded_api

    path = Path(side)
    if is_output(path):
        api = recorded_api(path)
    else:
        options, _, _ = _options((side,), str(root) if root else None, package, model_type, None, _Formatting("none"))
        from tsgen.api.snapshot import snapshot

        lowered = _lowered(options, False)
        api = snapshot(lowered.modules, lowered.package)
    return api, api.package or side
