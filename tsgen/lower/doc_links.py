"""Pass: `{@link X}` and `@see X` of the docstrings as the Python names of what they name.

A declaration the link resolves to (from the scope of the definition whose doc it is, or of the
one it is written in: a field inherited from a base, from the base's) is
written as its dotted Python name in backticks, `pkg.resources.files.FileObject`, with the
link's text before it when it has one (markdown, as the docstrings are); a member after it
(`X.member`) is kept as written. A URL stays a URL (`[text](url)` with a text). A name that does
not resolve, or resolves to nothing generated, keeps its text (in backticks)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from tsgen import names
from tsgen.lower.doc_examples import with_docs
from tsgen.lower.entities import Key
from tsgen.lower.naming import Naming
from tsgen import tsmodel as m
from tsgen.program import Found, Program
from tsgen.pymodel import Definition, Doc, ModuleFile

_LINK = re.compile(r"\{@link(?:code|plain)?\s+([^\s}|]+)\s*(?:\|\s*)?([^}]*)\}")
_SEE = re.compile(r"^@see ([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$", re.M)
_URL = re.compile(r"^[A-Za-z][\w+.-]*://")
_CODE = re.compile(r"[^`\r\n\x00-\x1f]+")  # what may go between backticks as it is


class Links:
    """Resolves the names in links to Python dotted names."""

    def __init__(self, program: Program, naming: Naming, package: str) -> None:
        self._program = program
        self._naming = naming
        self._package = package

    def python_name(self, module: str, scope: tuple[str, ...], target: str) -> str | None:
        parts = tuple(target.split("."))
        for n in range(len(parts), 0, -1):
            found = self._found(module, scope, parts[:n], parts[n] if n < len(parts) else None)
            if found is not None:
                key = Key(found.module, found.path)
                forms = self._naming.forms.get(key, ())
                name = next((self._naming.names[(key, f)] for f in forms if (key, f) in self._naming.names), None)
                if name is None:
                    return None
                path = names.imported_path(self._naming.py_modules[self._naming.home(key)])  # a package's __init__ is the package
                return ".".join((self._package, *path, name, *parts[n:]))
        return None

    def _found(self, module: str, scope: tuple[str, ...], name: tuple[str, ...], member: str | None) -> Found | None:
        """What `name` names from `scope`. Followed by a member (`A.b`) that the type `A` names
        there does not declare, TypeScript reads `A` as a value: a class or namespace `A` of
        an enclosing scope is taken where there is one (@types/node's `NodeJS.EventEmitter`
        interface, and the `EventEmitter` class its docs link to)."""
        if module not in self._program.modules:
            return None
        first = self._program.lookup(module, scope, name)
        if not isinstance(first, Found) or member is None or not self._type_without(first, member):
            return first if isinstance(first, Found) else None
        for depth in range(len(scope) - 1, -1, -1):
            outer = self._program.lookup(module, scope[:depth], name)
            if isinstance(outer, Found) and outer != first and not self._type_without(outer, member):
                return outer
        return first

    def _type_without(self, found: Found, member: str) -> bool:
        """The declaration is only a type (interfaces, aliases) and declares no `member` itself."""
        declared = self._program.declarations(found.module).get(found.path, [])
        types = [d for d in declared if isinstance(d, (m.Interface, m.TypeAlias))]
        return bool(declared) and len(types) == len(declared) and not any(getattr(x, "name", None) == member for d in declared if isinstance(d, m.Interface) for x in d.members)

    def doc(self, doc: Doc, module: str, scope: tuple[str, ...]) -> Doc:
        module, scope = doc.origin or (module, scope)
        text = self._text(doc.text, module, scope)
        async_text = self._text(doc.async_text, module, scope) if doc.async_text is not None else None
        return doc if text == doc.text and async_text == doc.async_text else replace(doc, text=text, async_text=async_text)

    def _text(self, text: str, module: str, scope: tuple[str, ...]) -> str:
        if "{@link" not in text and "@see " not in text:
            return text

        def link(match: re.Match[str]) -> str:
            target, text = match.group(1), match.group(2).strip()
            if _URL.match(target):
                return f"[{text}]({target})" if text else target
            return self._named(module, scope, target, text)

        def see(match: re.Match[str]) -> str:
            return f"@see {self._named(module, scope, match.group(1), '')}"

        return _SEE.sub(see, _LINK.sub(link, text))

    def _named(self, module: str, scope: tuple[str, ...], target: str, text: str) -> str:
        name = self.python_name(module, scope, target)
        shown = name if name is not None else target
        code = f"`{shown}`" if _CODE.fullmatch(shown) else shown
        return f"{text} ({code})" if text else code


def resolve_links(modules: dict[str, ModuleFile], links: Links) -> None:
    """Every definition's docs with their links resolved, from the definition's own scope."""
    for mod in modules.values():
        mod.definitions = [_linked(d, mod.source, links) for d in mod.definitions]
        mod.late_definitions = [_linked(d, mod.source, links) for d in mod.late_definitions]


def _linked(definition: Definition, module: str, links: Links) -> Definition:
    ts_name = getattr(definition, "ts_name", "")
    scope = tuple(ts_name.split("."))[:-1] if isinstance(ts_name, str) and ts_name else ()
    change: Callable[[Doc], Doc] = lambda doc: links.doc(doc, module, scope)  # noqa: E731
    return with_docs(definition, change)
