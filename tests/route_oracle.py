"""The route oracle, Python side: every method the SDK's own JavaScript routes (recorded by
tests/tsc/record_routes.js) is called through the generated resource classes against a loopback
HTTP server, with the same arguments, and its request compared: verb and path (path holes
filled), then query keys, body keys (JSON or multipart field names) and per-method headers.

    python tests/route_oracle.py OUT PACKAGE ORACLE.json   # prints the JSON report (run in a fresh process)
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from oracle_client import answer_bytes, call_async, client_options, drained, resource_of, root_clients, typed_problem

TSC = Path(__file__).resolve().parent / "tsc"
ROOT = TSC.parent.parent
ANSWER = b'{"data": [], "has_more": false}'
_CALL = re.compile(r"^/c(\d+)/base")
_PART = re.compile(rb'content-disposition:\s*form-data;\s*name="([^"]*)"', re.IGNORECASE)


def record(types_root: Path, js_root: Path, client_options: Mapping[str, str], node_path: tuple[Path, ...] = (), timeout: float = 900) -> dict[str, Any]:
    """Run the SDK's own JavaScript (tests/tsc/record_routes.js): what each method sends."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL", "_TOKEN"))}
    env["NODE_PATH"] = ":".join(str(p) for p in [*node_path, TSC / "node_modules"])
    proc = subprocess.run(
        ["node", str(TSC / "record_routes.js"), str(types_root), str(js_root), json.dumps(dict(client_options))],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=TSC,
    )
    assert proc.returncode == 0, f"record_routes.js failed:\n{proc.stderr[-3000:]}"
    data: dict[str, Any] = json.loads(proc.stdout)
    data["client_options"] = dict(client_options)
    return data


# ---- the loopback server ----

def _top(name: str) -> str:
    return name.split("[")[0]


def _body(headers: Mapping[str, str], raw: bytes) -> dict[str, Any]:
    if not raw:
        return {"kind": "none", "keys": []}
    if "multipart/form-data" in headers.get("content-type", ""):
        return {"kind": "multipart", "keys": sorted({_top(m.decode(errors="replace")) for m in _PART.findall(raw)})}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"kind": "raw", "keys": []}
    if isinstance(value, dict):
        return {"kind": "json", "keys": sorted(value)}
    return {"kind": "json-array" if isinstance(value, list) else "json-scalar", "keys": []}


class _Server:
    """Records every request under the call number its path starts with (/c<n>/base/...), and
    answers the call's sample answer (else an empty list page)."""

    def __init__(self, answers: dict[int, tuple[bytes, str]] | None = None) -> None:
        self.requests: dict[int, list[dict[str, Any]]] = {}
        self.answers = answers or {}
        lock = threading.Lock()
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                path = unquote(parts.path)
                match = _CALL.match(path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                entry = {
                    "verb": self.command,
                    "path": path[match.end():] if match else path,
                    "query": sorted({_top(k) for k, _ in parse_qsl(parts.query, keep_blank_values=True)}),
                    "body": _body(headers, raw),
                    "headers": headers,
                }
                number = int(match.group(1)) if match else -1
                with lock:
                    state.requests.setdefault(number, []).append(entry)
                answer, kind = state.answers.get(number, (ANSWER, "application/json"))
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- calling the generated methods ----

def _materialize(value: Any) -> Any:
    if isinstance(value, list):
        return [_materialize(v) for v in value]
    if isinstance(value, dict):
        if isinstance(value.get("$file"), str):
            return f"contents of {value['$file']}".encode()
        return {k: _materialize(v) for k, v in value.items()}
    return value


def _names(name: str) -> list[str]:
    from tsgen.names import identifier, snake

    return list(dict.fromkeys([name, identifier(name), snake(name)]))


def arguments(function: Any, js_args: list[dict[str, Any]]) -> tuple[list[Any], dict[str, Any], list[str]]:
    """The Python call for the JavaScript arguments, from the generated signature: scalar arguments
    positionally in order, a params object passed whole to a parameter of its name (positional or
    keyword), else spread into keyword arguments. Returns args, kwargs and the keys the signature
    has no place for."""
    params = list(inspect.signature(function).parameters.values())[1:]  # without self
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    by_name = {p.name: p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    var_keyword = any(p.kind is p.VAR_KEYWORD for p in params)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    dropped: list[str] = []

    def keyword(name: str, value: Any) -> None:
        filled = {p.name for p in positional[: len(args)]}
        target = next((n for n in _names(name) if n in by_name and n not in kwargs and n not in filled), None)
        if target is not None:
            kwargs[target] = value
        elif var_keyword:
            kwargs[name] = value
        else:
            dropped.append(name)

    for arg in js_args:
        if arg["kind"] == "options":
            continue
        value = _materialize(arg.get("value"))
        nxt = positional[len(args)] if len(args) < len(positional) else None
        if arg["kind"] == "value":
            if nxt is not None:
                args.append(value)
            else:
                keyword(arg["name"], value)
        elif nxt is not None and nxt.name in _names(arg["name"]):
            args.append(value)  # the params object as one argument
        elif any(n in by_name and n not in kwargs for n in _names(arg["name"])):
            keyword(arg["name"], value)  # the params object as one keyword argument
        else:
            for key, item in value.items():
                keyword(key, item)
    for name in [n for n in kwargs if n in {p.name for p in positional[: len(args)]}]:
        dropped.append(name)  # a later positional argument took its place
        del kwargs[name]
    return args, kwargs, dropped


def _resource_classes(manifest: dict[str, Any]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(source file, TypeScript class name) -> [(module, Python class name)] from tsgen-manifest.json."""
    classes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sym in manifest["symbols"]:
        if sym["kind"] == "class":
            classes.setdefault((sym["source"], sym["ts_name"]), []).append((sym["module"], sym["python_name"]))
    return classes


def _sync_class(candidates: list[tuple[str, str]], method: str) -> Any:
    """The synchronous one of a resource's generated classes (whose methods are not coroutines)."""
    found = None
    for module, name in candidates:
        cls = getattr(importlib.import_module(module), name)
        methods = [v for k, v in vars(cls).items() if not k.startswith("_") and callable(v)]
        if not any(inspect.iscoroutinefunction(m) for m in methods):
            found = found or cls
            if hasattr(cls, method):
                return cls
    return found


@dataclass
class Outcome:
    where: str
    expected: str
    verb_path: bool = False
    placement: bool = False
    typed: bool = False  # the answer came back converted (sync and async)
    async_placement: bool = False  # the async client sent the same
    problems: list[str] = field(default_factory=list)


def _call(number: int, server: _Server, runtime: Any, cls: Any, method: str, js_args: list[dict[str, Any]]) -> tuple[list[str], Exception | None]:
    """Make the call; returns the keys the signature could not take and the exception raised."""
    function = getattr(cls, method)
    args, kwargs, dropped = arguments(function, js_args)
    client = runtime.Client(base_url=f"{server.url}/c{number}/base")
    try:
        result = getattr(cls(client), method)(*args, **kwargs)
        if number not in server.requests and isinstance(result, Iterator):
            next(result, None)  # a lazy page iterator asks when iterated
    except Exception as exc:  # noqa: BLE001 - the request is what is compared; errors after it are fine
        return dropped, exc
    finally:
        if hasattr(client, "close"):
            client.close()
    return dropped, None


def _compare(expected: dict[str, Any], got: list[dict[str, Any]], outcome: Outcome) -> None:
    if not got:
        return
    first = got[0]
    outcome.verb_path = (first["verb"], first["path"]) == (expected["verb"], expected["path"])
    if not outcome.verb_path:
        outcome.problems.append(f"sent {first['verb']} {first['path']}")
        return
    if len(got) > 1:
        outcome.problems.append(f"{len(got)} requests")
    if first["query"] != expected["query"]:
        outcome.problems.append(f"query {first['query']} != {expected['query']}")
    empty = {"none", "json"}
    kinds = {first["body"]["kind"], expected["body"]["kind"]}
    same_kind = len(kinds) == 1 or (kinds <= empty and not first["body"]["keys"] and not expected["body"]["keys"])
    if not same_kind:
        outcome.problems.append(f"body {first['body']['kind']} != {expected['body']['kind']}")
    elif first["body"]["keys"] != expected["body"]["keys"]:
        missing = sorted(set(expected["body"]["keys"]) - set(first["body"]["keys"]))
        extra = sorted(set(first["body"]["keys"]) - set(expected["body"]["keys"]))
        outcome.problems.append(f"body keys missing {missing} extra {extra}")
    for name, value in sorted(expected["headers"].items()):
        if first["headers"].get(name) != value:
            outcome.problems.append(f"header {name}: {first['headers'].get(name)!r} != {value!r}")
    outcome.placement = not outcome.problems


ASYNC = 1_000_000  # async calls are numbered apart


def _method_name(js_name: str) -> str:
    from tsgen.names import snake

    name = snake(js_name)
    return "delete" if name == "del_" else name


def _through_root(number: int, call: dict[str, Any], outcome: Outcome, server: _Server, runtime: Any, roots: tuple[Any, Any], options: dict[str, str]) -> None:
    """The call through the generated root clients, sync then async: what each sends, and
    whether the answer comes back converted."""
    sync_root, async_root = roots
    method = _method_name(call["method"])
    client = sync_root(base_url=f"{server.url}/c{number}/base", max_retries=0, **client_options(sync_root, options))
    try:
        resource = resource_of(client, call["resource"])
        function = getattr(type(resource), method, None)
        if function is None:
            outcome.problems.append(f"no method {method} on client.{call['resource']}")
            return
        args, kwargs, dropped = arguments(function, call["args"])
        if dropped:
            outcome.problems.append(f"the signature takes no {dropped}")
        result, error = _invoke(getattr(resource, method), args, kwargs)
    except Exception as exc:  # noqa: BLE001 - an unreachable resource is a wrong route
        outcome.problems.append(f"client.{call['resource']}: {type(exc).__name__}: {exc}")
        return
    finally:
        client.close()
    expected = call["requests"][0]
    _sent(expected, server.requests.get(number, []), error, outcome)
    problems = [typed_problem(result, call.get("answer"), runtime) if error is None else f"raised {type(error).__name__}: {str(error)[:200]}"]
    if async_root is not None:
        make = lambda: async_root(base_url=f"{server.url}/c{number + ASYNC}/base", max_retries=0, **client_options(async_root, options))  # noqa: E731
        result, error = call_async(make, call["resource"], method, args, kwargs)
        twin = Outcome(outcome.where, outcome.expected)
        _sent(expected, server.requests.get(number + ASYNC, []), error, twin)
        outcome.async_placement = twin.placement
        outcome.problems += [f"async: {p}" for p in twin.problems]
        problems.append(typed_problem(result, call.get("answer"), runtime) if error is None else f"async raised {type(error).__name__}: {str(error)[:200]}")
    outcome.typed = not any(problems)
    outcome.problems += [f"answer: {p}" for p in problems if p]


def _invoke(function: Any, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Exception | None]:
    try:
        return drained(function(*args, **kwargs)), None
    except Exception as exc:  # noqa: BLE001 - the request is what is compared first
        return None, exc


def _sent(expected: dict[str, Any], got: list[dict[str, Any]], error: Exception | None, outcome: Outcome) -> None:
    if not got:
        message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}" if error else "no request"
        outcome.problems.append(f"sent nothing ({message[:120]})")
    _compare(expected, got, outcome)


def check(out: Path, package: str, oracle: dict[str, Any], workers: int = 4) -> dict[str, Any]:
    """Call every routed method of the oracle through the generated package; the report as JSON data."""
    sys.path.insert(0, str(out))
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    runtime = importlib.import_module(f"{package}._runtime")
    roots = root_clients(importlib.import_module(package), runtime)
    from tsgen.names import snake

    classes = _resource_classes(manifest)
    routed = [c for c in oracle["calls"] if c["outcome"] == "routed"]
    answers: dict[int, tuple[bytes, str]] = {}
    for number, call in enumerate(routed):
        answer = answer_bytes(call.get("answer"))
        if answer is not None:
            answers[number] = answers[number + ASYNC] = answer
    outcomes: list[Outcome] = []
    with _Server(answers) as server:

        def run(item: tuple[int, dict[str, Any]]) -> Outcome:
            number, call = item
            request = call["requests"][0]
            outcome = Outcome(f"{call['source']} {call['class']}.{call['method']}", f"{request['verb']} {request['path']}")
            if roots[0] is not None:
                _through_root(number, call, outcome, server, runtime, roots, oracle.get("client_options", {}))
                return outcome
            method = snake(call["method"])
            try:
                cls = _sync_class(classes.get((call["source"], call["class"]), []), method)
            except Exception as exc:  # noqa: BLE001 - a module that does not import is a wrong route
                outcome.problems.append(f"import: {type(exc).__name__}: {exc}")
                return outcome
            if cls is None or not hasattr(cls, method):
                inherited = call.get("declared_in") not in (None, call["class"])
                why = f" (it is declared on {call['declared_in']}, which {call['class']} extends)" if inherited else ""
                outcome.problems.append(f"no generated method {method}{why}" if cls is not None else "no generated class")
                return outcome
            dropped, error = _call(number, server, runtime, cls, method, call["args"])
            if dropped:
                outcome.problems.append(f"the signature takes no {dropped}")
            got = server.requests.get(number, [])
            if not got:
                message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}" if error else "no request"
                outcome.problems.append(f"sent nothing ({message[:120]})")
            _compare(request, got, outcome)
            return outcome

        modules = sorted({m for c in routed for m, _ in classes.get((c["source"], c["class"]), [])})
        for module in modules:  # imported up front (one thread), so the calls do not race on imports
            try:
                importlib.import_module(module)
            except Exception:  # noqa: BLE001 - reported per method
                pass
        with ThreadPoolExecutor(workers) as pool:
            outcomes = list(pool.map(run, enumerate(routed)))
    helpers = [c for c in oracle["calls"] if c["outcome"] != "routed"]
    nested, unreachable = _sub_resources(runtime, classes, oracle.get("resources", []))
    return {
        "routed": len(routed),
        "root_client": roots[0].__name__ if roots[0] is not None else None,
        "verb_path": sum(o.verb_path for o in outcomes),
        "placement": sum(o.placement for o in outcomes),
        "typed": sum(o.typed for o in outcomes),
        "async_placement": sum(o.async_placement for o in outcomes),
        "wrong": [asdict(o) for o in outcomes if not o.placement],
        "untyped": [asdict(o) for o in outcomes if o.placement and not o.typed] if roots[0] is not None else [],
        "not_routed": {kind: sum(1 for c in helpers if c["outcome"] == kind) for kind in ("delegates", "several", "none")},
        "sub_resources": nested,
        "unreachable": unreachable,
    }


def _sub_resources(runtime: Any, classes: dict[tuple[str, str], list[tuple[str, str]]], resources: list[dict[str, str]]) -> tuple[int, list[str]]:
    """Each nested resource (`beta.threads`) as its parent's attribute (`Beta(client).threads`), an
    instance of its own generated class: how many there are, and those that are not."""
    from tsgen.names import snake

    by_path = {r["path"]: r for r in resources}
    client = runtime.Client(base_url="http://127.0.0.1:9")
    nested, unreachable = 0, []
    for path, res in sorted(by_path.items()):
        parent_path, _, attribute = path.rpartition(".")
        if parent_path not in by_path:
            continue
        nested += 1
        parent = by_path[parent_path]
        try:
            parent_cls = _sync_class(classes.get((parent["source"], parent["class"]), []), snake(attribute))
            child_cls = _sync_class(classes.get((res["source"], res["class"]), []), "")
            child = getattr(parent_cls(client), snake(attribute), None) if parent_cls else None
        except Exception as exc:  # noqa: BLE001 - an import error makes it unreachable
            child, child_cls = exc, None
        if child_cls is None or not isinstance(child, child_cls):
            unreachable.append(f"{parent['class']}.{snake(attribute)} ({path}): {type(child).__name__}")
    return nested, unreachable


def check_in_subprocess(out: Path, package: str, oracle_file: Path, timeout: float = 1800) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__)), str(out), package, str(oracle_file)],
        capture_output=True, text=True, timeout=timeout, cwd=out,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def figures(name: str, report: dict[str, Any], limit: int = 40) -> list[str]:
    routed = report["routed"] or 1
    nr = report["not_routed"]
    lines = [
        f"{name}: routes: {report['routed']} routed methods; right verb+path {report['verb_path']}/{report['routed']}"
        f" ({100 * report['verb_path'] / routed:.1f}%); right verb+path and body/query/header placement"
        f" {report['placement']}/{report['routed']} ({100 * report['placement'] / routed:.1f}%);"
        f" not routed in the .js: {nr['delegates']} delegating helpers, {nr['several']} with several requests, {nr['none']} with none",
    ]
    if report.get("root_client"):
        lines.append(
            f"{name}: through {report['root_client']}(...) and its async twin: answers converted (sync and async)"
            f" {report['typed']}/{report['routed']}; async client sends the same {report['async_placement']}/{report['routed']}"
        )
    nested = report.get("sub_resources", 0)
    lines.append(f"{name}: sub-resources reachable from their parent class: {nested - len(report.get('unreachable', []))}/{nested}")
    lines.extend(f"  UNREACHABLE {u}" for u in report.get("unreachable", [])[:limit])
    for wrong in report["wrong"][:limit]:
        lines.append(f"  WRONG {wrong['where']}: expected {wrong['expected']}: {'; '.join(wrong['problems'])}"[:400])
    for untyped in report.get("untyped", [])[:limit]:
        lines.append(f"  ANSWER {untyped['where']}: {'; '.join(untyped['problems'])}"[:400])
    return lines


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # deprecated methods are called too
    out_dir, package_name, oracle_path = sys.argv[1:]
    sys.path.insert(0, str(ROOT))  # tsgen's own names (snake_case of the JavaScript method name)
    print(json.dumps(check(Path(out_dir), package_name, json.loads(Path(oracle_path).read_text()))))
