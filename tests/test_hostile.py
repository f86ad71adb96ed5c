"""Hostile input: doc comments, string literals, names and paths chosen to break out of the
generated code. The output must compile, type-check, mean exactly what the input declared
(docstrings, literal values and wire names equal to the input's), and hold nothing but
declarations and the templates' own calls (tests/ast_guard.py)."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path

import pydantic
import pytest

import ast_guard
from util import assert_mypy_strict, imported

DOC = (
    'Ends a docstring: """ and \'\'\' and a backslash \\ and \\N{BULLET} and \\x41 and {braces} %s.\n'
    "NUL:\x00 bell:\x07 escape:\x1b FS:\x1c NEL:\x85 BOM:\ufeff tab:\t end\n"
    '"""; import os; os.system("echo pwned") #\n'
    "trailing backslash \\"
)
# the same text as a JSDoc comment; */ cannot appear inside one, so it is written as *\/
COMMENT = "/**\n" + "".join(f" * {line}\n" for line in DOC.split("\n")) + " */"
LITERALS = ['a"b', "c'd", "e\\f", "\n", '"""', "'''", "\u2028", "😀", "\\N{BULLET}", "{0.__class__}", "\x00", ""]
LITERAL_SOURCE = ["'a\"b'", '"c\'d"', "'e\\\\f'", "'\\n'", "'\"\"\"'", "\"'''\"", "'\\u2028'", "'\\uD83D\\uDE00'", "'\\\\N{BULLET}'", "'{0.__class__}'", "'\\0'", "''"]
NAMES = [  # property names: keywords, soft keywords, builtins, dunders, case twins, escape collisions
    "from", "class", "import", "None", "match", "case", "type", "_", "list", "id", "self", "cls",
    "__init__", "__class__", "__dict__", "Value", "value", "from_", "self-harm", "self_harm", "0", "$ref",
    "a b", '"); import os; ("', "ünïcode",
]


def hostile_source() -> str:
    props = "\n".join(f"  /** doc of {n} */\n  {json.dumps(n, ensure_ascii=False)}: string;" for n in NAMES)
    return f"""{COMMENT}
export interface Evil {{
{props}
  literal: {" | ".join(LITERAL_SOURCE)};
}}
export interface list {{ x: string }}
export interface type {{ y: list }}
export interface __init__ {{ z: type }}
export interface Any {{ w: string }}
export interface evil {{ e: Evil; a: Any }}
export namespace None {{ export interface True {{ a: string }} }}
export namespace match {{ export interface case {{ a: string }} }}
export type str = 'x' | 'y';
export enum Color {{ "red" = 'r"ed', class = 'c', None = 'n', "a-b" = "\\\\", a_b = 'ab', name = 'nm' }}
export type Payload = Evil | evil;
/** Resource-free declarations: {{}} and {{0}} in docs are text. */
export type Plain = string;
"""


@pytest.fixture(scope="module", params=["typeddict", "dataclass", "pydantic"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    work = tmp_path_factory.mktemp(request.param)
    (work / "hostile.d.ts").write_text(hostile_source(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tsgen", "generate", "hostile.d.ts", "-o", "out", "--package", "pkg", "--model-type", request.param],
        cwd=work, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return request.param, work / "out", result.stderr


def test_the_module_holds_only_declarations(generated: tuple[str, Path, str]) -> None:
    _, out, _ = generated
    for module in (out / "pkg").rglob("*.py"):
        if module.name != "_runtime.py":
            ast_guard.check_module(module.read_text(encoding="utf-8"), str(module))


def test_it_compiles_imports_and_type_checks(generated: tuple[str, Path, str]) -> None:
    _, out, _ = generated
    assert_mypy_strict(out)
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, str(out)], capture_output=True, text=True)
    assert pyright.returncode == 0, pyright.stdout[-3000:]


def test_docstrings_are_exactly_the_comments(generated: tuple[str, Path, str]) -> None:
    model_type, out, _ = generated
    tree = ast.parse((out / "pkg/hostile.py").read_text(encoding="utf-8"))
    evil = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "Evil") if model_type != "typeddict" else None
    if evil is not None:
        class_doc = ast.get_docstring(evil, clean=False) or ""
        attribute_docs = [s.value.value for s in evil.body[1:] if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)]
        assert attribute_docs == [f"doc of {n}" for n in NAMES]
    else:  # functional TypedDict syntax: the docstring follows the assignment, and lists the keys' docs
        class_doc = next(n.value.value for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and "Ends" in n.value.value)
        for name in NAMES:
            assert f"\n{name}: doc of {name}\n" in class_doc + "\n", name
    # NUL, bell, escape... survive as themselves; the text is a value, never code. (A class
    # docstring's lines carry the class body's indentation, as PEP 257 tools expect.)
    lines = class_doc.strip().split("\n")
    assert "\n".join([lines[0], *(line.removeprefix("    ") for line in lines[1:])]).startswith(DOC.strip()), class_doc[:400]


def test_literal_values_and_wire_names_are_the_inputs(generated: tuple[str, Path, str]) -> None:
    model_type, out, _ = generated
    with imported(out, "pkg.hostile") as module:
        evil = module.Evil
        hints = typing.get_type_hints(evil, include_extras=True)
        if model_type == "typeddict":
            assert set(hints) == {*NAMES, "literal"}
            literal = hints["literal"]
        else:
            wire = _dataclass_wire_names(evil)
            assert set(wire) == {*NAMES, "literal"}
            assert len(set(wire.values())) == len(wire)  # distinct Python names
            literal = typing.get_args(hints[wire["literal"]])[0] if typing.get_origin(hints[wire["literal"]]) is typing.Annotated else hints[wire["literal"]]
        assert list(typing.get_args(literal)) == LITERALS


def _dataclass_wire_names(cls: type) -> dict[str, str]:
    result = {}
    hints = typing.get_type_hints(cls, include_extras=True)
    if issubclass(cls, pydantic.BaseModel):  # its fields: not the ClassVars BaseModel annotates
        return {info.alias or name: name for name, info in cls.model_fields.items()}
    for name, hint in hints.items():
        alias = next((m.alias for m in getattr(hint, "__metadata__", ()) if isinstance(m, pydantic.fields.FieldInfo) and m.alias), None)
        result[alias or name] = name
    return result


def test_values_round_trip_under_their_wire_names(generated: tuple[str, Path, str]) -> None:
    _, out, _ = generated
    value = {**{name: f"v-{index}" for index, name in enumerate(NAMES)}, "literal": '"""'}
    with imported(out, "pkg.hostile") as module:
        adapter: pydantic.TypeAdapter[object] = pydantic.TypeAdapter(module.Evil)
        parsed = adapter.validate_python(value)
        assert adapter.dump_python(parsed, by_alias=True, mode="json") == value
        color = module.Color
        assert [(m.name, m.value) for m in color] == [("red", 'r"ed'), ("class_", "c"), ("None_", "n"), ("a_b_", "\\"), ("a_b", "ab"), ("name_", "nm")]


def test_declaration_names_stay_distinct_and_recorded(generated: tuple[str, Path, str]) -> None:
    _, out, stderr = generated
    manifest = json.loads((out / "tsgen-manifest.json").read_text())
    python_names = {(s["module"], s["python_name"]) for s in manifest["symbols"]}
    assert len(python_names) == len(manifest["symbols"])
    ts_names = {s["ts_name"] for s in manifest["symbols"]}
    assert {"Evil", "evil", "list", "type", "__init__", "Any", "None.True", "match.case", "str", "Color", "Payload"} <= ts_names
    with imported(out, "pkg.hostile") as module:
        for sym in manifest["symbols"]:
            assert hasattr(module, sym["python_name"]), sym


def test_import_specifiers_never_leave_declaration_files(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "secret.txt").write_text("not a declaration")
    (tmp_path / "root/a.d.ts").write_text(
        "import { A } from '../../../../../../../etc/passwd';\n"
        "import { B } from '/etc/hostname';\n"
        "import { C } from '../secret.txt';\n"
        "import { D } from 'file:///etc/passwd';\n"
        "export interface Uses { a: A; b: B; c: C; d: D }\n"
    )
    result = subprocess.run([sys.executable, "-m", "tsgen", "generate", "a.d.ts", "-o", "../out", "--package", "pkg"], cwd=tmp_path / "root", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("cannot find module") == 4, result.stderr
    manifest = json.loads((tmp_path / "out/tsgen-manifest.json").read_text())
    assert [i["path"] for i in manifest["inputs"]] == ["a.d.ts"]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith(("out/", "root/")) or p == "secret.txt" for p in written), written


def test_files_outside_the_root_get_module_paths_inside_the_package(tmp_path: Path) -> None:
    for rel, text in {"shared/types.d.ts": "export interface T { x: string }\n", "types.d.ts": "export interface T2 { y: string }\n",
                      "app/src/u.d.ts": "import { T } from '../../shared/types';\nimport { T2 } from '../../types';\nexport interface U { t: T; t2: T2 }\n"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = subprocess.run([sys.executable, "-m", "tsgen", "generate", "app/src", "-o", "app/out", "--package", "pkg"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(tmp_path / "app/out").as_posix() for p in (tmp_path / "app/out").rglob("*.py"))
    assert "pkg/external/up/up/shared/types.py" in files and "pkg/external/up/up/types.py" in files
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file() and "out" not in p.parts) == ["app/src/u.d.ts", "shared/types.d.ts", "types.d.ts"]


@pytest.mark.parametrize("code", [
    'import os\n',
    'class A:\n    x: int = __import__("os").system("true")\n',
    'class A:\n    x: "__import__(\'os\').system(\'true\')"\n',
    'A: TypeAlias = (lambda: 1)()\n',
    'class A:\n    """doc"""\n    print("hi")\n',
    'X = Literal[eval("1")]\n',
    'class A:\n    def f(self) -> None:\n        return self.__class__.__init__.__globals__\n',
])
def test_the_guard_rejects_code_that_templates_never_write(code: str) -> None:
    with pytest.raises(ast_guard.Violation):
        ast_guard.check_module(code)


@pytest.mark.parametrize("setting, message", [
    ('output = "."', "is or contains the input root"),
    ('output = ".."', "is or contains the input root"),
    ('output = "input"', "is or contains the input root"),
    ('output = "/"', "is or contains"),
    ('package = "../../evil"', "is not a Python package name"),
    ('package = "os.path"', "is not a Python package name"),
])
def test_the_configured_output_cannot_reach_outside_its_own_directory(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "input").mkdir()
    (tmp_path / "input/a.d.ts").write_text("export interface A { a: string }\n")
    settings = {"input": '"input"', "output": '"generated"', "package": '"pkg"'}
    key, value = setting.split(" = ")
    settings[key] = value
    (tmp_path / "pyproject.toml").write_text("[tool.tsgen]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = subprocess.run([sys.executable, "-m", "tsgen", "generate"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode in (1, 2) and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_every_short_text_of_quotes_backslashes_and_newlines_is_its_own_docstring() -> None:
    """Exhaustive over a small alphabet: the literal tsgen writes evaluates to the text."""
    import itertools

    from tsgen.render import docstring

    for length in range(1, 7):
        for chars in itertools.product(['"', "\\", "a", "\n", "'"], repeat=length):
            text = "".join(chars)
            value = ast.literal_eval(docstring(text, 4))
            lines = value.split("\n")
            unindented = "\n".join([lines[0], *(line.removeprefix("    ") for line in lines[1:])])
            assert (unindented[:-1] if "\n" in text else unindented) == text, (text, docstring(text, 4))


def test_files_whose_module_names_collide_get_distinct_modules(tmp_path: Path) -> None:
    files = ["my-file.d.ts", "My-File.d.ts", "my_file.d.ts", "a.d.ts", "a/b.d.ts", "protocol.$.d.ts", "protocol.d.ts", "class.d.ts", "__init__.d.ts"]
    for index, rel in enumerate(files):
        (tmp_path / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / rel).write_text(f"export interface I{index} {{ a: string }}\n")
    result = subprocess.run([sys.executable, "-m", "tsgen", "generate", "src", "-o", "out", "--package", "pkg"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out/tsgen-manifest.json").read_text())
    modules = {s["source"]: s["module"] for s in manifest["symbols"]}
    assert modules["my_file.d.ts"] == "pkg.my_file" and modules["protocol.d.ts"] == "pkg.protocol"  # names needing no escape keep them
    assert modules["a.d.ts"] == "pkg.a" and modules["a/b.d.ts"] == "pkg.a.b"  # `a/__init__.py`, its package
    assert modules["class.d.ts"] == "pkg.class_" and modules["__init__.d.ts"] == "pkg.init"
    assert len(set(modules.values())) == len(files)
    assert result.stderr.count(" is taken (") == 3, result.stderr
    with imported(tmp_path / "out", "pkg") as _:
        for index, rel in enumerate(files):
            assert hasattr(importlib.import_module(modules[rel]), f"I{index}")
