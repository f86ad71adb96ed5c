"""Python parameters of resource methods never collide: a positional parameter named like the
`**params` catch-all, a params key named `self`."""

from __future__ import annotations

import inspect
from pathlib import Path

from util import assert_mypy_strict, generate, imported, write_tree

FILES = {
    "core/resource.d.ts": b"export declare abstract class APIResource {\n  protected _client: unknown;\n}\n",
    "core/api-promise.d.ts": b"export type APIPromise<T> = Promise<T>;\n",
    "api.d.ts": b"""import { APIResource } from './core/resource';
import { APIPromise } from './core/api-promise';
export interface Params { model: string }
export interface ThreadOptions { label?: string; self?: string }
export interface Thread { id: string }
export declare class Messages extends APIResource {
  /** The first parameter is called params; the fields of the second become keywords. */
  thread(params: string, options?: ThreadOptions): APIPromise<Thread>;
}
""",
}


def test_a_parameter_named_params_beside_the_keyword_fields(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "src", FILES)
    out = write_tree(tmp_path / "out", generate(src, ("api.d.ts",), package="pkg").files)
    with imported(out, "pkg.api") as api:
        parameters = inspect.signature(api.Messages.thread).parameters
        assert list(parameters)[:2] == ["self", "params"]
        assert parameters["self"].kind is inspect.Parameter.POSITIONAL_ONLY  # the key `self` can be given
        assert [p.kind for p in parameters.values()][-1] is inspect.Parameter.VAR_KEYWORD
    assert_mypy_strict(out)
