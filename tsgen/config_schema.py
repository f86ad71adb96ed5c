"""The pydantic model that validates `[tool.tsgen]` (see `tsgen.config`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tsgen import names


class ConfigTable(BaseModel):
    """`[tool.tsgen]` as written: keys in kebab-case (snake_case accepted), nothing unknown."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    input: str | None = None
    output: str = "generated"
    package: str = "generated_bindings"
    model_type: Literal["auto", "typeddict", "dataclass", "pydantic", "msgspec"] = Field("auto", alias="model-type")
    templates: str | None = None
    base_url: str | None = Field(None, alias="base-url")
    api_key_env: str | None = Field(None, alias="api-key-env")
    api_key_header: str = Field("Authorization", alias="api-key-header")
    api_key_prefix: str = Field("Bearer ", alias="api-key-prefix")
    fail_on_warning: bool = Field(False, alias="fail-on-warning")
    formatter: Literal["black", "ruff", "none"] = "black"
    routes: dict[str, str] = {}
    runtime_types: dict[str, str] = Field(default_factory=dict, alias="runtime-types")
    runtime_modules: list[str] = Field(default_factory=list, alias="runtime-modules")

    @field_validator("package")
    @classmethod
    def _package_is_a_module_path(cls, value: str) -> str:
        return names.package_name(value)
