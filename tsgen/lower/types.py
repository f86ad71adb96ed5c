"""Pass: TypeScript type expressions to Python type expressions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field, replace

from tsgen import pytypes as py
from tsgen import tsmodel as m
from tsgen.kinds import Kind, RUNTIME_TYPE, TYPE_ARGUMENTS, UNREPRESENTABLE, UNRESOLVED, UNSUPPORTED_TYPE
from tsgen.diagnostics import Diagnostics
from tsgen.lower.entities import Key
from tsgen.lower.naming import PROTOCOL, Naming, relative_module
from tsgen.lower.roles import type_refs
from tsgen.program import Found, Program, QName, RuntimeName
from tsgen.records import record

_KEYWORDS: dict[str, py.PyType] = {
    "string": py.STR,
    "number": py.FLOAT,
    "bigint": py.INT,
    "boolean": py.BOOL,
    "null": py.NONE,
    "undefined": py.NONE,
    "void": py.NONE,
    "any": py.ANY,
    "unknown": py.OBJECT,
    "object": py.OBJECT,
    "symbol": py.OBJECT,
}


@record(frozen=True)
class TypeEnv:
    program: Program
    naming: Naming
    diagnostics: Diagnostics
    module: str  # where names are resolved (an inherited property: the base's module)
    scope: QName
    role: str
    runtime_types: dict[str, str]  # runtime name -> "unwrap" or a Python type name ("Any", "bytes"...)
    output_module: str = ""  # where the code is emitted: references are made relative to it
    type_vars: dict[str, py.PyType] = field(default_factory=dict)  # type parameters in scope
    bound: dict[str, tuple[m.TypeExpr, TypeEnv]] = field(default_factory=dict)  # their TypeScript arguments, where instantiated
    expanding: tuple[Key, ...] | None = None  # aliases written as their values (type checkers' view: tsgen.lower.overloads), those being expanded
    model_type: str = "auto"  # the output style: answers convert through pydantic, or msgspec (the runtime's TypeAdapter)

    def __post_init__(self) -> None:
        if not self.output_module:
            object.__setattr__(self, "output_module", self.module)

    def at(self, scope: QName, role: str | None = None) -> TypeEnv:
        role = role or self.role
        if scope == self.scope and role == self.role:
            return self
        return TypeEnv(self.program, self.naming, self.diagnostics, self.module, scope, role, self.runtime_types, self.output_module, self.type_vars, self.bound, self.expanding, self.model_type)

    def warn(self, node: m.TypeExpr, message: str, fallback: py.PyType = py.ANY, *, kind: Kind) -> py.PyType:
        self.diagnostics.warn(node.pos, message, kind=kind)
        return fallback


def lower(t: m.TypeExpr | None, env: TypeEnv) -> py.PyType:
    if t is None:
        return py.ANY
    return _LOWER[type(t)](t, env)


def _keyword(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.KeywordType)
    return never(env) if t.name == "never" else _KEYWORDS.get(t.name, py.ANY)


def never(env: TypeEnv) -> py.PyType:
    """`never`: the runtime's `Never` (typing's to type checkers; to pydantic, a type no value is of)."""
    return _runtime_name("Never", env)


def _literal(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.LiteralType)
    if isinstance(t.value, float):
        return env.warn(t, f"number literal `{t.value}` cannot be a Python Literal; using float", py.FLOAT, kind=UNREPRESENTABLE)
    return py.PyLiteral((t.value,))


def is_open_string(t: m.TypeExpr) -> bool:
    """`string & {}`: TypeScript's idiom for an open enum of strings."""
    inner = t.inner if isinstance(t, m.ParenType) else t
    if not isinstance(inner, m.IntersectionType):
        return False
    empty = [x for x in inner.members if isinstance(x, m.ObjectType) and not x.members]
    rest = [x for x in inner.members if x not in empty]
    return bool(empty) and len(rest) == 1 and isinstance(rest[0], m.KeywordType)


def _union(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.UnionType)
    keywords = {member.name for member in t.members if isinstance(member, m.KeywordType)}
    non_primitive = "object" in keywords and not keywords & {"unknown", "any"}
    return py.union([lower(member, env) for member in t.members], non_primitive)


def _intersection(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.IntersectionType)
    if is_open_string(t):
        rest = [x for x in t.members if not isinstance(x, m.ObjectType)]
        return lower(rest[0], env)
    return env.warn(t, "intersection type is not supported yet; using Any", kind=UNSUPPORTED_TYPE)


def _paren(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.ParenType)
    return lower(t.inner, env)


def _array(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.ArrayType)
    return py.list_of(lower(t.element, env))


def _tuple(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    """`[a: A, b?: B, ...rest: C[]]` -> `tuple[A] | tuple[A, B] | tuple[A, B, *tuple[C, ...]]`."""
    assert isinstance(t, m.TupleType)
    required = [lower(e.type, env) for e in t.elements if not (e.optional or e.rest)]
    optional = [lower(e.type, env) for e in t.elements if e.optional]
    rests = [e for e in t.elements if e.rest]
    if len(required) + len(optional) + len(rests) != len(t.elements) or len(rests) > 1 or (rests and rests[-1] is not t.elements[-1]):
        return env.warn(t, "tuple with elements after a rest element is not supported; using tuple[Any, ...]", _tuple_of([], py.ANY), kind=UNSUPPORTED_TYPE)
    rest = _rest_item(rests[0].type, env) if rests else None
    variants = [_tuple_of(required + optional[:n], None) for n in range(len(optional) + 1)]
    if rest is not None:
        variants[-1] = _tuple_of(required + optional, rest)
    return py.union(variants)


def _rest_item(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    inner = t.inner if isinstance(t, m.ParenType) else t
    if isinstance(inner, m.ArrayType):
        return lower(inner.element, env)
    if isinstance(inner, m.TypeRef) and inner.name in (("Array",), ("ReadonlyArray",)) and len(inner.args) == 1:
        return lower(inner.args[0], env)
    return env.warn(t, "rest element that is not an array; using Any", kind=UNSUPPORTED_TYPE)


def _tuple_of(items: list[py.PyType], rest: py.PyType | None) -> py.PyType:
    tuple_name = py.PyName("tuple")
    if rest is None:
        return py.PyGeneric(tuple_name, tuple(items) if items else (py.PyName("()"),))
    if not items:
        return py.PyGeneric(tuple_name, (rest, py.PyName("...")))
    unpacked = py.PyGeneric(py.PyName("Unpack", "typing_extensions"), (py.PyGeneric(tuple_name, (rest, py.PyName("..."))),))
    return py.PyGeneric(tuple_name, (*items, unpacked))


def _object(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.ObjectType)
    indexes = [x for x in t.members if isinstance(x, m.IndexSignature)]
    if len(indexes) == len(t.members) == 1:
        index = indexes[0]
        return py.dict_of(_key(index.key_type, env), lower(index.value_type, env))
    if not t.members:
        return py.dict_of(py.STR, py.OBJECT)
    return env.warn(t, "inline object type is not supported yet; using dict[str, Any]", py.dict_of(py.STR, py.ANY), kind=UNSUPPORTED_TYPE)


def _key(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    lowered = lower(t, env)
    return lowered if lowered in (py.STR, py.FLOAT) else py.STR


def _function(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.FunctionType)
    if any(p.rest or p.optional for p in t.params):
        return py.PyCallable(None, lower(t.returns, env))
    return py.PyCallable(tuple(lower(p.type, env) for p in t.params), lower(t.returns, env))


_CLOSEST = {
    "template literal type": (py.STR, "str"),
    "mapped type": (py.dict_of(py.STR, py.ANY), "dict[str, Any]"),
}


_COMPUTED: dict[str, Callable[[m.UnsupportedType, TypeEnv], py.PyType]] = {}  # construct -> how it is computed


def computed(construct: str) -> Callable[[Callable[[m.UnsupportedType, TypeEnv], py.PyType]], Callable[[m.UnsupportedType, TypeEnv], py.PyType]]:
    """Register how a construct the model keeps as text is computed (`Y['kind']`)."""

    def register(fn: Callable[[m.UnsupportedType, TypeEnv], py.PyType]) -> Callable[[m.UnsupportedType, TypeEnv], py.PyType]:
        _COMPUTED[construct] = fn
        return fn

    return register


def _unsupported(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.UnsupportedType)
    if t.construct in _COMPUTED:
        return _COMPUTED[t.construct](t, env)
    return unsupported(t, env)


def unsupported(t: m.UnsupportedType, env: TypeEnv) -> py.PyType:
    """The closest safe type for a construct Python cannot say, with a warning naming it."""
    fallback, shown = _CLOSEST.get(t.construct, (py.ANY, "Any"))
    return env.warn(t, f"{t.construct} `{t.text[:60]}` is not supported; using {shown}", fallback, kind=UNSUPPORTED_TYPE)


# ---------------------------------------------------------------- references

_BUILTIN_GENERICS: dict[str, Callable[[m.TypeRef, TypeEnv], py.PyType]] = {}


def lib_names() -> frozenset[str]:
    """TypeScript's lib types that tsgen lowers itself (`Array<T>` to `list[T]`)."""
    return frozenset(_BUILTIN_GENERICS)


def builtin(name: str) -> Callable[[Callable[[m.TypeRef, TypeEnv], py.PyType]], Callable[[m.TypeRef, TypeEnv], py.PyType]]:
    """Register how a global generic type (one no declaration of the program shadows) lowers."""

    def register(fn: Callable[[m.TypeRef, TypeEnv], py.PyType]) -> Callable[[m.TypeRef, TypeEnv], py.PyType]:
        _BUILTIN_GENERICS[name] = fn
        return fn

    return register


@builtin("Array")
@builtin("ReadonlyArray")
def _array_ref(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if len(t.args) != 1:
        env.warn(t, f"`{t.dotted}` without a type argument; using list[Any]", kind=TYPE_ARGUMENTS)
        return py.list_of(py.ANY)
    return py.list_of(lower(t.args[0], env))


@builtin("Promise")
def _promise(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    return _unwrap(t, env)


def _unwrap(t: m.TypeRef, env: TypeEnv) -> py.PyType:
    if not t.args:
        return env.warn(t, f"`{t.dotted}` without a type argument; using Any", kind=TYPE_ARGUMENTS)
    return lower(t.args[-1], env)


def _reference(t: m.TypeExpr, env: TypeEnv) -> py.PyType:
    assert isinstance(t, m.TypeRef)
    if len(t.name) == 1 and t.name[0] in env.type_vars and not t.args:
        return env.type_vars[t.name[0]]
    found = env.program.lookup(env.module, env.scope, t.name)
    if isinstance(found, Found):
        return _found(t, found, env)
    if isinstance(found, RuntimeName):
        return _runtime(t, found.name, env)
    handler = _BUILTIN_GENERICS.get(t.dotted)
    if handler is not None:
        return handler(t, env)
    return env.warn(t, f"{found.reason}; using Any", kind=UNRESOLVED)


def _found(t: m.TypeRef, found: Found, env: TypeEnv) -> py.PyType:
    key = Key(found.module, found.path)
    if env.expanding is not None and key not in env.expanding and len(found.decls) == 1 and isinstance(found.decls[0], m.TypeAlias):
        return _alias_value(t, found, replace(env, expanding=(*env.expanding, key)))
    if _expand_in_protocol(t, found, env):
        return _alias_value(t, found, env)
    if (key, env.naming.form_for(key, env.role)) not in env.naming.names:
        kinds = ", ".join(sorted({type(d).__name__.lower() for d in found.decls}))
        return env.warn(t, f"`{t.dotted}` ({kinds}) is not a type tsgen can emit; using Any", kind=UNSUPPORTED_TYPE)
    ref = env.naming.ref(key, env.role, env.output_module)
    params = () if key in env.naming.erased else type_params_of(found.decls)
    if not params:
        if t.args and key in env.naming.erased:
            env.warn(t, f"`{t.dotted}` is written without its type parameters (tsgen cannot type their use in Python, see tsgen.lower.generics); its type arguments are ignored", kind=TYPE_ARGUMENTS)
        elif t.args:
            env.warn(t, f"`{t.dotted}` takes no type arguments; they are ignored", kind=TYPE_ARGUMENTS)
        return ref
    if len(t.args) > len(params):
        env.warn(t, f"`{t.dotted}` takes {len(params)} type argument(s); the extra ones are ignored", kind=TYPE_ARGUMENTS)
    return py.PyGeneric(ref, tuple(_arguments(t, params, found, env)))


def _arguments(t: m.TypeRef, params: tuple[m.TypeParam, ...], found: Found, env: TypeEnv) -> list[py.PyType]:
    """The Python types of a reference's type arguments, each missing one its parameter's default
    (read where the declaration is written), else Any."""
    args = [lower(a, env) for a in t.args[: len(params)]]
    target_env = replace(env, module=env.program.origin(found.decls[0], found.module), scope=found.path[:-1], type_vars={})
    for param in params[len(args) :]:
        args.append(lower(param.default, target_env) if param.default is not None else py.ANY)
    return args


def type_params_of(decls: tuple[m.Declaration, ...]) -> tuple[m.TypeParam, ...]:
    """The type parameters of merged declarations: the longest list (React's `class Component<P, S>`
    merges with `interface Component<P = {}, S = {}, SS = any>`; the extra ones have defaults)."""
    lists = [d.type_params for d in decls if isinstance(d, (m.Interface, m.TypeAlias, m.Class))]
    return max(lists, key=len, default=())


def _expand_in_protocol(t: m.TypeRef, found: Found, env: TypeEnv) -> bool:
    """Whether a generic protocol names the value of a generic alias rather than the alias: where
    the arguments name the protocol's type parameters, type checkers judging the protocol before
    the alias is written would see no use of them (tsgen.lower.variance reads through it alike)."""
    if env.role != PROTOCOL or not t.args or len(found.decls) != 1 or not isinstance(found.decls[0], m.TypeAlias):
        return False
    alias = found.decls[0]
    params = {name for name, value in env.type_vars.items() if value != py.ANY}
    if len(t.args) > len(alias.type_params) or not any(_names_any(a, params) for a in t.args):
        return False
    return not any(ref.name[-1] == alias.name for ref in type_refs(alias.type))  # one that names itself is read whole (variance erased such a protocol)


def _names_any(t: m.TypeExpr, names: set[str]) -> bool:
    return any(len(ref.name) == 1 and ref.name[0] in names for ref in type_refs(t))


def _alias_value(t: m.TypeRef, found: Found, env: TypeEnv) -> py.PyType:
    """A generic alias's value with its parameters bound to the arguments (their defaults, else Any)."""
    alias = found.decls[0]
    assert isinstance(alias, m.TypeAlias)
    bound = dict(zip((p.name for p in alias.type_params), _arguments(t, alias.type_params, found, env)))
    target = replace(env, module=env.program.origin(alias, found.module), scope=found.path[:-1], type_vars=bound, bound={})
    return lower(alias.type, target)


def _runtime(t: m.TypeRef, name: str, env: TypeEnv) -> py.PyType:
    target = env.runtime_types.get(name)
    if target == "unwrap":
        return _unwrap(t, env)
    if target is None:
        return env.warn(t, f"SDK runtime name `{t.dotted}` has no Python mapping; using Any (add it to [tool.tsgen.runtime-types])", kind=RUNTIME_TYPE)
    if target == "page":
        item = _unwrap(t, env)
        return py.PyGeneric(_runtime_name("SyncPage", env), (item,))
    if target == "stream":
        event = lower(t.args[0], env) if t.args else py.ANY
        return py.PyGeneric(_runtime_name("Stream", env), (event,))
    if target.startswith("runtime:"):
        return _runtime_name(target.removeprefix("runtime:"), env)
    module, _, attr = target.rpartition(".")
    return py.PyName(attr, module) if module else py.PyName(attr)


def _runtime_name(name: str, env: TypeEnv) -> py.PyName:
    """A name of the generated package's `_runtime` module."""
    source = env.naming.py_modules[env.output_module]
    return py.PyName(name, relative_module(source, ("_runtime",)))


_LOWER: dict[type, Callable[[m.TypeExpr, TypeEnv], py.PyType]] = {
    m.KeywordType: _keyword,
    m.LiteralType: _literal,
    m.TypeRef: _reference,
    m.UnionType: _union,
    m.IntersectionType: _intersection,
    m.ParenType: _paren,
    m.ArrayType: _array,
    m.TupleType: _tuple,
    m.ObjectType: _object,
    m.FunctionType: _function,
    m.UnsupportedType: _unsupported,
}

# The utility types (`Exclude`, `Partial`, `Record`...) register their lowering there; imported
# last because they lower their arguments with this module.
from tsgen.lower import utility_types as _utility_types  # noqa: E402,F401
from tsgen.lower import template_literals as _template_literals  # noqa: E402,F401
