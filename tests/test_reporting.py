"""What a run prints, as a user reads it: warnings summarised by kind (or all of them, or none),
errors always, colour only on a terminal, a progress bar only on a terminal, every diagnostic
as JSON for tools."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED

from tsgen.kinds import KINDS

SCREEN = 50  # lines of a terminal the default output must fit in (at 120 columns)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TSGEN_WARNINGS")}


def tsgen(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env={**CLEAN_ENV, **(env or {})})


def _screen_lines(text: str, columns: int = 120) -> int:
    return sum(max(1, -(-len(line) // columns)) for line in text.splitlines())


@pytest.mark.parametrize("corpus", [CORPUS, SHARED / "corpus" / "openai-7.59.0"], ids=lambda p: p.name)
def test_the_default_output_on_an_sdk_fits_one_screen_and_names_every_kind(tmp_path: Path, corpus: Path) -> None:
    args = ("generate", str(corpus), "-o", "out", "--package", "sdk", "--formatter", "none")
    run = tsgen(tmp_path, *args, "--warnings-as-json", "w.json")
    assert run.returncode == 0, run.stderr
    doc = json.loads((tmp_path / "w.json").read_text())
    warnings = [d for d in doc["diagnostics"] if d["level"] == "warning"]
    assert len(warnings) > 100  # an SDK of this size has many: the point of a summary
    assert _screen_lines(run.stderr) <= SCREEN, run.stderr
    head = run.stderr.splitlines()[0]
    assert head.startswith(f"tsgen: {len(warnings)} warning(s) of {len(doc['kinds'])} kind(s)")
    for code, kind in doc["kinds"].items():
        assert kind["count"] == sum(1 for w in warnings if w["kind"] == code)
        assert re.search(rf"^ +{kind['count']} {re.escape(code)}: {re.escape(KINDS[code].title)}$", run.stderr, re.M), (code, run.stderr)
        first = next(w for w in warnings if w["kind"] == code)  # sorted by place: the example shown is the first
        assert f"e.g. {first['file']}:{first['line']}:{first['column']}: " in run.stderr
        assert f"→ {KINDS[code].hint}" in run.stderr
    # --warnings all: each warning on a line of its own, as compilers print them
    every = tsgen(tmp_path, *args, "--warnings", "all")
    assert every.returncode == 0, every.stderr
    listed = [line for line in every.stderr.splitlines() if ": warning: " in line]
    assert listed == [f"{w['file']}:{w['line']}:{w['column']}: warning: {w['message']} [{w['kind']}]" for w in warnings]


def _project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "api.d.ts").write_text(text)
    return tmp_path


WARNED = "export interface A { a: Missing; b: string & number }\nexport declare const c: number;\n"


def test_quiet_says_nothing_of_a_run_that_succeeds_but_errors_always(tmp_path: Path) -> None:
    where = _project(tmp_path, WARNED)
    quiet = tsgen(where, "generate", "api.d.ts", "-o", "out", "-q")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert (where / "out" / "generated_bindings" / "api.py").is_file()
    (where / "bad.d.ts").write_text("export interface B { b: string\n")
    failed = tsgen(where, "generate", "bad.d.ts", "-o", "out2", "-q")
    assert failed.returncode == 1 and re.search(r"^bad\.d\.ts:\d+:\d+: error: syntax error", failed.stderr, re.M), failed.stderr
    assert not (where / "out2").exists()


def test_warnings_none_and_verbose(tmp_path: Path) -> None:
    where = _project(tmp_path, WARNED)
    none = tsgen(where, "generate", "api.d.ts", "-o", "out", "--warnings", "none")
    assert none.returncode == 0 and "warning" not in none.stderr and "file(s) written" in none.stderr, none.stderr
    verbose = tsgen(where, "generate", "api.d.ts", "-o", "out2", "-v")
    assert re.search(r"^api\.d\.ts:1:25: warning: cannot find name `Missing`; using Any \[unresolved\]$", verbose.stderr, re.M), verbose.stderr
    assert re.search(r"^tsgen: parsing declaration files: 1 in \d+\.\d\d s$", verbose.stderr, re.M), verbose.stderr
    assert re.search(r"^tsgen: writing modules: 3 in \d+\.\d\d s$", verbose.stderr, re.M), verbose.stderr


def test_an_output_that_is_up_to_date_says_its_warnings_and_lists_them_when_asked(tmp_path: Path) -> None:
    where = _project(tmp_path, WARNED)
    assert tsgen(where, "generate", "api.d.ts", "-o", "out").returncode == 0
    again = tsgen(where, "generate", "api.d.ts", "-o", "out")
    assert "is up to date" in again.stderr and "3 warning(s) when it was written" in again.stderr, again.stderr
    listed = tsgen(where, "check", "api.d.ts", "-o", "out", "--warnings", "all")
    assert listed.returncode == 0 and listed.stderr.count(": warning: ") == 3, listed.stderr
    assert tsgen(where, "check", "api.d.ts", "-o", "out", "--warnings-as-json", "w.json").returncode == 0
    assert len(json.loads((where / "w.json").read_text())["diagnostics"]) == 3


def test_errors_go_to_the_json_file_too(tmp_path: Path) -> None:
    where = _project(tmp_path, "export interface B { b: string\n")
    failed = tsgen(where, "generate", "api.d.ts", "-o", "out", "--warnings-as-json", "w.json")
    assert failed.returncode == 1
    [error] = json.loads((where / "w.json").read_text())["diagnostics"]
    assert error["level"] == "error" and error["file"] == "api.d.ts" and error["message"].startswith("syntax error")
    assert f"api.d.ts:{error['line']}:{error['column']}: error: " in failed.stderr


@pytest.mark.parametrize(("env", "coloured"), [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False)])
def test_colour_only_where_wanted(tmp_path: Path, env: dict[str, str], coloured: bool) -> None:
    where = _project(tmp_path, WARNED)
    run = tsgen(where, "generate", "api.d.ts", "-o", "out", env=env)
    assert run.returncode == 0
    assert bool(ANSI.search(run.stderr)) is coloured, run.stderr
    assert "unresolved" in ANSI.sub("", run.stderr)


def _on_a_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """The command run with stderr on a pseudo-terminal: what a user at a terminal sees."""
    controller, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "tsgen", *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
                          env={**CLEAN_ENV, **(env or {})}) as process:
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed
                break
            if not chunk:
                break
            seen += chunk
        status = process.wait(timeout=600)
    os.close(controller)
    return status, seen.decode("utf-8", "replace")


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    args = ("generate", str(CORPUS), "-o", "out", "--package", "sdk", "--formatter", "none", "--no-cache")
    status, seen = _on_a_terminal(tmp_path, *args)
    assert status == 0, seen
    assert re.search(r"writing modules .*\d+/\d+", ANSI.sub("", seen)), seen[-2000:]
    assert ANSI.search(seen)
    assert "file(s) written" in seen
    plain = tsgen(tmp_path, *args[:2], "-o", "out2", *args[4:])
    assert plain.returncode == 0
    assert not ANSI.search(plain.stderr) and "writing modules" not in plain.stderr and "\r" not in plain.stderr


def test_quiet_draws_no_bar_on_a_terminal(tmp_path: Path) -> None:
    status, seen = _on_a_terminal(tmp_path, "generate", str(CORPUS), "-o", "out", "--package", "sdk", "--formatter", "none", "-q")
    assert status == 0 and seen == "", seen


def test_the_environment_sets_the_default_mode_without_forcing_a_run(tmp_path: Path) -> None:
    where = _project(tmp_path, WARNED)
    env = {"TSGEN_WARNINGS": "all"}
    first = tsgen(where, "generate", "api.d.ts", "-o", "out", env=env)
    assert first.stderr.count(": warning: ") == 3, first.stderr
    again = tsgen(where, "generate", "api.d.ts", "-o", "out", env=env)
    assert "is up to date" in again.stderr and ": warning: " not in again.stderr, again.stderr
    summary = tsgen(where, "generate", "api.d.ts", "-o", "out2", "--warnings", "summary", env=env)  # the option wins
    assert summary.stderr.startswith("tsgen: 3 warning(s) of 3 kind(s)"), summary.stderr
