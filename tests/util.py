"""Helpers shared by the tests: build options the way the CLI does."""

from __future__ import annotations

import contextlib
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tsgen import config as cfg
from tsgen.generate import Options, Result, build


def options(root: Path, inputs: tuple[str, ...] | None = None, **overrides: object) -> Options:
    if inputs is None:
        inputs = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*.d.ts")))
    base: dict[str, object] = dict(
        root=root,
        inputs=inputs,
        package="openai_realtime",
        runtime_types=dict(cfg.DEFAULT_RUNTIME_TYPES),
        runtime_modules=cfg.DEFAULT_RUNTIME_MODULES,
        base_url="https://api.openai.com/v1",
        api_key_env="OPENAI_API_KEY",
    )
    base.update(overrides)
    return Options(**base)  # type: ignore[arg-type]


def generate(root: Path, inputs: tuple[str, ...] | None = None, **overrides: object) -> Result:
    return build(options(root, inputs, **overrides))


def write_tree(out: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


@contextlib.contextmanager
def imported(out: Path, module: str = "pkg.api") -> Iterator[ModuleType]:
    """Import a module of a generated tree, then forget the tree's package again."""
    package = module.split(".")[0]
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(module)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def assert_mypy_strict(out: Path, package: str = "pkg") -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "-p", package], cwd=out, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
