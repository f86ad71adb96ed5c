"""`[tool.tsgen]` in pyproject.toml, validated with pydantic."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tsgen import names
from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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


class Config(BaseModel):
    """Settings; each can also be given on the command line."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    input: str | None = None
    output: str = "generated"
    package: str = "generated_bindings"
    model_type: Literal["auto", "typeddict", "dataclass"] = Field("auto", alias="model-type")
    templates: str | None = None
    base_url: str | None = Field(None, alias="base-url")
    api_key_env: str | None = Field(None, alias="api-key-env")
    api_key_header: str = Field("Authorization", alias="api-key-header")
    api_key_prefix: str = Field("Bearer ", alias="api-key-prefix")
    fail_on_warning: bool = Field(False, alias="fail-on-warning")
    formatter: Literal["black", "ruff", "none"] = "black"
    routes: dict[str, str] = {}

    @field_validator("package")
    @classmethod
    def _package_is_a_module_path(cls, value: str) -> str:
        return names.package_name(value)
    runtime_types: dict[str, str] = Field(default_factory=dict, alias="runtime-types")
    runtime_modules: list[str] = Field(default_factory=list, alias="runtime-modules")


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(pyproject: Path | None) -> tuple[Config, int, Path]:
    """The config, black's line length, and the directory relative paths are resolved against."""
    if pyproject is None:
        return Config.model_validate({}), 88, Path.cwd()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TsgenError([Diagnostic(Level.ERROR, Pos(str(pyproject), 1, 1), f"cannot read configuration: {exc}")]) from exc
    tool = data.get("tool", {})
    try:
        config = Config.model_validate(tool.get("tsgen", {}))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TsgenError([Diagnostic(Level.ERROR, Pos(str(pyproject), 1, 1), f"invalid [tool.tsgen]: {problems}")]) from exc
    line_length = tool.get("black", {}).get("line-length", 88)
    return config, int(line_length), pyproject.parent
