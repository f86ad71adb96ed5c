"""Random packages of declaration files that import each other in cycles.

Declarations are drawn one after another into randomly chosen files; each may use any
declaration drawn before it, in whichever file, so files end up importing each other both
ways, with aliases of aliases across files, re-exports, and resource classes whose methods
take and return types of other files. Every file imports what it uses by name, so the
TypeScript is valid (checked with tsc by the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

from fuzz.grammar import Alias, Declaration, Interface, Prim, Ref, Union_, props, types

NAMES = ["Item", "Session", "Thing", "Event", "Tool", "Part", "Entry", "Value", "Shared", "Status", "Kind", "Model", "Chunk", "Page"]
RUNTIME = "import { APIResource } from './core/resource';\nimport { APIPromise } from './core/api-promise';\n"
# the SDK runtime the resource classes use, as a current SDK ships it (tsgen maps these names)
RUNTIME_FILES = {
    "core/resource.d.ts": "export declare abstract class APIResource {\n  protected _client: unknown;\n}\n",
    "core/api-promise.d.ts": "export type APIPromise<T> = Promise<T>;\n",
}


@dataclass
class Resource:
    name: str
    methods: list[tuple[str, Interface, Declaration]]  # name, params interface, returned declaration

    def ts(self) -> str:
        lines = [f"export declare class {self.name} extends APIResource {{"]
        for method, params, returns in self.methods:
            lines.append(f"  /** {method} a {returns.name}. */")
            lines.append(f"  {method}(params: {params.name}): APIPromise<{returns.name}>;")
        return "\n".join(lines + ["}"])


@dataclass
class File:
    name: str
    declarations: list[Declaration | Resource] = field(default_factory=list)
    reexports: list[tuple[str, str]] = field(default_factory=list)  # (name, file)


@dataclass
class Package:
    files: list[File]

    def owner(self) -> dict[str, str]:
        return {d.name: f.name for f in self.files for d in f.declarations}

    def sources(self) -> dict[str, str]:
        owner = self.owner()
        result = {}
        for file in self.files:
            body = "\n\n".join(d.ts() for d in file.declarations)
            own = {d.name for d in file.declarations}
            used = sorted({w for w in re.findall(r"[A-Za-z_]\w*", body) if w in owner and w not in own})
            imports = [f"import {{ {name} }} from './{owner[name]}';" for name in used]
            exports = [f"export {{ {name} }} from './{source}';" for name, source in file.reexports]
            runtime = RUNTIME if any(isinstance(d, Resource) for d in file.declarations) else ""
            result[f"{file.name}.d.ts"] = runtime + "\n".join(imports + exports) + "\n\n" + body + "\n"
        return result

    def all_sources(self) -> dict[str, str]:
        """The drawn files and the runtime files they import."""
        return {**self.sources(), **RUNTIME_FILES}

    @property
    def interfaces(self) -> list[Interface]:
        return [d for f in self.files for d in f.declarations if isinstance(d, Interface)]


def _plain(earlier: list[Declaration]) -> list[Declaration]:
    return [d for d in earlier if isinstance(d, (Interface, Alias))]


@st.composite
def packages(draw: st.DrawFn) -> Package:
    files = [File(f"m{i}") for i in range(draw(st.integers(2, 4)))]
    earlier: list[Declaration] = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=3, max_size=9, unique=True)):
        file = draw(st.sampled_from(files))
        kind = draw(st.sampled_from(["interface", "alias", "alias", "resource"] if earlier else ["interface"]))
        if kind == "interface":
            decl: Declaration | Resource = Interface(name, draw(props(_plain(earlier))))
        elif kind == "alias":
            targets = _plain(earlier)
            members = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique_by=id))
            value = Union_((*(Ref(t) for t in members), Prim("null"))) if draw(st.booleans()) else draw(types(targets))
            decl = Alias(name, value)
        else:
            decl = _resource(draw, name, earlier)
        file.declarations.append(decl)
        if not isinstance(decl, Resource):
            earlier.append(decl)
    for file in files:
        others = [(d.name, f.name) for f in files if f is not file for d in f.declarations if not isinstance(d, Resource)]
        own = {d.name for d in file.declarations}
        chosen = draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
        file.reexports = [(n, f) for n, f in chosen if n not in own]
    return Package(files)


def _resource(draw: st.DrawFn, name: str, earlier: list[Declaration]) -> Resource:
    interfaces = [d for d in earlier if isinstance(d, Interface)]  # the first declaration is one
    targets = _plain(earlier)
    methods = []
    for method in draw(st.lists(st.sampled_from(["create", "retrieve", "list"]), min_size=1, max_size=3, unique=True)):
        methods.append((method, draw(st.sampled_from(interfaces)), draw(st.sampled_from(targets))))
    return Resource(f"{name}s", methods)
