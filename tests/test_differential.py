"""Differential test against the reference parser: the TypeScript compiler (tests/tsc, pinned
in its package.json) lists every declaration and every interface property (own and
inherited, also those of aliases of object types like `type X = Omit<Y, 'a'>`) of each file;
the generated package must have each of them, found through tsgen-manifest.json and Python's
own introspection, with the same optionality, literal values and docs, and no `Any` in the
annotation of a property whose TypeScript type is exact (no `any`, `unknown`, conditional or
mapped type in it). Exceptions are listed with their reason and counted.
"""

from __future__ import annotations

import collections
import importlib
import re
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from introspect import PyField, fields

TSC = ROOT / "tests" / "tsc"
LSP = TSC / "node_modules"

# Declarations that have no Python counterpart by design, and why.
METHOD = "method signature: interfaces' methods are not converted (reported as a warning)"
TYPEOF = "`typeof` a constant declared by its value (`const Full = 'full'`): the parser keeps no initializers yet, so Any (reported as a warning)"
NOT_EMITTED = {
    "namespace": "namespaces are flattened: their members are emitted at module level",
    "function": "functions are not converted (reported as a warning)",
    "variable": "variables are not converted (reported as a warning)",
}

CORPORA = {
    "openai": (CORPUS, "resources", "oa"),
    "lsp-types": (LSP / "vscode-languageserver-types" / "lib" / "umd", "", "lsptypes"),
    "lsp-protocol": (LSP / "vscode-languageserver-protocol" / "lib" / "common", "", "lspproto"),
}


@dataclass
class Report:
    declarations: int = 0
    present: int = 0
    properties: int = 0
    equal: int = 0
    exact_as_any: int = 0  # exact in TypeScript, Any in Python
    exceptions: collections.Counter[str] = field(default_factory=collections.Counter)
    mismatches: list[str] = field(default_factory=list)


def _oracle(root: Path, files: list[str]) -> dict[str, object]:
    assert (LSP / "typescript").is_dir(), "run `npm ci --prefix tests/tsc` (the Makefile's setup does)"
    out = subprocess.run(["node", str(TSC / "describe.js"), str(root), *files], capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(out.stdout)
    return data


def _generate(root: Path, sub: str, package: str, out: Path) -> dict[str, object]:
    target = root / sub if sub else root
    result = subprocess.run(
        [sys.executable, "-m", "tsgen", "generate", str(target), "--root", str(root), "-o", str(out), "--package", package],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest: dict[str, object] = json.loads((out / "tsgen-manifest.json").read_text())
    return manifest


_LINK = re.compile(r"\{@link(?:code|plain)?\b[^}]*\}")


def _norm(text: str) -> str:
    """Whitespace-collapsed and without inline `{@link ...}` tags: the compiler renders them
    its own way (`{@link A.b text}` becomes `{@link A.btext}`), tsgen keeps the source text."""
    return " ".join(_LINK.sub("", text).split())


def _compare_property(where: str, prop: dict[str, object], py: PyField | None, report: Report) -> None:
    report.properties += 1
    if py is None:
        report.mismatches.append(f"{where}: missing")
        return
    problems = []
    if py.optional != prop["optional"]:
        problems.append(f"optional {py.optional} != {prop['optional']}")
    expected = {v for v in prop["literals"]}  # type: ignore[attr-defined]
    if set(py.literals) != expected:
        problems.append(f"literals {sorted(map(str, py.literals))} != {sorted(map(str, expected))}")
    if prop["doc"] and _norm(str(prop["doc"])) not in _norm(py.doc):
        problems.append("doc comment missing")
    if prop["exact"] and py.any:
        report.exact_as_any += 1
        problems.append("Any for an exact TypeScript type")
    if problems:
        report.mismatches.append(f"{where}: " + "; ".join(problems))
    else:
        report.equal += 1


def _check(name: str, tmp_path: Path, figures: list[str]) -> Report:
    root, sub, package = CORPORA[name]
    files = sorted(p.relative_to(root).as_posix() for p in (root / sub if sub else root).rglob("*.d.ts") if "node_modules" not in p.relative_to(root).parts)
    oracle = _oracle(root, files)
    out = tmp_path / name
    manifest = _generate(root, sub, package, out)
    symbols: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    for sym in manifest["symbols"]:  # type: ignore[attr-defined]
        symbols[(sym["source"], sym["ts_name"])].append(sym)
    sys.path.insert(0, str(out))
    report = Report()
    try:
        for file in oracle["files"]:  # type: ignore[attr-defined]
            _check_file(file, symbols, report)
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[mod]
    figures.append(f"{name}: declarations {report.present}/{report.declarations} present"
          f" (+{sum(report.exceptions.values())} without a Python counterpart by design);"
          f" properties {report.equal}/{report.properties} equal in every form;"
          f" {report.exact_as_any} exact TypeScript types as Any")
    for reason, count in sorted(report.exceptions.items()):
        figures.append(f"  {count:5} {reason}")
    for line in report.mismatches[:40]:
        figures.append(f"  MISMATCH {line}")
    return report


def _check_file(file: dict[str, object], symbols: dict[tuple[str, str], list[dict[str, str]]], report: Report) -> None:
    source = str(file["path"])
    for decl in file["declarations"]:  # type: ignore[attr-defined]
        if decl["kind"] in NOT_EMITTED:
            report.exceptions[f"{decl['kind']}: {NOT_EMITTED[decl['kind']]}"] += 1
            continue
        report.declarations += 1
        if symbols.get((source, decl["name"])):
            report.present += 1
        else:
            report.mismatches.append(f"{source}: {decl['kind']} {decl['name']} missing")
    for interface in file["interfaces"]:  # type: ignore[attr-defined]
        for sym in symbols.get((source, interface["name"]), []):
            module = importlib.import_module(sym["module"])
            cls = getattr(module, sym["python_name"])
            if not isinstance(cls, type):
                report.mismatches.append(f"{source}: {interface['kind']} {interface['name']} is not a class ({sym['python_name']})")
                continue
            py_fields = fields(cls, Path(module.__file__ or ""))
            for prop in interface["properties"]:
                if prop["method"]:
                    report.exceptions[METHOD] += 1
                    continue
                where = f"{source}: {interface['kind']} {interface['name']}.{prop['name']} ({sym['python_name']})"
                py_field = py_fields.get(prop["name"])
                if prop["type_query"] and py_field is not None and py_field.any:
                    report.exceptions[TYPEOF] += 1
                    continue
                _compare_property(where, prop, py_field, report)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_generated_package_matches_the_typescript_compiler(corpus: str, tmp_path: Path, figures: list[str]) -> None:
    report = _check(corpus, tmp_path, figures)
    assert report.declarations > 0 and report.properties > 0
    assert report.present == report.declarations, report.mismatches[:20]
    assert not report.mismatches, report.mismatches[:20]
