"""Python type expressions, rendered to annotation text with the imports they need."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Union

from tsgen.records import record


@record(frozen=True, order=True, slots=True)
class ImportName:
    """`from <module> import <name> [as <alias>]`; module may be relative (`..`, `.shared`)."""

    module: str
    name: str
    alias: str = ""

    @property
    def clause(self) -> str:
        return f"{self.name} as {self.alias}" if self.alias else self.name


@record(frozen=True, slots=True)
class PyName:
    """A name: builtin or local (no module), imported from a library module, or reached
    through a module of the generated package imported under an alias (`_resources_shared.X`)."""

    name: str
    module: str = ""
    via: ImportName | None = None  # a module import; the name is rendered as `alias.name`

    def render(self) -> str:
        return f"{self.via.alias}.{self.name}" if self.via else self.name

    def imports(self) -> frozenset[ImportName]:
        if self.via is not None:
            return frozenset({self.via})
        return frozenset({ImportName(self.module, self.name)}) if self.module else frozenset()


@record(frozen=True, slots=True)
class PyGeneric:
    base: PyName
    args: tuple[PyType, ...]

    def render(self) -> str:
        return f"{self.base.render()}[{', '.join(a.render() for a in self.args)}]"

    def imports(self) -> frozenset[ImportName]:
        return self.base.imports().union(*(a.imports() for a in self.args))


@record(frozen=True, slots=True)
class PyLiteral:
    values: tuple[str | int | bool, ...]

    def render(self) -> str:
        return f"Literal[{', '.join(_literal(v) for v in self.values)}]"

    def imports(self) -> frozenset[ImportName]:
        return frozenset({ImportName("typing", "Literal")})


@record(frozen=True, slots=True)
class PyUnion:
    members: tuple[PyType, ...]

    def render(self) -> str:
        return " | ".join(m.render() for m in self.members)

    def imports(self) -> frozenset[ImportName]:
        return frozenset().union(*(m.imports() for m in self.members))


@record(frozen=True, slots=True)
class PyCallable:
    params: tuple[PyType, ...] | None  # None: any arguments (`...`)
    returns: PyType

    def render(self) -> str:
        params = "..." if self.params is None else f"[{', '.join(p.render() for p in self.params)}]"
        return f"Callable[{params}, {self.returns.render()}]"

    def imports(self) -> frozenset[ImportName]:
        inner = self.returns.imports().union(*(p.imports() for p in self.params or ()))
        return inner | {ImportName("collections.abc", "Callable")}


@record(frozen=True, slots=True)
class PyDiscriminated:
    """A union that pydantic resolves by one literal field: `Annotated[A | B, Field(discriminator="type")]`."""

    union: PyUnion
    field: str

    def render(self) -> str:
        return f"Annotated[{self.union.render()}, Field(discriminator={self.field!r})]"

    def imports(self) -> frozenset[ImportName]:
        return self.union.imports() | {ImportName("typing", "Annotated"), ImportName("pydantic", "Field")}


PyType = Union[PyName, PyGeneric, PyLiteral, PyUnion, PyCallable, PyDiscriminated]


def _literal(value: str | int | bool) -> str:
    # repr() of a str, int or bool is a Python literal that evaluates to exactly that value.
    return repr(value)


ANY = PyName("Any", "typing")
OBJECT = PyName("object")
NONE = PyName("None")
STR = PyName("str")
FLOAT = PyName("float")
INT = PyName("int")
BOOL = PyName("bool")


def list_of(item: PyType) -> PyType:
    return PyGeneric(PyName("list"), (item,))


def dict_of(key: PyType, value: PyType) -> PyType:
    return PyGeneric(PyName("dict"), (key, value))


_PRIMITIVES = ("str", "float", "int", "bool", "None")


def union(members: list[PyType], non_primitive: bool = False) -> PyType:
    """A flattened, deduplicated union; literals merged into one Literal[...], None last.
    `object` absorbs every other member (TypeScript's `unknown`); with `non_primitive` (TypeScript's
    `object`, which is no primitive: `Handler | false | object`) only the other object types."""
    flat: list[PyType] = []
    for member in members:
        flat.extend(member.members if isinstance(member, PyUnion) else (member,))
    if any(m == ANY for m in flat):
        return ANY
    if any(m == OBJECT for m in flat):
        primitive = [m for m in flat if non_primitive and (isinstance(m, PyLiteral) or (isinstance(m, PyName) and m.name in _PRIMITIVES and not m.module))]
        flat = [OBJECT, *primitive]
    literals = [v for m in flat if isinstance(m, PyLiteral) for v in m.values]
    others = [m for m in flat if not isinstance(m, PyLiteral) and m != NONE]
    result: list[PyType] = list(dict.fromkeys(others))
    if literals:
        result.append(PyLiteral(tuple(v for _, v in dict.fromkeys((type(v), v) for v in literals))))
    if NONE in flat:
        result.append(NONE)
    return result[0] if len(result) == 1 else PyUnion(tuple(result))


def _subscripts_local(t: PyType) -> bool:
    """A generic of this module's, subscripted, anywhere in the type (`Parsed[Any] | None`)."""
    if isinstance(t, PyGeneric):
        return bool(local_names(t.base) - IMPORTED_NAMES) or any(_subscripts_local(a) for a in t.args)
    if isinstance(t, PyUnion):
        return any(_subscripts_local(m) for m in t.members)
    if isinstance(t, PyCallable):
        return any(_subscripts_local(p) for p in (*(t.params or ()), t.returns))
    if isinstance(t, PyDiscriminated):
        return _subscripts_local(t.union)
    return False


def local_names(t: PyType) -> set[str]:
    """Names a type uses that are neither imported nor builtins: definitions of the same module."""
    if isinstance(t, PyName):
        return {t.name} if not t.module and t.via is None and t.name not in _BUILTINS else set()
    if isinstance(t, PyGeneric):
        return local_names(t.base).union(*(local_names(a) for a in t.args))
    if isinstance(t, PyUnion):
        return set().union(*(local_names(m) for m in t.members))
    if isinstance(t, PyCallable):
        return local_names(t.returns).union(*(local_names(p) for p in t.params or ()))
    if isinstance(t, PyDiscriminated):
        return local_names(t.union)
    return set()


_BUILTINS = frozenset({"str", "float", "int", "bool", "None", "object", "list", "dict", "tuple", "()", "...", "type"})
BUILTIN_NAMES = _BUILTINS


BUILTINS_MODULE = ImportName("", "builtins", "builtins")  # `import builtins`
HTTPX_MODULE = ImportName("", "httpx", "httpx")  # `import httpx` (a module import: no module, alias = name)


def is_module_import(imp: ImportName) -> bool:
    return imp.module == "" and imp.alias == imp.name

# Every name a generated module may import. A declaration must not take one (it would replace
# the import), nor may a class member (its class body would see the member instead).
IMPORTED_NAMES = frozenset({
    "Any", "Literal", "TypedDict", "NotRequired", "Required", "TypeAlias", "Unpack", "Mapping", "Callable",
    "TypeAdapter", "Enum", "Never", "SyncAPIResource", "AsyncAPIResource", "RouteNotConfiguredError",
    "dataclass", "cached_property", "deprecated", "quote", "annotations", "Field", "Annotated", "Generic",
    "TypeVar", "builtins", "Uploadable", "param_field", "param_given", "param_items", "param_rest", "route_path",
    "NOT_GIVEN", "NotGiven", "BinaryResponse", "AsyncPaginator", "BaseSyncPage", "BaseAsyncPage", "PageRule", "NextRule",
    "NextValue", "ClassVar", "overload", "httpx",
})  # fmt: skip


def map_names(t: PyType, fn: Callable[[PyName], PyType]) -> PyType:
    """The type with every name replaced by `fn(name)`; a generic whose base is replaced by
    something other than a name becomes that replacement."""
    if isinstance(t, PyName):
        return fn(t)
    if isinstance(t, PyGeneric):
        base = fn(t.base)
        if not isinstance(base, PyName):
            return base
        args = tuple(map_names(a, fn) for a in t.args)
        return t if base is t.base and _same(args, t.args) else PyGeneric(base, args)
    if isinstance(t, PyUnion):
        mapped = [map_names(m, fn) for m in t.members]
        return t if _same(mapped, t.members) else union(mapped)
    if isinstance(t, PyCallable):
        params = None if t.params is None else tuple(map_names(p, fn) for p in t.params)
        returns = map_names(t.returns, fn)
        if returns is t.returns and (params is None if t.params is None else params is not None and _same(params, t.params)):
            return t
        return PyCallable(params, returns)
    if isinstance(t, PyDiscriminated):
        members = tuple(map_names(m, fn) for m in t.union.members)
        if all(isinstance(m, PyName) and m != ANY for m in members):
            return t if _same(members, t.union.members) else PyDiscriminated(PyUnion(members), t.field)
        return union(list(members))
    return t


def render_lazy(t: PyType, lazy: frozenset[str]) -> str:
    """The type's text with the names in `lazy` (and generics of them) as strings, which type
    checkers and pydantic resolve when they need them: the value of an alias that refers to
    itself (`Union[str, list['Json']]`). A union with such a member is written `Union[...]`
    (`str | 'Json'` is an error when evaluated)."""
    if _lazy_ref(t, lazy):
        return repr(t.render())
    if isinstance(t, PyGeneric):
        return f"{t.base.render()}[{', '.join(render_lazy(a, lazy) for a in t.args)}]"
    if isinstance(t, PyUnion):
        members = [render_lazy(m, lazy) for m in t.members]
        return f"Union[{', '.join(members)}]" if any(_lazy_ref(m, lazy) for m in t.members) else " | ".join(members)
    if isinstance(t, PyCallable):
        params = "..." if t.params is None else f"[{', '.join(render_lazy(p, lazy) for p in t.params)}]"
        return f"Callable[{params}, {render_lazy(t.returns, lazy)}]"
    if isinstance(t, PyDiscriminated):
        return f"Annotated[{render_lazy(t.union, lazy)}, Field(discriminator={t.field!r})]"
    return t.render()


def needs_union(t: PyType, lazy: frozenset[str]) -> bool:
    """Whether `render_lazy` writes a `Union[...]` somewhere in the type."""
    if isinstance(t, PyUnion):
        return any(_lazy_ref(m, lazy) or needs_union(m, lazy) for m in t.members)
    if isinstance(t, PyGeneric):
        return not _lazy_ref(t, lazy) and any(needs_union(a, lazy) for a in t.args)
    if isinstance(t, PyCallable):
        return any(needs_union(p, lazy) for p in (*(t.params or ()), t.returns))
    if isinstance(t, PyDiscriminated):
        return needs_union(t.union, lazy)
    return False


def _lazy_ref(t: PyType, lazy: frozenset[str]) -> bool:
    return (isinstance(t, PyName) and t.render() in lazy) or (isinstance(t, PyGeneric) and t.base.render() in lazy)


def _same(new: Sequence[PyType], old: Sequence[PyType]) -> bool:
    """Every part the very object it was (nothing was replaced)."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old))


def shadow_safe(t: PyType, shadowed: set[str]) -> PyType:
    """The type with builtins named in `shadowed` spelled `builtins.X`: inside a class whose
    members are called `object`, `list`... a bare `list` would mean the member."""
    if not shadowed:
        return t

    def spell(name: PyName) -> PyType:
        if name.name in shadowed and name.name in _BUILTINS and not name.module and name.via is None:
            return PyName(name.name, via=BUILTINS_MODULE)
        return name

    return map_names(t, spell)


def package_imports(t: PyType) -> frozenset[ImportName]:
    """The modules of the generated package a type reaches through (`_resources_shared.X`)."""
    return frozenset(i for i in t.imports() if i.alias and not is_module_import(i))


def annotation(t: PyType, *, or_none: bool = False, locals_defined: bool = False) -> str:
    """Annotation text; quoted (as an exact string literal) when it names definitions of this
    module or of other modules of the package: generated modules evaluate annotations, and a
    definition may come further down, or from a module still being imported (an import cycle).
    `locals_defined`: every definition of this module exists when the annotation is evaluated
    (resource methods: resources come last); a class of the module subscripted is quoted still:
    subscripting runs the class's code (a generic pydantic model rebuilds itself, reading names
    in the namespace of the class statement around the method, where a method `list` hides
    the builtin)."""
    text = t.render()
    if or_none and t != NONE and not (isinstance(t, PyUnion) and NONE in t.members):
        text += " | None"
    names_locals = bool(local_names(t)) and not (locals_defined and not _subscripts_local(t))
    return repr(text) if names_locals or package_imports(t) else text
