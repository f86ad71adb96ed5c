"""The changes between two APIs as text for the terminal, markdown for a changelog or a pull
request, or JSON for tools. Grouped by module, breaking first."""

from __future__ import annotations

import json
from collections import Counter
from itertools import groupby

from tsgen.api.compare import Change
from tsgen.records import record

FORMATS = ("text", "markdown", "json")


@record(frozen=True)
class Report:
    old: str  # what was compared, as the user named it (or the package and version)
    new: str
    changes: list[Change]

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def summary(self) -> str:
        modules = len({c.module for c in self.changes})
        if not self.changes:
            return f"{self.old} -> {self.new}: no change to the Python API"
        return f"{self.old} -> {self.new}: {len(self.breaking)} breaking, {len(self.changes) - len(self.breaking)} compatible change(s) in {modules} module(s)"

    def by_kind(self, breaking: bool) -> dict[str, int]:
        return dict(sorted(Counter(c.kind for c in self.changes if c.breaking == breaking).items()))

    def render(self, fmt: str) -> str:
        return {"text": self.text, "markdown": self.markdown, "json": self.json}[fmt]()

    def text(self) -> str:
        lines = [self.summary]
        for module, changes in groupby(self.changes, key=lambda c: c.module):
            lines += ["", module or "(package)"]
            lines += [f"  {'breaking  ' if c.breaking else 'compatible'}  {c.where}: {c.reason}" for c in changes]
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        lines = [f"## API changes: {_md(self.old)} → {_md(self.new)}", "", self.summary.replace("->", "→") + "."]
        if self.breaking:
            lines += ["", "| breaking changes | count |", "|---|--:|"]
            lines += [f"| {kind} | {n} |" for kind, n in self.by_kind(True).items()]
        for module, changes in groupby(self.changes, key=lambda c: c.module):
            lines += ["", f"### `{module}`" if module else "### (package)", ""]
            lines += [f"- {'**breaking**' if c.breaking else 'compatible'}: `{c.where}`: {_md(c.reason)}" for c in changes]
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        doc = {
            "old": self.old,
            "new": self.new,
            "breaking": len(self.breaking),
            "compatible": len(self.changes) - len(self.breaking),
            "breaking_by_kind": self.by_kind(True),
            "compatible_by_kind": self.by_kind(False),
            "changes": [{"module": c.module, "declaration": c.name, "member": c.member, "kind": c.kind, "breaking": c.breaking, "reason": c.reason} for c in self.changes],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Text that markdown shows as it is: escaped outside code spans."""
    parts = text.split("`")
    return "`".join(p if i % 2 else p.replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_") for i, p in enumerate(parts))
