"""The pydantic style (`model_type = "pydantic"`): data classes as subclasses of the runtime's
`BaseModel`, request parameters as TypedDicts (as in auto, and as openai-python sends them).

A generic model subscripted is a class (`Message[T]` is `Message` itself, `Message[U]` a
subclass), not a typing alias: a union or a list of it has no type parameters, so a generic
alias (`Item: TypeAlias = Message[T] | Call`) could not be subscripted (`Item[T]`: "not a generic
class"). Generic aliases are therefore `TypeAliasType`s at run time, with their TypeVars as
`type_params` (the form recursive aliases take: tsgen.lower.cycles), which pydantic
parametrizes; type checkers read the same TypeAlias.

A model whose annotation names a class further down its module is completed by pydantic later,
on first use; but a subclass in another module would then read the annotations it inherits in
its own module, where those names are not defined. So a model another module subclasses is
completed (`model_rebuild()`) at the end of its module, before any subclass exists (a base is
never of its subclass's import cycle: tsgen.lower.inheritance).

A model's field may not take a name pydantic gives another meaning: one starting with `_` is a
private attribute (not validated, not dumped), and one of BaseModel's own attributes
(`json`, `copy`, `model_dump`...) would hide it, which type checkers report as an incompatible
override. Those fields get another Python name and keep their wire name as an alias."""

from __future__ import annotations

from dataclasses import replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.cycles import lazy_alias
from tsgen.lower.entities import Key
from tsgen.lower.types import TypeEnv
from tsgen.lower.unions import discriminator
from tsgen.lower.import_cycles import Package
from tsgen.names import module_alias
from tsgen.pymodel import AliasDef, BaseModelDef, Definition, FieldDef, ModuleFile, RecursiveAliasDef, TypeVarDef

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


def discriminated(f: FieldDef, prop: m.Property, env: TypeEnv) -> FieldDef:
    """A field whose type is a union of interfaces told apart by a literal property (`content:
    Text | Image`, each with its `type`) as a discriminated union, as an alias of one is
    (tsgen.lower.models.lower_alias): pydantic picks the member by the tag, and says which
    member failed. `env` is that of the interface that declares the property."""
    if not isinstance(prop.type, m.UnionType) or not isinstance(f.type, py.PyUnion) or len(f.type.members) != len(prop.type.members):
        return f
    field = discriminator(prop.type, Key(env.module, (*env.scope, "")), env)
    return f if field is None else replace(f, type=py.PyDiscriminated(f.type, field))


def model_fields(fields: list[FieldDef]) -> list[FieldDef]:
    return [f if (n := model_field_name(f.name)) == f.name else replace(f, name=n) for f in fields]


def generic_aliases(modules: dict[str, ModuleFile]) -> None:
    """Every alias whose value uses a TypeVar made a TypeAliasType at run time (see above)."""
    for mod in modules.values():
        here = module_alias(mod.path)
        type_vars = {d.name for d in mod.definitions if isinstance(d, TypeVarDef)}
        mod.definitions = [_generic(d, here, type_vars) for d in mod.definitions]


def _generic(d: Definition, here: str, type_vars: set[str]) -> Definition:
    if not isinstance(d, AliasDef) or isinstance(d, RecursiveAliasDef):
        return d
    lazy = lazy_alias(d, here, type_vars)
    return lazy if lazy.type_params else d


def rebuild_bases(modules: list[ModuleFile]) -> None:
    """Each model that a model of another module subclasses: listed to be rebuilt at the end
    of its module (`ModuleFile.rebuilt`)."""
    package = Package.of(modules)
    for mod in modules:
        for d in mod.all_definitions:
            for parent in d.parents if isinstance(d, BaseModelDef) else ():
                if parent.via is not None and parent.via.alias in package.by_alias:
                    home = package.modules[package.by_alias[parent.via.alias]]
                    home.rebuilt = sorted({*home.rebuilt, parent.name})
