"""The route oracle over every SDK of the matrix (tests/corpora.py): each method that the SDK's own
JavaScript routes (one request, recorded by tests/tsc/record_routes.js through a recording
`fetch`) is called through the generated root client, sync and async (`OpenAI(...)`,
`AsyncOpenAI(...)`), against a loopback HTTP server, and must send the same verb and path (path
holes filled), query keys, body keys and headers, and return the server's answer (a complete
sample of the declared answer type) converted; each nested resource is reachable as its
parent's attribute, as on the SDK's client."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from corpora import CORPORA, SDKS, Trees
from route_oracle import check_in_subprocess, figures as route_figures, record


@pytest.mark.parametrize("name", SDKS)
def test_every_routed_method_sends_what_the_sdk_sends(name: str, trees: Trees, figures: list[str], tmp_path: Path) -> None:
    corpus = CORPORA[name]
    assert corpus.js_root is not None
    tree = trees.get(name)
    start = time.monotonic()
    oracle = record(corpus.root, corpus.js_root, corpus.client_options)
    oracle_file = tmp_path / "oracle.json"
    oracle_file.write_text(json.dumps(oracle))
    report = check_in_subprocess(tree.out, corpus.package, oracle_file)
    lines = route_figures(name, report)
    lines[0] += f" ({time.monotonic() - start:.0f}s)"
    figures.extend(lines)
    assert report["routed"] >= 10, "the oracle found almost no routed methods: is the SDK's client walked?"
    assert report["verb_path"] >= corpus.routes_min * report["routed"], "\n".join(lines[:12])
    assert report["placement"] >= corpus.routes_min * report["routed"], "\n".join(lines[:12])
    assert not report["unreachable"], report["unreachable"][:12]  # `Audio(client).transcriptions` is a Transcriptions
    assert report["root_client"], "no root client was generated: the calls went through the resource classes"
    assert report["async_placement"] >= corpus.routes_min * report["routed"], "\n".join(lines[:12])
    assert report["typed"] >= corpus.routes_min * report["routed"], "\n".join(lines[:12])  # answers converted
