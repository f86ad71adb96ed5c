"""What a generated class says about its fields at runtime: wire names, optionality,
literal values and docs, for dataclasses, pydantic models and TypedDicts (class and functional
syntax)."""

from __future__ import annotations

import ast
import inspect
import dataclasses
import enum
import functools
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pydantic


@dataclass(frozen=True)
class PyField:
    wire_name: str
    optional: bool
    literals: frozenset[object]
    doc: str
    any: bool = False  # typing.Any somewhere in its type
    primitives: frozenset[type] = frozenset()  # str, int, float, bool reachable beside the literals
    annotation: str = ""  # as written (a msgspec struct's field)


def primitives(hint: object) -> set[type]:
    """The primitive types reachable the way `literals` reaches literal values."""
    hint = _aliased(hint)
    if hint in (str, int, float, bool):
        return {hint}  # type: ignore[arg-type]
    origin = typing.get_origin(hint)
    if origin is None or origin is typing.Literal or (isinstance(origin, type) and origin not in (list, tuple, types.UnionType, typing.Annotated)):
        return set()
    return set().union(*(primitives(a) for a in typing.get_args(hint)))


def literals(hint: object) -> set[object]:
    """Literal values reachable through unions, lists and Annotated (not through classes, nor
    tuples, dicts or generic classes: like the compiler's view, which does not look into object
    types or tuples)."""
    hint = _aliased(hint)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return set(typing.get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):  # a TypeScript enum's type is the union of its members' values
        return {member.value for member in hint}
    if origin is None or (isinstance(origin, type) and origin not in (list, types.UnionType, typing.Annotated)):
        return set()
    return set().union(*(literals(a) for a in typing.get_args(hint)))


def _aliased(hint: object) -> object:
    """What a recursive alias (a `TypeAliasType` at run time) stands for; its references to
    itself in there are strings, which these walks do not follow."""
    return getattr(hint, "__value__", hint) if type(hint).__name__ == "TypeAliasType" else hint


def has_any(hint: object, depth: int = 0) -> bool:
    """Whether typing.Any appears in a type, through unions, containers, aliases and Annotated."""
    if hint is typing.Any:
        return True
    value = getattr(hint, "__value__", None)  # a `type X = ...` alias
    if depth < 20 and value is not None:
        return has_any(value, depth + 1)
    return depth < 20 and any(has_any(a, depth + 1) for a in typing.get_args(hint))


def _wire_name(python_name: str, hint: object) -> str:
    for meta in getattr(hint, "__metadata__", ()):
        alias = getattr(meta, "alias", None)
        if isinstance(alias, str):
            return alias
    return python_name


def _is_doc(node: ast.stmt | None) -> str | None:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return node.value.value
    return None


@functools.lru_cache(maxsize=32)
def _module_docs(module_file: Path, _mtime: int, _size: int) -> dict[str, tuple[dict[str, str], str]]:
    """By top-level name: attribute docstrings by attribute name (classes), or the docstring after
    it (the functional syntax). One parse per module file (and version of it)."""
    tree = ast.parse(module_file.read_text())
    found: dict[str, tuple[dict[str, str], str]] = {}
    for index, node in enumerate(tree.body):
        after = tree.body[index + 1] if index + 1 < len(tree.body) else None
        if isinstance(node, ast.ClassDef):
            docs = {}
            for stmt, nxt in zip(node.body, node.body[1:]):
                doc = _is_doc(nxt)
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and doc is not None:
                    docs[stmt.target.id] = doc
            found.setdefault(node.name, (docs, ""))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, ({}, _is_doc(after) or ""))
    return found


def _docs(module_file: Path, name: str) -> tuple[dict[str, str], str]:
    stat = module_file.stat()
    docs = _module_docs(module_file, stat.st_mtime_ns, stat.st_size).get(name)
    if docs is None:
        raise LookupError(name)
    return docs


def _lineage(cls: type) -> list[type]:
    """The class and the generated classes it inherits from, of any module, the farthest first
    (a TypedDict's bases are in `__orig_bases__`: its MRO is dict's)."""
    if dataclasses.is_dataclass(cls):
        return [k for k in reversed(cls.__mro__) if dataclasses.is_dataclass(k)]
    if issubclass(cls, pydantic.BaseModel):
        return [k for k in reversed(cls.__mro__) if _generated_model(k)]
    if issubclass(cls, msgspec.Struct):
        return [k for k in reversed(cls.__mro__) if issubclass(k, msgspec.Struct) and k is not msgspec.Struct and not k.__module__.endswith("._runtime")]
    found: list[type] = []
    for base in getattr(cls, "__orig_bases__", ()):
        if isinstance(base, type) and hasattr(base, "__required_keys__"):
            found += [k for k in _lineage(base) if k not in found]
    return [*found, cls]


def _generated_model(cls: type) -> bool:
    """A generated pydantic model: not pydantic's BaseModel, nor the runtime's."""
    return issubclass(cls, pydantic.BaseModel) and cls is not pydantic.BaseModel and not cls.__module__.endswith("._runtime")


def _source(cls: type) -> Path:
    return Path(sys.modules[cls.__module__].__file__ or "")


def fields(cls: type) -> dict[str, PyField]:
    """The fields of a generated class by wire name (those it inherits documented where its
    bases declare them, unless it declares them again). The docs are read from the source of
    each class's own module (a split module's part, not the module that re-exports it)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    by_attr, shared_doc = _docs(_source(cls), cls.__name__)
    for base in reversed(_lineage(cls)[:-1]):  # the nearest first: a field a nearer base redeclares has its doc
        by_attr = {**_docs(_source(base), base.__name__)[0], **by_attr}
    if hasattr(cls, "__required_keys__"):
        optional = set(cls.__optional_keys__)  # type: ignore[attr-defined]
        return {k: PyField(k, k in optional, frozenset(literals(h)), by_attr.get(k, shared_doc), has_any(h), frozenset(primitives(h))) for k, h in hints.items()}
    if issubclass(cls, pydantic.BaseModel):
        return {
            (wire := info.alias or name): PyField(wire, not info.is_required(), frozenset(literals(hints[name])), by_attr.get(name, ""), has_any(hints[name]), frozenset(primitives(hints[name])))
            for name, info in cls.model_fields.items()
        }
    if issubclass(cls, msgspec.Struct):
        return _struct_fields(cls, hints, by_attr)
    defaults = {f.name for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    result = {}
    for name, hint in hints.items():
        wire = _wire_name(name, hint)
        result[wire] = PyField(wire, name in defaults, frozenset(literals(hint)), by_attr.get(name, ""), has_any(hint), frozenset(primitives(hint)))
    return result


def _struct_fields(cls: type[msgspec.Struct], hints: dict[str, object], by_attr: dict[str, str]) -> dict[str, PyField]:
    """A msgspec struct's fields by wire name (`UnsetType`, the mark of one that may be absent,
    left out of its type), and its tag field: msgspec writes and reads it, with the tag as value."""
    result = {}
    for info in msgspec.structs.fields(cls):
        hint = _without_unset(hints[info.name])
        written = str(_written(cls, info.name))
        result[info.encode_name] = PyField(info.encode_name, not info.required, frozenset(literals(hint)), by_attr.get(info.name, ""), has_any(hint), frozenset(primitives(hint)), written)
    config = cls.__struct_config__
    if isinstance(config.tag_field, str):  # its doc ends the class's (tsgen.lower.msgspec_models.TAG_DOC)
        doc = (cls.__doc__ or "").partition(f"`{config.tag_field}` (the tag, set by msgspec): ")[2]
        result[config.tag_field] = PyField(config.tag_field, False, frozenset({config.tag}), inspect.cleandoc(doc), False, frozenset())
    return result


def _written(cls: type, name: str) -> object:
    """A field's annotation as its class (or the base that declares it) writes it."""
    for klass in cls.__mro__:
        if name in vars(klass).get("__annotations__", {}):
            return vars(klass)["__annotations__"][name]
    return ""


def _without_unset(hint: object) -> object:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and msgspec.UnsetType in args:
        rest = tuple(a for a in args if a is not msgspec.UnsetType)
        return rest[0] if len(rest) == 1 else typing.Union[rest]
    return hint


def attribute_docs(cls: type) -> dict[str, str]:
    """The attributes a generated protocol declares (a protocol form's data, tsgen.lower.mixed), by
    name: their docstrings ("" where none); read-only properties are methods (method_docs)."""
    annotated = vars(cls).get("__annotations__", {})
    docs = _docs(_source(cls), cls.__name__)[0]
    return {name: docs.get(name, "") for name in annotated}


def method_docs(cls: type) -> dict[str, str]:
    """The methods a generated class declares (a protocol's), by name: their docstrings, every
    overload's joined (at run time an overloaded name is typing's dummy, which has none)."""
    module_file = Path(sys.modules[cls.__module__].__file__ or "")
    stat = module_file.stat()
    return _module_methods(module_file, stat.st_mtime_ns, stat.st_size).get(cls.__name__, {})


def _text_part(doc: str | None) -> str | None:
    """A docstring without its tags (`@param`, `@returns`... and what follows them), as tsc's
    documentation of an overloaded method joins its signatures' texts."""
    if doc is None:
        return None
    lines = doc.splitlines()
    tag = next((i for i, line in enumerate(lines) if line.strip().startswith("@")), len(lines))
    return "\n".join(lines[:tag])


@functools.lru_cache(maxsize=32)
def _module_methods(module_file: Path, _mtime: int, _size: int) -> dict[str, dict[str, str]]:
    """By class name: its methods' joined docstrings by name. One parse per module file."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(module_file.read_text()).body:
        if isinstance(node, ast.ClassDef):
            methods = found.setdefault(node.name, {})
            for stmt in node.body:
                if isinstance(stmt, ast.FunctionDef):
                    methods[stmt.name] = " ".join(filter(None, (methods.get(stmt.name), _text_part(ast.get_docstring(stmt, clean=False)))))
    return found
