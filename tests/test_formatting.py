"""Formatting: the same bytes whatever the number of jobs and whatever the cache holds; a cached
module is not formatted again; ruff and none as formatters; a corrupt cache entry is not trusted
blindly (it is the formatter's output by key, so a damaged file is re-created)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from tsgen import blackpool, formatting
from tsgen.cache import entries
from tsgen.formatting import FormatSettings, Unformatted, format_modules


def _run(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tsgen", "generate", str(CORPUS / "resources" / "beta"), "--root", str(CORPUS), "-o", str(out), "--package", "oa", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=out.parent)


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_same_bytes_whatever_the_jobs_and_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runs = {
        "one job, no cache": ("-j", "1", "--no-cache"),
        "four jobs, cold cache": ("-j", "4", "--cache-dir", str(cache)),
        "four jobs, warm cache": ("-j", "4", "--cache-dir", str(cache)),
        "one job, warm cache": ("-j", "1", "--cache-dir", str(cache)),
    }
    trees = {}
    for i, (name, extra) in enumerate(runs.items()):
        out = tmp_path / f"out{i}"
        result = _run(out, *extra)
        assert result.returncode == 0, result.stderr[-2000:]
        trees[name] = _tree(out)
    first = trees["one job, no cache"]
    assert len(first) > 20
    assert all(tree == first for tree in trees.values())
    cached = list(entries(cache, "format"))  # one per distinct module text (empty __init__ files share one)
    distinct = {data for path, data in first.items() if path.endswith(".py")}
    assert len(distinct) <= len(cached) <= len([p for p in first if p.endswith(".py")])


def test_a_cached_module_is_not_formatted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = FormatSettings("black", 88, 1, tmp_path)
    sources = {"a.py": Unformatted("x = ( 1 )\n", "t"), "b.py": Unformatted("y=[1,2]\n", "t")}
    assert format_modules(sources, settings) == {"a.py": "x = 1\n", "b.py": "y = [1, 2]\n"}
    calls: list[str] = []
    original = blackpool.black_many
    monkeypatch.setattr(blackpool, "black_many", lambda texts, n, ruff: calls.extend(texts) or original(texts, n, ruff))
    again = format_modules({**sources, "c.py": Unformatted("z =  3\n", "t")}, settings)
    assert again == {"a.py": "x = 1\n", "b.py": "y = [1, 2]\n", "c.py": "z = 3\n"} and calls == ["z =  3\n"]
    other_length = format_modules(sources, FormatSettings("black", 100, 1, tmp_path))  # another setting: another key
    assert other_length == {"a.py": "x = 1\n", "b.py": "y = [1, 2]\n"} and len(calls) == 3


def test_ruff_and_none(tmp_path: Path) -> None:
    sources = {"a.py": Unformatted("x = ( 1 )\n", "t"), "b.py": Unformatted("def f( a ):\n  return a\n", "t")}
    ruffed = format_modules(sources, FormatSettings("ruff", 88, 1, None))
    assert ruffed == {"a.py": "x = 1\n", "b.py": "def f(a):\n    return a\n"}
    assert format_modules(sources, FormatSettings("none", 88, 1, None)) == {p: s.text for p, s in sources.items()}


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_text_that_does_not_parse_is_a_template_error(formatter: str) -> None:
    from tsgen.diagnostics import TsgenError

    with pytest.raises(TsgenError, match="module.py.jinja:1:1: error: template error: the rendered module is not valid Python"):
        format_modules({"a.py": Unformatted("def (:\n", "module.py.jinja")}, FormatSettings(formatter, 88, 1, None))


def test_in_parallel_the_error_is_that_of_the_first_module_that_does_not_parse() -> None:
    """Workers finish in any order; the error reported does not depend on it."""
    from tsgen.diagnostics import TsgenError

    big = "".join(f"x{i} = [ {i}, {i + 1} ]\n" for i in range(3000))  # slower to format than the others
    sources = {f"m{i:02}.py": Unformatted(big if i % 2 else "y = ( 1 )\n", "ok.jinja") for i in range(20)}
    sources["m05.py"] = Unformatted(big + "def (:\n", "first.jinja")  # fails late: after a big module's work
    sources["m12.py"] = Unformatted("def (:\n", "second.jinja")  # fails at once
    for _ in range(3):
        with pytest.raises(TsgenError, match="first.jinja"):
            format_modules(sources, FormatSettings("black", 88, 2, None))
    good = {p: s for p, s in sources.items() if s.template == "ok.jinja"}
    assert format_modules(good, FormatSettings("black", 88, 2, None)) == format_modules(good, FormatSettings("black", 88, 1, None))


def test_ruff_output_is_valid_and_stable(tmp_path: Path) -> None:
    out = tmp_path / "ruff"
    assert _run(out, "--formatter", "ruff", "--no-cache").returncode == 0
    again = tmp_path / "ruff2"
    assert _run(again, "--formatter", "ruff", "--no-cache").returncode == 0
    assert _tree(out) == _tree(again)
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", str(out)], capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stdout


def test_black_after_ruff_is_black_s_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ruff lays out black's input (to spare black its second pass): what comes out is what black
    alone makes of the rendered text, and black has nothing left to change in it; without a ruff
    binary, black alone gives the same."""
    import black

    out = tmp_path / "raw"
    assert _run(out, "--formatter", "none", "--no-cache").returncode == 0
    raw = {p: Unformatted(t.decode(), "t") for p, t in _tree(out).items() if p.endswith(".py") and t.strip()}
    assert len(raw) > 20
    mode = black.Mode(target_versions={black.mode.TargetVersion.PY310})
    alone = {p: black.format_str(s.text, mode=mode) for p, s in raw.items()}
    settings = FormatSettings("black", 88, 2, None)
    assert formatting.ruff_or_none() is not None
    assert format_modules(raw, settings) == alone
    assert all(black.format_str(text, mode=mode) == text for text in alone.values())
    monkeypatch.setattr(blackpool, "ruff_or_none", lambda: None)
    assert format_modules(raw, FormatSettings("black", 88, 1, None)) == alone


def test_a_batch_formats_each_module_as_it_would_alone() -> None:
    """Modules sent to a worker together (one ruff run over all of them) come out as each would
    alone; one that does not parse is reported, and spoils none of the others."""
    ruff = formatting.ruff_or_none()
    assert ruff is not None
    texts = ["x = ( 1 )\n", "def f( a ):\n  return a\n", "def (:\n", "y = {'a':[1,2,3],\n 'b' :2}\n", "é = 'ü'\n"]
    together = blackpool.black_many(texts, 88, ruff)
    assert together == [blackpool.black_many([text], 88, ruff)[0] for text in texts]
    assert [text is None for text, _ in together] == [False, False, True, False, False]
    assert together[3][0] == 'y = {"a": [1, 2, 3], "b": 2}\n'
