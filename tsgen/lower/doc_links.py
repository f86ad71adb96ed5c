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

from tsgen import names
from tsgen.lower.doc_examples import with_docs
from tsgen.lower.entities import Key
from tsgen.lower.naming import Naming
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
            found = self._program.lookup(module, scope, parts[:n]) if module in self._program.modules else None
            if isinstance(found, Found):
                key = Key(found.module, found.path)
                forms = self._naming.forms.get(key, ())
                name = next((self._naming.names[(key, f)] for f in forms if (key, f) in self._naming.names), None)
                if name is None:
                    return None
                path = names.imported_path(self._naming.py_modules[self._naming.home(key)])  # a package's __init__ is the package
                return ".".join((self._package, *path, name, *parts[n:]))
        return None

    def doc(self, doc: Doc, module: str, scope: tuple[str, ...]) -> Doc:
        if "{@link" not in doc.text and "@see " not in doc.text:
            return doc
        module, scope = doc.origin or (module, scope)

        def link(match: re.Match[str]) -> str:
            target, text = match.group(1), match.group(2).strip()
            if _URL.match(target):
                return f"[{text}]({target})" if text else target
            return self._named(module, scope, target, text)

        def see(match: re.Match[str]) -> str:
            return f"@see {self._named(module, scope, match.group(1), '')}"

        text = _SEE.sub(see, _LINK.sub(link, doc.text))
        return doc if text == doc.text else Doc(text, doc.deprecated)

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
