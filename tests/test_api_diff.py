"""`tsgen diff`: small pairs of declaration files (tests/api_diff/<case>/{old,new}.d.ts, with the
.js beside each for the routes: tests/api_diff/things.js unless the case has its own), one per kind of change, each with the exact report expected as
text and as JSON (`TSGEN_UPDATE_GOLDEN=1` rewrites them). Then the same comparison against an
output tree (the API recorded beside it), `--fail-on-breaking`, and `generate --diff`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).parent / "api_diff"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
UPDATE = os.environ.get("TSGEN_UPDATE_GOLDEN") == "1"


def _tsgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _sides(case: str, where: Path) -> Path:
    """`where/old` and `where/new`, each a package root with resources/things.d.ts and .js."""
    for side in ("old", "new"):
        resources = where / side / "resources"
        resources.mkdir(parents=True)
        shutil.copy(CASES_DIR / case / f"{side}.d.ts", resources / "things.d.ts")
        js = CASES_DIR / case / f"{side}.js"
        shutil.copy(js if js.is_file() else CASES_DIR / "things.js", resources / "things.js")  # the routes, when the case changes them
    return where


def _expect(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with TSGEN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_every_kind_of_change_has_a_case() -> None:
    kinds = set()
    for case in CASES:
        kinds |= {c["kind"] for c in json.loads((CASES_DIR / case / "expected.json").read_text())["changes"]}
    wanted = {
        "declaration-added", "declaration-removed", "declaration-renamed", "field-added", "field-removed", "field-retyped",
        "field-widened", "field-narrowed", "field-optional", "field-required", "field-nullable", "field-not-nullable",
        "literal-added", "literal-removed", "method-added", "method-removed", "route-changed", "param-added", "param-moved",
        "deprecated",
    }  # fmt: skip
    assert wanted <= kinds, wanted - kinds


@pytest.mark.parametrize("case", CASES)
def test_report(case: str, tmp_path: Path) -> None:
    where = _sides(case, tmp_path)
    text = _tsgen(where, "diff", "old", "new")
    assert text.returncode == 0, text.stderr
    _expect(CASES_DIR / case / "expected.txt", text.stdout)
    as_json = _tsgen(where, "diff", "old", "new", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    _expect(CASES_DIR / case / "expected.json", as_json.stdout)
    doc = json.loads(as_json.stdout)
    assert doc["breaking"] == sum(c["breaking"] for c in doc["changes"]) == text.stdout.count("  breaking  ")


def test_an_output_tree_is_compared_by_the_api_recorded_beside_it(tmp_path: Path) -> None:
    """The old release's output, its inputs replaced since: the same changes as from the inputs."""
    where = _sides("methods", tmp_path)
    assert _tsgen(where, "generate", "old", "-o", "out", "--formatter", "none", "--package", "things").returncode == 0
    shutil.rmtree(where / "old")
    from_output = _tsgen(where, "diff", "out", "new", "--format", "json")
    assert from_output.returncode == 0, from_output.stderr
    expected = json.loads((CASES_DIR / "methods" / "expected.json").read_text())
    assert json.loads(from_output.stdout)["changes"] == expected["changes"]


def test_a_placeholder_renamed_in_the_js_is_the_same_route(tmp_path: Path) -> None:
    """literals/new.js names the path placeholder of `retrieve` differently (`{id}`, was
    `{thingID}`): the same route; a changed path is still one."""
    where = _sides("literals", tmp_path)
    assert "{id}" in (where / "new" / "resources" / "things.js").read_text()
    same = json.loads(_tsgen(where, "diff", "old", "new", "--format", "json").stdout)
    assert not [c for c in same["changes"] if c["kind"] == "route-changed"]
    js = where / "new" / "resources" / "things.js"
    js.write_text(js.read_text().replace("`/things/${id}`", "`/items/${id}`"))
    moved = json.loads(_tsgen(where, "diff", "old", "new", "--format", "json").stdout)
    assert [c["reason"] for c in moved["changes"] if c["kind"] == "route-changed"] == ["route changed: GET /things/{thingID} -> GET /items/{id}"]


def test_fail_on_breaking(tmp_path: Path) -> None:
    where = _sides("literals", tmp_path)
    failed = _tsgen(where, "diff", "old", "new", "--fail-on-breaking")
    assert failed.returncode == 1 and "1 breaking change(s) and --fail-on-breaking" in failed.stderr
    assert "ThingCreateParams.mode" in failed.stdout
    compatible = _tsgen(where, "diff", "new", "new", "--fail-on-breaking")
    assert compatible.returncode == 0 and "no change to the Python API" in compatible.stdout


def test_markdown_report(tmp_path: Path) -> None:
    where = _sides("literals", tmp_path)
    md = _tsgen(where, "diff", "old", "new", "--format", "markdown")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("## API changes: old → new\n")
    assert "| literal-removed | 1 |" in md.stdout
    assert "- **breaking**: `ThingCreateParams.mode`: value(s) removed: 'auto': callers sending them get a type error" in md.stdout


def test_generate_diff_reports_what_it_rewrote(tmp_path: Path) -> None:
    where = _sides("fields-removed", tmp_path)
    first = _tsgen(where, "generate", "old", "-o", "out", "--formatter", "none", "--package", "things", "--diff")
    assert first.returncode == 0 and "no previous output to compare with" in first.stderr
    again = _tsgen(where, "generate", "new", "-o", "out", "--formatter", "none", "--package", "things", "--diff")
    assert again.returncode == 0, again.stderr
    expected = (CASES_DIR / "fields-removed" / "expected.txt").read_text().splitlines()[1:]
    assert again.stdout.splitlines()[1:] == expected
    same = _tsgen(where, "generate", "new", "-o", "out", "--formatter", "none", "--package", "things", "--diff")
    assert same.returncode == 0 and "no change to the Python API" in same.stdout


def test_an_output_without_a_recorded_api_is_a_clear_error(tmp_path: Path) -> None:
    where = _sides("literals", tmp_path)
    assert _tsgen(where, "generate", "old", "-o", "out", "--formatter", "none", "--package", "things").returncode == 0
    (where / "out" / "tsgen-api.json").unlink()
    result = _tsgen(where, "diff", "out", "new")
    assert result.returncode == 1
    assert "tsgen-manifest.json:1:1: error: this output has no tsgen-api.json" in result.stderr
    (where / "out" / "tsgen-api.json").write_text('{"format": 1, "declarations": {"x:Y": {"kind": 3}}}')
    broken = _tsgen(where, "diff", "out", "new")
    assert broken.returncode == 1 and "tsgen-api.json:1:1: error: not an API record of this tsgen" in broken.stderr


def test_the_recorded_api_reads_back_as_written(tmp_path: Path) -> None:
    """`tsgen-api.json` of a whole package (openai 7.59.0, every kind of declaration) is read
    back to the same API: written again, the same bytes (an enum's: test_enums_compared_from_an_output_tree)."""
    from conftest import SHARED
    from tsgen.api.snapshot import dumps, loads

    out = tmp_path / "out"
    result = _tsgen(tmp_path, "generate", str(SHARED / "corpus" / "openai-7.59.0"), "-o", str(out), "--formatter", "none", "--package", "oa", "--no-cache")
    assert result.returncode == 0, result.stderr[-2000:]
    recorded = (out / "tsgen-api.json").read_bytes()
    api = loads(recorded, "tsgen-api.json")
    assert {d.kind for d in api.declarations.values()} == {"typeddict", "dataclass", "alias", "resource", "page", "client", "protocol"}  # openai has no enum
    assert api.package == "openai@7.59.0" and dumps(api) == recorded


def test_enums_compared_from_an_output_tree(tmp_path: Path) -> None:
    """The enums case, its old side read back from the API recorded beside its output."""
    where = _sides("enums", tmp_path)
    assert _tsgen(where, "generate", "old", "-o", "out", "--formatter", "none", "--package", "things").returncode == 0
    from_output = _tsgen(where, "diff", "out", "new", "--format", "json")
    assert from_output.returncode == 0, from_output.stderr
    assert json.loads(from_output.stdout)["changes"] == json.loads((CASES_DIR / "enums" / "expected.json").read_text())["changes"]
