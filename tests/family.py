"""The version matrix on any SDK outside the repository (an unpacked npm package):

    python tests/family.py /path/to/unpacked-npm-package [--skip-types] [--skip-routes]
        [--client-options '{"apiToken": "test-token"}'] [--out DIR [--reuse]] [--package NAME]

prints the figures the test suite prints for its own corpora: the exit code of `tsgen generate
<pkg>/resources --root <pkg>` and its warnings by kind, the differential test against the
TypeScript compiler, the modules that import alone, mypy --strict and pyright error counts, and
the route oracle (the SDK's own .js against the generated classes). Exit status 0 when every
figure meets the acceptance thresholds. Needs `make setup` (tests/tsc/node_modules). When the
SDK's .js needs its npm dependencies, they are installed (`npm install`) into OUT/node-deps.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]

from checks import import_failures, modules, type_errors, warning_kinds  # noqa: E402
from corpora import Corpus, Tree, generate  # noqa: E402
from route_oracle import check_in_subprocess, figures as route_figures, record  # noqa: E402
from test_differential import _check as differential  # noqa: E402


def say(line: str) -> None:
    print(line, flush=True)


def _corpus(package_dir: Path, args: argparse.Namespace) -> Corpus:
    meta = json.loads((package_dir / "package.json").read_text())
    name = f"{meta.get('name', package_dir.name)}@{meta.get('version', '?')}"
    python_name = args.package or re.sub(r"\W+", "_", str(meta.get("name", "sdk")).split("/")[-1]).strip("_").lower() or "sdk"
    converted = "resources" if (package_dir / "resources").is_dir() else ""
    return Corpus(name, package_dir, converted, python_name, package_dir, json.loads(args.client_options))


def _record(corpus: Corpus, work: Path) -> dict[str, object]:
    """The oracle; installs the SDK's npm dependencies once if its .js cannot load without them."""
    assert corpus.js_root is not None
    try:
        return record(corpus.root, corpus.js_root, corpus.client_options)
    except AssertionError as exc:
        if "Cannot find module" not in str(exc):
            raise
    deps = json.loads((corpus.root / "package.json").read_text()).get("dependencies", {})
    target = work / "node-deps"
    say(f"  (installing the SDK's dependencies for its .js into {target}: {', '.join(deps)})")
    target.mkdir(parents=True, exist_ok=True)
    (target / "package.json").write_text('{"private": true}')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(target), *(f"{k}@{v}" for k, v in deps.items())], check=True, timeout=600)
    return record(corpus.root, corpus.js_root, corpus.client_options, node_path=(target / "node_modules",))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package_dir", type=Path)
    parser.add_argument("--skip-types", action="store_true", help="skip mypy and pyright (slow on large SDKs)")
    parser.add_argument("--skip-routes", action="store_true", help="skip the route oracle")
    parser.add_argument("--client-options", default="{}", help="JSON: constructor options the SDK's client needs besides apiKey")
    parser.add_argument("--out", type=Path, help="work directory (default: a new temporary one, kept)")
    parser.add_argument("--package", help="name of the generated Python package")
    parser.add_argument("--reuse", action="store_true", help="keep the tree an earlier run generated in --out")
    args = parser.parse_args()
    corpus = _corpus(args.package_dir.resolve(), args)
    work = (args.out or Path(tempfile.mkdtemp(prefix="tsgen-family-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    name = corpus.name

    log = work / "generate-stderr.txt"
    if args.reuse and (work / "out" / "tsgen-manifest.json").is_file():
        tree = Tree(corpus, work / "out", 0, log.read_text() if log.is_file() else "", 0.0)
    else:
        tree = generate(corpus, work / "out", timeout=7200)
        log.write_text(tree.stderr)
    warnings = warning_kinds(tree.stderr)
    say(f"{name}: generate exit {tree.returncode} in {tree.seconds:.0f}s; {sum(warnings.values())} warnings; output in {tree.out}")
    for message, count in warnings.most_common():
        say(f"  {count:5} {message}")
    if tree.returncode != 0:
        say(tree.stderr[-2000:])
        say(f"{name}: FAIL (generate)")
        return 1

    lines: list[str] = []
    report = differential(corpus, tree.out, tree.manifest, lines)
    for line in lines:
        say(line)
    if report.properties and report.equal < 0.995 * report.properties:
        failed.append("properties < 99.5% equal")
    if report.exact_as_any:
        failed.append("exact types as Any")

    names = modules(tree.out, corpus.package)
    start = time.monotonic()
    failures = import_failures(tree.out, names)
    say(f"{name}: {len(names) - len(failures)}/{len(names)} modules import alone in a fresh interpreter ({time.monotonic() - start:.0f}s)")
    for module, error in sorted(failures.items())[:40]:
        say(f"  IMPORT {module}: {error}")
    if failures:
        failed.append("imports")

    if not args.skip_types:
        start = time.monotonic()
        mypy_errors, mypy_out, pyright_errors, _ = type_errors(tree.out, corpus.package)
        say(f"{name}: mypy --strict {mypy_errors} errors, pyright strict {pyright_errors} errors ({time.monotonic() - start:.0f}s)")
        for line in [ln for ln in mypy_out.splitlines() if ": error: " in ln][:20]:
            say(f"  MYPY {line}")
        if mypy_errors or pyright_errors:
            failed.append("types")

    if not args.skip_routes:
        start = time.monotonic()
        oracle = _record(corpus, work)
        oracle_file = work / "routes-oracle.json"
        oracle_file.write_text(json.dumps(oracle))
        routes = check_in_subprocess(tree.out, corpus.package, oracle_file, timeout=7200)
        (work / "routes-report.json").write_text(json.dumps(routes, indent=1))
        lines = route_figures(name, routes)
        lines[0] += f" ({time.monotonic() - start:.0f}s)"
        for line in lines:
            say(line)
        if routes["verb_path"] < 0.98 * routes["routed"] or routes["placement"] < 0.98 * routes["routed"]:
            failed.append("routes < 98%")
        if routes["unreachable"]:
            failed.append("sub-resources unreachable")

    say(f"{name}: {'FAIL (' + ', '.join(failed) + ')' if failed else 'PASS'}; details in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
