"""What a generated module may contain: imports, class and function definitions, annotations,
string constants and the runtime calls the templates put there. Anything else (a call the
templates never make, a lambda, an attribute like `__globals__`, a statement in a class body
that is not a field) would mean that input text became code.

Quoted annotations are parsed too: typing and pydantic evaluate them when they resolve the
types, so they must hold type expressions only."""

from __future__ import annotations

import ast

IMPORTABLE = {"typing", "typing_extensions", "dataclasses", "enum", "collections.abc", "pydantic", "functools", "urllib.parse", "builtins", "httpx"}
CALLS = {"dataclass", "Field", "TypedDict", "TypeVar", "deprecated", "quote", "str", "type", "RouteNotConfiguredError", "TypeAdapter"}
CALLS |= {"param_field", "param_given", "param_items", "param_rest", "route_path"}  # the runtime's request helpers
CALLS |= {"PageRule", "NextRule", "NextValue", "ClientOption"}  # page rules and client options: literals only
CLIENT_CALLS = {f"self._client.{m}" for m in ("request", "request_stream", "request_events", "request_page")}
# The package's __init__: the clients imported on first use (PEP 562), nothing else.
LAZY_INIT = "def __getattr__(name: str) -> object:"


class Violation(AssertionError):
    pass


def check_module(source: str, where: str = "<generated>") -> None:
    tree = ast.parse(source)
    for stmt in tree.body:
        if _lazy_init(stmt) or _type_checking_imports(stmt):
            continue  # checked whole, to the letter
        _module_statement(stmt, where)
        for node in ast.walk(stmt):
            _anywhere(node, where)


def _lazy_init(stmt: ast.stmt) -> bool:
    """`import importlib` and the `__getattr__` that imports `._client` by its exported names."""
    if isinstance(stmt, ast.Import) and [a.name for a in stmt.names] == ["importlib"]:
        return True
    if not (isinstance(stmt, ast.FunctionDef) and stmt.name == "__getattr__"):
        return False
    body = [s for s in stmt.body if not isinstance(s, ast.Expr)]
    test = body[0].test if body and isinstance(body[0], ast.If) else None
    names_ok = isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.List) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value.isidentifier() for e in test.comparators[0].elts
    )
    expected = "getattr(importlib.import_module('._client', __name__), name)"
    returns = isinstance(body[0], ast.If) and ast.unparse(body[0].body[0]) == f"return {expected}" if body else False
    return bool(names_ok and returns and len(body) == 2 and isinstance(body[1], ast.Raise))


def _type_checking_imports(stmt: ast.stmt) -> bool:
    """`if TYPE_CHECKING:` holding relative imports only."""
    if not (isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Name) and stmt.test.id == "TYPE_CHECKING" and not stmt.orelse):
        return False
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.ImportFrom) and s.level > 0) for s in stmt.body)


def _fail(node: ast.AST, where: str, what: str) -> None:
    raise Violation(f"{where}:{getattr(node, 'lineno', 0)}: {what}: {ast.unparse(node)[:200] if isinstance(node, (ast.expr, ast.stmt)) else ''}")


def _module_statement(stmt: ast.stmt, where: str) -> None:
    if isinstance(stmt, ast.ImportFrom):
        if stmt.level == 0 and stmt.module not in IMPORTABLE:
            _fail(stmt, where, "import of a module the templates do not use")
    elif isinstance(stmt, ast.Import):
        if any(a.name not in IMPORTABLE for a in stmt.names):
            _fail(stmt, where, "import of a module the templates do not use")
    elif isinstance(stmt, ast.ClassDef):
        _class(stmt, where)
    elif isinstance(stmt, ast.Assign):
        if not all(isinstance(t, ast.Name) for t in stmt.targets):
            _fail(stmt, where, "assignment to something other than a name")
        _value(stmt.value, where)
    elif isinstance(stmt, ast.AnnAssign):
        _type_expr(stmt.annotation, where)
        if stmt.value is not None:
            _type_expr(stmt.value, where)
    elif isinstance(stmt, ast.Expr) and _rebuild(stmt):
        pass  # a pydantic model completed at the end of its module (tsgen.lower.pydantic_models)
    elif isinstance(stmt, ast.Expr):
        _docstring(stmt, where)
    else:
        _fail(stmt, where, f"module-level {type(stmt).__name__}")


def _rebuild(stmt: ast.Expr) -> bool:
    """`Name.model_rebuild(raise_errors=False)`, to the letter, of a plain name."""
    call = stmt.value
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and ast.unparse(call) == f"{call.func.value.id}.model_rebuild(raise_errors=False)"


def _class(cls: ast.ClassDef, where: str) -> None:
    for base in cls.bases:
        _type_expr(base, where)
    for deco in cls.decorator_list:
        _value(deco, where)
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign):
            _type_expr(stmt.annotation, where)
            if _setting(stmt) and stmt.value is not None:
                _value(stmt.value, where)
            elif stmt.value is not None and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None):
                _fail(stmt, where, "field default other than None")
        elif isinstance(stmt, ast.Assign):  # an enum member
            if not (len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Constant)):
                _fail(stmt, where, "class-level assignment other than an enum member")
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _method(stmt, where)
        elif isinstance(stmt, ast.Expr):
            _docstring(stmt, where)
        elif not isinstance(stmt, ast.Pass):
            _fail(stmt, where, f"{type(stmt).__name__} in a class body")


def _setting(stmt: ast.AnnAssign) -> bool:
    """A ClassVar of a page class (`_rule`) or of a client (`options`, `default_base_url`...)."""
    return isinstance(stmt.annotation, ast.Subscript) and _dotted(stmt.annotation.value) == "ClassVar"


def _method(fn: ast.FunctionDef | ast.AsyncFunctionDef, where: str) -> None:
    for deco in fn.decorator_list:
        _value(deco, where)
    for arg in [*fn.args.args, *fn.args.kwonlyargs, *([fn.args.kwarg] if fn.args.kwarg else [])]:
        if arg.annotation is not None:
            _type_expr(arg.annotation, where)
    for default in [*fn.args.defaults, *(d for d in fn.args.kw_defaults if d is not None)]:
        if not isinstance(default, ast.Constant) and not (isinstance(default, ast.Name) and default.id == "NOT_GIVEN"):
            _fail(default, where, "parameter default that is not a constant")
    if fn.returns is not None:
        _type_expr(fn.returns, where)
    for stmt in fn.body:
        if isinstance(stmt, ast.Expr) and fn.name == "__init__" and isinstance(stmt.value, ast.Call) and ast.unparse(stmt.value.func) == "super().__init__":
            _keywords_are_parameters(stmt.value, fn, where)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis:
            pass  # the body of a `typing.overload`
        elif isinstance(stmt, ast.Expr):
            _docstring(stmt, where)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level > 0:
            pass  # a client's resource, imported when first used
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            _value(stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value, where)
        elif isinstance(stmt, ast.Raise) and stmt.exc is not None:
            _value(stmt.exc, where)
        else:
            _fail(stmt, where, f"{type(stmt).__name__} in a method body")


def _keywords_are_parameters(call: ast.Call, fn: ast.FunctionDef | ast.AsyncFunctionDef, where: str) -> None:
    """A client's `super().__init__(x=x, ...)`: each keyword its own parameter, passed on."""
    params = {a.arg for a in fn.args.kwonlyargs}
    for keyword in call.keywords:
        if call.args or not (isinstance(keyword.value, ast.Name) and keyword.value.id == keyword.arg and keyword.arg in params):
            _fail(call, where, "super().__init__ that does more than pass its parameters on")


def _docstring(stmt: ast.Expr, where: str) -> None:
    if not (isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
        _fail(stmt, where, "expression statement that is not a docstring")


def _type_expr(node: ast.expr, where: str) -> None:
    """A type: names, attributes, subscripts, `|`, constants; a string constant is a quoted
    annotation and must parse as a type too (Literal["..."] strings are values, not parsed)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                _fail(node, where, "quoted annotation that is not an expression")
            else:
                _type_expr(inner, where)
        return
    if isinstance(node, ast.Subscript) and _dotted(node.value).split(".")[-1] == "Literal":
        for item in node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]:
            if not isinstance(item, ast.Constant) and not (isinstance(item, ast.UnaryOp) and isinstance(item.operand, ast.Constant)):
                _fail(item, where, "Literal member that is not a constant")
        return
    if isinstance(node, ast.Call) and _dotted(node.func) == "Field":
        _value(node, where)
        return
    if not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.List, ast.BinOp)):
        _fail(node, where, f"{type(node).__name__} in a type")
    if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.BitOr):
        _fail(node, where, "operator other than | in a type")
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            _type_expr(child, where)


def _value(node: ast.expr, where: str) -> None:
    """A runtime value the templates build: calls of known names with constant, name or type
    arguments, `self._client.request(...)`, sub-resource classes, `__all__` lists, route paths."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = _dotted(sub.func)
            known = func in CALLS or func in CLIENT_CALLS or func.startswith("TypeAdapter[")
            path = isinstance(sub.func, ast.Attribute) and sub.func.attr == "format" and isinstance(sub.func.value, ast.Constant)
            resource = func.rsplit(".", 1)[-1][:1].isupper() and len(sub.args) == 1 and _dotted(sub.args[0]) in ("self._client", "self")
            if not (known or path or resource):
                _fail(sub, where, f"call of `{func}`, which the templates never make")
        elif not isinstance(sub, (ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.List, ast.Dict, ast.Constant, ast.BinOp, ast.BitOr, ast.keyword, ast.Load, ast.BoolOp, ast.Or, ast.UnaryOp, ast.USub, ast.Call, ast.IfExp, ast.expr_context)):
            _fail(node, where, f"{type(sub).__name__} in a value")


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Subscript):
        return f"{_dotted(node.value)}[{ast.unparse(node.slice)}]"
    return f"<{type(node).__name__}>"


FORBIDDEN_NAMES = {"eval", "exec", "compile", "__import__", "open", "getattr", "setattr", "globals", "locals", "vars", "breakpoint", "input", "os", "sys", "subprocess"}


def _anywhere(node: ast.AST, where: str) -> None:
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in FORBIDDEN_NAMES:
        _fail(node, where, f"name `{node.id}`")
    super_init = isinstance(node, ast.Attribute) and node.attr == "__init__" and ast.unparse(node.value) == "super()"
    if isinstance(node, ast.Attribute) and node.attr.startswith("__") and node.attr.endswith("__") and not super_init:
        _fail(node, where, f"dunder attribute `{node.attr}`")
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr, ast.JoinedStr, ast.Starred, ast.Global, ast.Nonlocal, ast.Delete, ast.With, ast.AsyncWith, ast.For, ast.While, ast.Try)):
        _fail(node, where, type(node).__name__)
