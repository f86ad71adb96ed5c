"""Pass: interfaces, type aliases and enums to Python definitions."""

from __future__ import annotations

import math
from dataclasses import replace

from tsgen import names
from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.naming import PARAM
from tsgen.lower.types import TypeEnv, is_open_string, lower
from tsgen.lower.unions import discriminator
from tsgen.program import Found
from tsgen.pymodel import AliasDef, DataclassDef, Definition, Doc, EnumDef, EnumMemberDef, FieldDef, TypedDictDef


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


def all_properties(entity: Entity, env: TypeEnv, seen: frozenset[Key] = frozenset()) -> list[tuple[m.Property, TypeEnv]]:
    """Own and inherited properties (a redeclared property overrides the inherited one)."""
    decl = entity.decl
    assert isinstance(decl, (m.Interface, m.Class))
    inherited: dict[str, tuple[m.Property, TypeEnv]] = {}
    bases = decl.extends if isinstance(decl, m.Interface) else ()
    for base in bases:
        for prop, base_env in _base_properties(base, entity, env, seen | {entity.key}):
            inherited[prop.name] = (prop, base_env)
    own_env = env.at(entity.key.path[:-1])
    for member in decl.members:
        if isinstance(member, m.Property):
            base_doc = inherited[member.name][0].doc if member.name in inherited else None
            inherited[member.name] = (member if member.doc or base_doc is None else replace(member, doc=base_doc), own_env)
        elif isinstance(member, m.IndexSignature):
            env.diagnostics.warn(member.pos, f"index signature of `{entity.key.dotted}` cannot be expressed on a class; extra keys are accepted but not typed")
        elif isinstance(member, (m.Method, m.CallSignature)) and not (isinstance(member, m.Method) and member.name == "constructor"):
            env.diagnostics.warn(member.pos, f"method signature in `{entity.key.dotted}` is not converted (only data members of a non-resource type are)")
    return list(inherited.values())


def _base_properties(base: m.TypeRef, entity: Entity, env: TypeEnv, seen: frozenset[Key]) -> list[tuple[m.Property, TypeEnv]]:
    found = env.program.lookup(entity.key.module, entity.key.path[:-1], base.name)
    interfaces = [d for d in found.decls if isinstance(d, m.Interface)] if isinstance(found, Found) else []
    if not isinstance(found, Found) or not interfaces or Key(found.module, found.path) in seen:
        env.diagnostics.warn(base.pos, f"base `{base.dotted}` of `{entity.key.dotted}` cannot be resolved to an interface; its properties are not included")
        return []
    merged = m.Interface(interfaces[0].name, tuple(x for i in interfaces for x in i.members), (), tuple(r for i in interfaces for r in i.extends))
    base_entity = Entity(Key(found.module, found.path), merged, 0)
    base_env = replace(env, module=found.module, scope=found.path[:-1], type_vars={})
    return all_properties(base_entity, _bind(interfaces[0].type_params, base, env.at(entity.key.path[:-1]), base_env), seen)


def _bind(params: tuple[m.TypeParam, ...], base: m.TypeRef, env: TypeEnv, base_env: TypeEnv) -> TypeEnv:
    """The base's environment with its type parameters bound to the `extends` clause's
    arguments, else to their defaults, else Any."""
    scope: dict[str, py.PyType] = {}
    for index, param in enumerate(params):
        if index < len(base.args):
            scope[param.name] = lower(base.args[index], env)
        elif param.default is not None:
            scope[param.name] = lower(param.default, replace(base_env, type_vars=dict(scope)))
        else:
            scope[param.name] = py.ANY
    return replace(base_env, type_vars=scope)


OPEN_ENUM_NOTE = "Open enum: any string is accepted; the literal values are the ones known when this was generated."


def _field(prop: m.Property, env: TypeEnv) -> FieldDef:
    doc = doc_of(prop.doc)
    if isinstance(prop.type, m.UnionType) and any(is_open_string(t) for t in prop.type.members):
        text = "\n\n".join(part for part in (doc.text if doc else "", OPEN_ENUM_NOTE) if part)
        doc = Doc(text, doc.deprecated if doc else None)
    return FieldDef(names.identifier(prop.name), prop.name, lower(prop.type, env), not prop.optional, doc)


def _unique_names(fields: list[FieldDef]) -> list[FieldDef]:
    """Python names that stay distinct after escaping (`from` and `from_` -> `from_`, `from__`),
    and that do not shadow a name the class's annotations use: a field `Value` next to a field
    typed `Value | None`, or a field `Field` before `Annotated[..., Field(alias=...)]`, would
    make the annotation mean the field (its default, None)."""
    referenced = set().union(*(py.local_names(f.type) for f in fields)) | py.IMPORTED_NAMES
    fields = [replace(f, name=f.name + "_") if f.name in referenced else f for f in fields]
    taken = {f.name for f in fields if f.name == f.wire_name}
    result = []
    for f in fields:
        name = f.name
        while f.name != f.wire_name and (name in taken or name in referenced):
            name += "_"
        taken.add(name)
        result.append(replace(f, name=name))
    return result


def lower_interface(entity: Entity, name: str, form: str, env: TypeEnv) -> Definition:
    role_env = env.at(entity.key.path[:-1], form)
    props = all_properties(entity, role_env)
    fields = _unique_names([_field(p, e.at(e.scope, form)) for p, e in props])
    shadowed = {f.name for f in fields}
    fields = [replace(f, type=py.shadow_safe(f.type, shadowed)) for f in fields]
    doc = doc_of(entity.decl.doc)
    kind = TypedDictDef if form == PARAM else DataclassDef
    if kind is TypedDictDef and any(f.wire_name == "" for f in fields):
        env.diagnostics.warn(entity.decl.pos, f"`{entity.key.dotted}` has a property with an empty name, which a TypedDict cannot declare (type checkers reject it); omitted from `{name}`")
        fields = [f for f in fields if f.wire_name != ""]
    ts_kind = "class" if isinstance(entity.decl, m.Class) else "interface"
    params = tuple(t.render() for t in env.type_vars.values())
    if params and kind is TypedDictDef and any(f.renamed for f in fields):
        env.diagnostics.warn(entity.decl.pos, f"`{entity.key.dotted}` needs TypedDict's functional syntax, which cannot be generic; its type parameters are Any")
        params = ()
    return kind(name, entity.key.dotted, tuple(fields), doc, entity.decl.pos, type_params=params, ts_kind=ts_kind)


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
            env.diagnostics.warn(mem.pos, f"enum member `{decl.name}.{mem.name}` has no constant value Python can hold; skipped")
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
