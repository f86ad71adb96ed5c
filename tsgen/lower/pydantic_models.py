"""The pydantic style (`model_type = "pydantic"`): data classes as subclasses of the runtime's
`BaseModel`, request parameters as TypedDicts (as in auto, and as openai-python sends them).

A model's field may not take a name pydantic gives another meaning: one starting with `_` is a
private attribute (not validated, not dumped), and one of BaseModel's own attributes
(`json`, `copy`, `model_dump`...) would hide it, which type checkers report as an incompatible
override. Those fields get another Python name and keep their wire name as an alias."""

from __future__ import annotations

from dataclasses import replace

from tsgen.pymodel import FieldDef

PYDANTIC = "pydantic"
MODEL_BASE = "BaseModel"  # the runtime's base of every model: reserved in the modules of this style

# BaseModel's public attributes (pydantic 2.7 to 2.14: those of v1 kept as deprecated, and the
# `model_` ones), written out so that the output does not depend on the installed pydantic.
BASEMODEL_ATTRIBUTES = frozenset({
    "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw", "schema",
    "schema_json", "update_forward_refs", "validate", "model_computed_fields", "model_config",
    "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields",
    "model_fields_set", "model_json_schema", "model_parametrized_name", "model_post_init",
    "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings",
})  # fmt: skip


def model_field_name(name: str) -> str:
    """A Python name pydantic takes as a field: `_0` -> `field_0`, `json` -> `json_`."""
    if name.startswith("_"):
        return "field" + name
    return name + "_" if name in BASEMODEL_ATTRIBUTES else name


def model_fields(fields: list[FieldDef]) -> list[FieldDef]:
    return [f if (n := model_field_name(f.name)) == f.name else replace(f, name=n) for f in fields]
