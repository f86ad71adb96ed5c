"""The request options of an HTTP call, read from their abstract value: which values end up
as body, query and headers, the method override, multipart, binary answers, streaming."""

from __future__ import annotations

from dataclasses import dataclass, field

from tsgen.js.values import Arr, Call, Cond, Field, Fn, Lit, Obj, Param, Tmpl, Value, is_empty

_HEADER_BUILDERS = frozenset({"buildHeaders"})
_STRINGIFY = frozenset({"toString", "String"})


@dataclass
class Options:
    body: Value | None = None
    query: Value | None = None
    headers: list[tuple[str, Value]] = field(default_factory=list)
    method: str | None = None
    path: Value | None = None  # `request({ method, path })`
    multipart: bool = False
    multipart_when_files: bool = False  # `maybeMultipartFormRequestOptions`: only with files in the body
    binary_response: bool = False
    stream: Value | None = None  # whether the answer streams: `body.stream ?? false`, `true`


def read_options(value: Value, opts: Options) -> Options:
    """Fold an options value into `opts` (later members win, like a spread)."""
    if isinstance(value, Fn):
        return read_options(value.result, opts)
    if isinstance(value, Cond):
        read_options(value.then, opts)
        return read_options(value.other, opts)
    if isinstance(value, Call):
        opts.multipart |= "multipart" in value.name.lower()
        opts.multipart_when_files |= value.name.lower().startswith("maybemultipart")
        for arg in (value.receiver, *value.args):
            if arg is not None:
                read_options(arg, opts)
        return opts
    if isinstance(value, Obj):
        for key, member in value.members:
            if key is None:
                read_options(member, opts)  # `...options`: the caller's options; `...local`: its members
            else:
                _member(key, member, opts)
    return opts


def _uploads(value: Value, opts: Options) -> Value:
    """`toFile(x, ...)` in a body is the file x, sent as multipart/form-data."""
    if isinstance(value, Call) and value.name == "toFile" and value.args:
        opts.multipart = True
        return value.args[0]
    if isinstance(value, Obj):
        return Obj(tuple((k, _uploads(v, opts)) for k, v in value.members))
    return value


def _member(key: str, value: Value, opts: Options) -> None:
    if key == "body":
        opts.body = _uploads(value, opts)
    elif key == "query":
        opts.query = value
    elif key == "headers":
        opts.headers.extend(headers_of(value))
    elif key == "method" and isinstance(value, Lit) and isinstance(value.value, str):
        opts.method = value.value.lower()
    elif key == "path":
        opts.path = value
    elif key == "stream":
        opts.stream = None if is_empty(value) else value
    elif key == "__binaryResponse":
        opts.binary_response = not is_empty(value)


def headers_of(value: Value) -> list[tuple[str, Value]]:
    """Header name and value pairs, through `buildHeaders([...])`, spreads and
    `...(x != null ? { 'h': x } : undefined)`; the caller's headers (`options?.headers`) left out."""
    if isinstance(value, Call) and value.name in _HEADER_BUILDERS:
        return [pair for arg in value.args for pair in headers_of(arg)]
    if isinstance(value, Arr):
        return [pair for _, item in value.items for pair in headers_of(item)]
    if isinstance(value, Cond):
        return headers_of(value.then) + headers_of(value.other)
    if not isinstance(value, Obj):
        return []
    pairs: list[tuple[str, Value]] = []
    for key, member in value.members:
        if key is None:
            pairs.extend(headers_of(member))
        elif key != "[computed]":
            pairs.append((key, header_value(member)))
    return pairs


def header_value(value: Value) -> Value:
    """`x?.toString()` and `String(x)` are x: the runtime writes lists joined by ','."""
    if isinstance(value, Call) and value.name in _STRINGIFY:
        inner = value.receiver if value.receiver is not None else (value.args[0] if value.args else None)
        return header_value(inner) if inner is not None else value
    return value


def sendable(value: Value) -> bool:
    """Whether a body/query/header value can be rebuilt in Python."""
    if isinstance(value, (Param, Field, Lit)):
        return True
    if isinstance(value, Obj):
        return all(k != "[computed]" and sendable(v) for k, v in value.members)
    if isinstance(value, Arr):
        return all(sendable(v) for _, v in value.items)
    if isinstance(value, Cond):
        return all(sendable(v) for v in (value.test, value.then, value.other))
    if isinstance(value, Tmpl):
        return all(isinstance(p, str) or sendable(p) for p in value.parts)
    if isinstance(value, Call) and value.name in _STRINGIFY:
        return sendable(header_value(value))
    return False
