"""Generated modules import in any order whatever the import cycles between them; a resource
class that shares its name with an interface (declaration merging) gives both a Python class;
a resource class extending another resource class inherits its methods."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pydantic
import pytest

from util import assert_mypy_strict, generate, imported, write_tree

RUNTIME = {
    "core/resource.d.ts": b"export declare abstract class APIResource {\n  protected _client: unknown;\n}\n",
    "core/api-promise.d.ts": b"export type APIPromise<T> = Promise<T>;\n",
}

CYCLE = {
    **RUNTIME,
    "a.d.ts": b"""import { B1, BAlias, BFromA } from './b';
export interface A1 { b?: B1; name: string }
/** A late alias naming a late alias of b, which names a late alias of this module. */
export type AAlias = BAlias | A1;
export type AChain = Array<BFromA>;
""",
    "b.d.ts": b"""import { APIResource } from './core/resource';
import { APIPromise } from './core/api-promise';
import { A1, AAlias } from './a';
export interface B1 { a?: A1; size: number }
export type BAlias = B1 | null;
export type BFromA = AAlias | string;
export declare class Things extends APIResource {
  /** Returns a type of the other module. */
  retrieve(id: string): APIPromise<AAlias>;
}
""",
    "index.d.ts": b"export { AAlias, AChain } from './a';\nexport { BFromA } from './b';\nexport * from './b';\n",
}


def _write(tmp_path: Path, files: dict[str, bytes], package: str = "pkg") -> Path:
    src = write_tree(tmp_path / "src", files)
    inputs = tuple(sorted(k for k in files if not k.startswith("core/")))
    result = generate(src, inputs, package=package)
    return write_tree(tmp_path / "out", result.files)


def test_every_module_of_an_import_cycle_imports_first_and_alone(tmp_path: Path) -> None:
    out = _write(tmp_path, CYCLE)
    for module in ("pkg.a", "pkg.b", "pkg.index"):
        proc = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=out, capture_output=True, text=True)
        assert proc.returncode == 0, (module, proc.stderr)
    assert_mypy_strict(out)


def test_aliases_through_the_cycle_keep_their_meaning(tmp_path: Path) -> None:
    out = _write(tmp_path, CYCLE)
    with imported(out, "pkg.index") as index:
        chain: pydantic.TypeAdapter[object] = pydantic.TypeAdapter(index.AChain)
        values = chain.validate_python(["text", {"name": "n", "b": {"size": 2}}, {"size": 3}, None])
        assert values[0] == "text" and values[3] is None
        assert type(values[1]).__name__ == "A1" and values[1].b.size == 2
        assert type(values[2]).__name__ == "B1" and values[2].size == 3
        assert pydantic.TypeAdapter(index.AAlias).validate_python(None) is None


def test_method_annotations_naming_another_module_are_not_evaluated_at_import(tmp_path: Path) -> None:
    out = _write(tmp_path, CYCLE)
    text = (out / "pkg" / "b.py").read_text()
    assert 'def retrieve(' in text and '-> "_a.AAlias"' in text.replace("\n", "")


MERGED = {
    **RUNTIME,
    "custom-trust-store.d.ts": b"""import { APIResource } from './core/resource';
import { APIPromise } from './core/api-promise';
export declare class BaseCustomTrustStore extends APIResource {
  /** Upload a certificate. */
  create(params: CustomTrustStoreCreateParams): APIPromise<CustomTrustStore>;
}
export declare class CustomTrustStore extends BaseCustomTrustStore {
}
/** A certificate in the trust store. */
export interface CustomTrustStore {
  /** Certificate identifier tag. */
  id: string;
  certificate: string;
}
export interface CustomTrustStoreCreateParams {
  zone_id: string;
  certificate: string;
}
""",
    "custom-trust-store.js": b"""class BaseCustomTrustStore extends resource_1.APIResource {
    create(params, options) {
        return this._client.post(`/acm/custom_trust_store`, { body: params, ...options });
    }
}
class CustomTrustStore extends BaseCustomTrustStore {
}
""",
}


@pytest.fixture
def answering() -> Iterator[tuple[str, list[tuple[str, str, object]]]]:
    seen: list[tuple[str, str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
            seen.append(("POST", self.path, body))
            data = json.dumps({"id": "cts_1", "certificate": body["certificate"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_a_resource_merged_with_an_interface_is_both(tmp_path: Path, answering: tuple[str, list[tuple[str, str, object]]]) -> None:
    out = _write(tmp_path, MERGED)
    url, seen = answering
    with imported(out, "pkg.custom_trust_store") as mod:
        runtime = sys.modules["pkg._runtime"]
        assert [f for f in mod.CustomTrustStore.__dataclass_fields__] == ["id", "certificate"]
        assert mod.CustomTrustStore.__doc__ == "A certificate in the trust store."
        assert issubclass(mod.CustomTrustStoreResource, mod.BaseCustomTrustStore)
        assert issubclass(mod.AsyncCustomTrustStoreResource, mod.AsyncBaseCustomTrustStore)
        answer = mod.CustomTrustStoreResource(runtime.Client(base_url=url)).create(zone_id="z", certificate="PEM")
        assert isinstance(answer, mod.CustomTrustStore) and answer.id == "cts_1" and answer.certificate == "PEM"
    assert seen == [("POST", "/acm/custom_trust_store", {"zone_id": "z", "certificate": "PEM"})]
    assert_mypy_strict(out)
