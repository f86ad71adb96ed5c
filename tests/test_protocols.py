"""Interfaces made of methods become `typing.Protocol` classes (tsgen.lower.protocols): every
method with its doc comment, overloads as `@overload`, a call signature as `__call__`, a
generic one with the variance its use has; an object with the methods is one (type checkers,
`isinstance`), and pydantic takes any object where one is a field's type."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from test_utility_types import _agrees_with_tsc, _convert
from checks import type_errors
from util import assert_mypy_strict, imported

API = """\
export interface Event { type: string }
/** Receives events. */
export interface EventListenerObject {
  /** Handles one event. */
  handleEvent(object: Event): void;
}
export interface Thenable<T> {
  /** Attaches callbacks. */
  then<R>(onfulfilled?: (value: T) => R, onrejected?: (reason: any) => R): Thenable<R>;
}
export interface Sink<T> { write(value: T): Promise<void>; close(): Promise<number>; }
export interface Store<T> { get(): T; put(value: T): void; }
export interface Wrapped<T> { unwrap(): Array<Thenable<T>>; }
export interface Later<T> { next(): Thenable<T>; feed(sink: Sink<T>): void; }
export interface Cached<T> { entries(): Map<string, T>; }
export interface Formatter {
  /** Formats a number. */
  (value: number, digits?: number): string;
}
export interface Lookup {
  get(key: string): string;
  get(key: number): number;
  get(key: string | number): string | number;
  get(key: 'a'): string;
  has?(key: string): boolean;
  sum(...values: number[]): number;
}
export interface NamedLookup extends Lookup { name(): string }
export interface Options { listener: EventListenerObject; format?: Formatter; sink?: Sink<string> }
export interface Mixed { size: number; clear(): void }
"""


def test_interfaces_of_methods_are_protocols(tmp_path: Path) -> None:
    out, warnings = _convert(tmp_path, {"api.d.ts": API})
    assert warnings == [
        "api.d.ts:15:41: warning: cannot find name `Map`; using Any",
        "api.d.ts:25:3: warning: optional method `has` of `Lookup` is not in its protocol (a protocol member cannot be optional)",
        "api.d.ts:25:3: warning: optional method `has` of `NamedLookup` is not in its protocol (a protocol member cannot be optional)",
        "api.d.ts:30:40: warning: method signature in `Mixed` is not converted (only data members of a non-resource type are)",
    ]
    text = (out / "pkg" / "api.py").read_text()
    assert 'class EventListenerObject(Protocol, metaclass=ProtocolMeta):\n    """Receives events."""\n\n    def handleEvent(self, object: "Event", /) -> None:\n        """Handles one event."""\n        ...\n' in text
    assert "class Thenable(Protocol[T_co], metaclass=ProtocolMeta):" in text  # T only in a callback's parameter: covariant
    assert "class Sink(Protocol[T_contra], metaclass=ProtocolMeta):" in text
    assert 'def write(self, value: "T_contra", /) -> Awaitable[None]:' in text  # a Promise is awaited
    assert "class Store(Protocol[T], metaclass=ProtocolMeta):" in text  # in and out: invariant
    assert "class Wrapped(Protocol[T], metaclass=ProtocolMeta):" in text  # in a list: invariant
    assert "class Later(Protocol[T_co], metaclass=ProtocolMeta):" in text  # out in Thenable, in in a Sink taken: covariant
    assert "class Cached(Protocol, metaclass=ProtocolMeta):" in text  # in a lib type of unknown variance: erased
    assert "def __call__(self, value: float, digits: float | None = ..., /) -> str:" in text
    assert text.count("    @overload\n    def get(") == 6  # 3 in Lookup and NamedLookup: `get('a')` is left out, `get(string)` takes every such call
    assert "def sum(self, *values: float) -> float:" in text
    assert "class NamedLookup(Protocol, metaclass=ProtocolMeta):" in text and "class Mixed:" in text
    with imported(out) as mod:
        assert str(typing.get_type_hints(mod.Thenable.then)["onfulfilled"]) == "collections.abc.Callable[[+T_co], typing.Any] | None"

        class Listener:
            def handleEvent(self, object: object) -> None:
                self.seen = object

        assert isinstance(Listener(), mod.EventListenerObject) and not isinstance(object(), mod.EventListenerObject)
        options = TypeAdapter(mod.Options).validate_python({"listener": Listener(), "format": lambda value, digits=None: str(value)})
        assert isinstance(options.listener, Listener) and options.format(1.5) == "1.5"
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties and report.properties >= 9
    assert_mypy_strict(out)


USE = """\
from collections.abc import Awaitable
from pkg.api import EventListenerObject, Event, Formatter, Sink, Lookup

class Listener:
    def handleEvent(self, event: Event) -> None: ...

class Text:
    async def write(self, value: object) -> None: ...
    async def close(self) -> float: return 0.0

def digits(value: float, digits: float | None = None) -> str: return ""

def use(listener: EventListenerObject, formatter: Formatter, sink: Sink[str]) -> None: ...

use(Listener(), digits, Text())  # a Sink[object] is a Sink[str]: contravariant
"""


@pytest.mark.parametrize(("extra", "error"), [
    ("", None),
    ("class Deaf:\n    def listen(self) -> None: ...\n\nuse(Deaf(), digits, Text())\n", 'Argument 1 to "use" has incompatible type "Deaf"'),
    ("def lookup(x: Lookup) -> None:\n    reveal_type(x.get('a'))\n    reveal_type(x.get(1))\n", 'note: Revealed type is "str"\nuse.py:18: note: Revealed type is "float"'),
])
def test_objects_with_the_methods_are_the_protocol_to_a_type_checker(tmp_path: Path, extra: str, error: str | None) -> None:
    out, _ = _convert(tmp_path, {"api.d.ts": API})
    (out / "use.py").write_text(USE + extra)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "use.py"], cwd=out, capture_output=True, text=True)
    if error is None:
        assert proc.returncode == 0, proc.stdout
    else:
        assert error in proc.stdout, proc.stdout


def test_overloads_a_call_could_match_with_unrelated_results_are_one_signature(tmp_path: Path) -> None:
    """TypeScript takes the first signature a call matches; type checkers reject two overloads
    a call could match with unrelated results: those become one signature taking every call."""
    out, warnings = _convert(tmp_path, {"api.d.ts": """\
export interface Convert {
  (value: string, radix?: number): number;
  (value: string | number, radix: number): string;
}
export interface Widen {
  (value: string): number;
  (value: string | number): string;
}
export interface Parse {
  (value: string): number;
  (value: boolean): string;
}
"""})
    assert warnings == []
    text = (out / "pkg" / "api.py").read_text()
    flat = " ".join(text.replace("(", "( ").replace(")", " )").split())
    assert "def __call__( self, value: str | float, radix: float | None = ..., / ) -> float | str:" in flat  # ("x", 1) is both's
    assert "def __call__(self, value: str | float, /) -> str | float: ..." in text  # Widen's second takes every call of its first
    assert text.count("@overload") == 4  # Widen's two and Parse's: a string and a boolean are told apart
    assert_mypy_strict(out)


def test_an_alias_that_is_any_in_python_is_judged_as_any(tmp_path: Path) -> None:
    """lodash's `List<T>` is `ArrayLike<T>`, a type of TypeScript's lib: Any in Python. Type checkers
    read a parameter of that alias as Any, which takes every call, so a later overload no call can
    reach is left out (pyright: "Overload 2 will never be used")."""
    out, _ = _convert(tmp_path, {"api.d.ts": """\
export type List<T> = ArrayLike<T>;
export interface FindFrom<T> {
  (collection: List<T> | null | undefined): T | undefined;
  (collection: object | null | undefined): object | undefined;
}
export interface Count {
  (items: List<string>, limit: number): number;
  (items: string, limit: number): string;
}
"""})
    text = (out / "pkg" / "api.py").read_text()
    assert text.count("def __call__(") == 2 and "@overload" not in text, text
    assert 'def __call__(self, collection: "List | None", /) -> Any: ...' in text
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "pkg")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out


MIXED = """\
/** An event. */
export interface Event {
  /** Its type. */
  readonly type: string;
  /** Whether it bubbles. */
  bubbles: boolean;
  detail?: number;
  /** Stops it. */
  preventDefault(): void;
  composedPath(): EventTarget[];
  str(): string;
}
export interface KeyEvent extends Event { key: string; repeat(): boolean }
export interface EventTarget {
  dispatchEvent(event: Event): boolean;
}
/** Receives events. */
export interface EventListenerObject {
  handleEvent(object: KeyEvent): void;
}
export interface Holder { event: Event; listener: EventListenerObject }
export interface Unused { size: number; clear(): void }
"""

IMPLEMENTS = """\
from pkg.api import EventListenerObject, EventTarget, KeyEventProtocol


class Key:
    def __init__(self) -> None:
        self.bubbles = True
        self.detail: float | None = None
        self.key = "a"

    @property
    def type(self) -> str:
        return "keydown"

    def preventDefault(self) -> None:
        pass

    def composedPath(self) -> list[EventTarget]:
        return []

    def str(self) -> str:
        return "k"

    def repeat(self) -> bool:
        return False


class Listener:
    def handleEvent(self, object: KeyEventProtocol, /) -> None:
        object.preventDefault()


def fire(listener: EventListenerObject) -> None:
    listener.handleEvent(Key())


fire(Listener())
"""


def test_an_interface_of_data_and_methods_a_protocol_uses_gets_a_protocol_form(tmp_path: Path) -> None:
    """`Event` stays a data class; where protocols take or return it (and inside the protocol forms
    themselves) it is `EventProtocol`: its properties attributes (a readonly one a read-only
    property), its methods (its bases' too), each with its doc; an object with them is one."""
    out, warnings = _convert(tmp_path, {"api.d.ts": MIXED})
    assert warnings == ["api.d.ts:22:41: warning: method signature in `Unused` is not converted (only data members of a non-resource type are)"]
    text = (out / "pkg" / "api.py").read_text()
    flat = " ".join(text.split())
    assert 'class EventProtocol(Protocol, metaclass=ProtocolMeta): """An event.""" @property def type(self) -> builtins.str: """Its type.""" ...' in flat
    assert 'bubbles: bool """Whether it bubbles.""" detail: float | None def preventDefault(self) -> None: """Stops it.""" ...' in flat
    assert 'def composedPath(self) -> "list[EventTarget]": ...' in flat and "def str(self) -> builtins.str: ..." in flat
    assert 'def dispatchEvent(self, event: "EventProtocol", /) -> bool: ...' in flat  # a protocol takes the protocol form
    assert 'def handleEvent(self, object: "KeyEventProtocol", /) -> None: ...' in flat
    assert "class KeyEventProtocol(Protocol, metaclass=ProtocolMeta):" in text and "def repeat(self) -> bool: ..." in text
    assert '@dataclass(kw_only=True) class Holder: event: "Event"' in flat  # data keeps the data form
    assert "UnusedProtocol" not in text  # no protocol uses it
    (out / "pkg" / "use.py").write_text(IMPLEMENTS)
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "pkg")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out
    with imported(out, "pkg.use") as use:
        api = sys.modules["pkg.api"]
        assert isinstance(use.Key(), api.KeyEventProtocol) and isinstance(use.Key(), api.EventProtocol)
        assert not isinstance(object(), api.EventProtocol)
        holder = TypeAdapter(api.Holder).validate_python({"event": {"type": "t", "bubbles": True}, "listener": use.Listener()})
        assert holder.event == api.Event(type="t", bubbles=True) and isinstance(holder.listener, use.Listener)
    report = _agrees_with_tsc(tmp_path, out)  # every member of the protocol forms too, with tsc's doc
    assert report.equal == report.properties == 26, report


def test_a_protocol_reads_a_generic_alias_through(tmp_path: Path) -> None:
    """vscode-jsonrpc's `RequestHandler<P, R, E>` returns `HandlerResult<R, E>`, an alias. Type
    checkers judge a protocol before the aliases written after it, so the protocol names the
    alias's value, and its parameters get the variance that value gives them (an empty data class,
    whose TypeScript base is a lib type, constrains nothing)."""
    out, _ = _convert(tmp_path, {"api.d.ts": """\
export interface Box<T> { value: T }
export interface Later<T> extends PromiseLike<T> {}
export type Result<R, E> = R | Box<E> | Later<R>;
export interface Handler<P, R, E> {
  (params: P): Result<R, E>;
}
"""})
    text = (out / "pkg" / "api.py").read_text()
    assert "class Handler(Protocol[P_contra, R_co, E], metaclass=ProtocolMeta):" in text, text
    assert 'def __call__(self, params: "P_contra", /) -> "R_co | Box[E] | Later[R_co]": ...' in text
    (out / "pkg" / "use.py").write_text(
        "from pkg.api import Box, Handler\n\n\n"
        "def answer(params: object, /) -> bool:\n    return True\n\n\n"
        "def failing(params: str, /) -> Box[str]:\n    return Box(value=params)\n\n\n"
        "handlers: list[Handler[str, int, str]] = [answer, failing]  # object for str, bool for int: the variance\n"
    )
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(out, "pkg")
    assert (mypy_errors, pyright_errors) == (0, 0), mypy_out + pyright_out


def test_a_signature_left_out_keeps_its_doc_comment(tmp_path: Path) -> None:
    """lodash declares `stubFalse(): false` twice, documented twice; tsc documents the method with
    both texts. The second signature takes no call the first does not, so it is left out, and its
    doc comment joins the first's."""
    out, _ = _convert(tmp_path, {"api.d.ts": """\
export interface Stubs {
  /** This method returns `false`. */
  stubFalse(): false;
  /**
   * This method returns false.
   * @returns Returns false.
   */
  stubFalse(): false;
}
"""})
    text = (out / "pkg" / "api.py").read_text()
    assert text.count("def stubFalse(") == 1 and "@overload" not in text
    assert '"""This method returns `false`.\n\n        This method returns false.\n\n        @returns Returns false.\n        """' in text, text
    report = _agrees_with_tsc(tmp_path, out)
    assert report.equal == report.properties == 1, report
