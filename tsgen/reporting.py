"""What a run says about its diagnostics on stderr, and in `--warnings-as-json`.

Errors are always listed in full. Warnings, by `--warnings`: `summary` (the default) groups
them by kind (`tsgen.kinds`), most frequent first, each with its count, what its warnings have
in common, the first of them in source order and what to do about them; `all` lists every one
as `file:line:col: warning: message [kind]`; `none` says nothing of them. Colour only where
the stream is a terminal, never with NO_COLOR set (https://no-color.org), always with
FORCE_COLOR set."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click

from tsgen import __version__
from tsgen.diagnostics import Diagnostic, Level, one_line
from tsgen.kinds import KINDS, Kind
from tsgen.records import record

WARNINGS = ("summary", "all", "none")
_NARROWEST = 60


@record(frozen=True)
class Reporting:
    warnings: str = "summary"  # one of WARNINGS (-q makes the default none, -v all)
    quiet: bool = False  # only errors, and what a command exists to print
    verbose: bool = False  # the phases of the run, with their counts and times
    json_path: str | None = None  # every diagnostic written there for tools


def color() -> bool | None:
    """Whether to colour stderr: False with NO_COLOR, True with FORCE_COLOR, else None
    (click decides: only on a terminal)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def say(line: str) -> None:
    click.echo(line, err=True, color=color())


def lines(diagnostics: list[Diagnostic], warnings: str, width: int | None = None) -> list[str]:
    """The lines stderr gets for these diagnostics (sorted), in the mode `warnings`."""
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    found = [d for d in diagnostics if d.level is Level.WARNING]
    shown = [_listed(d) for d in errors]
    if warnings == "all":
        shown += [_listed(d) for d in found]
    elif warnings == "summary" and found:
        shown += summary(found, width or _width())
    return shown


def _listed(diag: Diagnostic) -> str:
    style = {"fg": "red", "bold": True} if diag.level is Level.ERROR else {"fg": "yellow"}
    kind = f" [{diag.kind}]" if diag.kind else ""
    return f"{diag.pos}: {click.style(diag.level.value + ':', **style)} {_message(diag)}{kind}"


def _message(diag: Diagnostic) -> str:
    return one_line(diag.message)


def summary(warnings: list[Diagnostic], width: int) -> list[str]:
    """Each kind of warning in three lines: its count and what it is, its first warning, what to do."""
    counts = Counter(d.kind for d in warnings)
    first = {d.kind: d for d in reversed(warnings)}
    head = f"tsgen: {len(warnings)} warning(s) of {len(counts)} kind(s); --warnings all lists each one, --warnings-as-json FILE writes them for tools"
    shown = [head]
    pad = len(str(max(counts.values())))
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        kind = KINDS.get(code, Kind(code or "other", "other warnings", "see each warning"))
        indent = " " * (pad + 3)
        shown.append(f"  {click.style(str(count).rjust(pad), bold=True)} {click.style(kind.code, fg='yellow', bold=True)}: {kind.title}")
        shown.append(_clipped(f"{indent}e.g. {first[code].pos}: {_message(first[code])}", width))
        shown.append(f"{indent}{click.style('→', fg='green')} {kind.hint}")
    return shown


def _clipped(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _width() -> int:
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    if not columns:  # not a terminal, or one that does not say
        columns = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 120
    return max(columns, _NARROWEST)


def report(diagnostics: Iterable[Diagnostic], reporting: Reporting) -> None:
    """The diagnostics on stderr and, when asked, in the JSON file."""
    ordered = sorted(diagnostics, key=lambda d: (d.pos, d.message))
    if reporting.json_path is not None:
        write_json(Path(reporting.json_path), ordered)
    for line in lines(ordered, reporting.warnings):
        say(line)


def write_json(path: Path, diagnostics: list[Diagnostic]) -> None:
    """Every diagnostic, with the kinds that occur (title and hint), as one JSON document;
    written whole or not at all."""
    counts = Counter(d.kind for d in diagnostics if d.level is Level.WARNING)
    doc = {
        "tsgen_version": __version__,
        "diagnostics": [
            {"file": d.pos.file, "line": d.pos.line, "column": d.pos.col, "level": d.level.value, "kind": d.kind or None, "message": d.message}
            for d in diagnostics
        ],
        "kinds": {code: {"count": n, **_kind_doc(code)} for code, n in sorted(counts.items())},
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def _kind_doc(code: str) -> dict[str, str]:
    kind = KINDS.get(code)
    return {"title": kind.title, "hint": kind.hint} if kind is not None else {}
