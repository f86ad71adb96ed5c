"""`api.md` beside the generated package: it lists every method the generated client has, with
the route the method sends; its links lead to the files that define what they name; its
Types blocks import; nothing from the input becomes markup (rendered with a CommonMark parser)."""

from __future__ import annotations

import ast
import functools
import html
import importlib
import inspect
import itertools
import json
import re
import typing
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from corpora import Trees
from oracle_client import root_clients
from tsgen.api.markdown import text
from util import generate, imported, write_tree

LINE = re.compile(r'^- <code title="(?P<title>[^"]*)">(?P<prefix>[^<]*)<a href="(?P<href>[^"]*)">(?P<name>[^<]*)</a>\((?P<params>.*)\) -> (?P<returns>.*)</code>$')
HREF = re.compile(r'<a href="([^"]*)">(.*?)</a>')
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
BASE = "http://api.test"


def _plain(escaped: str) -> str:
    """What an escaped piece of api.md reads as."""
    return html.unescape(re.sub(r"\\(.)", r"\1", escaped))


def methods(doc: str) -> dict[str, tuple[str, str]]:
    """`client.files.create` -> (its title, its link) for each method line."""
    found = {}
    for raw in doc.splitlines():
        if raw.startswith("- <code"):
            m = LINE.match(raw)
            assert m, raw
            found[_plain(m["prefix"]) + _plain(m["name"])] = (html.unescape(m["title"]), m["href"])
    return found


SDK_PACKAGES = {"openai-4.104.0": "oa4", "openai-7.59.0": "oa7"}


@pytest.fixture(scope="module", params=sorted(SDK_PACKAGES))
def sdk(request: pytest.FixtureRequest, trees: Trees) -> tuple[Path, str]:
    """A generated SDK and its package."""
    return trees.get(request.param).out, SDK_PACKAGES[request.param]


@pytest.fixture(scope="module")
def doc(sdk: tuple[Path, str]) -> str:
    return (sdk[0] / "api.md").read_text()


def _client_methods(obj: object, runtime: Any, prefix: str, seen: tuple[type, ...] = ()) -> Iterator[tuple[str, Any]]:
    """`client.files.create` and the bound method, for every resource the client's attributes reach."""
    cls = type(obj)
    for name, member in inspect.getmembers(cls):
        if isinstance(member, functools.cached_property):
            value = getattr(obj, name)
            if isinstance(value, runtime.SyncAPIResource) and type(value) not in seen:
                yield from _client_methods(value, runtime, f"{prefix}{name}.", seen + (cls,))
        elif inspect.isfunction(member) and not name.startswith("_") and isinstance(obj, runtime.SyncAPIResource) and not hasattr(runtime.SyncAPIResource, name):
            yield prefix + name, getattr(obj, name)


@pytest.fixture(scope="module")
def called(sdk: tuple[Path, str]) -> Iterator[tuple[dict[str, Any], list[httpx.Request], Any]]:
    """The generated client's methods (over a transport that records each request and answers `{}`)."""
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={})

    out, pkg = sdk
    with imported(out, pkg) as package, imported(out, f"{pkg}._runtime") as runtime:
        sync_client, _ = root_clients(package, runtime)
        assert sync_client is not None
        client = sync_client(api_key="k", base_url=BASE, max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        yield dict(_client_methods(client, runtime, "client.")), requests, runtime


def test_lists_every_method_the_client_has(doc: str, called: tuple[dict[str, Any], list[httpx.Request], Any], figures: list[str]) -> None:
    listed, reachable = set(methods(doc)), set(called[0])
    assert listed == reachable, (sorted(reachable - listed)[:20], sorted(listed - reachable)[:20])
    figures.append(f"api.md of {doc.splitlines()[0].removeprefix('# API of ')}: {len(listed)} methods of the client listed")


def _arguments(function: Any) -> tuple[list[str], dict[str, str]]:
    """A value for each parameter the method needs, and for each required key of its `**params`
    (path parameters among them): strings, which the runtime sends without checking them."""
    args, kwargs = [], {}
    for p in inspect.signature(function).parameters.values():
        if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD:
            args.append(f"p{len(args)}")
        elif p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = "k"
    return args, {**dict.fromkeys(_required_keys(function), "k"), **kwargs}


def _required_keys(function: Any) -> frozenset[str]:
    """The required keys of the TypedDict `**params` takes (an overloaded method's first signature's)."""
    for signature in [*typing.get_overloads(function.__func__), function.__func__]:
        param = inspect.signature(signature).parameters.get("params")
        annotation = param.annotation if param is not None else None
        if isinstance(annotation, str) and annotation.startswith("Unpack["):
            names = _Modules(signature.__globals__, signature.__module__.split(".")[0])
            annotation = eval(annotation, signature.__globals__, names)  # names of the module, or `_module.Name`
        typed_dict = typing.get_args(annotation)[0] if annotation is not None and typing.get_args(annotation) else None
        typed_dict = typing.get_origin(typed_dict) or typed_dict  # a generic one: its class
        if hasattr(typed_dict, "__required_keys__"):
            return frozenset(typed_dict.__required_keys__)
    return frozenset()


class _Modules(dict[str, Any]):
    """The names a method's module sees, and the package's modules by the alias it imports them
    under only for type checkers (`_lib_assistant_stream`: `lib.assistant_stream`)."""

    def __init__(self, names: dict[str, Any], package: str) -> None:
        super().__init__(names)
        self.package = package

    def __missing__(self, alias: str) -> Any:
        if not alias.startswith("_"):  # imported for type checkers only: where the manifest says it went
            return getattr(importlib.import_module(_symbols(self.package)[alias]), alias)
        parts = alias.removeprefix("_").split("_")
        for cuts in itertools.product(("_", "."), repeat=len(parts) - 1):
            dotted = parts[0] + "".join(cut + part for cut, part in zip(cuts, parts[1:]))
            try:
                return importlib.import_module(f"{self.package}.{dotted}")
            except ImportError:
                continue
        raise KeyError(alias)


@functools.cache
def _symbols(package: str) -> dict[str, str]:
    """Python name -> its module, from the manifest beside the package (the first of a name)."""
    manifest = Path(importlib.import_module(package).__file__ or "").parent.parent / "tsgen-manifest.json"
    symbols = json.loads(manifest.read_text())["symbols"]
    return {s["python_name"]: s["module"] for s in reversed(symbols)}


def _pattern(template: str) -> re.Pattern[str]:
    """`/files/{fileId}` as the paths the test's calls send (each parameter a value `_arguments` gave)."""
    return re.compile("".join("(?:p[0-9]+|k)" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]*\})", template)))


def test_routes_are_what_the_methods_send(doc: str, called: tuple[dict[str, Any], list[httpx.Request], Any], figures: list[str]) -> None:
    """Each method called through the client sends the verb and path its title says; a method
    whose title says `no route known` raises RouteNotConfiguredError and sends nothing."""
    functions, requests, runtime = called
    routed = unrouted = 0
    for path, (title, _) in sorted(methods(doc).items()):
        args, kwargs = _arguments(functions[path])
        before = len(requests)
        try:
            result = functions[path](*args, **kwargs)
            if isinstance(result, runtime.Stream):
                result.close()
        except runtime.RouteNotConfiguredError:
            assert title == "no route known", path
            assert len(requests) == before, path
            unrouted += 1
            continue
        except (runtime.APIResponseValidationError, runtime.SDKError, ValueError):
            pass  # the answer `{}` is not what the method returns: the request was sent
        assert title != "no route known", f"{path} sent {requests[before:]}"
        verb, _, template = title.partition(" ")
        sent = requests[before]
        assert sent.method == verb.upper(), (path, title, sent)
        route, _, query = template.partition("?")  # a query the SDK writes into its path (`?beta=true`)
        assert _pattern(route).fullmatch(sent.url.path), (path, title, sent.url)
        assert set(urllib.parse.parse_qsl(query)) <= set(sent.url.params.multi_items()), (path, title, sent.url)
        routed += 1
    figures.append(f"api.md of {doc.splitlines()[0].removeprefix('# API of ')}: {routed} routes sent as listed, {unrouted} methods without a route raise")
    assert routed >= 100 and unrouted > 0  # 112 and 22 in 4.104.0


class _Defined(ast.NodeVisitor):
    """Names a module defines: its classes, their functions, its assignments."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)
        self.names.update(n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.names.update(t.id for t in node.targets if isinstance(t, ast.Name))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.names.update([node.target.id] if isinstance(node.target, ast.Name) else [])


@functools.cache
def _defined(file: Path) -> set[str]:
    visitor = _Defined()
    visitor.visit(ast.parse(file.read_text()))
    return visitor.names


def test_links_lead_to_the_file_that_defines_the_name(sdk: tuple[Path, str], doc: str) -> None:
    links = HREF.findall(doc)
    assert len(links) > len(methods(doc))  # each method's name, and more
    for target, label in links:
        file = sdk[0] / urllib.parse.unquote(html.unescape(target))
        assert file.is_file(), target
        name = _plain(label).removeprefix("**")
        if name != "params":
            assert name in _defined(file), (target, name)


def test_types_blocks_import_every_type(sdk: tuple[Path, str], doc: str) -> None:
    """Every Types block imports (each name from the module it is listed under), and together
    they hold every type the package's modules define."""
    blocks = CODE_BLOCK.findall(doc)
    listed: set[tuple[str, str]] = set()
    out, pkg = sdk
    with imported(out, pkg):
        for block in blocks:
            (statement,) = ast.parse(block).body
            assert isinstance(statement, ast.ImportFrom) and statement.module
            module = importlib.import_module(statement.module)
            for alias in statement.names:
                assert hasattr(module, alias.name), (statement.module, alias.name)
                listed.add((statement.module, alias.name))
        runtime = importlib.import_module(f"{pkg}._runtime")
        defined = set()
        for py in (out / pkg).rglob("*.py"):
            dotted = ".".join(py.relative_to(out).with_suffix("").parts).removesuffix(".__init__")
            if py.name in ("_runtime.py", "_client.py", "__init__.py"):
                continue
            module = importlib.import_module(dotted)
            for name, value in vars(module).items():
                if isinstance(value, type) and value.__module__ == dotted and not issubclass(value, (runtime.SyncAPIResource, runtime.AsyncAPIResource)):
                    defined.add((dotted, name))
    assert defined - listed == set()


# ---- nothing from the input is markup ----


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.data = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.data += data


def _rendered(markdown: str) -> _Tags:
    parser = _Tags()
    parser.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown))
    return parser


@settings(max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"), min_size=1))
def test_text_reads_as_itself(value: str) -> None:
    """Escaped text in a method line renders as exactly that text, and as no element."""
    page = _rendered(f"- <code>{text(value)}</code>\n")
    assert [t for t, _ in page.tags] == ["ul", "li", "code"], page.tags
    assert page.data.strip("\n") == value


@pytest.mark.parametrize(
    "value",
    ["*em* _em_ __b__ `c` ~~s~~ $x$", "[l](http://evil.test) ![i](x.png) <http://evil.test>", '"><script>alert(1)</script>', "a\nb\r\n# h", "&amp; &#64; \\* \\"],
)
def test_hostile_text_is_inert(value: str) -> None:
    page = _rendered(f"- <code>{text(value)}</code>\n")
    assert [t for t, _ in page.tags] == ["ul", "li", "code"], page.tags
    assert page.data.strip("\n") == value.replace("\r", "\\x0d").replace("\n", "\\x0a")
    assert "://" not in text(value) and "@" not in text(value)  # nor GitHub's autolinks


DTS = """\
import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    run(thingID: string, options?: RequestOptions): APIPromise<"*b*</code><script>x</script>" | Thing>;
}
export interface Thing {
    id: string;
}
"""

JS = """\
"use strict";
const resource_1 = require("../core/resource.js");
const path_1 = require("../internal/utils/path.js");
class Things extends resource_1.APIResource {
    run(thingID, options) {
        return this._client.post((0, path_1.path) `/x"><img src=y onerror=alert(1)>*b*[l](http://e.test)/${thingID}`, options);
    }
}
exports.Things = Things;
"""


def test_hostile_route_and_literal_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "things.d.ts").write_text(DTS)
    (tmp_path / "resources" / "things.js").write_text(JS)
    out = write_tree(tmp_path / "out", generate(tmp_path, ("resources/things.d.ts",), package="pkg").files)
    doc = (out / "api.md").read_text()
    (line,) = [raw for raw in doc.splitlines() if raw.startswith("- <code")]
    page = _rendered(line + "\n")
    assert [t for t, _ in page.tags] == ["ul", "li", "code", "a", "a"], page.tags  # the method's link, Thing's
    code_attrs = dict(page.tags[2][1])
    assert code_attrs["title"] == 'post /x"><img src=y onerror=alert(1)>*b*[l](http://e.test)/{thingID}'
    assert "'*b*</code><script>x</script>'" in page.data
    assert "Things.run(thing_id) -> " in page.data
