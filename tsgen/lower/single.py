"""Pass for `tsgen convert` (Options.single_module): one module that needs no other.

Every declaration the input uses from other files of its package (and from those files' own
imports) is placed in the input's module (`Naming.parts`), so that its references are local
names rather than imports of modules a one-off conversion does not write. The names are then
assigned over that one module, so that two files' `Message`s get two names."""

from __future__ import annotations

from tsgen.diagnostics import Diagnostics, Pos
from tsgen.kinds import NOT_CONVERTED
from tsgen.lower.entities import Entity, Key
from tsgen.pymodel import ModuleFile


def homes(entities: list[Entity], inputs: tuple[str, ...]) -> dict[Key, str]:
    """The input's module for every declaration of another file (one input is converted)."""
    home = inputs[0]
    return {e.key: home for e in entities if e.key.module != home}


def merged_reserved(entities: list[Entity], parts: dict[Key, str], reserved: dict[str, set[str]]) -> dict[str, set[str]]:
    """The names each module's declarations may not take: its own reserved names and those of
    every file whose declarations it receives."""
    merged = {rel: set(names) for rel, names in reserved.items()}
    for entity in entities:
        home = parts.get(entity.key)
        if home is not None:
            merged.setdefault(home, set()).update(reserved.get(entity.key.module, set()))
    return merged


def drop_reexports(module: ModuleFile, diagnostics: Diagnostics) -> None:
    """A single module imports no other: a re-export whose declaration is not in it under the
    exported name is left out, and said (the declarations it uses are in it already)."""
    local = set(module.public_names) - {r.public for r in module.reexports}
    for r in module.reexports:
        if r.public not in local:
            diagnostics.warn(Pos(module.source, 1, 1), f"`{r.public}` is re-exported from another file; a one-off conversion leaves it out (only what this file uses from other files is converted; `tsgen generate` writes the whole package)", kind=NOT_CONVERTED)
    module.reexports = []
