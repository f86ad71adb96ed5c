"""Nothing changed, nothing to do: a second `tsgen generate` (or `tsgen check`) answers from the
manifest without parsing; any change to an input, a file it imports, a setting, a template or
the output itself makes it run again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INPUT


def _tsgen(work: Path, command: str, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "tsgen", command, str(work / "in"), "--root", str(work / "in"), "-o", str(work / "out"), "--package", "rt", "--no-cache", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=work)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(INPUT, tmp_path / "in")
    first = _tsgen(tmp_path, "generate")
    assert first.returncode == 0 and "written" in first.stderr, first.stderr
    return tmp_path


def _fresh(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0 and "is up to date" in result.stderr


def test_nothing_changed_answers_without_a_run(work: Path) -> None:
    assert _fresh(_tsgen(work, "generate"))
    assert _fresh(_tsgen(work, "check"))


def test_an_input_change_runs_again(work: Path) -> None:
    sessions = work / "in" / "resources" / "beta" / "realtime" / "sessions.d.ts"
    sessions.write_text(sessions.read_text().replace("export interface Session {", "export interface Session {\n    added?: string;", 1))
    check = _tsgen(work, "check")
    assert check.returncode == 1 and "sessions.py (stale)" in check.stdout
    generate = _tsgen(work, "generate")
    assert "3 file(s) written" in generate.stderr, generate.stderr  # the module, the recorded API (a field more) and the manifest
    assert _fresh(_tsgen(work, "check"))


def test_a_setting_or_a_template_change_runs_again(work: Path) -> None:
    assert not _fresh(_tsgen(work, "check", "--model-type", "dataclass"))
    templates = work / "templates"
    templates.mkdir()
    (templates / "alias.py.jinja").write_text("{{ d.name }}: TypeAlias = {{ d.type.render() }}\n# overridden\n")
    assert not _fresh(_tsgen(work, "check", "--templates", str(templates)))
    assert _fresh(_tsgen(work, "check"))


def test_an_edited_or_extra_output_file_is_seen(work: Path) -> None:
    runtime = work / "out" / "rt" / "_runtime.py"
    runtime.write_text(runtime.read_text() + "# edited\n")
    check = _tsgen(work, "check")
    assert check.returncode == 1 and "rt/_runtime.py (stale)" in check.stdout
    assert "written" in _tsgen(work, "generate").stderr
    (work / "out" / "rt" / "stray.py").write_text("x = 1\n")
    check = _tsgen(work, "check")
    assert check.returncode == 1 and "rt/stray.py (not generated any more)" in check.stdout


def test_fail_on_warning_is_not_answered_from_a_run_that_warned(work: Path) -> None:
    warned = work / "in" / "extra.d.ts"
    warned.write_text("export interface W { t: string extends number ? 1 : 2 }\n")
    assert _tsgen(work, "generate").returncode == 0
    strict = _tsgen(work, "check", "--fail-on-warning")
    assert strict.returncode == 1 and "warning" in strict.stderr
