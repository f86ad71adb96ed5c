"""Route values rendered as Python expressions over the generated method's parameters."""

from __future__ import annotations

import ast

from tsgen.js.values import Arr, Cond, Field, Lit, Obj, Param
from tsgen.diagnostics import Pos
from tsgen.lower.requests import Renderer


def test_values_render_to_runtime_helper_calls() -> None:
    render = Renderer({"params": "params", "fileID": "file_id"})
    assert render.value(Param("params", ("account_id",))) == "param_rest(params, ('account_id',))"
    assert render.value(Obj(((None, Param("params")), ("x", Field("params", ("a", "b")))))) == "{**param_rest(params, ()), 'x': param_field(params, 'a', 'b')}"
    assert render.value(Arr(((True, Field("params", ("betas",))), (False, Lit("v1"))))) == "param_items(param_field(params, 'betas'), ['v1'])"
    account = Field("params", ("account_id",))
    assert render.value(Cond(account, Lit("accounts"), Lit("zones"))) == "('accounts' if param_field(params, 'account_id') else 'zones')"
    assert render.value(Cond(account, account, Lit(None), True)).startswith("(param_field(params, 'account_id') if param_given(")
    assert render.helpers == {"param_rest", "param_field", "param_items", "param_given"}


def test_paths_number_their_holes_and_keep_literal_braces() -> None:
    render = Renderer({"fileID": "file_id"})
    assert render.path("/f/{fileID}/{{raw}}", (Param("fileID"),)) == "route_path('/f/{0}/{{raw}}', file_id)"
    assert render.path("/plain/{{raw}}", ()) == "'/plain/{raw}'"


def test_a_parameter_missing_from_the_signature_is_undefined() -> None:
    assert Renderer({}).value(Param("query")) == "None"
    assert Renderer({}).value(Field("query", ("limit",))) == "param_field(None, 'limit')"


def test_literals_never_become_code() -> None:
    hostile = "'); import os; os.system('x') #\"\"\"\n"
    text = Renderer({}).value(Obj(((hostile, Lit(hostile)),)))
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Dict)
    assert all(isinstance(n, (ast.Dict, ast.Constant, ast.Expression, ast.Load)) for n in ast.walk(tree))


def test_only_the_helpers_the_call_names_are_imported() -> None:
    """The `stream` expression is in the call only when the answer may stream: a method whose
    answer is binary (together-ai's audio.speech.create, overloaded on `stream`) does not
    import its helper (an unused import is an error under pyright strict)."""
    from tsgen.pymodel import ImportName, MethodDef, ResourceDef, ReturnDef, RouteDef
    from tsgen.pytypes import PyName

    render = Renderer({"params": "params", "id": "id"})
    path = render.path("/audio/{id}", (Param("id"),))
    stream = render.value(Field("params", ("stream",)))
    route = RouteDef("post", path, "params", None, (), stream=stream, helpers=frozenset(render.helpers))
    binary = ReturnDef("binary", PyName("BinaryResponse"), PyName("BinaryResponse"), cast_to="BinaryResponse")
    streaming = ReturnDef("stream", PyName("Stream"), PyName("AsyncStream"), cast_to="object", event_to="object")
    assert route.helpers == {"route_path", "param_field"}
    assert route.helpers_called(binary) == {"route_path"} and route.helpers_called(streaming) == {"route_path", "param_field"}
    for returns, imported in ((binary, False), (streaming, True)):
        method = MethodDef("create", (), returns, route, None, None)
        resource = ResourceDef("Speech", "AsyncSpeech", "Speech", (method,), (), None, Pos("x.d.ts", 1, 1), "._runtime")
        assert (ImportName("._runtime", "param_field") in resource.imports()) is imported
