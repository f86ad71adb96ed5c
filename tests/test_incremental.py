"""Regenerating after a small change: parsed files come from the cache (kept only for files a
previous run read unchanged), only the modules whose text changed are formatted again, a change
to a `.js` file the routes are read from is seen, and none of it changes a byte of the output or
a line of the warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INPUT, SEED
from tsgen.cache import entries


def _tsgen(work: Path, command: str = "generate", *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "tsgen", command, str(work / "in"), "--root", str(work / "in"), "-o", str(work / "out"),
            "--package", "rt", "--cache-dir", str(work / "cache"), *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=work)


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _touch_output(work: Path) -> None:
    """An edited output file: the next run cannot answer from the manifest, so it runs."""
    runtime = work / "out" / "rt" / "_runtime.py"
    runtime.write_text(runtime.read_text() + "# edited\n")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(INPUT, tmp_path / "in")
    return tmp_path


def test_parses_are_cached_on_second_sight_and_change_nothing(work: Path) -> None:
    first = _tsgen(work)
    assert first.returncode == 0, first.stderr
    assert list(entries(work / "cache", "parse")) == []  # a first run keeps no parse
    tree = _tree(work / "out")
    _touch_output(work)
    second = _tsgen(work)  # reads every file unchanged since the first run: keeps their parses
    parsed = list(entries(work / "cache", "parse"))
    assert len(parsed) >= len(list((work / "in").rglob("*.d.ts")))
    _touch_output(work)
    third = _tsgen(work)  # from the cache
    assert _tree(work / "out") == tree
    assert first.stderr.splitlines()[:-1] == second.stderr.splitlines()[:-1] == third.stderr.splitlines()[:-1]
    assert sorted(entries(work / "cache", "parse")) == sorted(parsed)  # nothing parsed again


def test_a_damaged_cache_entry_is_parsed_again(work: Path) -> None:
    _tsgen(work)
    tree = _tree(work / "out")
    _touch_output(work)
    _tsgen(work)
    for entry in entries(work / "cache", "parse"):
        entry.write_bytes(b"not a pickle")
    _touch_output(work)
    assert _tsgen(work).returncode == 0
    assert _tree(work / "out") == tree


def test_one_changed_input_formats_only_the_modules_it_changes(work: Path) -> None:
    assert _tsgen(work).returncode == 0
    before = _tree(work / "out")
    formatted = set(entries(work / "cache", "format"))
    sessions = work / "in" / "resources" / "beta" / "realtime" / "sessions.d.ts"
    sessions.write_text(sessions.read_text().replace("export interface Session {", "export interface Session {\n    added_field?: string;", 1))
    assert _tsgen(work).returncode == 0
    after = _tree(work / "out")
    changed = [p for p in after if p.endswith(".py") and before.get(p) != after[p]]
    assert changed and all("sessions" in p for p in changed), changed
    assert len(set(entries(work / "cache", "format")) - formatted) == len(changed)


def test_a_changed_js_file_makes_the_output_stale(work: Path) -> None:
    assert _tsgen(work).returncode == 0
    assert "is up to date" in _tsgen(work, "check").stderr
    sessions_js = work / "in" / "resources" / "beta" / "realtime" / "sessions.js"
    text = sessions_js.read_text()
    assert "/realtime/sessions" in text
    sessions_js.write_text(text.replace("/realtime/sessions", "/realtime/sessions2"))
    check = _tsgen(work, "check")
    assert check.returncode == 1 and "sessions.py (stale)" in check.stdout, check.stdout + check.stderr
    assert _tsgen(work).returncode == 0
    assert "/realtime/sessions2" in (work / "out" / "rt" / "resources" / "beta" / "realtime" / "sessions.py").read_text()


def test_convert_formats_through_the_cache(tmp_path: Path) -> None:
    """`tsgen convert` formats its module (the runtime inlined) once, not on every call: the
    second call finds it in the cache and adds nothing to it."""
    env = {**os.environ, "TSGEN_CACHE_DIR": str(tmp_path / "cache")}
    runs, cached = [], []
    for _ in range(2):
        runs.append(subprocess.run([sys.executable, "-m", "tsgen", "convert", str(SEED)], capture_output=True, text=True, timeout=600, env=env))
        cached.append(len(list(entries(tmp_path / "cache", "format"))))
    assert all(r.returncode == 0 for r in runs) and runs[0].stdout == runs[1].stdout and "class " in runs[0].stdout
    assert cached[0] >= 1 and cached[1] == cached[0]
