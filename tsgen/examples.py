"""`@example` code of a doc comment, TypeScript calling the SDK, as Python calling the generated
client: `const a = await client.beta.assistants.create({ model: 'gpt-4o' })` is
`a = client.beta.assistants.create(model="gpt-4o")`.

A well-defined subset is translated: `const`/`let` declarations and expression statements of
client calls (awaited or not), `for await (const x of <call>) { ... }`, `console.log(...)` as
`print(...)`, literals (strings, numbers, booleans, null, arrays, objects), the example's own
variables and their properties. The call must resolve to a generated method (`Resolver`) and its
arguments must fit one of the method's signatures (`ArgSlot`s): path parameters positionally,
the `**params` object's keys as keywords. Anything else, and the example is not translated
(`Untranslatable` says why). The Python is built as an `ast` (its strings quoted by Python
itself), laid out by black and parsed again before it is returned.

Two translations: for the sync client `await` is dropped and `for await` is `for`; for the async
client (`asynchronous`) `await x` is `await x` and `for await (const a of b)` is `async for a in
b:`. There, a call of a method the async class defines as a coroutine must be awaited, and a list
method's paginator (awaitable and async-iterable, not a coroutine) is awaited or iterated with
`async for`; an example doing otherwise is not translated.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from tsgen import names
from tsgen.parse.context import new_parser
from tsgen.pymodel import ArgSlot
from tsgen.records import record

CLIENT = "client"  # the name examples give the client, in TypeScript and in Python


class Untranslatable(Exception):
    """The example has something outside the translated subset; the message says what."""


@record(frozen=True, slots=True)
class Callee:
    """A generated method: its Python path from the client (`("beta", "assistants", "create")`)
    and how each of its TypeScript signatures' parameters is passed."""

    path: tuple[str, ...]
    calls: tuple[tuple[ArgSlot, ...], ...]
    coroutine: bool = True  # the async class's method is a coroutine (else it returns a paginator)


Resolver = Callable[[tuple[str, ...]], "Callee | None"]  # TypeScript names from the client, method last


def translate(code: str, resolve: Resolver, line_length: int = 80, asynchronous: bool = False) -> str:
    """The Python of a TypeScript example, for the sync client or the async one; raises
    Untranslatable."""
    tree = new_parser().parse(code.encode())
    if tree.root_node.has_error:
        raise Untranslatable("the TypeScript does not parse")
    lines = _Translator(resolve, asynchronous).block(tree.root_node.named_children, top=True)
    if not any(not line.startswith("#") for line in lines):
        raise Untranslatable("no statement")
    return _formatted("\n".join(lines) + "\n", line_length)


def _formatted(source: str, line_length: int) -> str:
    import black  # only when there is an example to lay out

    text = black.format_str(source, mode=black.Mode(line_length=max(line_length, 40)))
    ast.parse(text)  # what is returned is Python
    return text.rstrip("\n")


_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_UNICODE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})$")
_COMMENT_TEXT = re.compile(r"[^\x00-\x1f\x7f\u2028\u2029]*")


def string_value(node: Node) -> str:
    """The value of a JavaScript string literal (or a template literal without substitutions)."""
    parts = []
    for child in node.named_children:
        text = _text(child)
        if child.type == "string_fragment":
            parts.append(text)
        elif child.type == "escape_sequence":
            parts.append(_escape(text))
        else:
            raise Untranslatable(f"a {child.type} in a string")
    value = "".join(parts)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise Untranslatable("a lone surrogate in a string")
    return value


def _escape(text: str) -> str:
    if text[1:] in _JS_ESCAPES:
        return _JS_ESCAPES[text[1:]]
    match = _UNICODE.match(text)
    if match:
        code = int(next(g for g in match.groups() if g), 16)
        if code > 0x10FFFF:
            raise Untranslatable(f"escape {text} is not a character")
        return chr(code)
    if text[1:] in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
        return ""  # a line continuation
    if re.fullmatch(r"\\[0-9]+|\\[xu].*", text, re.S):
        raise Untranslatable(f"escape {text!r}")
    return text[1:]


def number_value(text: str) -> int | float:
    """A JavaScript numeric literal (no BigInt) as an int or a finite float."""
    text = text.replace("_", "")
    if re.fullmatch(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9][0-9]*|0", text):
        return int(text, 0)
    if re.fullmatch(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text):
        value = float(text)
        if math.isfinite(value):
            return value
    raise Untranslatable(f"number {text}")


def _text(node: Node) -> str:
    return (node.text or b"").decode()


@dataclass
class _Translator:
    resolve: Resolver
    asynchronous: bool = False  # for the async client
    variables: dict[str, str] = field(default_factory=dict)  # TypeScript name -> Python name

    def block(self, nodes: list[Node], top: bool = False) -> list[str]:
        """Python lines of statements: statements as Python, comments as comments (a `// ...`
        standing for code left out as `...`)."""
        lines: list[str] = []
        for node in nodes:
            if node.type == "comment":
                lines.append(self._comment(node, top))
            else:
                lines.extend(ast.unparse(ast.fix_missing_locations(s)) for s in self._statement(node))
        return lines

    def _comment(self, node: Node, top: bool) -> str:
        text = _text(node)
        body = text[2:].strip()
        if not text.startswith("//") or not _COMMENT_TEXT.fullmatch(body):
            raise Untranslatable("a block comment")
        if body == "...":
            return "..."
        if not top:
            raise Untranslatable("a comment inside a block")
        return f"# {body}".rstrip()

    def _statement(self, node: Node) -> Iterator[ast.stmt]:
        if node.type == "lexical_declaration" or node.type == "variable_declaration":
            yield from self._declaration(node)
        elif node.type == "expression_statement":
            yield ast.Expr(self._top_expression(node.named_children[0]))
        elif node.type == "for_in_statement":
            yield self._for_of(node)
        elif node.type != "empty_statement":
            raise Untranslatable(f"a {node.type}")

    def _declaration(self, node: Node) -> Iterator[ast.stmt]:
        for declarator in (c for c in node.named_children if c.type == "variable_declarator"):
            name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier" or declarator.child_by_field_name("type"):
                raise Untranslatable("a declaration other than `const name = value`")
            expr = self._top_expression(value)
            yield ast.Assign([ast.Name(self._bind(_text(name)), ast.Store())], expr)

    def _bind(self, ts_name: str) -> str:
        py_name = names.identifier(names.snake(ts_name))
        if ts_name in self.variables or py_name in self.variables.values() or py_name in (CLIENT, "print"):
            raise Untranslatable(f"variable `{ts_name}` declared twice or taking a name the example uses")
        self.variables[ts_name] = py_name
        return py_name

    def _for_of(self, node: Node) -> ast.stmt:
        left, right, body = (node.child_by_field_name(f) for f in ("left", "right", "body"))
        operator = node.child_by_field_name("operator")
        if left is None or right is None or body is None or operator is None or _text(operator) != "of" or left.type != "identifier":
            raise Untranslatable("a `for` other than `for (const x of ...)`")
        awaited = any(c.type == "await" for c in node.children)
        iterable = self._call(right, "iterated" if awaited else "for") if right.type == "call_expression" else self._top_expression(right)
        target = ast.Name(self._bind(_text(left)), ast.Store())
        statements = body.named_children if body.type == "statement_block" else [body]
        lines = self.block(statements)
        parsed = [s for line in lines for s in ast.parse(line).body]
        loop = ast.AsyncFor if awaited and self.asynchronous else ast.For
        return loop(target, iterable, parsed or [ast.Expr(ast.Constant(...))], [])

    def _top_expression(self, node: Node) -> ast.expr:
        """An expression as a statement or a declaration's value: an awaited call may be one."""
        if node.type == "await_expression":
            call = self._call(node.named_children[0], "awaited")
            return ast.Await(call) if self.asynchronous else call
        return self._expression(node)

    def _expression(self, node: Node) -> ast.expr:
        kind = node.type
        if kind in ("string", "template_string"):
            return ast.Constant(string_value(node))
        if kind == "number":
            return ast.Constant(number_value(_text(node)))
        if kind in ("true", "false", "null"):
            return ast.Constant({"true": True, "false": False, "null": None}[kind])
        if kind == "unary_expression":
            return self._negative(node)
        if kind == "parenthesized_expression" and len(node.named_children) == 1:
            return self._expression(node.named_children[0])
        if kind == "array":
            return ast.List([self._expression(c) for c in self._elements(node)], ast.Load())
        if kind == "object":
            pairs = self._pairs(node)
            return ast.Dict([ast.Constant(k) for k, _ in pairs], [self._expression(v) for _, v in pairs])
        if kind in ("identifier", "member_expression", "subscript_expression"):
            return self._reference(node)
        if kind == "call_expression":
            return self._call(node)
        raise Untranslatable(f"a {kind}")

    def _negative(self, node: Node) -> ast.expr:
        operator, argument = node.child_by_field_name("operator"), node.child_by_field_name("argument")
        if operator is None or argument is None or _text(operator) not in "-+" or argument.type != "number":
            raise Untranslatable("a unary operator other than a number's sign")
        value = number_value(_text(argument))
        return ast.Constant(-value if _text(operator) == "-" else value)

    def _elements(self, node: Node) -> list[Node]:
        elements = [c for c in node.named_children if c.type != "comment"]
        if any(c.type == "spread_element" for c in elements):
            raise Untranslatable("a spread element")
        return elements

    def _pairs(self, node: Node) -> list[tuple[str, Node]]:
        pairs = []
        for child in self._elements(node):
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if child.type != "pair" or key is None or value is None:
                raise Untranslatable(f"a {child.type} in an object")
            if key.type == "property_identifier":
                pairs.append((_text(key), value))
            elif key.type == "string":
                pairs.append((string_value(key), value))
            elif key.type == "number":
                pairs.append((str(number_value(_text(key))), value))
            else:
                raise Untranslatable(f"a {key.type} key")
        if len({k for k, _ in pairs}) != len(pairs):
            raise Untranslatable("a key given twice")
        return pairs

    def _reference(self, node: Node) -> ast.expr:
        """The example's variables, their properties (`x.id`) and items (`x.data[0]`)."""
        if node.type == "identifier":
            if _text(node) not in self.variables:
                raise Untranslatable(f"`{_text(node)}`, which the example does not declare")
            return ast.Name(self.variables[_text(node)], ast.Load())
        if any(c.type == "optional_chain" for c in node.children):
            raise Untranslatable("optional chaining")
        target = node.child_by_field_name("object")
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if target is None or prop is None or prop.type != "property_identifier" or keyword.iskeyword(_text(prop)):
                raise Untranslatable("a property Python cannot name")
            return ast.Attribute(self._reference(target), _text(prop), ast.Load())
        index = node.child_by_field_name("index")
        if target is None or index is None or index.type not in ("number", "string"):
            raise Untranslatable("an index other than a literal")
        return ast.Subscript(self._reference(target), self._expression(index), ast.Load())

    def _call(self, node: Node, use: str = "called") -> ast.expr:
        """A call of the client's method or `console.log`; `use` is how its answer is taken:
        `awaited`, `iterated` by `for await`, looped over by `for`, or else `called`."""
        if node.type != "call_expression":
            raise Untranslatable(f"`await` of a {node.type}")
        function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if function is None or arguments is None or arguments.type != "arguments":
            raise Untranslatable("a call other than `f(...)`")
        chain = _chain(function)
        args = self._elements(arguments)
        if chain == ("console", "log") and "console" not in self.variables:
            return ast.Call(ast.Name("print", ast.Load()), [self._expression(a) for a in args], [])
        if not chain or chain[0] != CLIENT or CLIENT in self.variables:
            raise Untranslatable(f"a call of `{_text(function)}`, not of the client")
        callee = self.resolve(chain[1:])
        if callee is None:
            raise Untranslatable(f"`{'.'.join(chain)}` is not a generated method")
        self._check_use(callee, use, ".".join(chain))
        positional, keywords = self._arguments(callee, args)
        method: ast.expr = ast.Name(CLIENT, ast.Load())
        for attribute in callee.path:
            method = ast.Attribute(method, attribute, ast.Load())
        return ast.Call(method, positional, keywords)

    def _check_use(self, callee: Callee, use: str, written: str) -> None:
        """For the async client: a coroutine is awaited, a paginator awaited, iterated by
        `async for` or kept; neither is looped over by a plain `for`."""
        if not self.asynchronous:
            return
        if use == "for":
            raise Untranslatable(f"`for` (not `for await`) over `{written}`, awaitable in the async client")
        if callee.coroutine and use != "awaited":
            raise Untranslatable(f"`{written}` is a coroutine of the async client, not awaited")

    def _arguments(self, callee: Callee, args: list[Node]) -> tuple[list[ast.expr], list[ast.keyword]]:
        reasons = []
        for slots in callee.calls:
            try:
                return self._fit(slots, args)
            except Untranslatable as e:
                reasons.append(str(e))
        raise Untranslatable("; ".join(dict.fromkeys(reasons)) or "the method has no signature")

    def _fit(self, slots: tuple[ArgSlot, ...], args: list[Node]) -> tuple[list[ast.expr], list[ast.keyword]]:
        if len(args) > len(slots):
            raise Untranslatable(f"{len(args)} arguments to a signature of {len(slots)}")
        positional: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for slot, arg in zip(slots, args):
            if slot.kind == "positional" and not keywords:
                positional.append(self._expression(arg))
            elif slot.kind in ("positional", "keyword"):
                keywords.append(ast.keyword(slot.name, self._expression(arg)))
            elif slot.kind == "spread" and arg.type == "object":
                keywords.extend(self._spread(slot, arg))
            else:
                raise Untranslatable(f"an argument for the {slot.kind} parameter")
        return positional, keywords

    def _spread(self, slot: ArgSlot, arg: Node) -> Iterator[ast.keyword]:
        for key, value in self._pairs(arg):
            if key not in slot.keys:
                raise Untranslatable(f"`{key}` is not a parameter")
            if not key.isidentifier() or keyword.iskeyword(key) or not key.isascii():
                raise Untranslatable(f"`{key}` is not a Python keyword argument")
            yield ast.keyword(key, self._expression(value))


def _chain(node: Node) -> tuple[str, ...]:
    """`a.b.c` as ("a", "b", "c"); () for anything else."""
    if node.type == "identifier":
        return (_text(node),)
    target, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
    if node.type != "member_expression" or target is None or prop is None or prop.type != "property_identifier":
        return ()
    if any(c.type == "optional_chain" for c in node.children):
        return ()
    head = _chain(target)
    return head + (_text(prop),) if head else ()
