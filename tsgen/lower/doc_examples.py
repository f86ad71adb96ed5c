"""Pass: the docstrings' `@example` blocks that call the SDK's client, in Python (tsgen.examples).

Runs once everything is lowered: an example's call is resolved through the root client's
attribute tree (the names the client and the resources were given, `SubresourceDef`) to a
generated method (`MethodDef`: its Python name, how its parameters are passed, whether its async
form is a coroutine). Each example is translated twice: the doc's text calls the sync client, its
`async_text` the async client (awaiting, `async for`). An example that cannot be translated keeps
its TypeScript (in the async text alone when only the async translation fails); `Outcomes`
counts each kind of outcome, the async ones prefixed `async: `."""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from tsgen import tsmodel as m
from tsgen.examples import Callee, Untranslatable, translate
from tsgen.lower.client import resource_props
from tsgen.lower.entities import Key
from tsgen.lower.naming import SYNC, Naming
from tsgen.program import Program
from tsgen.pymodel import ClientDef, Doc, MethodDef, ModuleFile, ResourceDef, SubresourceDef

Outcomes = collections.Counter  # "translated", or why an example was not
T = TypeVar("T")

# `@example` (a caption may follow), then a fenced TypeScript block, as tsgen.lower.models.doc_of writes the tag
_EXAMPLE = re.compile(r"^(@example[^\n]*\n)```(?:ts|typescript|js|javascript|)\n(.*?)\n```$", re.M | re.S)


class ClientTree:
    """The generated client's attributes, from the client through the resources to the methods,
    by their TypeScript names."""

    def __init__(self, program: Program, naming: Naming, resources: set[Key], modules: Iterable[ModuleFile]) -> None:
        self._program = program
        self._naming = naming
        self._resources = resources
        self._defs = {(mod.path, d.name): d for mod in modules for d in [*mod.definitions, *mod.late_definitions] if isinstance(d, ResourceDef)}

    def resolver(self, key: Key, decl: m.Class, client: ClientDef) -> Callable[[tuple[str, ...]], Callee | None]:
        def resolve(chain: tuple[str, ...]) -> Callee | None:
            path: list[str] = []
            current: tuple[Key, m.Class, tuple[SubresourceDef, ...]] | None = (key, decl, client.subresources)
            for name in chain[:-1]:
                current = self._step(current, name, path) if current is not None else None
            resource = self._resource(current[0]) if current is not None else None
            method = next((x for x in resource.methods if x.ts_name == chain[-1]), None) if resource and chain else None
            return Callee((*path, method.name), method.calls, method.returns.coroutine(True)) if method is not None else None

        return resolve

    def _step(self, at: tuple[Key, m.Class, tuple[SubresourceDef, ...]], name: str, path: list[str]) -> tuple[Key, m.Class, tuple[SubresourceDef, ...]] | None:
        key, decl, subresources = at
        sub = next((s for s in subresources if s.ts_name == name), None)
        target = next((k for prop, k in resource_props(decl, key, self._program, self._resources) if prop.name == name), None)
        classes = [d for d in self._program.declarations(target.module).get(target.path, []) if isinstance(d, m.Class)] if target else []
        resource = self._resource(target) if target is not None else None
        if sub is None or target is None or not classes or resource is None:
            return None
        path.append(sub.name)
        return target, classes[0], resource.subresources

    def _resource(self, key: Key) -> ResourceDef | None:
        name = self._naming.names.get((key, SYNC))
        return self._defs.get((self._naming.py_modules[self._naming.home(key)], name)) if name else None


def example_docs(doc: Doc, resolve: Callable[[tuple[str, ...]], Callee | None], outcomes: Outcomes[str], line_length: int) -> Doc:
    """The doc with each `@example` that can be, in Python (a ```python block): in its text for
    the sync client, in its `async_text` for the async client (None: the same text)."""
    if "@example" not in doc.text:
        return doc
    text = _examples_in(doc.text, resolve, outcomes, line_length, asynchronous=False)
    async_text = _examples_in(doc.text, resolve, outcomes, line_length, asynchronous=True)
    if text == doc.text and async_text == doc.text:
        return doc
    return replace(doc, text=text, async_text=None if async_text == text else async_text)


def _examples_in(text: str, resolve: Callable[[tuple[str, ...]], Callee | None], outcomes: Outcomes[str], line_length: int, asynchronous: bool) -> str:
    prefix = "async: " if asynchronous else ""

    def one(match: re.Match[str]) -> str:
        try:
            python = translate(match.group(2), resolve, line_length, asynchronous)
        except Untranslatable as e:
            outcomes[prefix + str(e)] += 1
            return match.group(0)
        outcomes[prefix + "translated"] += 1
        return f"{match.group(1)}```python\n{python}\n```"

    return _EXAMPLE.sub(one, text)


def with_docs(obj: T, change: Callable[[Doc], Doc]) -> T:
    """The definition with `change` applied to every doc it holds (its own, its fields', its
    methods'...); the same object when none changes."""
    changed: dict[str, object] = {}
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, Doc):
            new: object = change(value)
        elif isinstance(value, tuple) and value and is_dataclass(value[0]) and hasattr(value[0], "doc"):
            items = tuple(with_docs(v, change) for v in value)
            new = items if any(a is not b for a, b in zip(items, value)) else value
        else:
            continue
        if new is not value:
            changed[f.name] = new
    return replace(obj, **changed) if changed else obj  # type: ignore[type-var]


def translate_examples(modules: dict[str, ModuleFile], tree: ClientTree, clients: list[tuple[Key, m.Class]], client_module: ModuleFile | None, line_length: int) -> Outcomes[str]:
    """Every docstring's examples, translated for the package's (first) client."""
    outcomes: Outcomes[str] = collections.Counter()
    client = next((d for d in client_module.definitions if isinstance(d, ClientDef)), None) if client_module else None
    if client is None or not clients:
        return outcomes
    resolve = tree.resolver(clients[0][0], clients[0][1], client)

    def change(doc: Doc) -> Doc:
        return example_docs(doc, resolve, outcomes, line_length)

    for mod in [*modules.values(), client_module]:
        if mod is not None:
            mod.definitions = [with_docs(d, change) for d in mod.definitions]
            mod.late_definitions = [with_docs(d, change) for d in mod.late_definitions]
    return outcomes
