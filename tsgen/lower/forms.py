"""Pass: decide which forms (dataclass model, TypedDict param, sync/async resource) each entity gets."""

from __future__ import annotations

from tsgen import tsmodel as m
from tsgen.lower.entities import Entity, Key
from tsgen.lower.naming import ASYNC, MODEL, PARAM, SYNC
from tsgen.lower.roles import closure, resolve_refs, type_refs
from tsgen.program import Program

AUTO, TYPEDDICT, DATACLASS = "auto", "typeddict", "dataclass"


def _method_roots(program: Program, entities: list[Entity], resources: set[Key], known: set[Key]) -> tuple[list[Key], list[Key]]:
    params: list[Key] = []
    returns: list[Key] = []
    for entity in entities:
        if entity.key not in resources:
            continue
        assert isinstance(entity.decl, m.Class)
        scope = entity.key.path[:-1]
        for member in entity.decl.members:
            if isinstance(member, m.Method):
                refs = [r for p in member.params for r in type_refs(p.type)]
                params += resolve_refs(program, entity.key.module, scope, refs, known)
                returns += resolve_refs(program, entity.key.module, scope, type_refs(member.returns), known)
    return params, returns


def assign_forms(
    program: Program, entities: list[Entity], resources: set[Key], graph: dict[Key, list[Key]], model_type: str
) -> dict[Key, tuple[str, ...]]:
    """A resource class merged with an interface of the same name is both: a resource, and a
    data type (its interface)."""
    known = {e.key for e in entities}
    data = [e for e in entities if e.key not in resources or e.interface is not None]
    param_roots, return_roots = _method_roots(program, entities, resources, known - resources)
    in_params = closure(param_roots, graph)
    in_models = closure([e.key for e in data if e.key not in in_params] + return_roots, graph)
    structured = {e.key for e in data if isinstance(e.decl, (m.Interface, m.Class))}
    forms: dict[Key, tuple[str, ...]] = {}
    for entity in entities:
        key = entity.key
        resource = (SYNC, ASYNC) if key in resources else ()
        if key in resources and entity.interface is None:
            forms[key] = resource
        elif isinstance(entity.decl, m.Enum) or not (closure([key], graph) & structured):
            forms[key] = resource + (MODEL,)
        elif model_type == TYPEDDICT:
            forms[key] = resource + (PARAM,)
        elif model_type == DATACLASS:
            forms[key] = resource + (MODEL,)
        else:  # auto, and pydantic (its MODEL form is a BaseModel: tsgen.lower.pydantic_models)
            forms[key] = resource + (MODEL,) * (key in in_models or key not in in_params) + (PARAM,) * (key in in_params)
    return forms
