"""The next request of a page class: what `nextPageRequestOptions()` (or `nextPageInfo()`)
returns, as rules over the current request's query, the response body and the page's items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from tree_sitter import Node

from tsgen.js.syntax import named, position, text, unparen
from tsgen.js.thisflow import ADD, FIRST, LAST, ClassEvaluator
from tsgen.js.values import UNDEFINED, Call, Cond, Field, Lit, Obj, Param, Value, describe
from tsgen.records import record

Kind = Literal["item", "first_item", "body", "header", "query_plus", "query_offset"]
_NUMBERS = frozenset({"Number", "parseInt", "String", "toString"})


@record(frozen=True)
class NextValue:
    kind: Kind
    path: tuple[str, ...] = ()  # item / first_item: field path on the last / first item; body: in the
    # body; header: (the response header's name,)
    key: str = ""  # query_plus / query_offset: the query key read from the current request
    start: int = 0  # its value when the current query lacks it
    step: int = 1  # query_plus: added to it (query_offset adds the number of items on the page)


@record(frozen=True)
class NextRule:
    key: str  # the query key set on the next request
    value: NextValue  # a missing or empty value (None, '', 0 for item/first_item/body/header): no next page
    when_query: str | None = None  # applies only when the current query has this key (truthy)


class Unreadable(Exception):
    """Code this reading does not understand; carries the node for the warning's position."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.node = node

    def where(self, line: int, col: int) -> tuple[int, int]:
        return position(self.node) if self.node is not None else (line, col)


class RuleReader:
    def __init__(
        self, flow: ClassEvaluator, resolve: Callable[[Value], Value], params: tuple[str, str, str], items: tuple[str, ...] | None,
    ) -> None:  # fmt: skip
        self.flow = flow
        self.resolve = resolve
        # the constructor parameters holding the response, its body and the current request options
        self.response, self.body, self.options = params
        self.items = items  # body path of the items

    def value_of(self, node: Node) -> Value:
        return self.resolve(self.flow.eval(node))

    def read(self, block: Node) -> tuple[NextRule, ...]:
        rules, _ = self._block(block, None)
        return tuple(rules)

    def _block(self, block: Node, when: str | None) -> tuple[list[NextRule], bool]:
        """The rules of a block and whether it always returns."""
        statements = named(block) if block.type == "statement_block" else [block]
        rules: list[NextRule] = []
        for statement in statements:
            kind = statement.type
            if kind in ("lexical_declaration", "variable_declaration", "comment", "empty_statement"):
                continue
            if kind == "if_statement":
                found, returned = self._if(statement, when)
                rules += found
                if returned:
                    return rules, True
                continue
            if kind == "return_statement":
                value = named(statement)
                result = self.value_of(value[0]) if value else UNDEFINED
                if result != UNDEFINED:
                    rules.append(self._rule(result, when, statement))
                return rules, True
            raise Unreadable(f"statement {text(statement, compact=True)[:60]}", statement)
        return rules, False

    def _if(self, statement: Node, when: str | None) -> tuple[list[NextRule], bool]:
        condition = unparen(statement.child_by_field_name("condition") or statement)
        then = statement.child_by_field_name("consequence")
        other = statement.child_by_field_name("alternative")
        other = named(other)[0] if other is not None and named(other) else None
        if then is None:
            raise Unreadable("an empty if", statement)
        if other is None and _returns_nothing(then):
            self._guard(condition)
            return [], False
        key = self._query_test(condition)
        if key is None or when is not None:
            raise Unreadable(f"condition {text(condition, compact=True)[:60]}", condition)
        rules, returned = self._block(then, key)
        if not returned:
            raise Unreadable("a branch that does not return", then)
        if other is None:
            return rules, False
        more, returned = self._block(other, when)
        return rules + more, returned

    def _guard(self, condition: Node) -> None:
        """`if (!id) return null`: no next page when a value is missing (a missing value means
        no next page in the rules too); anything else is a condition the rules cannot say."""
        if condition.type == "unary_expression" and text(condition.child_by_field_name("operator")) == "!":
            return
        if condition.type == "binary_expression" and text(condition.child_by_field_name("operator")) in ("==", "==="):
            if text(condition.child_by_field_name("right")) in ("null", "undefined", "0"):
                return
        raise Unreadable(f"condition {text(condition, compact=True)[:60]}", condition)

    def _query_test(self, condition: Node) -> str | None:
        """The key of `if (this.options.query?.['before_id'])` (or `... != null`)."""
        value = self.value_of(condition)
        if isinstance(value, Cond) and (value.then, value.other) == (Lit(True), Lit(False)):
            value = value.test
        key = self._query_key(value)
        return key

    def _query_key(self, value: Value) -> str | None:
        if isinstance(value, Field) and value.param == self.options and len(value.path) == 2 and value.path[0] == "query":
            return value.path[1]
        return None

    def _rule(self, value: Value, when: str | None, node: Node) -> NextRule:
        if not isinstance(value, Obj):
            raise Unreadable(f"returns {describe(value)}", node)
        query: Value | None = None
        form = ""
        for key, member in value.members:
            if key is None:
                if not (isinstance(member, Param) and member.name == self.options):
                    raise Unreadable(f"the next request spreads {describe(member)}", node)
            elif key in ("query", "params"):
                query, form = member, key
            else:
                raise Unreadable(f"the next request sets {key!r}", node)
        if not isinstance(query, Obj):
            raise Unreadable("the next request has no query", node)
        keyed = [(k, m) for k, m in query.members if k is not None]
        spreads = [m for k, m in query.members if k is None]
        if any(not self._is_current_query(m) for m in spreads) or (form == "query" and not spreads):
            raise Unreadable("the next query does not extend the current one", node)
        if len(keyed) != 1:
            raise Unreadable(f"the next query sets {len(keyed)} keys", node)
        key, member = keyed[0]
        return NextRule(key, self._value(member, node), when)

    def _is_current_query(self, value: Value) -> bool:
        """`this.options.query`, maybe through a helper (`maybeObj(this.options.query)`, or the
        helper followed: `isObj(q) ? q : {}`)."""
        if isinstance(value, Call) and len(value.args) == 1:
            value = value.args[0]
        if isinstance(value, Cond):
            branches = [v for v in (value.then, value.other) if v != Obj(()) and v != UNDEFINED]
            return bool(branches) and all(self._is_current_query(v) for v in branches)
        return isinstance(value, Field) and value.param == self.options and value.path == ("query",)

    def _value(self, value: Value, node: Node) -> NextValue:
        value = _cursor(value)
        if isinstance(value, Field) and value.param in (LAST, FIRST) and value.path:
            return NextValue("item" if value.param == LAST else "first_item", value.path)
        if isinstance(value, Field) and value.param == self.body and value.path:
            return NextValue("body", value.path)
        header = self._header(value)
        if header is not None:
            return NextValue("header", (header,))
        if isinstance(value, Call) and value.name == ADD and len(value.args) == 2:
            for current, other in (value.args, value.args[::-1]):
                found = self._current(current)
                if found is None:
                    continue
                key, start = found
                other = _unwrap(other)
                if isinstance(other, Lit) and isinstance(other.value, int) and not isinstance(other.value, bool):
                    return NextValue("query_plus", key=key, start=start, step=other.value)
                if self.items is not None and other == Field(self.body, self.items + ("length",)):
                    return NextValue("query_offset", key=key, start=start)
        raise Unreadable(f"next value {describe(value)}", node)

    def _header(self, value: Value) -> str | None:
        """The name in `this.response.headers.get('x-after-cursor')`."""
        if not isinstance(value, Call) or value.name != "get" or len(value.args) != 1:
            return None
        name = value.args[0]
        if value.receiver != Field(self.response, ("headers",)) or not isinstance(name, Lit) or not isinstance(name.value, str):
            return None
        return name.value

    def _current(self, value: Value) -> tuple[str, int] | None:
        """(key, default) of `query?.page ?? 1`: a key of the current query with a number default."""
        value = _unwrap(value)
        if not isinstance(value, Cond) or value.then != value.test:
            return None
        key = self._query_key(_unwrap(value.test))
        default = value.other
        if key is None or not isinstance(default, Lit) or not isinstance(default.value, int) or isinstance(default.value, bool):
            return None
        return key, default.value


def _unwrap(value: Value) -> Value:
    """`Number(x)`, `parseInt(x)`: x."""
    while isinstance(value, Call) and value.name in _NUMBERS:
        inner = value.args[0] if value.args else value.receiver
        if inner is None:
            break
        value = inner
    return value


def _cursor(value: Value) -> Value:
    """`x || ''`, `x ?? null`, `String(x)`: x (a falsy fallback is as missing as x)."""
    value = _unwrap(value)
    while isinstance(value, Cond) and value.then == value.test and isinstance(value.other, Lit) and not value.other.value:
        value = _unwrap(value.test)
    return value


def _returns_nothing(node: Node) -> bool:
    """A `return null` / `return` / `return undefined` (alone or in a block)."""
    if node.type == "statement_block":
        inner = named(node)
        node = inner[0] if len(inner) == 1 else node
    if node.type != "return_statement":
        return False
    value = named(node)
    return not value or text(value[0]) in ("null", "undefined")
