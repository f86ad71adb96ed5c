"""`@example` blocks in Python (tsgen.examples, tsgen.lower.doc_examples): the translation of the
TypeScript subset for the sync client and for the async one (`await`, `async for`), what is kept
as TypeScript and why, hostile strings that stay inside the docstring, the async class's
docstrings showing the async translation; and over the openai packages, the translated examples
of both clients compiled and type-checked against the generated clients (mypy --strict, pyright
strict)."""

from __future__ import annotations

import ast
import collections
import dataclasses
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corpora import Trees
from util import generate
from tsgen.examples import Callee, Untranslatable, translate
from tsgen.lower.doc_examples import example_docs
from tsgen.pymodel import ArgSlot, Doc
from tsgen.render import docstring

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ArgSlot("options")
# Python names that a re-derivation from the TypeScript would not give: the translation must take them from the model
METHODS = {
    ("beta", "assistants", "create"): Callee(("beta", "assistants", "create"), ((ArgSlot("spread", "params", frozenset({"model", "metadata", "tools", "a-b", "from"})), OPTIONS),)),
    ("beta", "assistants", "del"): Callee(("beta", "assistants", "delete"), ((ArgSlot("positional", "assistant_id"), OPTIONS),)),
    ("fineTuning", "jobs", "listEvents"): Callee(("fine_tuning", "jobs", "list_events"), (
        (ArgSlot("positional", "job_id"), ArgSlot("spread", "params", frozenset({"limit"})), OPTIONS),
        (ArgSlot("positional", "job_id"), OPTIONS),
    ), coroutine=False),  # a list method: its async form returns a paginator
    ("files", "content"): Callee(("files", "content"), ((ArgSlot("positional", "file_id"), ArgSlot("keyword", "query"), OPTIONS),)),
}  # fmt: skip


def resolve(chain: tuple[str, ...]) -> Callee | None:
    return METHODS.get(chain)


def test_a_call_with_an_object_becomes_keyword_arguments() -> None:
    code = "const assistant = await client.beta.assistants.create({\n  model: 'gpt-4o',\n  metadata: { foo: 'bar' },\n  tools: [{ type: 'code_interpreter' }, 1, -2.5, true, null],\n});"
    assert translate(code, resolve) == textwrap.dedent("""\
        assistant = client.beta.assistants.create(
            model="gpt-4o",
            metadata={"foo": "bar"},
            tools=[{"type": "code_interpreter"}, 1, -2.5, True, None],
        )""")


def test_names_come_from_the_model_and_path_parameters_are_positional() -> None:
    assert translate("await client.beta.assistants.del('asst_1');", resolve) == 'client.beta.assistants.delete("asst_1")'
    assert translate("const x = await client.files.content('f', { a: 1 });", resolve) == 'x = client.files.content("f", query={"a": 1})'


def test_for_await_over_a_page_with_its_comments() -> None:
    code = "// Automatically fetches more pages as needed.\nfor await (const fineTuningJobEvent of client.fineTuning.jobs.listEvents(\n  'ft-A',\n)) {\n  // ...\n}"
    assert translate(code, resolve) == textwrap.dedent("""\
        # Automatically fetches more pages as needed.
        for fine_tuning_job_event in client.fine_tuning.jobs.list_events("ft-A"):
            ...""")


def test_console_log_and_the_results_properties() -> None:
    code = "const a = await client.beta.assistants.create({ model: 'm' });\nconsole.log(a.id, a.tools[0], 'done');"
    assert translate(code, resolve) == 'a = client.beta.assistants.create(model="m")\nprint(a.id, a.tools[0], "done")'


def test_a_signature_that_fits_is_chosen() -> None:
    two = "for await (const e of client.fineTuning.jobs.listEvents('j', { limit: 2 })) {\n}"
    assert translate(two, resolve) == 'for e in client.fine_tuning.jobs.list_events("j", limit=2):\n    ...'


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("const x = await client.beta.assistants.create({ foo: 1 });", "`foo` is not a parameter"),
        ("await client.beta.assistants.create({ from: 'x' });", "`from` is not a Python keyword argument"),
        ("await client.beta.assistants.create({ 'a-b': 'x' });", "`a-b` is not a Python keyword argument"),
        ("await client.beta.assistants.nope();", "`client.beta.assistants.nope` is not a generated method"),
        ("const f = await client.files.content('f', {}, { timeout: 1 });", "an argument for the options parameter"),
        ("await client.beta.assistants.del('a', 'b', 'c');", "3 arguments to a signature of 2"),
        ("await client.beta.assistants.create({ model: fs.createReadStream('a.mp3') });", "a call of `fs.createReadStream`, not of the client"),
        ("const r = await client.beta.assistants.del('a');\nconst b = await r.blob();", "a call of `r.blob`, not of the client"),
        ("await client.beta.assistants.create({ model: m });", "`m`, which the example does not declare"),
        ("await client.beta.assistants.create({ ...base });", "a spread element"),
        ("await client.beta.assistants.create({ model: `a${b}` });", "a template_substitution in a string"),
        ("await client.beta.assistants.create({ model: 10n });", "number 10n"),
        ("const a = await client.beta.assistants.del('a');\nconsole.log(a?.id);", "optional chaining"),
        ("/* note */\nawait client.beta.assistants.del('a');", "a block comment"),
        ("for await (const e of client.fineTuning.jobs.listEvents('j')) {\n  // handle e\n}", "a comment inside a block"),
        ("if (x) { await client.beta.assistants.del('a'); }", "a if_statement"),
        ("const client = 1;\nawait client.beta.assistants.del('a');", "variable `client` declared twice or taking a name"),
        ("const a = 1;\nconst a2 = 2;\nlet A = 3;", "declared twice"),
        ("await client.beta.assistants.del('a'", "does not parse"),
        ("// only a comment", "no statement"),
    ],
)
def test_what_is_not_understood_is_not_translated(code: str, reason: str) -> None:
    with pytest.raises(Untranslatable, match=re.escape(reason)):
        translate(code, resolve)


HOSTILE = [
    ("'\"\"\"'", '"""'),
    ("'a\\\\b'", "a\\b"),
    ("'\\'\\'\\''", "'''"),
    ('"\\"\\"\\"); import os; os.system(\\"x\\")  #"', '"""); import os; os.system("x")  #'),
    ("'line\\nbreak\\u2028\\x00\\u{1F600}'", "line\nbreak\u2028\x00\U0001f600"),
    ("'ends with a quote\"'", 'ends with a quote"'),
    ("'\\\\'", "\\"),
]


@pytest.mark.parametrize(("literal", "value"), HOSTILE)
def test_hostile_strings_keep_their_value_and_stay_in_the_docstring(literal: str, value: str) -> None:
    python = translate(f"const a = await client.beta.assistants.create({{ model: {literal} }});", resolve)
    call = ast.parse(python).body[0]
    assert isinstance(call, ast.Assign) and isinstance(call.value, ast.Call)
    assert [ast.literal_eval(k.value) for k in call.value.keywords] == [value]
    doc = example_docs(Doc(f"Create.\n\n@example\n```ts\nconst a = await client.beta.assistants.create({{ model: {literal} }});\n```"), resolve, collections.Counter(), 80)
    tree = ast.parse(f"def f() -> None:\n    {docstring(doc.text)}\n")
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.FunctionDef) and len(tree.body[0].body) == 1  # nothing but the docstring
    assert ast.literal_eval(docstring(doc.text, indent=0)) == doc.text + "\n"  # multi-line: the closing quotes on a line of their own
    assert f"```python\n{python}\n```" in doc.text


def test_a_doc_keeps_what_is_not_translated_and_counts_why() -> None:
    text = "Speech.\n\n@example\n```ts\nconst s = await client.audio.speech.create({ input: 'x' });\n```\n\n@example Delete one\n```ts\nawait client.beta.assistants.del('a');\n```"
    outcomes: collections.Counter[str] = collections.Counter()
    doc = example_docs(Doc(text, "old"), resolve, outcomes, 80)
    assert doc.text == "Speech.\n\n@example\n```ts\nconst s = await client.audio.speech.create({ input: 'x' });\n```\n\n@example Delete one\n```python\nclient.beta.assistants.delete(\"a\")\n```"
    assert doc.deprecated == "old"
    assert doc.async_text == doc.text.replace("\nclient.beta", "\nawait client.beta")
    reason = "`client.audio.speech.create` is not a generated method"
    assert outcomes == {"translated": 1, reason: 1, "async: translated": 1, f"async: {reason}": 1}
    same = Doc("No example here.")
    assert example_docs(same, resolve, outcomes, 80) is same


# ---------------------------------------------------------------- for the async client


def test_async_awaits_what_typescript_awaits() -> None:
    code = "const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });\nawait client.beta.assistants.del(assistant.id);\nconsole.log(assistant.id);"
    assert translate(code, resolve, asynchronous=True) == textwrap.dedent("""\
        assistant = await client.beta.assistants.create(model="gpt-4o")
        await client.beta.assistants.delete(assistant.id)
        print(assistant.id)""")
    assert translate(code, resolve) == 'assistant = client.beta.assistants.create(model="gpt-4o")\nclient.beta.assistants.delete(assistant.id)\nprint(assistant.id)'


def test_async_for_await_over_a_page_and_awaits_inside_the_loop() -> None:
    code = "// Automatically fetches more pages as needed.\nfor await (const event of client.fineTuning.jobs.listEvents('ft-A', { limit: 2 })) {\n  await client.beta.assistants.del(event.id);\n}"
    assert translate(code, resolve, asynchronous=True) == textwrap.dedent("""\
        # Automatically fetches more pages as needed.
        async for event in client.fine_tuning.jobs.list_events("ft-A", limit=2):
            await client.beta.assistants.delete(event.id)""")
    first_page = "const page = await client.fineTuning.jobs.listEvents('ft-A');\nfor await (const event of page) {\n}"
    assert translate(first_page, resolve, asynchronous=True) == 'page = await client.fine_tuning.jobs.list_events("ft-A")\nasync for event in page:\n    ...'


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("const a = client.beta.assistants.create({ model: 'm' });", "`client.beta.assistants.create` is a coroutine of the async client, not awaited"),
        ("console.log(client.beta.assistants.del('a'));", "`client.beta.assistants.del` is a coroutine of the async client, not awaited"),
        ("for await (const a of client.beta.assistants.del('a')) {\n}", "`client.beta.assistants.del` is a coroutine of the async client, not awaited"),
        ("for (const e of client.fineTuning.jobs.listEvents('j')) {\n}", "`for` (not `for await`) over `client.fineTuning.jobs.listEvents`"),
    ],
)
def test_what_the_async_client_cannot_run_so_is_not_translated_for_it(code: str, reason: str) -> None:
    translate(code, resolve)  # the sync client can
    with pytest.raises(Untranslatable, match=re.escape(reason)):
        translate(code, resolve, asynchronous=True)


def test_a_doc_carries_the_async_text_and_keeps_typescript_where_only_the_async_fails() -> None:
    text = "Delete.\n\n@example\n```ts\nawait client.beta.assistants.del('a');\n```\n\n@example Not awaited\n```ts\nconst p = client.beta.assistants.del('b');\n```"
    outcomes: collections.Counter[str] = collections.Counter()
    doc = example_docs(Doc(text, "old"), resolve, outcomes, 80)
    sync_text = "Delete.\n\n@example\n```python\nclient.beta.assistants.delete(\"a\")\n```\n\n@example Not awaited\n```python\np = client.beta.assistants.delete(\"b\")\n```"
    async_text = "Delete.\n\n@example\n```python\nawait client.beta.assistants.delete(\"a\")\n```\n\n@example Not awaited\n```ts\nconst p = client.beta.assistants.del('b');\n```"
    assert (doc.text, doc.async_text) == (sync_text, async_text)
    assert doc.full == doc.full_for(False) == sync_text + "\n\n.. deprecated::\n    old"
    assert doc.full_for(True) == async_text + "\n\n.. deprecated::\n    old"
    assert outcomes == {"translated": 2, "async: translated": 1, "async: `client.beta.assistants.del` is a coroutine of the async client, not awaited": 1}
    same = example_docs(Doc("Print.\n\n@example\n```ts\nconsole.log('x');\n```"), resolve, outcomes, 80)
    assert same.async_text is None and same.full_for(True) == same.full_for(False) == 'Print.\n\n@example\n```python\nprint("x")\n```'


SDK = {
    "package.json": '{"name": "acme", "types": "client.d.ts"}',
    "client.d.ts": "import * as API from './resources/things';\nexport declare class Acme {\n    constructor(opts?: { apiKey?: string });\n    things: API.Things;\n}\n",
    "client.js": "class Acme { constructor() { this.things = new (require('./resources/things.js').Things)(this); } }\nexports.Acme = Acme;\n",
    "resources/things.d.ts": """\
import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    /**
     * One {@link Thing}.
     *
     * @example
     * ```ts
     * const thing = await client.things.retrieve('t_1');
     * ```
     */
    retrieve(id: string, options?: RequestOptions): APIPromise<Thing>;
    /**
     * @example
     * ```ts
     * const gone = client.things.del('t_1');
     * ```
     */
    del(id: string, options?: RequestOptions): APIPromise<Thing>;
}
export interface Thing { id: string }
""",
    "resources/things.js": """\
class Things {
    retrieve(id, options) { return this._client.get(`/things/${id}`, options); }
    del(id, options) { return this._client.delete(`/things/${id}`, options); }
}
exports.Things = Things;
""",
}


def test_the_async_class_shows_the_async_translation_with_its_links(tmp_path: Path) -> None:
    for rel, text in SDK.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = generate(tmp_path, ("resources/things.d.ts",), package="acme")
    tree = ast.parse(result.files["acme/resources/things.py"].decode())
    docs = {f"{c.name}.{f.name}": ast.get_docstring(f) for c in tree.body if isinstance(c, ast.ClassDef) for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    example = "One `acme.resources.things.Thing`.\n\n@example\n```python\nthing = {}client.things.retrieve(\"t_1\")\n```"
    assert docs["Things.retrieve"] == example.format("")
    assert docs["AsyncThings.retrieve"] == example.format("await ")
    assert docs["Things.delete"] == '@example\n```python\ngone = client.things.delete("t_1")\n```'
    assert docs["AsyncThings.delete"] == "@example\n```ts\nconst gone = client.things.del('t_1');\n```"


# ---------------------------------------------------------------- over the openai packages

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)\n```$", re.M | re.S)
_BLOCK = re.compile(r"^@example[^\n]*\n```(ts|python)\n(.*?)\n```$", re.M | re.S)
_ASYNC_ROOTS = {"AsyncAPIResource", "AsyncClient"}  # the runtime's async bases


@dataclasses.dataclass
class _Found:
    """A package's examples, each once, for each client; how many docstrings keep a TypeScript
    example; the (sync, async) docstrings of each definition that has both."""

    sync: dict[str, None] = dataclasses.field(default_factory=dict)
    async_: dict[str, None] = dataclasses.field(default_factory=dict)
    kept: dict[bool, set[str]] = dataclasses.field(default_factory=lambda: {False: set(), True: set()})
    pairs: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def _base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _async_classes(modules: list[ast.Module]) -> set[str]:
    """The classes deriving from the runtime's async resource or client (through other classes)."""
    classes = [c for mod in modules for c in mod.body if isinstance(c, ast.ClassDef)]
    found = set(_ASYNC_ROOTS)
    while True:
        more = {c.name for c in classes if any(_base_name(b) in found for b in c.bases)} - found
        if not more:
            return found - _ASYNC_ROOTS
        found |= more


def _docs(cls: ast.ClassDef) -> dict[str, str]:
    """The class's docstring and its members'."""
    members = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return {"": ast.get_docstring(cls) or ""} | {f"{n.name}:{n.lineno}": ast.get_docstring(n) or "" for n in members}


def _examples(package: Path) -> _Found:
    modules = [ast.parse(path.read_text()) for path in sorted(package.rglob("*.py"))]
    asynchronous = _async_classes(modules)
    found = _Found()
    for mod in modules:
        classes = [c for c in mod.body if isinstance(c, ast.ClassDef)]
        for before, cls in zip([None, *classes], classes):
            is_async = cls.name in asynchronous
            for key, doc in _docs(cls).items():
                (found.async_ if is_async else found.sync).update(dict.fromkeys(_PYTHON_BLOCK.findall(doc)))
                found.kept[is_async].update(f"{cls.name}.{key}" for lang, _ in _BLOCK.findall(doc) if lang == "ts")
            if is_async and before is not None and before.name not in asynchronous:  # the template writes the sync class, then the async one
                sync_docs = _docs(before)
                found.pairs.extend((sync_docs[k], doc) for k, doc in zip(sync_docs, _docs(cls).values()) if "@example" in doc)
    return found


class _Synchronous(ast.NodeTransformer):
    """The async example as the sync client's: `await x` is `x`, `async for` is `for`."""

    def visit_Await(self, node: ast.Await) -> ast.AST:
        return self.visit(node.value)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> ast.AST:
        self.generic_visit(node)
        return ast.For(node.target, node.iter, node.body, node.orelse)


def _client_calls_awaited(code: str) -> bool:
    """Whether each call of the client is awaited or the iterable of an `async for` (a coroutine
    not awaited, or a paginator iterated by `for`, is sync code in an async docstring)."""
    tree = ast.parse(code)
    taken = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Await)} | {id(n.iter) for n in ast.walk(tree) if isinstance(n, ast.AsyncFor)}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func).startswith("client.")]
    return bool(calls) and all(id(c) in taken for c in calls)


def _check_pair(sync_doc: str, async_doc: str) -> int:
    """The async docstring is the sync one with its translated examples awaiting; returns how
    many examples only the sync client's translation has."""
    assert _BLOCK.sub("", sync_doc) == _BLOCK.sub("", async_doc), "the docstrings differ outside their examples"
    sync_blocks, async_blocks = _BLOCK.findall(sync_doc), _BLOCK.findall(async_doc)
    assert len(sync_blocks) == len(async_blocks)
    for (sync_lang, sync_code), (async_lang, async_code) in zip(sync_blocks, async_blocks):
        if async_lang == "python":
            assert sync_lang == "python" and _client_calls_awaited(async_code), async_code
            assert ast.dump(_Synchronous().visit(ast.parse(async_code))) == ast.dump(ast.parse(sync_code)), (sync_code, async_code)
    return sum(s == "python" and a == "ts" for (s, _), (a, _) in zip(sync_blocks, async_blocks))


def _client_names(package: Path) -> tuple[str, str]:
    """The generated root clients: the sync class and the async one."""
    classes = [c for c in ast.parse((package / "_client.py").read_text()).body if isinstance(c, ast.ClassDef)]
    by_base = {_base_name(c.bases[0]): c.name for c in classes if c.bases}
    return by_base["Client"], by_base["AsyncClient"]


def _functions(examples: dict[str, None], head: str) -> list[str]:
    return [f"{head.format(i)}\n{textwrap.indent(code, '    ')}\n" for i, code in enumerate(examples)]


@pytest.mark.parametrize(("name", "at_least"), [("openai-4.104.0", 30), ("openai-7.59.0", 250)])
def test_translated_examples_type_check_against_the_generated_client(name: str, at_least: int, trees: Trees, tmp_path: Path, figures: list[str]) -> None:
    tree = trees.get(name)
    package = tree.corpus.package
    found = _examples(tree.out / package)
    sync_only = sum(_check_pair(s, a) for s, a in found.pairs)
    figures.append(f"{name}: {len(found.sync)} @example blocks in Python for the sync client, {len(found.kept[False])} docstrings keep TypeScript")
    figures.append(f"{name}: {len(found.async_)} for the async client, {len(found.kept[True])} docstrings keep TypeScript, {sync_only} translated for the sync client alone; {len(found.pairs)} sync/async docstring pairs with examples")
    assert len(found.sync) >= at_least and len(found.async_) >= at_least and len(found.pairs) >= at_least
    out = tmp_path / "out"
    shutil.copytree(tree.out / package, out / package)  # the shared tree stays as generated
    shutil.copy(ROOT / "pyproject.toml", out / "pyproject.toml")  # [tool.pyright] strict
    sync_client, async_client = _client_names(out / package)
    functions = _functions(found.sync, f"def example_{{}}(client: {sync_client}) -> None:")
    functions += _functions(found.async_, f"async def async_example_{{}}(client: {async_client}) -> None:")
    for function in functions:
        compile(function, "<example>", "exec")
    header = f"# pyright: reportUnusedVariable=false\nfrom {package}._client import {sync_client}, {async_client}\n\n\n"
    (out / package / "_examples.py").write_text(header + "\n\n".join(functions))
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", f"{package}/_examples.py"], cwd=out, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, f"{package}/_examples.py"], cwd=out, capture_output=True, text=True)
    assert pyright.returncode == 0 and re.search(r"^0 errors", pyright.stdout, re.M), pyright.stdout[-3000:]
