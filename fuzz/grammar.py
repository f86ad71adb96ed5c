"""Random but valid declaration files from a grammar of the constructs tsgen supports.

A drawn `Module` renders to TypeScript and, for each interface, draws JSON values that the
declaration accepts, so a test can send them through the generated Python types and back.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Union

from hypothesis import strategies as st

Json = Union[None, bool, int, float, str, list["Json"], dict[str, "Json"]]

# names chosen to collide with Python: keywords, soft keywords, builtins, typing names, dunders, case twins
PROPERTY_NAMES = ["id", "type", "from", "class", "self", "list", "value", "Value", "data", "0", "$ref", "self-harm", "a b",
                  "__init__", "match", "_", "None", "async", "kind", "name", "str", "Field", "object", "dict", "from_", "ünï"]
TYPE_NAMES = ["Item", "Session", "list", "type", "None", "str", "Any", "Literal", "Field", "dataclass", "TypedDict", "Enum",
              "Optional", "int", "float", "Object", "Self", "session", "ITEM", "match", "_Private", "Annotated", "NotRequired"]
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="*@\r"), max_size=30)


class TsType:
    def ts(self) -> str:
        raise NotImplementedError

    def value(self, rng: random.Random, depth: int) -> Json:
        raise NotImplementedError


@dataclass(frozen=True)
class Prim(TsType):
    kind: str  # string | number | boolean | null

    def ts(self) -> str:
        return self.kind

    def value(self, rng: random.Random, depth: int) -> Json:
        if self.kind == "string":
            return rng.choice(["", "x", 'q"uote', "\\", "ünï", "1"])
        if self.kind == "number":
            return rng.choice([0, 1, -7, 2.5, 1e10])
        if self.kind == "boolean":
            return rng.choice([True, False])
        return None


@dataclass(frozen=True)
class Lit(TsType):
    values: tuple[str | int | bool, ...]

    def ts(self) -> str:
        return " | ".join(json.dumps(v) for v in self.values)

    def value(self, rng: random.Random, depth: int) -> Json:
        return rng.choice(self.values)


@dataclass(frozen=True)
class OpenEnum(TsType):
    values: tuple[str, ...]

    def ts(self) -> str:
        return " | ".join(["(string & {})", *(json.dumps(v) for v in self.values)])

    def value(self, rng: random.Random, depth: int) -> Json:
        return rng.choice([*self.values, "something-else"])


@dataclass(frozen=True)
class Arr(TsType):
    item: TsType
    style: int

    def ts(self) -> str:
        inner = self.item.ts()
        return [f"Array<{inner}>", f"ReadonlyArray<{inner}>", f"({inner})[]"][self.style]

    def value(self, rng: random.Random, depth: int) -> Json:
        return [] if depth > 4 else [self.item.value(rng, depth + 1) for _ in range(rng.randrange(3))]


@dataclass(frozen=True)
class Tup(TsType):
    items: tuple[TsType, ...]

    def ts(self) -> str:
        return "[" + ", ".join(i.ts() for i in self.items) + "]"

    def value(self, rng: random.Random, depth: int) -> Json:
        return [i.value(rng, depth + 1) for i in self.items]


@dataclass(frozen=True)
class Rec(TsType):
    item: TsType
    style: int

    def ts(self) -> str:
        return f"Record<string, {self.item.ts()}>" if self.style else f"{{ [key: string]: {self.item.ts()} }}"

    def value(self, rng: random.Random, depth: int) -> Json:
        return {} if depth > 4 else {k: self.item.value(rng, depth + 1) for k in rng.sample(["a", "from", "0", "ü"], rng.randrange(3))}


@dataclass(frozen=True)
class Union_(TsType):
    """Members Python tells apart by JSON type alone: at most one of each kind."""

    members: tuple[TsType, ...]

    def ts(self) -> str:
        return " | ".join(f"({m.ts()})" if isinstance(m, (Union_, Lit, OpenEnum)) else m.ts() for m in self.members)

    def value(self, rng: random.Random, depth: int) -> Json:
        return rng.choice(self.members).value(rng, depth)


@dataclass(frozen=True)
class Prop:
    name: str
    type: TsType
    optional: bool
    readonly: bool
    doc: str | None

    def ts(self) -> str:
        name = self.name if self.name.isidentifier() and self.name.isascii() else json.dumps(self.name)
        doc = f"  /** {self.doc} */\n" if self.doc is not None else ""
        return f"{doc}  {'readonly ' if self.readonly else ''}{name}{'?' if self.optional else ''}: {self.type.ts()};"


@dataclass(frozen=True)
class Obj(TsType):
    props: tuple[Prop, ...]

    def ts(self) -> str:
        return "{ " + " ".join(p.ts().strip() for p in self.props) + " }"

    def value(self, rng: random.Random, depth: int) -> Json:
        return _props_value(self.props, rng, depth)


def _props_value(props: tuple[Prop, ...], rng: random.Random, depth: int) -> dict[str, Json]:
    result: dict[str, Json] = {}
    for prop in props:
        if prop.optional and (depth > 3 or rng.random() < 0.4):
            continue
        value = prop.type.value(rng, depth + 1)
        if value is None and prop.optional:  # absent and null are one thing for a dataclass field
            continue
        result[prop.name] = value
    return result


@dataclass
class Interface:
    name: str
    props: tuple[Prop, ...]
    extends: tuple[Interface, ...] = ()
    doc: str | None = None
    namespace: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def all_props(self) -> tuple[Prop, ...]:
        inherited = {p.name: p for base in self.extends for p in base.all_props()}
        inherited.update({p.name: p for p in self.props})
        return tuple(inherited.values())

    def ts(self) -> str:
        doc = f"/** {self.doc} */\n" if self.doc is not None else ""
        ext = f" extends {', '.join(b.ref for b in self.extends)}" if self.extends else ""
        return f"{doc}export interface {self.name}{ext} {{\n" + "\n".join(p.ts() for p in self.props) + "\n}"

    def value(self, rng: random.Random, depth: int = 0) -> dict[str, Json]:
        return _props_value(self.all_props(), rng, depth)


@dataclass(frozen=True)
class Ref(TsType):
    target: Interface | Alias | Enum

    def ts(self) -> str:
        return self.target.ref if isinstance(self.target, Interface) else self.target.name

    def value(self, rng: random.Random, depth: int) -> Json:
        return self.target.value(rng, depth)


@dataclass(frozen=True)
class Inter(TsType):
    """`Base & { extra: T }`: the base's properties and the literal's, in one object."""

    base: Interface
    extra: Obj

    def ts(self) -> str:
        return f"{self.base.ref} & {self.extra.ts()}"

    def value(self, rng: random.Random, depth: int) -> Json:
        return {**self.base.value(rng, depth), **_props_value(self.extra.props, rng, depth)}


@dataclass
class Generic:
    """`interface Box<T> { value: T; items?: T[] }`, used as `Box<string>`."""

    name: str
    param: str

    @property
    def ref(self) -> str:
        return self.name

    def ts(self) -> str:
        return f"export interface {self.name}<{self.param}> {{\n  value: {self.param};\n  items?: {self.param}[];\n}}"


@dataclass(frozen=True)
class GenericRef(TsType):
    target: Generic
    arg: TsType

    def ts(self) -> str:
        return f"{self.target.name}<{self.arg.ts()}>"

    def value(self, rng: random.Random, depth: int) -> Json:
        result: dict[str, Json] = {"value": self.arg.value(rng, depth + 1)}
        if depth < 3 and rng.random() < 0.5:
            result["items"] = [self.arg.value(rng, depth + 1) for _ in range(rng.randrange(3))]
        return result


@dataclass
class Alias:
    name: str
    type: TsType

    def ts(self) -> str:
        return f"export type {self.name} = {self.type.ts()};"

    def value(self, rng: random.Random, depth: int = 0) -> Json:
        return self.type.value(rng, depth)


@dataclass
class Enum:
    name: str
    members: tuple[tuple[str, str | int], ...]
    const: bool

    def ts(self) -> str:
        body = ", ".join(f"{json.dumps(n)} = {json.dumps(v)}" for n, v in self.members)
        return f"export {'const ' if self.const else ''}enum {self.name} {{ {body} }}"

    def value(self, rng: random.Random, depth: int = 0) -> Json:
        return rng.choice(self.members)[1]


Declaration = Union[Interface, "Alias", "Enum", Generic]


@dataclass
class Module:
    declarations: list[Declaration] = field(default_factory=list)

    def ts(self) -> str:
        parts: list[str] = []
        for decl in self.declarations:
            if isinstance(decl, Interface) and decl.namespace:
                parts.append(f"export namespace {decl.namespace} {{\n{decl.ts()}\n}}")
            else:
                parts.append(decl.ts())
        return "\n\n".join(parts) + "\n"

    @property
    def interfaces(self) -> list[Interface]:
        return [d for d in self.declarations if isinstance(d, Interface)]

    @property
    def aliases(self) -> list[Alias]:
        return [d for d in self.declarations if isinstance(d, Alias)]


# ------------------------------------------------------------------ strategies

def _prims() -> st.SearchStrategy[TsType]:
    return st.one_of(
        st.sampled_from(["string", "number", "boolean"]).map(Prim),
        st.lists(st.one_of(st.text(max_size=6), st.integers(-3, 3), st.booleans()), min_size=1, max_size=4, unique_by=lambda v: (type(v), v)).map(lambda v: Lit(tuple(v))),
        st.lists(st.sampled_from(["alloy", "echo", "a b", 'q"', "\\"]), min_size=1, max_size=3, unique=True).map(lambda v: OpenEnum(tuple(v))),
    )


def types(earlier: list[Declaration], depth: int = 0) -> st.SearchStrategy[TsType]:
    leaves = _prims()
    plain = [d for d in earlier if not isinstance(d, Generic)]
    generics = [d for d in earlier if isinstance(d, Generic)]
    interfaces = [d for d in earlier if isinstance(d, Interface)]
    if plain:
        leaves = st.one_of(leaves, st.sampled_from(plain).map(Ref))
    if generics and depth < 2:
        leaves = st.one_of(leaves, st.builds(GenericRef, st.sampled_from(generics), _prims()))
    if interfaces and depth < 2:
        leaves = st.one_of(leaves, st.builds(_intersection, st.sampled_from(interfaces), props([], depth + 1)))
    if depth >= 2:
        return leaves
    inner = types(earlier, depth + 1)
    return st.one_of(
        leaves,
        st.builds(Arr, inner, st.integers(0, 2)),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: Tup(tuple(items))),
        st.builds(Rec, inner, st.integers(0, 1)),
        st.builds(lambda t: Union_((t, Prim("null"))), inner),
        st.sampled_from([(Prim("string"), Prim("number")), (Prim("boolean"), Prim("string"))]).map(Union_),
        props(earlier, depth + 1).map(Obj),
    )


def _intersection(base: Interface, extra: tuple[Prop, ...]) -> Inter:
    """Extra properties the base does not have (the same name on both sides would intersect types)."""
    taken = {p.name for p in base.all_props()}
    own = tuple(p for p in extra if p.name not in taken) or (Prop("extra_", Prim("string"), False, False, None),)
    return Inter(base, Obj(own))


def props(earlier: list[Declaration], depth: int = 0) -> st.SearchStrategy[tuple[Prop, ...]]:
    prop = st.builds(Prop, st.sampled_from(PROPERTY_NAMES), types(earlier, depth), st.booleans(), st.booleans(), st.none() | WORDS)
    return st.lists(prop, min_size=1, max_size=5, unique_by=lambda p: p.name).map(tuple)


def _compatible(bases: list[Interface]) -> tuple[Interface, ...]:
    """Bases whose properties do not overlap (TypeScript rejects an interface that extends two
    declarations of one property with other types)."""
    chosen: list[Interface] = []
    taken: set[str] = set()
    for base in bases:
        names = {p.name for p in base.all_props()}
        if not names & taken:
            chosen.append(base)
            taken |= names
    return tuple(chosen)


@st.composite
def modules(draw: st.DrawFn) -> Module:
    module = Module()
    names = draw(st.lists(st.sampled_from(TYPE_NAMES), min_size=1, max_size=6, unique=True))
    for name in names:
        earlier = list(module.declarations)
        kind = draw(st.sampled_from(["interface", "interface", "alias", "enum", "namespaced", "generic", "tagged union"]))
        if kind in ("interface", "namespaced"):
            bases = [d for d in earlier if isinstance(d, Interface)]
            extends = _compatible(draw(st.lists(st.sampled_from(bases), max_size=2, unique_by=id))) if bases else ()
            inherited = {p.name for b in extends for p in b.all_props()}
            own = tuple(p for p in draw(props(earlier)) if p.name not in inherited)
            namespace = draw(st.sampled_from(["Ns", "None", "match", "Outer"])) if kind == "namespaced" else None
            if namespace in names:
                namespace = "Ns_" + namespace
            module.declarations.append(Interface(name, own, extends, draw(st.none() | WORDS), namespace))
        elif kind == "alias":
            module.declarations.append(Alias(name, draw(types(earlier))))
        elif kind == "generic":
            module.declarations.append(Generic(name, draw(st.sampled_from(["T", "Item", "type"]))))
        elif kind == "tagged union":  # `type U = U0 | U1` where each member has `type: "u0"`...
            tag = draw(st.sampled_from(["type", "kind", "object"]))
            members = []
            for index in range(draw(st.integers(2, 3))):
                own = tuple(p for p in draw(props(earlier)) if p.name != tag)
                tag_prop = Prop(tag, Lit((f"{name.lower()}-{index}",)), False, draw(st.booleans()), None)
                members.append(Interface(f"{name}{index}", (tag_prop, *own)))
            module.declarations.extend(members)
            module.declarations.append(Alias(name, Union_(tuple(Ref(m) for m in members))))
        else:
            numeric = draw(st.booleans())
            values = draw(st.lists(st.integers(0, 9) if numeric else st.text(max_size=5), min_size=1, max_size=4, unique=True))
            member_names = draw(st.lists(st.sampled_from(["A", "b", "class", "None", "name", "value", "a-b", "a_b", "_"]), min_size=len(values), max_size=len(values), unique=True))
            module.declarations.append(Enum(name, tuple(zip(member_names, values)), draw(st.booleans())))
    return module
