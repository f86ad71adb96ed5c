"""Differential test against the reference parser: the TypeScript compiler (tests/tsc, pinned
in its package.json) lists every declaration and every interface property (own and
inherited, also those of aliases of object types like `type X = Omit<Y, 'a'>`) of each file
of every corpus (tests/corpora.py); the generated package must have each of them, found through
tsgen-manifest.json and Python's own introspection, with the same optionality, literal values
and docs (each `{@link}` and `@see` rendered as the Python name of the declaration tsc resolves
it to, tests/doc_oracle.py), and no `Any` in the annotation of a property whose TypeScript type is exact (no `any`,
`unknown`, conditional or mapped type in it). Exceptions are listed with their reason and counted.
"""

from __future__ import annotations

import collections
import importlib
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT
from corpora import CORPORA, STYLES, Corpus, Trees
from doc_oracle import Links, Symbols, doc_pattern, matches, see_pattern
from introspect import PyField, attribute_docs, fields, method_docs

from tsgen import names

TSC = ROOT / "tests" / "tsc"
LSP = TSC / "node_modules"

# Declarations that have no Python counterpart by design, and why.
METHOD = "method signature of an interface with properties: its methods are not converted (reported as a warning)"
OPTIONAL_METHOD = "optional method of a protocol: a protocol member cannot be optional (reported as a warning)"
LIBRARY = "property of TypeScript's own lib (a global interface the package augments, as @types/node augments `Console`): tsgen converts the package, not the compiler's lib"
LIBRARY_DOC = "member written without a doc comment, which tsc documents with that of TypeScript's own lib (`toString()` with `Object.toString`'s): tsgen converts the package, not the compiler's lib"
SYMBOL_KEY = "property keyed by a symbol (`[Symbol.toStringTag]`, `[kOptions]`): no string names it, so no Python field can (reported as a warning)"
TYPEOF = "`typeof` a constant declared by its value (`const Full = 'full'`): the parser keeps no initializers yet, so Any (reported as a warning)"
NOT_EMITTED = {
    "namespace": "namespaces are flattened: their members are emitted at module level",
    "function": "functions are not converted (reported as a warning)",
    "variable": "variables are not converted (reported as a warning)",
}

@dataclass
class Report:
    declarations: int = 0
    present: int = 0
    properties: int = 0
    equal: int = 0
    exceptions: collections.Counter[str] = field(default_factory=collections.Counter)
    mismatches: list[str] = field(default_factory=list)
    broken_modules: set[str] = field(default_factory=set)  # their properties count as not equal
    exact_as_any: list[str] = field(default_factory=list)  # exact TypeScript type (no any, unknown, conditional, mapped), Any in Python
    any_annotations: dict[str, str] = field(default_factory=dict)  # their Python annotations (msgspec's structs)
    alias_values: dict[str, str] = field(default_factory=dict)  # msgspec: the text of each alias's value by name
    links: Links = field(default_factory=Links)  # `{@link}`s and `@see`s compared in docs


def _oracle(root: Path, files: list[str]) -> dict[str, object]:
    assert (LSP / "typescript").is_dir(), "run `npm ci --prefix tests/tsc` (the Makefile's setup does)"
    out = subprocess.run(["node", str(TSC / "describe.js"), str(root), *files], capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(out.stdout)
    return data


def _documented(prop: dict[str, object], doc: str, symbols: Symbols, links: Links, tags: bool = True) -> bool:
    """Whether a docstring says what tsc says of the property: its doc comment (links rendered as
    tsgen must, tests/doc_oracle.py) and, where the docstring read has its `tags`, each `@see`."""
    patterns = [doc_pattern(prop["doc"], symbols, links)] if prop["doc"] else []  # type: ignore[arg-type]
    see = prop.get("see") or []
    if tags:
        patterns += [see_pattern(tag, symbols, links) for tag in see]  # type: ignore[attr-defined]
    else:
        links.see_unread += len(see)  # type: ignore[arg-type]
    return all(matches(p, doc) for p in patterns)


def _widened(expected: set[object], py: PyField) -> bool:
    """The compiler folds `string | 'alloy'` into `string` (and `number | 1` into `number`);
    Python keeps the known values beside the wider type (`str | Literal["alloy"]`), as the
    vendors' Python SDKs do. Equal when every extra literal's own type is in the union too."""
    extra = set(py.literals) - expected
    both = {v for v in py.literals if isinstance(v, bool)} == {True, False}  # `true | false` is boolean
    primitives = py.primitives | ({bool} if both else set())
    return expected <= set(py.literals) and all(_admits(v, primitives) for v in extra)


def _admits(value: object, primitives: frozenset[type]) -> bool:
    if isinstance(value, bool):
        return bool in primitives
    if isinstance(value, (int, float)):
        return bool(primitives & {int, float})
    return type(value) in primitives


def _compare_property(where: str, prop: dict[str, object], py: PyField | None, symbols: Symbols, report: Report) -> None:
    report.properties += 1
    if py is None:
        report.mismatches.append(f"{where}: missing")
        return
    problems = []
    if py.optional != prop["optional"]:
        problems.append(f"optional {py.optional} != {prop['optional']}")
    expected = {v for v in prop["literals"]}  # type: ignore[attr-defined]
    if set(py.literals) != expected and not _widened(expected, py):
        problems.append(f"literals {sorted(map(str, py.literals))} != {sorted(map(str, expected))}")
    if not _documented(prop, py.doc, symbols, report.links):
        problems.append("doc comment missing")
    if py.any:
        report.any_annotations[where] = py.annotation
    if prop.get("exact") and py.any:
        report.exact_as_any.append(where)
    if problems:
        report.mismatches.append(f"{where}: " + "; ".join(problems))
    else:
        report.equal += 1


def _check(corpus: Corpus, out: Path, manifest: dict[str, object], figures: list[str], style: str = "auto") -> Report:
    name, root, package = corpus.name + ("" if style == "auto" else f" ({style})"), corpus.root, corpus.package
    files = corpus.files()
    start = time.monotonic()
    oracle = _oracle(root, files)
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
          f" {len(report.exact_as_any)} whose exact type has Any in Python ({time.monotonic() - start:.0f}s)")
    examples = f", e.g. {', '.join(report.links.examples[:3])}" if report.links.examples else ""
    figures.append(f"  links in docs: {report.links.exact} to what tsc resolved them to, exactly;"
                   f" {report.links.lenient} leniently (unresolved, or to nothing generated){examples};"
                   f" {report.links.see_unread} @see of methods not read (their docstrings are read without tags)")
    for reason, count in sorted(report.exceptions.items()):
        figures.append(f"  {count:5} {reason}")
    for line in report.mismatches[:40]:
        figures.append(f"  MISMATCH {line}")
    for line in report.exact_as_any[:20]:
        figures.append(f"  ANY {line}")
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
        found = symbols.get((source, interface["name"]), [])
        data = [sym for sym in found if sym["kind"] != "class"]
        for sym in data or found:  # a resource class merged with the interface: its data type
            try:
                module = importlib.import_module(sym["module"])
            except Exception as exc:  # noqa: BLE001 - counted: its properties cannot be compared
                report.properties += len(interface["properties"])
                if sym["module"] not in report.broken_modules:
                    report.broken_modules.add(sym["module"])
                    report.mismatches.append(f"{source}: {sym['module']} does not import ({type(exc).__name__}: {exc})")
                continue
            cls = getattr(module, sym["python_name"])
            if getattr(cls, "_is_protocol", False):  # an interface of methods (tsgen.lower.protocols)
                _compare_methods(source, interface, cls, symbols, report)
                continue
            try:
                py_fields = fields(cls)
            except TypeError:  # e.g. a resource class in the place of an interface of its name
                report.properties += len(interface["properties"])
                report.mismatches.append(f"{source}: {interface['name']}: {sym['python_name']} is not a dataclass or TypedDict")
                continue
            for prop in interface["properties"]:
                if prop["method"]:
                    report.exceptions[METHOD] += 1
                    continue
                if prop.get("library"):
                    report.exceptions[LIBRARY] += 1
                    continue
                if str(prop["name"]).startswith("__@"):
                    report.exceptions[SYMBOL_KEY] += 1
                    continue
                where = f"{source}: {interface['kind']} {interface['name']}.{prop['name']} ({sym['python_name']})"
                py_field = py_fields.get(prop["name"])
                if prop["type_query"] and py_field is not None and py_field.any:
                    report.exceptions[TYPEOF] += 1
                    continue
                _compare_property(where, prop, py_field, symbols, report)


def _compare_methods(source: str, interface: dict[str, object], cls: type, symbols: Symbols, report: Report) -> None:
    """A protocol has every method of the interface (by its name), each documented as tsc
    documents it; an optional one is left out by design. A protocol form of an interface of data
    and methods (tsgen.lower.mixed) has its properties too, as attributes or read-only properties."""
    for prop in interface["properties"]:  # type: ignore[attr-defined]
        if prop.get("library"):
            report.exceptions[LIBRARY] += 1
            continue
        if prop["method"] and prop["optional"]:
            report.exceptions[OPTIONAL_METHOD] += 1
            continue
        if str(prop["name"]).startswith("__@"):
            report.exceptions[SYMBOL_KEY] += 1
            continue
        methods = method_docs(cls)
        name = names.identifier(str(prop["name"]))  # `assert` is `assert_`: Python requires it
        where = f"{source}: {interface['kind']} {interface['name']}.{prop['name']} ({cls.__name__})"
        members = methods if prop["method"] else {**attribute_docs(cls), **methods}  # a property: an attribute, or a read-only property
        # a method's docstring is read without its tags (introspect.method_docs: overloads joined)
        doc_differs = name in members and not _documented(prop, members[name], symbols, report.links, tags=name not in methods)
        if doc_differs and prop.get("doc_from_library"):
            report.exceptions[LIBRARY_DOC] += 1
            continue
        report.properties += 1
        if name not in members:
            report.mismatches.append(f"{where}: not a {'method' if prop['method'] else 'member'} of the protocol")
        elif doc_differs:
            report.mismatches.append(f"{where}: doc comment missing")
        else:
            report.equal += 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(CORPORA))
def test_generated_package_matches_the_typescript_compiler(name: str, style: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name, style)
    report = _check(tree.corpus, tree.out, tree.manifest, figures, style)
    assert report.declarations > 0 and report.properties > 0
    assert report.present == report.declarations, report.mismatches[:20]
    if style == "msgspec":  # what an alias's value names, for the aliases an annotation names
        report.alias_values = _alias_values(tree.out)
    mismatches = [w for w in report.mismatches if not (style == "msgspec" and _widened_literals(w, report, tree.stderr))]
    assert not mismatches, mismatches[:20]
    if tree.corpus.js_root is not None:  # the SDKs (issue 8's acceptance); the LSP packages report it
        unwarned = [w for w in report.exact_as_any if not (style == "msgspec" and _widened_for_msgspec(w, report, tree.stderr))]
        assert not unwarned, unwarned[:20]
        if style == "msgspec":
            figures.append(f"  {len(report.exact_as_any)} exact properties typed Any where msgspec cannot decode their type, each warned (the property, or an alias its type names)")


def _widened_literals(mismatch: str, report: Report, warnings: str) -> bool:
    """Literal values lost because msgspec cannot decode the property's type, widened to Any
    with a warning (a union of string literals and untagged objects)."""
    where, _, problems = mismatch.rpartition(": literals ")
    return bool(where) and "; " not in problems and where in report.any_annotations and _widened_for_msgspec(where, report, warnings)


def _widened_for_msgspec(where: str, report: Report, warnings: str) -> bool:
    """A property typed Any because msgspec cannot decode its type, as a warning says
    (tsgen.lower.msgspec_models): "property `A.B.prop` is" for `...: interface A.B.prop (AB)`,
    or "alias `X` is" for an alias X its annotation names, directly or through other aliases."""
    dotted = where.split(": interface ", 1)[-1].rsplit(" (", 1)[0]
    warned = [w for w in " ".join(warnings.split()).split(" warning: ") if "msgspec cannot decode" in w]  # lines may wrap
    if any(f"property `{dotted}` is " in w for w in warned):
        return True
    aliases = {w.split("alias `", 1)[1].split("`", 1)[0].rsplit(".", 1)[-1] for w in warned if w.startswith("alias `")}
    named, todo = set(), set(re.findall(r"\w+", report.any_annotations.get(where, "")))
    while todo:
        name = todo.pop()
        named.add(name)
        todo |= set(re.findall(r"\w+", report.alias_values.get(name, ""))) - named
    return bool(aliases & named)


_ALIAS = re.compile(r"^(\w+): TypeAlias = (.*?)(?=^\S)", re.M | re.S)


def _alias_values(out: Path) -> dict[str, str]:
    """Each alias of the generated package by name: the text of its value."""
    found: dict[str, str] = {}
    for module in out.rglob("*.py"):
        found.update((m.group(1), m.group(2)) for m in _ALIAS.finditer(module.read_text()))
    return found
