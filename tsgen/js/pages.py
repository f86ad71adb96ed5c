"""How each page class of an SDK asks for the next page, read from its compiled JavaScript.

Page classes are the classes extending `AbstractPage` (directly or through another page class,
also in another file). For each: where the items are in the response body
(`getPaginatedItems()`), the query key and value of the next request (`nextPageRequestOptions()`
or the older `nextPageInfo()`, with `if (this.options.query?.[k])` branches), and when
`hasNextPage()` stops (`this.has_more === false`, an empty page). A page class whose methods
cannot be read gets a warning and no next page."""

from __future__ import annotations

from pathlib import Path

from tree_sitter import Node

from tsgen.js.classes import ClassRef, Modules, chain, star_exports, syntax_error
from tsgen.js.ctor import Props, options_ctor, props
from tsgen.js.page_rules import NextRule, NextValue, RuleReader, Unreadable
from tsgen.js.syntax import named, position, text, unparen, walk
from tsgen.js.thisflow import THIS, ClassEvaluator, Scope, substitute
from tsgen.js.values import Cond, Field, Lit, Obj, Param, Value
from tsgen.records import record

__all__ = ["JsPageWarning", "NextRule", "NextValue", "PageSpec", "read_pages"]

ROOT = "AbstractPage"
_NEXT = ("nextPageRequestOptions", "nextPageInfo")
_Stop = tuple[tuple[str, ...], bool]  # has_more path, whether a falsy value stops


@record(frozen=True)
class PageSpec:
    class_name: str
    items: tuple[str, ...]  # path of the item list in the response body; () = the body is the list
    next: tuple[NextRule, ...]  # () = never a next page
    has_more: tuple[str, ...] | None  # a body field whose false (or missing) value stops
    line: int
    col: int
    stops_when_empty: bool = True  # an empty page has no next page (AbstractPage.hasNextPage)
    has_more_falsy_stops: bool = True  # has_more: a falsy or missing value stops; False: only `false`


@record(frozen=True)
class JsPageWarning:
    class_name: str
    line: int
    col: int
    message: str


def read_pages(js_file: Path, reads: set[Path] | None = None) -> tuple[dict[str, PageSpec], list[JsPageWarning]]:
    """Page class name -> spec, for the page classes of `js_file` (or of the modules it
    re-exports whole); plus warnings. Never raises. Every file read is added to `reads`."""
    specs: dict[str, PageSpec] = {}
    warnings: list[JsPageWarning] = []
    try:
        modules = Modules(reads)
        module = modules.load(js_file)
        if module is None:
            return specs, [JsPageWarning("", 1, 1, f"cannot read {js_file}")]
        broken = syntax_error(module)
        if broken is not None:
            warnings.append(JsPageWarning("", *position(broken), "syntax error: the file is read as far as it parses"))
        for ref in _page_classes(modules, module.path):
            try:
                spec = _read_one(modules, ref, warnings)
            except Exception as exc:  # never raise on odd input: this class is left out
                warnings.append(JsPageWarning(ref.name, *position(ref.node), f"internal error: {exc!r}"))
                continue
            if spec is not None:
                specs.setdefault(spec.class_name, spec)
    except Exception as exc:  # never raise on odd input
        warnings.append(JsPageWarning("", 1, 1, f"internal error: {exc!r}"))
    return specs, warnings


def _page_classes(modules: Modules, path: Path, depth: int = 0) -> list[ClassRef]:
    module = modules.load(path)
    if module is None:
        return []
    found = []
    for nodes in module.classes.values():
        for node in nodes:
            ref = ClassRef(module, node)
            classes, missing = chain(modules, ref)
            names = [c.name for c in classes[1:]] + [missing.rsplit(".", 1)[-1]]
            if ref.name != ROOT and ROOT in names:
                found.append(ref)
    if not found and depth < 3:
        for spec in star_exports(module):
            other = modules.resolve(module, spec)
            if other is not None:
                found += _page_classes(modules, other.path, depth + 1)
    return sorted(found, key=lambda r: (str(r.module.path), r.node.start_byte))


def _read_one(modules: Modules, ref: ClassRef, warnings: list[JsPageWarning]) -> PageSpec | None:
    classes, missing = chain(modules, ref)
    line, col = position(ref.node)
    if missing:
        message = f"base class {missing} not found: read as AbstractPage(client, response, body, options)"
        warnings.append(JsPageWarning(ref.name, *position(classes[-1].heritage or ref.node), message))
    reader = _PageReader(Scope(modules, classes))
    try:
        items = reader.items()
    except Unreadable as exc:
        warnings.append(JsPageWarning(ref.name, *exc.where(line, col), f"items not understood: {exc} (class left out)"))
        return None
    try:
        rules = reader.rules()
    except Unreadable as exc:
        warnings.append(JsPageWarning(ref.name, *exc.where(line, col), f"next page not understood: {exc} (one page only)"))
        rules = ()
    stop, empty_stops, problem = reader.stops()
    if problem is not None:
        message = f"hasNextPage not understood: {problem} (one page only)"
        warnings.append(JsPageWarning(ref.name, *problem.where(line, col), message))
        rules = ()
    has_more, falsy = stop if stop is not None else (None, True)
    return PageSpec(ref.name, items, rules, has_more, line, col, empty_stops, falsy)


class _PageReader:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.stored: Props = props(scope)
        ctor = options_ctor(scope)
        params = ctor.params if ctor is not None else ()
        self.response = self._param_of("response", params, 1)
        self.body = self._param_of("body", params, 2)
        self.options = self._param_of("options", params, 3)
        stored = {key: values[-1] for key, values in self.stored.items() if values}
        stored.setdefault("response", Param(self.response))  # when AbstractPage itself is not read
        stored.setdefault("body", Param(self.body))
        stored.setdefault("options", Param(self.options))
        self.this = Obj(tuple(stored.items()))

    def _param_of(self, prop: str, params: tuple[str, ...], index: int) -> str:
        """The constructor parameter stored as `this.response` / `this.body` / `this.options` (AbstractPage's
        `(client, response, body, options)` when the base class cannot be read)."""
        values = self.stored.get(prop, [])
        if values and isinstance(values[-1], Param):
            return values[-1].name
        return params[index] if index < len(params) else f"#{index}"

    def resolve(self, value: Value) -> Value:
        """The value with `this.x` replaced by what the constructors stored (which may read
        `this.y` in turn)."""
        for _ in range(8):
            resolved = substitute(value, {THIS: self.this})
            if resolved == value:
                break
            value = resolved
        return value

    def method(self, names: tuple[str, ...], start: int = 0) -> tuple[Node, int] | None:
        for index, cls in enumerate(self.scope.classes[start:], start):
            for name in names:
                method = cls.method(name)
                if method is not None:
                    return method, index
        return None

    def evaluator(self, method: Node, index: int) -> ClassEvaluator:
        return ClassEvaluator(method, self.scope, self.scope.classes[index].module, index)

    def items(self) -> tuple[str, ...]:
        found = self.method(("getPaginatedItems",))
        if found is None:
            raise Unreadable("no getPaginatedItems()")
        raw = self.evaluator(*found).returned(found[0])
        self.scope.items = raw
        value = self.resolve(raw)
        if isinstance(value, Param) and value.name == self.body and not value.omit:
            return ()
        if isinstance(value, Field) and value.param == self.body:
            return value.path
        returns = [n for n in walk(found[0]) if n.type == "return_statement"]
        where = returns[-1] if returns else found[0]
        raise Unreadable(f"getPaginatedItems() {text(where, compact=True)[:60]}", where)

    def rules(self) -> tuple[NextRule, ...]:
        found = self.method(_NEXT)
        if found is None:
            raise Unreadable("no nextPageRequestOptions() or nextPageInfo()")
        method, index = found
        params = (self.response, self.body, self.options)
        reader = RuleReader(self.evaluator(method, index), self.resolve, params, self._items_path())
        body = method.child_by_field_name("body")
        return reader.read(body) if body is not None else ()

    def _items_path(self) -> tuple[str, ...] | None:
        value = self.resolve(self.scope.items) if self.scope.items is not None else None
        return value.path if isinstance(value, Field) and value.param == self.body else () if value is not None else None

    def stops(self, start: int = 0) -> tuple[_Stop | None, bool, Unreadable | None]:
        """(has_more path and whether a falsy value stops, whether an empty page stops, a
        problem) from hasNextPage() and the base class versions it calls."""
        found = self.method(("hasNextPage",), start)
        if found is None:
            return None, True, None
        method, index = found
        flow = self.evaluator(method, index)
        has_more: _Stop | None = None
        empty = False
        body = method.child_by_field_name("body")
        for statement in named(body):
            if statement.type in ("lexical_declaration", "variable_declaration", "comment"):
                continue
            if statement.type == "if_statement" and _returns_false(statement.child_by_field_name("consequence")):
                test = unparen(statement.child_by_field_name("condition") or statement)
                if self._is_empty_test(test, flow):
                    empty = True
                    continue
                path = self._false_test(test, flow)
                if path is None:
                    return has_more, empty, Unreadable(f"condition {text(test, compact=True)[:60]}", test)
                has_more = has_more or path
                continue
            if statement.type == "return_statement" and _calls_super(statement):
                inherited, inherited_empty, problem = self.stops(index + 1)
                return has_more or inherited, empty or inherited_empty, problem
            if statement.type == "return_statement" and _asks_next(statement):
                return has_more, empty, None
            return has_more, empty, Unreadable(f"statement {text(statement, compact=True)[:60]}", statement)
        return has_more, empty, None

    def _is_empty_test(self, test: Node, flow: ClassEvaluator) -> bool:
        """`!items.length` / `items.length === 0` on the page's items."""
        if test.type == "unary_expression" and text(test.child_by_field_name("operator")) == "!":
            inner = unparen(test.child_by_field_name("argument") or test)
        elif test.type == "binary_expression" and text(test.child_by_field_name("right")) == "0":
            inner = unparen(test.child_by_field_name("left") or test)
        else:
            return False
        if inner.type != "member_expression" or text(inner.child_by_field_name("property")) != "length":
            return False
        obj = inner.child_by_field_name("object")
        return obj is not None and self.scope.items is not None and flow.eval(obj) == self.scope.items

    def _false_test(self, test: Node, flow: ClassEvaluator) -> _Stop | None:
        """The body path of `this.has_more === false` / `!this.has_more`, and whether any falsy
        value stops (`!x`, or `x === false` where x is `body.has_more || false`)."""
        falsy = test.type == "unary_expression" and text(test.child_by_field_name("operator")) == "!"
        if falsy:
            tested = test.child_by_field_name("argument")
        elif test.type == "binary_expression" and text(test.child_by_field_name("operator")) in ("===", "==") and text(test.child_by_field_name("right")) == "false":
            tested = test.child_by_field_name("left")
        else:
            return None
        value = self.resolve(flow.eval(tested)) if tested is not None else None
        if isinstance(value, Cond) and value.then == value.test and value.other == Lit(False):
            value, falsy = value.test, True
        return (value.path, falsy) if isinstance(value, Field) and value.param == self.body and value.path else None


def _returns_false(node: Node | None) -> bool:
    if node is not None and node.type == "statement_block":
        inner = named(node)
        node = inner[0] if len(inner) == 1 else None
    if node is None or node.type != "return_statement":
        return False
    value = named(node)
    return bool(value) and text(value[0]) == "false"


def _calls_super(statement: Node) -> bool:
    return any(n.type == "super" for n in walk(statement))


def _asks_next(statement: Node) -> bool:
    """`return this.nextPageRequestOptions() != null` (or nextPageInfo)."""
    calls = [n for n in walk(statement) if n.type == "call_expression"]
    names = {text(c.child_by_field_name("function")).replace(" ", "") for c in calls}
    return any(f"this.{n}" in names for n in _NEXT) and len(calls) == 1
