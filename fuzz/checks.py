"""What every fuzz case must satisfy, shared by the test suite (CI-sized runs) and fuzz/run.py.

Grammar cases: tsgen converts the file without failing; every module compiles and holds only
declarations (tests/ast_guard.py); values the declarations accept go through the generated
types and back unchanged. (mypy --strict runs once over all cases of a run: see type_check.)
Mutation cases: tsgen ends with exit 0 and a valid tree, or exit 1 with `file:line:col: error:`
messages; anything else (a traceback, an internal error, a hang, a tree that does not compile,
a half-written output) is a crash.
"""

from __future__ import annotations

import importlib
import random
from typing import Any
import subprocess
import sys
from pathlib import Path

import pydantic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import ast_guard  # noqa: E402

from fuzz.grammar import Alias, Interface, Module  # noqa: E402
from tsgen import config as cfg  # noqa: E402
from tsgen.generate import Options, build  # noqa: E402


def generate(source: str, work: Path, package: str, model_type: str) -> Path:
    """Convert one file in-process into work/out; returns the output directory."""
    (work / "src").mkdir(parents=True, exist_ok=True)
    (work / "src/m.d.ts").write_text(source, encoding="utf-8")
    options = Options(root=work / "src", inputs=("m.d.ts",), package=package, model_type=model_type,
                      runtime_types=dict(cfg.DEFAULT_RUNTIME_TYPES), runtime_modules=cfg.DEFAULT_RUNTIME_MODULES)
    result = build(options)
    out = work / "out"
    for rel, data in result.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


def check_tree(out: Path) -> None:
    for module in sorted(out.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        compile(text, str(module), "exec")
        if module.name != "_runtime.py":
            ast_guard.check_module(text, str(module))


def check_round_trip(module: Module, out: Path, package: str, seed: int) -> int:
    """Values each interface accepts go through its Python type and back; returns how many."""
    sys.path.insert(0, str(out))
    try:
        generated = importlib.import_module(f"{package}.m")
        symbols = _symbols(out)
        rng, count = random.Random(seed), 0
        for decl in [*module.interfaces, *module.aliases]:
            for python_name in symbols.get(decl.ref if isinstance(decl, Interface) else decl.name, []):
                count += _round_trip(getattr(generated, python_name), python_name, decl, rng)
        return count
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def _round_trip(python_type: Any, python_name: str, decl: Interface | Alias, rng: random.Random) -> int:
    """Three values the declaration accepts go through the Python type and back unchanged."""
    adapter: pydantic.TypeAdapter[object] = pydantic.TypeAdapter(python_type)
    for _ in range(3):
        value = decl.value(rng)
        back = adapter.dump_python(adapter.validate_python(value), mode="json", by_alias=True, exclude_defaults=True)
        if back != value:
            raise AssertionError(f"{decl.name} as {python_name}: {value!r} came back as {back!r}")
    return 3


def _symbols(out: Path) -> dict[str, list[str]]:
    import json

    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    result: dict[str, list[str]] = {}
    for sym in manifest["symbols"]:
        if sym["kind"] in ("interface", "type_alias"):
            result.setdefault(sym["ts_name"], []).append(sym["python_name"])
    return result


TSC = ROOT / "tests" / "tsc" / "node_modules" / "typescript" / "bin" / "tsc"


def tsc_errors(sources: list[str], work: Path) -> str:
    """The TypeScript compiler's errors for the drawn files (the grammar must only draw valid
    TypeScript, so that a failure is tsgen's); empty when all are valid."""
    if not sources:
        return ""
    files = []
    for index, source in enumerate(sources):
        path = work / f"case{index}.d.ts"
        path.write_text(source, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(["node", str(TSC), "--noEmit", "--strict", "--skipLibCheck", "false", *files], capture_output=True, text=True)
    return "" if result.returncode == 0 else result.stdout[-4000:]


def type_check(trees: list[Path], packages: list[str]) -> str:
    """mypy --strict over many generated trees at once; returns its report when it fails."""
    if not trees:
        return ""
    env_path = ":".join(str(t) for t in trees)
    args = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", *(a for p in packages for a in ("-p", p))]
    result = subprocess.run(args, capture_output=True, text=True, env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"}, cwd=trees[0].parent)
    return "" if result.returncode == 0 else result.stdout[-4000:]


def generate_package(sources: dict[str, str], inputs: list[str], work: Path, package: str) -> Path:
    """Convert the `inputs` of a drawn package of files in-process into work/out; returns the output directory."""
    src = work / "src"
    for rel, text in sources.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    options = Options(root=src, inputs=tuple(sorted(inputs)), package=package, model_type="auto",
                      runtime_types=dict(cfg.DEFAULT_RUNTIME_TYPES), runtime_modules=cfg.DEFAULT_RUNTIME_MODULES)
    out = work / "out"
    for rel, data in build(options).files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


def check_package_round_trip(interfaces: list[Interface], out: Path, seed: int) -> int:
    """Values each interface accepts go through each of its Python types and back; returns how many."""
    import json

    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    wanted = {i.name: i for i in interfaces}
    rng, count = random.Random(seed), 0
    sys.path.insert(0, str(out))
    try:
        for sym in manifest["symbols"]:
            decl = wanted.get(sym["ts_name"]) if sym["kind"] == "interface" else None
            if decl is None:
                continue
            count += _round_trip(getattr(importlib.import_module(sym["module"]), sym["python_name"]), sym["python_name"], decl, rng)
    finally:
        sys.path.remove(str(out))
        package = manifest["symbols"][0]["module"].split(".")[0] if manifest["symbols"] else ""
        for name in [n for n in sys.modules if package and (n == package or n.startswith(package + "."))]:
            del sys.modules[name]
    return count


def check_imports_alone(out: Path, package: str) -> int:
    """Each generated module imports first, alone, in a fresh interpreter; returns how many."""
    modules = sorted(".".join((package, *p.relative_to(out / package).with_suffix("").parts)) for p in (out / package).rglob("*.py") if p.name != "__init__.py")
    script = "import importlib, sys\nimportlib.import_module(sys.argv[1])\n"
    for module in modules:
        result = subprocess.run([sys.executable, "-c", script, module], cwd=out, capture_output=True, text=True)
        if result.returncode:
            raise AssertionError(f"`import {module}` alone fails: {result.stderr.strip().splitlines()[-1]}")
    return len(modules)


def tsc_package_errors(roots: list[Path]) -> str:
    """The TypeScript compiler's errors for drawn packages (each a directory of files)."""
    files = [str(p) for root in roots for p in sorted(root.rglob("*.d.ts"))]
    if not files:
        return ""
    result = subprocess.run(["node", str(TSC), "--noEmit", "--strict", "--skipLibCheck", "false", *files], capture_output=True, text=True)
    return "" if result.returncode == 0 else result.stdout[-4000:]
