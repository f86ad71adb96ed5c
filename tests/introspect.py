"""What a generated class says about its fields at runtime: wire names, optionality,
literal values and docs, for dataclasses and TypedDicts (class and functional syntax)."""

from __future__ import annotations

import ast
import dataclasses
import types
import typing
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PyField:
    wire_name: str
    optional: bool
    literals: frozenset[object]
    doc: str
    any: bool = False  # typing.Any somewhere in the annotation (not inside the classes it names)


def literals(hint: object) -> set[object]:
    """Literal values reachable through unions, lists and Annotated (not through classes, nor
    dicts or generic classes: like the compiler's view, which does not look into object types)."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return set(typing.get_args(hint))
    if origin is None or (isinstance(origin, type) and origin not in (list, tuple, types.UnionType, typing.Annotated)):
        return set()
    return set().union(*(literals(a) for a in typing.get_args(hint)))


def contains_any(hint: object) -> bool:
    """Whether `Any` is in an annotation: through unions, generics, Callable and Annotated."""
    if hint is typing.Any:
        return True
    args = typing.get_args(hint)
    if typing.get_origin(hint) is typing.Annotated:
        args = args[:1]
    return any(contains_any(a) for arg in args for a in (arg if isinstance(arg, list) else [arg]))


def _wire_name(python_name: str, hint: object) -> str:
    for meta in getattr(hint, "__metadata__", ()):
        alias = getattr(meta, "alias", None)
        if isinstance(alias, str):
            return alias
    return python_name


def _docs(source: str, name: str) -> tuple[dict[str, str], str]:
    """Attribute docstrings by attribute name; for the functional syntax, the docstring after it."""
    tree = ast.parse(source)
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.ClassDef) and node.name == name:
            docs = {}
            for stmt, after in zip(node.body, node.body[1:]):
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
                        docs[stmt.target.id] = after.value.value
            return docs, ""
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            after = tree.body[index + 1] if index + 1 < len(tree.body) else None
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
                return {}, after.value.value
            return {}, ""
    raise LookupError(name)


def fields(cls: type, module_file: Path) -> dict[str, PyField]:
    """The fields of a generated class by wire name."""
    hints = typing.get_type_hints(cls, include_extras=True)
    by_attr, shared_doc = _docs(module_file.read_text(), cls.__name__)
    if hasattr(cls, "__required_keys__"):
        optional = set(cls.__optional_keys__)  # type: ignore[attr-defined]
        return {k: PyField(k, k in optional, frozenset(literals(h)), by_attr.get(k, shared_doc), contains_any(h)) for k, h in hints.items()}
    defaults = {f.name for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    result = {}
    for name, hint in hints.items():
        wire = _wire_name(name, hint)
        result[wire] = PyField(wire, name in defaults, frozenset(literals(hint)), by_attr.get(name, ""), contains_any(hint))
    return result
