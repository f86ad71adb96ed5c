"""Pass 1 and 2: collect the declarations that become Python definitions, merging
declarations of the same name (interface + interface, interface + namespace, class + namespace)."""

from __future__ import annotations


from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics
from tsgen.program import Program, QName
from tsgen.records import record
from tsgen.kinds import DUPLICATE, NOT_CONVERTED


@record(frozen=True, order=True)
class Key:
    module: str
    path: QName

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@record(frozen=True)
class Entity:
    key: Key
    decl: m.Interface | m.TypeAlias | m.Enum | m.Class
    order: int  # source order across the program
    interface: m.Interface | None = None  # a class's interfaces of the same name, merged (members in decl too)

    def own_class(self) -> m.Class:
        """The class without the members its interfaces of the same name merged into it."""
        assert isinstance(self.decl, m.Class)
        merged = self.interface.members if self.interface is not None else ()
        own = tuple(x for x in self.decl.members if not any(x is y for y in merged))
        return m.Class(self.decl.name, own, self.decl.type_params, self.decl.extends, self.decl.implements, self.decl.abstract, self.decl.doc, self.decl.pos)

    def data_part(self) -> Entity:
        """The entity as a data type: a resource class's interface of the same name."""
        return Entity(self.key, self.interface, self.order) if self.interface is not None else self


def _merge_interfaces(decls: list[m.Interface]) -> m.Interface:
    first = decls[0]
    members = tuple(member for decl in decls for member in decl.members)
    extends = tuple(dict.fromkeys(ref for decl in decls for ref in decl.extends))
    doc = next((d.doc for d in decls if d.doc is not None), None)
    params = max((d.type_params for d in decls), key=len)  # a part may leave them out (as type_params_of reads them)
    return m.Interface(first.name, members, params, extends, doc, first.pos)


def _entity(key: Key, decls: list[m.Declaration], order: int, diagnostics: Diagnostics) -> Entity | None:
    interfaces = [d for d in decls if isinstance(d, m.Interface)]
    others: list[m.TypeAlias | m.Enum | m.Class] = [d for d in decls if isinstance(d, (m.TypeAlias, m.Enum, m.Class))]
    if others and interfaces and isinstance(others[0], m.Class):
        cls = others[0]
        merged = _merge_interfaces(interfaces)
        whole = m.Class(cls.name, cls.members + merged.members, cls.type_params, cls.extends, cls.implements, cls.abstract, cls.doc, cls.pos)
        return Entity(key, whole, order, merged)
    decl = _entity_decl(key.path, interfaces, others, diagnostics)
    return Entity(key, decl, order) if decl is not None else None


def _entity_decl(path: QName, interfaces: list[m.Interface], others: list[m.TypeAlias | m.Enum | m.Class], diagnostics: Diagnostics) -> m.Interface | m.TypeAlias | m.Enum | m.Class | None:
    ignored: list[m.Declaration] = [*others[1:], *(interfaces if others else [])]
    for dup in ignored:
        diagnostics.warn(dup.pos, f"`{'.'.join(path)}` is declared more than once; this declaration is ignored", kind=DUPLICATE)
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
            entity = _entity(Key(module, path), decls, len(entities), program.diagnostics)
            if entity is not None:
                entities.append(entity)
            for other in decls if module in inputs else ():
                if isinstance(other, (m.Function, m.Variable)):
                    kind = "function" if isinstance(other, m.Function) else "variable"
                    program.diagnostics.warn(other.pos, f"{kind} `{'.'.join(path)}` is not converted (only types and resource classes are)", kind=NOT_CONVERTED)
    return entities
