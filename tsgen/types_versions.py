"""`typesVersions` in a package's package.json: declarations kept for other TypeScript versions.

@types/node 22 keeps in `ts5.6/` the declarations TypeScript 5.6 and older read instead of its
own (`"typesVersions": {"<=5.6": {"*": ["ts5.6/*"]}}`). The two sets declare the same global
names; a program holds one of them. tsgen follows a current compiler (`TYPESCRIPT`), so a
directory converted whole leaves out the directories that only other versions read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TYPESCRIPT = (5, 9)  # the compiler whose view tsgen follows (the differential tests pin 5.9.3)

_COMPARATOR = re.compile(r"^(>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+)*)")


def other_versions(package_dir: Path) -> list[tuple[str, str]]:
    """(directory prefix, version range) of each directory the package's `typesVersions` maps
    for TypeScript versions other than the one tsgen follows (not the one it would read)."""
    try:
        data = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    versions = data.get("typesVersions") if isinstance(data, dict) else None
    if not isinstance(versions, dict):
        return []
    chosen = next((r for r in versions if isinstance(r, str) and matches(r, TYPESCRIPT)), None)
    kept = set(_prefixes(versions[chosen])) if chosen is not None else set()
    found = []
    for version_range, mapping in versions.items():
        if version_range != chosen:
            found += [(prefix, str(version_range)) for prefix in _prefixes(mapping) if prefix not in kept]
    return list(dict.fromkeys(found))


def _prefixes(mapping: object) -> list[str]:
    """The directories a mapping's targets name (`"ts5.6/*"` -> `ts5.6/`)."""
    if not isinstance(mapping, dict):
        return []
    prefixes = []
    for targets in mapping.values():
        for target in targets if isinstance(targets, list) else []:
            head = str(target).split("*", 1)[0].removeprefix("./")
            if head.endswith("/") and head != "/":
                prefixes.append(head)
    return prefixes


def matches(version_range: str, version: tuple[int, ...]) -> bool:
    """Whether `version` is in a semver range as typesVersions writes them (`>=3.1`, `<=5.6`,
    `>=4.5 <5`, `*`, alternatives joined by `||`)."""
    return any(_all_hold(part.split(), version) for part in version_range.split("||"))


def _all_hold(comparators: list[str], version: tuple[int, ...]) -> bool:
    for comparator in comparators:
        if comparator in ("*", "x", "X"):
            continue
        match = _COMPARATOR.match(comparator)
        if match is None:
            return False
        op, wanted = match.group(1) or "=", tuple(int(n) for n in match.group(2).split("."))
        have = (version + (0,) * len(wanted))[: len(wanted)]  # a partial version is a range: `<=5.6` holds for 5.6.3
        held = {">=": have >= wanted, "<=": have <= wanted, ">": have > wanted, "<": have < wanted, "=": have == wanted}[op]
        if not held:
            return False
    return True
