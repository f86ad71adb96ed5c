"""Broken input, as the CLI meets it: each case ends in a clear `file:line:col` message and a
matching exit status (an error: 1, nothing written; usable input: 0 and a warning), never a
traceback, never a hang, and the previous output stays as it was after an error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from util import assert_mypy_strict

SESSIONS = (CORPUS / "resources/beta/realtime/sessions.d.ts").read_bytes()
DEEP = 10_000

ERRORS: dict[str, tuple[bytes, str]] = {  # name: (file content, expected message after `x.d.ts:`)
    "syntax error": (b"export interface A {\n  a: string;\n  b: ;\n}\n", r"3:4: error: syntax error: unexpected `:`"),
    "truncated file": (SESSIONS[: len(SESSIONS) // 2], r"\d+:\d+: error: syntax error"),
    "binary file": (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\xff\xfe\x00\x03\x00>\x00", r"1:13: error: binary file"),
    "UTF-16 without the bytes to match its mark": (b"\xff\xfeA\x00B", r"1:1: error: not valid UTF-16"),
    "statement that is not a declaration": (b"export interface A { a: string }\nlet x = ;\n", r"2:7: error: syntax error: unexpected `=`"),
}

WARNINGS: dict[str, tuple[bytes, str]] = {  # name: (file content, expected warning after `x.d.ts:`)
    "not UTF-8": (b"export interface A {\n  /** caf\xe9 */\n  a: string;\n}\n", r"2:10: warning: not valid UTF-8 \(byte 0xe9\)"),
    "missing import target": (b"import { X } from './nowhere';\nexport interface A { a: X }\n", r"2:25: warning: cannot find module `./nowhere` for `X`; using Any"),
    "name defined twice": (b"export interface A { a: string }\nexport type A = number;\n", r"1:8: warning: `A` is declared more than once"),
    "circular type aliases": (b"export type A = B;\nexport type B = A;\n", r"1:8: warning: type alias `A` refers to itself"),
    "type alias its own union member": (b"export type Tree = string | Tree;\n", r"1:8: warning: type alias `Tree` refers to itself"),
    "10,000 nested parentheses": (b"export type A = " + b"(" * DEEP + b"string" + b")" * DEEP + b";\n", r"1:\d+: warning: type nested more than 100 levels deep"),
    "10,000 nested namespaces": (b"export namespace N { " * DEEP + b"export interface I { a: string }" + b" }" * DEEP + b"\n", r"1:\d+: warning: namespace `N` is nested more than 100 levels deep; it is skipped"),
    "a namespace named with 10,000 dots": (b"export namespace " + b".".join(b"N%d" % i for i in range(DEEP)) + b" { export interface I { a: string } }\n", r"1:8: warning: namespace `N9999` is nested more than 100 levels deep"),
    "10,000 nested object types": (b"export interface A { a: " + b"{ a: " * DEEP + b"string" + b" }" * DEEP + b" }\n", r"1:\d+: warning: type nested more than 100 levels deep"),
    "10,000 nested generic arguments": (b"export type A = " + b"Array<" * DEEP + b"string" + b">" * DEEP + b";\n", r"1:\d+: warning: type nested more than 100 levels deep"),
    "enum value Python cannot hold": (b"export enum E { a = 1e400, b = 2 }\n", r"1:17: warning: enum member `E.a` has no constant value Python can hold"),
}


def tsgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", "generate", "--warnings", "all", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _previous_output(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An input directory whose earlier, good version was generated into out/."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src/x.d.ts").write_text("export interface Good { a: string }\n")
    assert tsgen(tmp_path, "src", "-o", "out", "--package", "pkg").returncode == 0
    out = tmp_path / "out"
    return out, {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_names_the_place_exits_1_and_keeps_the_previous_output(case: str, tmp_path: Path) -> None:
    content, expected = ERRORS[case]
    out, before = _previous_output(tmp_path)
    (tmp_path / "src/x.d.ts").write_bytes(content)
    result = tsgen(tmp_path, "src", "-o", "out", "--package", "pkg")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^x\.d\.ts:" + expected, result.stderr, re.M), result.stderr
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]  # no staging directory left


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_usable_input_warns_at_the_place_and_the_output_imports(case: str, tmp_path: Path) -> None:
    content, expected = WARNINGS[case]
    (tmp_path / "x.d.ts").write_bytes(content)
    result = tsgen(tmp_path, "x.d.ts", "-o", "out", "--package", "pkg")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^x\.d\.ts:" + expected, result.stderr, re.M), result.stderr
    imported = subprocess.run([sys.executable, "-c", "import pkg.x"], cwd=tmp_path / "out", capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr


def test_the_degraded_outputs_type_check(tmp_path: Path) -> None:
    """All the usable broken files at once, as one package: mypy --strict is clean."""
    for index, name in enumerate(sorted(WARNINGS)):
        (tmp_path / "src" / f"case{index}.d.ts").parent.mkdir(exist_ok=True)
        (tmp_path / "src" / f"case{index}.d.ts").write_bytes(WARNINGS[name][0])
    result = tsgen(tmp_path, "src", "-o", "out", "--package", "pkg")
    assert result.returncode == 0, result.stderr
    assert_mypy_strict(tmp_path / "out")


def test_degraded_types_are_the_safe_ones(tmp_path: Path) -> None:
    (tmp_path / "x.d.ts").write_bytes(
        WARNINGS["circular type aliases"][0] + WARNINGS["type alias its own union member"][0]
        + b"import { X } from './nowhere';\nexport interface Uses { a: X }\n"
    )
    assert tsgen(tmp_path, "x.d.ts", "-o", "out", "--package", "pkg").returncode == 0
    text = (tmp_path / "out/pkg/x.py").read_text()
    assert "A: TypeAlias = Any\n" in text and "B: TypeAlias = Any\n" in text
    assert "Tree: TypeAlias = Any\n" in text  # `string | Tree`: Any absorbs the union
    assert re.search(r"class Uses\b.*\n\s+a: Any\n", text), text


def test_an_empty_file_is_an_empty_module(tmp_path: Path) -> None:
    (tmp_path / "x.d.ts").write_bytes(b"")
    result = tsgen(tmp_path, "x.d.ts", "-o", "out", "--package", "pkg")
    assert result.returncode == 0 and result.stderr.count("warning") == 0, result.stderr
    assert "__all__: list[str] = []" in (tmp_path / "out/pkg/x.py").read_text() or "__all__ = []" in (tmp_path / "out/pkg/x.py").read_text()


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = tsgen(tmp_path, "nowhere.d.ts", "-o", "out")
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.d.ts").write_text("export interface A { a: string }\n")
    (tmp_path / "out").write_text("not a directory")
    result = tsgen(tmp_path, "x.d.ts", "-o", "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "out").read_text() == "not a directory"


@pytest.mark.parametrize("template, expected", [
    ("{% if %}", r"typeddict\.py\.jinja:1:1: error: template error: "),
    ("class {{ d.no_such_attribute }}:\n    pass\n", r"module\.py\.jinja:1:1: error: template error: UndefinedError: "),
    ("class (((:\n", r"module\.py\.jinja:1:1: error: template error: the rendered module is not valid Python"),
])
def test_a_broken_user_template_is_an_error_at_the_template(tmp_path: Path, template: str, expected: str) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/typeddict.py.jinja").write_text(template)
    (tmp_path / "x.d.ts").write_text("export interface A { a: string }\n")
    result = tsgen(tmp_path, "x.d.ts", "-o", "out", "--package", "pkg", "--model-type", "typeddict", "--templates", "templates")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"^\S*" + expected, result.stderr, re.M), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_failure_of_tsgen_itself_is_one_line_and_exit_70(tmp_path: Path) -> None:
    (tmp_path / "x.d.ts").write_text("export interface A { a: string }\n")
    crash = ("import sys, tsgen.cli\n"
             "def lower_package(options, seen=None, **_): raise RuntimeError('boom')\n"
             "import tsgen.generate\ntsgen.generate.lower_package = lower_package\n"
             "sys.argv = ['tsgen', 'generate', 'x.d.ts', '-o', 'out']\n"
             "tsgen.cli.main()\n")
    result = subprocess.run([sys.executable, "-c", crash], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 70 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["tsgen: internal error: RuntimeError: boom; nothing was written. Please report it with the input (TSGEN_DEBUG=1 shows the traceback)."]
    debug = subprocess.run([sys.executable, "-c", crash], cwd=tmp_path, capture_output=True, text=True, timeout=60, env={**os.environ, "TSGEN_DEBUG": "1"})
    assert "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr
    assert not (tmp_path / "out").exists()
