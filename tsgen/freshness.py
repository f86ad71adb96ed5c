"""Whether an output directory is already what a run would write, answered without parsing:
the manifest of the last run records a stamp of everything that decides the output (tsgen's
version, the settings, the templates, the formatter and its version), the files it converted,
the hash of every file it read, and the hash of every file it wrote. When all of these still
hold, `tsgen generate` has nothing to do and `tsgen check` knows the tree is fresh."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tsgen import __version__
from tsgen.cache import code_version
from tsgen.formatting import formatter_version
from tsgen.options import Options
from tsgen.output import leftovers

MANIFEST = "tsgen-manifest.json"
_PACKAGED = [Path(__file__).parent / "templates", Path(__file__).parent.parent / "templates"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _templates(user: str | None) -> dict[str, str]:
    """The hash of every template that may be used (the user's override the packaged ones)."""
    found: dict[str, str] = {}
    for directory in [*_PACKAGED, *([Path(user)] if user else [])]:
        if directory.is_dir():
            found.update({p.name: _sha(p.read_bytes()) for p in sorted(directory.glob("*.jinja"))})
    return found


def stamp(options: Options) -> str:
    """Everything but the input files that decides the output; no paths of this machine."""
    settings = {k: v for k, v in asdict(options).items() if k not in ("root", "inputs", "templates", "jobs", "cache_dir")}
    settings["runtime_modules"] = sorted(options.runtime_modules)
    parts = {
        "tsgen": __version__,
        "code": code_version(),  # tsgen's own sources: a change to them is a new tsgen even without a new version
        "settings": settings,
        "templates": _templates(options.templates),
        "formatter": formatter_version(options.formatter),
    }
    return _sha(json.dumps(parts, sort_keys=True, default=str).encode())


def record(options: Options, outputs: dict[str, str], warnings: int) -> dict[str, object]:
    """The manifest's record of a run, with the hash of every file written (its other keys list
    the inputs and symbols)."""
    return {"stamp": stamp(options), "converted": list(options.inputs), "warnings": warnings, "outputs": outputs}


def up_to_date(options: Options, out: Path, fail_on_warning: bool) -> bool:
    """The output is what a run would write now: same stamp, same converted files, every file
    read and written unchanged (and, with --fail-on-warning, the last run had no warning)."""
    manifest = _manifest(out)
    try:
        if manifest.get("stamp") != stamp(options) or manifest.get("converted") != list(options.inputs):
            return False
        if fail_on_warning and manifest.get("warnings", 1):
            return False
        read = all(_sha((options.root / e["path"]).read_bytes()) == e["sha256"] for e in manifest["inputs"])
        written = all(_sha((out / path).read_bytes()) == sha for path, sha in manifest["outputs"].items())
        return read and written and not leftovers(out, manifest["outputs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def previous_inputs(out: Path) -> dict[str, str]:
    """The files the last run into `out` read, with their hashes (none without a manifest)."""
    try:
        return {str(e["path"]): str(e["sha256"]) for e in _manifest(out)["inputs"]}
    except (KeyError, TypeError):
        return {}


def warnings_recorded(out: Path) -> int:
    """How many warnings the run that wrote `out` had (0 when it does not say)."""
    found = _manifest(out).get("warnings", 0)
    return found if isinstance(found, int) else 0


def _manifest(out: Path) -> dict[str, Any]:
    """The manifest the last run wrote into `out` ({} when there is none or it cannot be read)."""
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
