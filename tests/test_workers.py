"""Work done meanwhile in a worker process gives what the same work done here gives, and a
worker that fails leaves the work to this process (the run's output does not depend on it)."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS
from tsgen.jsroutes import RouteReader, routes_of
from tsgen.workers import Background


def test_routes_read_by_the_worker_are_the_routes_read_here() -> None:
    files = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / "resources").rglob("*.js"))
    assert len(files) >= 16  # enough to be handed to a worker
    reader = RouteReader(CORPUS, files, None, {})
    for rel in files:
        assert reader.routes(rel, CORPUS / rel) == routes_of(rel, (CORPUS / rel).read_bytes(), None, {}), rel
    assert any(reader.routes(rel, CORPUS / rel)[0] for rel in files)


def _fails(n: int) -> int:
    if n == 2:
        raise ValueError("boom")
    return n * 10


def test_a_failed_job_gives_no_result_and_the_others_still_come() -> None:
    assert list(Background(_fails, [(1,), (2,), (3,)]).results()) == [10, 30]


def test_a_file_the_worker_did_not_read_is_read_here(tmp_path: Path) -> None:
    js = tmp_path / "a.js"
    js.write_text("class A extends APIResource { list() { return this._client.get('/a'); } }\n")
    reader = RouteReader(tmp_path, [f"missing{i}.js" for i in range(20)], None, {})
    assert reader.routes("a.js", js) == routes_of("a.js", js.read_bytes(), None, {})
    assert reader.routes("a.js", js)[0]
