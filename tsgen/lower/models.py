"""Pass: interfaces, type aliases and enums to Python definitions."""

from __future__ import annotations

import re

import math
from dataclasses import replace

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.entities import Entity
from tsgen.lower.inheritance import parents_of
from tsgen.lower.members import all_properties as all_properties  # re-exported: resources and unions use it
from tsgen.lower.naming import PARAM
from tsgen.lower.pydantic_models import discriminated, model_fields
from tsgen.lower.types import TypeEnv, is_open_string, lower
from tsgen.lower.unions import discriminator
from tsgen.lower.msgspec_models import struct_fields
from tsgen.pymodel import AliasDef, BaseModelDef, DataclassDef, Definition, Doc, EnumDef, EnumMemberDef, FieldDef, StructDef, TypedDictDef
from tsgen.kinds import TYPE_ARGUMENTS, UNREPRESENTABLE


def doc_of(doc: m.DocComment | None) -> Doc | None:
    """The docstring text of a doc comment: its markdown, then its tags (except @deprecated)."""
    if doc is None:
        return None
    parts = [doc.text] if doc.text else []
    for tag in doc.tags:
        if tag.name == "deprecated":
            continue
        head = f"@{tag.name}" + (f" {tag.param}" if tag.param else "")
        parts.append(f"{head}\n{tag.text}" if "\n" in tag.text else f"{head} {tag.text}".rstrip())
    deprecated = doc.tag("deprecated")
    return Doc("\n\n".join(parts), (deprecated.text or "deprecated") if deprecated else None)


OPEN_ENUM_NOTE = "Open enum: any string is accepted; the literal values are the ones known when this was generated."


def field_def(prop: m.Property, env: TypeEnv) -> FieldDef:
    doc = doc_of(prop.doc)
    if isinstance(prop.type, m.UnionType) and any(is_open_string(t) for t in prop.type.members):
        text = "\n\n".join(part for part in (doc.text if doc else "", OPEN_ENUM_NOTE) if part)
        doc = Doc(text, doc.deprecated if doc else None)
    if doc is not None:  # its links resolve where it is written (a base's field: in the base)
        doc = Doc(doc.text, doc.deprecated, origin=(env.module, env.scope))
    return FieldDef(names.identifier(prop.name), prop.name, lower(prop.type, env), not prop.optional, doc)


def _unique_names(fields: list[FieldDef]) -> list[FieldDef]:
    """Python names that stay distinct after escaping (`from` and `from_` -> `from_`, `from__`),
    and that do not shadow a name the class's annotations use: a field `Value` next to a field
    typed `Value | None`, or a field `Field` before `Annotated[..., Field(alias=...)]`, would
    make the annotation mean the field (its default, None)."""
    referenced = _annotation_names(fields)
    fields = [replace(f, name=f.name + "_") if f.name in referenced else f for f in fields]
    taken = {f.name for f in fields if f.name == f.wire_name}
    result = []
    for f in fields:
        name = f.name
        while f.name != f.wire_name and (name in taken or name in referenced):
            name += "_"
        taken.add(name)
        result.append(f if name == f.name else replace(f, name=name))
    return result


_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


def _annotation_names(fields: list[FieldDef]) -> set[str]:
    """The names the class's annotations look up (`Literal`, `NotRequired`, a definition of the
    module, a module alias): a field of one of these names would be found instead. A name no
    annotation uses (`annotations`, `Enum`) needs no escape. Builtins are spelled
    `builtins.X` where a field takes their name (pytypes.shadow_safe)."""
    used: set[str] = set()
    for f in fields:
        text = _STRING.sub("", f.type.render())
        used.update(_NAME.findall(text))
        used |= {"NotRequired"} if not f.required else set()
        used |= {"Annotated", "Field"} if f.renamed else set()
    return used - py.BUILTIN_NAMES


def lower_interface(entity: Entity, name: str, form: str, env: TypeEnv, model_root: py.PyName | None = None, model_class: type[BaseModelDef] = BaseModelDef) -> Definition:
    """A TypedDict (the PARAM form), else a dataclass, or a model of `model_class` (a pydantic
    model, a msgspec struct) subclassing `model_root` (the runtime's base) when one is given."""
    role_env = env.at(entity.key.path[:-1], form)
    props = all_properties(entity, role_env)
    fields = [field_def(p, e.at(e.scope, form)) for p, e in props]
    if model_root is not None and form != PARAM:
        fields = [discriminated(f, p, e.at(e.scope, form)) for f, (p, e) in zip(fields, props)]
        fields = struct_fields(fields) if model_class is StructDef else model_fields(fields)
    fields = _unique_names(fields)
    shadowed = {f.name for f in fields}
    fields = [f if (t := py.shadow_safe(f.type, shadowed)) is f.type else replace(f, type=t) for f in fields]
    doc = doc_of(entity.decl.doc)
    kind = TypedDictDef if form == PARAM else DataclassDef
    if kind is TypedDictDef and any(f.wire_name == "" for f in fields):
        env.diagnostics.warn(entity.decl.pos, f"`{entity.key.dotted}` has a property with an empty name, which a TypedDict cannot declare (type checkers reject it); omitted from `{name}`", kind=UNREPRESENTABLE)
        fields = [f for f in fields if f.wire_name != ""]
    ts_kind = "class" if isinstance(entity.decl, m.Class) else "interface"
    params = tuple(t.render() for t in env.type_vars.values())
    if params and kind is TypedDictDef and any(f.renamed for f in fields):
        env.diagnostics.warn(entity.decl.pos, f"`{entity.key.dotted}` needs TypedDict's functional syntax, which cannot be generic; its type parameters are Any", kind=TYPE_ARGUMENTS)
        params = ()
    parents = parents_of(entity, form, env)
    if kind is DataclassDef and model_root is not None:
        return model_class(name, entity.key.dotted, tuple(fields), doc, entity.decl.pos, type_params=params, ts_kind=ts_kind, parents=parents, root=model_root)
    return kind(name, entity.key.dotted, tuple(fields), doc, entity.decl.pos, type_params=params, ts_kind=ts_kind, parents=parents)


def lower_alias(entity: Entity, name: str, form: str, env: TypeEnv) -> Definition:
    decl = entity.decl
    assert isinstance(decl, m.TypeAlias)
    target = lower(decl.type, env.at(entity.key.path[:-1], form))
    if isinstance(decl.type, m.UnionType) and isinstance(target, py.PyUnion):
        field = discriminator(decl.type, entity.key, env)
        if field is not None and len(target.members) == len(decl.type.members):
            target = py.PyDiscriminated(target, field)
    return AliasDef(name, entity.key.dotted, target, doc_of(decl.doc), decl.pos)


def lower_enum(entity: Entity, name: str, env: TypeEnv) -> Definition:
    decl = entity.decl
    assert isinstance(decl, m.Enum)
    members: list[EnumMemberDef] = []
    exact = {mem.name for mem in decl.members if names.identifier(mem.name) == mem.name}
    for mem in decl.members:
        if mem.value is None or (isinstance(mem.value, float) and not math.isfinite(mem.value)):
            env.diagnostics.warn(mem.pos, f"enum member `{decl.name}.{mem.name}` has no constant value Python can hold; skipped", kind=UNREPRESENTABLE)
            continue
        member_name = names.identifier(mem.name)
        while member_name in {m.name for m in members} or member_name in _ENUM_RESERVED or (member_name != mem.name and member_name in exact):
            member_name += "_"
        members.append(EnumMemberDef(member_name, mem.value, doc_of(mem.doc)))
    return EnumDef(name, entity.key.dotted, _enum_bases([m.value for m in members]), tuple(members), doc_of(decl.doc), decl.pos)


_ENUM_RESERVED = frozenset({"name", "value", "mro"})  # attributes every Enum member has


def _enum_bases(values: list[str | int | float]) -> tuple[str, ...]:
    """`str, Enum` for string enums, `int, Enum` or `float, Enum` for numeric ones; a mixed
    enum is a plain Enum, so that each member keeps its value's type."""
    if all(isinstance(v, str) for v in values) and values:
        return ("str", "Enum")
    if all(isinstance(v, int) for v in values):
        return ("int", "Enum")
    if all(isinstance(v, (int, float)) for v in values):
        return ("float", "Enum")
    return ("Enum",)
