"""npm tarballs as input, read in memory: the same output, byte for byte, as the unpacked
directory (the whole openai 4.104.0 package, packed here as `npm pack` packs: every file under
`package/`); a tarball named by `[tool.tsgen] input`; its package and version in the manifest;
a damaged tarball refused with a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conftest import CORPUS


def _tsgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def _pack(directory: Path, tarball: Path) -> Path:
    with tarfile.open(tarball, "w:gz") as tar:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                tar.add(path, arcname="package/" + path.relative_to(directory).as_posix())
    return tarball


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pack(CORPUS, tmp_path_factory.mktemp("packed") / "openai-4.104.0.tgz")


def test_a_tarball_gives_the_bytes_its_directory_gives(packed: Path, tmp_path: Path) -> None:
    runs = {}
    for name, source in (("tarball", packed), ("directory", CORPUS)):
        result = _tsgen(tmp_path, "generate", str(source), "-o", f"out-{name}", "--formatter", "none", "--package", "oa", "--no-cache")
        assert result.returncode == 0, result.stderr[-2000:]
        runs[name] = (_tree(tmp_path / f"out-{name}"), result.stderr.replace(f"out-{name}", "out"))
    assert len(runs["tarball"][0]) > 150
    assert runs["tarball"] == runs["directory"]  # the files, and the warnings (by paths inside the package)
    manifest = json.loads(runs["tarball"][0]["tsgen-manifest.json"])
    assert manifest["package"] == "openai@4.104.0"
    assert {"resources/batches.d.ts", "resources/batches.js", "package.json"} <= {i["path"] for i in manifest["inputs"]}


def test_a_tarball_named_in_the_config(packed: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tsgen]\ninput = "openai-4.104.0.tgz"\noutput = "gen"\npackage = "oa"\nformatter = "none"\n')
    (tmp_path / "openai-4.104.0.tgz").write_bytes(packed.read_bytes())
    first = _tsgen(tmp_path)
    assert first.returncode == 0 and "written to" in first.stderr, first.stderr[-2000:]
    assert (tmp_path / "gen" / "oa" / "resources" / "beta" / "realtime" / "sessions.py").is_file()
    assert "is up to date" in _tsgen(tmp_path, "check").stderr
    same = _tsgen(tmp_path, "diff", "gen", str(CORPUS))
    assert same.returncode == 0 and "no change to the Python API" in same.stdout, same.stdout[-2000:]


def test_a_damaged_tarball_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.tgz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    result = _tsgen(tmp_path, "generate", "broken.tgz", "-o", "out")
    assert result.returncode == 2
    assert "broken.tgz: cannot read the tarball" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_path_through_a_tarball_names_a_part_of_the_package(packed: Path, tmp_path: Path) -> None:
    """`openai-4.104.0.tgz/resources/beta/realtime`: the part, named from the package's root, as
    `--root` at the unpacked package gives; `make upgrade` reads a release this way."""
    part = "resources/beta/realtime"
    through = _tsgen(tmp_path, "generate", f"{packed}/{part}", "-o", "through", "--formatter", "none", "--package", "oa")
    assert through.returncode == 0, through.stderr[-2000:]
    unpacked = _tsgen(tmp_path, "generate", str(CORPUS / part), "--root", str(CORPUS), "-o", "unpacked", "--formatter", "none", "--package", "oa")
    assert unpacked.returncode == 0, unpacked.stderr[-2000:]
    assert _tree(tmp_path / "through") == _tree(tmp_path / "unpacked")
    assert (tmp_path / "through" / "oa" / "resources" / "beta" / "realtime" / "sessions.py").is_file()
    missing = _tsgen(tmp_path, "generate", f"{packed}/resources/nowhere", "-o", "out")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    same = _tsgen(tmp_path, "diff", "through", f"{packed}/{part}")
    assert same.returncode == 0 and "no change to the Python API" in same.stdout, same.stdout[-2000:]
