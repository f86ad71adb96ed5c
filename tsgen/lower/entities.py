"""Pass 1 and 2: collect the declarations that become Python definitions, merging
declarations of the same name (interface + interface, interface + namespace, class + namespace)."""

from __future__ import annotations

from dataclasses import dataclass

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.program import Program, QName


@dataclass(frozen=True, order=True)
class Key:
    module: str
    path: QName

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Entity:
    key: Key
    decl: m.Interface | m.TypeAlias | m.Enum | m.Class
    order: int  # source order across the program


def _merge_interfaces(decls: list[m.Interface]) -> m.Interface:
    first = decls[0]
    members = tuple(member for decl in decls for member in decl.members)
    extends = tuple(dict.fromkeys(ref for decl in decls for ref in decl.extends))
    doc = next((d.doc for d in decls if d.doc is not None), None)
    return m.Interface(first.name, members, first.type_params, extends, doc, first.pos)


def _entity_decl(path: QName, decls: list[m.Declaration], diagnostics: Diagnostics) -> m.Interface | m.TypeAlias | m.Enum | m.Class | None:
    interfaces = [d for d in decls if isinstance(d, m.Interface)]
    others = [d for d in decls if isinstance(d, (m.TypeAlias, m.Enum, m.Class))]
    if others and interfaces and isinstance(others[0], m.Class):
        cls = others[0]
        extra = tuple(mem for i in interfaces for mem in i.members)
        return m.Class(cls.name, cls.members + extra, cls.type_params, cls.extends, cls.implements, cls.abstract, cls.doc, cls.pos)
    ignored: list[m.Declaration] = [*others[1:], *(interfaces if others else [])]
    for dup in ignored:
        diagnostics.warn(dup.pos, f"`{'.'.join(path)}` is declared more than once; this declaration is ignored")
    if others:
        return others[0]
    return _merge_interfaces(interfaces) if interfaces else None


def collect(program: Program, inputs: set[str]) -> list[Entity]:
    """Every interface, type alias, enum and class of the program, in source order. What is
    not converted is reported for the input files (imported files are read for their names)."""
    entities: list[Entity] = []
    for module in sorted(program.modules):
        table = program.declarations(module)
        ordered = sorted(table.items(), key=lambda item: (item[1][0].pos.line, item[1][0].pos.col, item[0]))
        for path, decls in ordered:
            decl = _entity_decl(path, decls, program.diagnostics)
            if decl is not None:
                entities.append(Entity(Key(module, path), decl, len(entities)))
            for other in decls if module in inputs else ():
                if isinstance(other, (m.Function, m.Variable)):
                    kind = "function" if isinstance(other, m.Function) else "variable"
                    program.diagnostics.warn(other.pos, f"{kind} `{'.'.join(path)}` is not converted (only types and resource classes are)")
    return entities
