"""`@example` blocks in Python (tsgen.examples, tsgen.lower.doc_examples): the translation of the
TypeScript subset, what is kept as TypeScript and why, hostile strings that stay inside the
docstring; and over the openai packages, the translated examples compiled and type-checked
against the generated client (mypy --strict, pyright strict)."""

from __future__ import annotations

import ast
import collections
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corpora import Trees
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
    )),
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
    assert outcomes == {"translated": 1, "`client.audio.speech.create` is not a generated method": 1}
    same = Doc("No example here.")
    assert example_docs(same, resolve, outcomes, 80) is same


# ---------------------------------------------------------------- over the openai packages

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)\n```$", re.M | re.S)
_TS_EXAMPLE = re.compile(r"^@example[^\n]*\n```ts\n", re.M)


def _examples(package: Path) -> tuple[list[str], int]:
    """The Python examples of the package's docstrings (each once: the sync and async classes
    share them), and how many `@example` blocks stayed TypeScript."""
    found: dict[str, None] = {}
    kept: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                doc = ast.get_docstring(node) or ""
                found.update(dict.fromkeys(_PYTHON_BLOCK.findall(doc)))
                kept.update(f"{node.name}:{doc}" for _ in _TS_EXAMPLE.findall(doc))
    return list(found), len(kept)


@pytest.mark.parametrize(("name", "at_least"), [("openai-4.104.0", 30), ("openai-7.59.0", 250)])
def test_translated_examples_type_check_against_the_generated_client(name: str, at_least: int, trees: Trees, tmp_path: Path, figures: list[str]) -> None:
    tree = trees.get(name)
    package = tree.corpus.package
    examples, kept = _examples(tree.out / package)
    figures.append(f"{name}: {len(examples)} @example blocks in Python, {kept} kept as TypeScript")
    assert len(examples) >= at_least
    out = tmp_path / "out"
    shutil.copytree(tree.out / package, out / package)  # the shared tree stays as generated
    shutil.copy(ROOT / "pyproject.toml", out / "pyproject.toml")  # [tool.pyright] strict
    functions = [f"def example_{i}(client: OpenAI) -> None:\n{textwrap.indent(code, '    ')}\n" for i, code in enumerate(examples)]
    for function in functions:
        compile(function, "<example>", "exec")
    header = f"# pyright: reportUnusedVariable=false\nfrom {package}._client import OpenAI\n\n\n"
    (out / package / "_examples.py").write_text(header + "\n\n".join(functions))
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", f"{package}/_examples.py"], cwd=out, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, f"{package}/_examples.py"], cwd=out, capture_output=True, text=True)
    assert pyright.returncode == 0 and re.search(r"^0 errors", pyright.stdout, re.M), pyright.stdout[-3000:]
