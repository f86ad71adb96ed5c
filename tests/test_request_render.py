"""Route values rendered as Python expressions over the generated method's parameters."""

from __future__ import annotations

import ast

from tsgen.js.values import Arr, Cond, Field, Lit, Obj, Param
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
