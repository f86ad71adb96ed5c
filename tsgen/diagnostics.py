"""Diagnostics are values: a level, a message and a source position."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from tsgen.kinds import Kind
from tsgen.records import record


class Level(enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@record(frozen=True, order=True, slots=True)
class Pos:
    """A 1-based position in a source file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str) -> str:
    """A message on one line, safe for a terminal: source text quoted in it may span lines or
    hold control characters (escaped as `\\x00`)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}", " ".join(message.split()))


@record(frozen=True, slots=True)
class Diagnostic:
    level: Level
    pos: Pos
    message: str
    kind: str = ""  # a warning's kind (`tsgen.kinds`); "" for an error

    def __str__(self) -> str:
        return f"{self.pos}: {self.level.value}: {one_line(self.message)}"


class TsgenError(Exception):
    """A failure that stops the run; carries the diagnostics that caused it."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


@dataclass
class Diagnostics:
    """Collects diagnostics for a run, deduplicated and reported in source order."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def warn(self, pos: Pos, message: str, *, kind: Kind) -> None:
        self._add(Diagnostic(Level.WARNING, pos, one_line(message), kind.code))

    def error(self, pos: Pos, message: str) -> None:
        self._add(Diagnostic(Level.ERROR, pos, one_line(message)))

    def extend(self, diags: list[Diagnostic]) -> None:
        for diag in diags:
            self._add(diag)

    def _add(self, diag: Diagnostic) -> None:
        if diag not in self._seen:
            self._seen.add(diag)
            self.items.append(diag)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.pos, d.message))


def template_error(where: str, line: int, message: str) -> TsgenError:
    """An error of a template (a user's override, most likely) or of what it rendered."""
    return TsgenError([Diagnostic(Level.ERROR, Pos(where, line, 1), f"template error: {message}")])
