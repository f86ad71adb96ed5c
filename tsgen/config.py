"""`[tool.tsgen]` in pyproject.toml, validated with pydantic."""

from __future__ import annotations

import sys
from dataclasses import field
from pathlib import Path

from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError
from tsgen.records import record

DEFAULT_RUNTIME_MODULES = frozenset(
    {
        "core", "resource", "pagination", "uploads", "streaming", "error",
        "core/api-promise", "core/resource", "core/pagination", "core/uploads", "core/streaming",
        "internal/request-options", "internal/uploads",
    }
)  # fmt: skip
DEFAULT_RUNTIME_TYPES: dict[str, str] = {
    "APIPromise": "unwrap",
    "PagePromise": "page",
    "Stream": "stream",
    "Uploadable": "runtime:Uploadable",
    "Promise": "unwrap",
    "RequestOptions": "typing.Any",
    "APIResource": "typing.Any",
    "APIClient": "typing.Any",
}


@record(frozen=True)
class Config:
    """Settings; each can also be given on the command line. (Validated by the pydantic model
    in `tsgen.config_schema`, imported only when a pyproject.toml has a [tool.tsgen] table.)"""

    input: str | None = None
    output: str = "generated"
    package: str = "generated_bindings"
    model_type: str = "auto"
    templates: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    api_key_header: str = "Authorization"
    api_key_prefix: str = "Bearer "
    fail_on_warning: bool = False
    formatter: str = "black"
    routes: dict[str, str] = field(default_factory=dict)
    runtime_types: dict[str, str] = field(default_factory=dict)
    runtime_modules: list[str] = field(default_factory=list)


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(pyproject: Path | None) -> tuple[Config, int, Path]:
    """The config, black's line length, and the directory relative paths are resolved against."""
    if pyproject is None:
        return Config(), 88, Path.cwd()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TsgenError([Diagnostic(Level.ERROR, Pos(str(pyproject), 1, 1), f"cannot read configuration: {exc}")]) from exc
    tool = data.get("tool", {})
    config = _validated(tool["tsgen"], pyproject) if "tsgen" in tool else Config()
    line_length = tool.get("black", {}).get("line-length", 88)
    return config, int(line_length), pyproject.parent


def _validated(table: object, pyproject: Path) -> Config:
    from pydantic import ValidationError

    from tsgen.config_schema import ConfigTable

    try:
        return Config(**ConfigTable.model_validate(table).model_dump())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TsgenError([Diagnostic(Level.ERROR, Pos(str(pyproject), 1, 1), f"invalid [tool.tsgen]: {problems}")]) from exc
