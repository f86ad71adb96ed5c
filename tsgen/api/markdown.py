"""`api.md`: the generated package's resources, methods (with their routes) and types, laid out
as openai-python's api.md is, written beside the package.

Resources follow the root client's attributes (`# Beta`, `## Realtime`, `### Sessions`, each
method as `client.beta.realtime.sessions.create(**params) -> SessionCreateResponse`); without a
root client (or for a resource no attribute reaches), by the module and class. A resource's
section lists the types of its module; the modules holding no resource follow under `# Types`.

Everything from the input (routes, literal values in annotations) is escaped here, for markdown
and for HTML: the template lays out text that is inert already."""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tsgen.api.index import MethodEntry, ModuleEntry, Ref, ResourceEntry, definitions_of
from tsgen.render import render

API_MD = "api.md"
_LINE = 88  # a Types import longer than this is one name a line
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]")
_MARKDOWN = re.compile(r"[\\`*\[\]~$]|(?<![^\W_])_|_(?![^\W_])")  # `_` inside a word emphasises nothing
_AUTOLINK = re.compile(r":(?=//)|(?<=www)\.|@", re.IGNORECASE)  # GitHub links `http://`, `www.`, `a@b.c` in text


def text(value: str) -> str:
    """Inline text of a markdown line, and of inline HTML (`<code>`): nothing in it is markup."""
    escaped = _MARKDOWN.sub(lambda m: "\\" + m.group(0), _visible(value))
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group(0))};", html.escape(escaped, quote=True))


def attribute(value: str) -> str:
    """An HTML attribute's value (inside double quotes)."""
    return html.escape(_visible(value), quote=True)


def href(file: str) -> str:
    """A link to a file of the output, relative to `api.md` beside the package."""
    return attribute("./" + urllib.parse.quote(file, safe="/"))


def _visible(value: str) -> str:
    """One line: line breaks and other control characters as escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}", value)


@dataclass(frozen=True)
class Link:
    text: str  # escaped
    href: str = ""  # escaped; "" links nowhere


@dataclass(frozen=True)
class MethodLine:
    title: str  # `post /files`, or `no route known`
    prefix: str  # `client.files.`
    name: Link
    params: list[Link]
    returns: list[Link]


@dataclass
class Section:
    heading: str  # `## Files`
    types: str = ""  # the import block of its types
    methods: list[MethodLine] = field(default_factory=list)


@dataclass
class _Index:
    """The package's entries by key and by module."""

    entries: list[ModuleEntry]
    package: str  # the Python package
    files: dict[str, str] = field(default_factory=dict)  # key -> file
    resources: dict[str, tuple[ResourceEntry, ModuleEntry]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)  # module -> its types (of every part)
    shown: set[str] = field(default_factory=set)  # modules whose types are listed already

    def __post_init__(self) -> None:
        for e in self.entries:
            self.files.update(definitions_of(e))
            self.resources.update((r.key, (r, e)) for r in e.resources)
            self.types.setdefault(e.module, set()).update(e.types)

    def link(self, ref: Ref) -> Link:
        """Its text, linked to the file of what it names (of all it names, when one file has them)."""
        files = {self.files.get(t) for t in ref.targets}
        file = files.pop() if len(files) == 1 else None
        return Link(text(ref.text), href(file) if file is not None else "")


def document(entries: Iterable[ModuleEntry], package: str, source: str, templates: str | None, cache_dir: Path | None = None) -> bytes:
    """The text of `api.md` for the modules of the Python package `package`, generated from
    `source` (the npm package read, `name@version`, or "")."""
    index = _Index(sorted(entries, key=lambda e: e.file), package)
    sections: list[Section] = []
    client = next((e.client for e in index.entries if e.client is not None), None)
    reached: set[str] = set()
    if client is not None:
        for attr, target in client.subresources:
            _walk(index, target, 1, "client." + attr + ".", (), sections, reached)
    for key in _roots(index, reached):
        resource, entry = index.resources[key]
        _walk(index, key, 1, resource.name + ".", (), sections, reached, f"{entry.module}.{resource.name}")
    rest = [m for m in sorted(index.types) if m not in index.shown and index.types[m]]
    if rest:
        sections.append(Section("# Types"))
    sections += [Section("## " + text(m), _types_block(package, m, index.types[m])) for m in rest]
    intro = {"package": text(package), "source": text(source)}
    return render("api.md.jinja", templates, cache_dir=cache_dir, **intro, sections=sections).encode()


def _roots(index: _Index, reached: set[str]) -> list[str]:
    """The resources no attribute of the client reaches: those no other of them holds first."""
    left = sorted(k for k in index.resources if k not in reached)
    held = {t for k in left for _, t in index.resources[k][0].subresources if t != k}
    return [k for k in left if k not in held] + [k for k in left if k in held]


def _walk(index: _Index, key: str, depth: int, prefix: str, ancestors: tuple[str, ...], sections: list[Section], reached: set[str], heading: str = "") -> None:
    """The resource's section, then its sub-resources' (an attribute leading back to one of the
    resources above it is not followed)."""
    if key not in index.resources or key in ancestors or (heading and key in reached):
        return
    reached.add(key)
    resource, entry = index.resources[key]
    types = ""
    if entry.module not in index.shown and index.types.get(entry.module):
        index.shown.add(entry.module)
        types = _types_block(index.package, entry.module, index.types[entry.module])
    methods = [_method_line(index, prefix, entry.file, m) for m in resource.methods]
    sections.append(Section("#" * min(depth, 6) + " " + text(heading or resource.name), types, methods))
    for attr, target in resource.subresources:
        _walk(index, target, depth + 1, f"{prefix}{attr}.", ancestors + (key,), sections, reached)


def _types_block(package: str, module: str, names: set[str]) -> str:
    """`from pkg.module import A, B`, one name a line when long; names are identifiers."""
    dotted = ".".join(part for part in (package, module) if part)
    ordered = sorted(names)
    if not all(n.isidentifier() for n in ordered + dotted.split(".")):
        raise ValueError(f"not a Python name among the types of {dotted!r}")
    one = f"from {dotted} import {', '.join(ordered)}"
    return one if len(one) <= _LINE else "\n".join([f"from {dotted} import ("] + [f"    {n}," for n in ordered] + [")"])


def _method_line(index: _Index, prefix: str, file: str, m: MethodEntry) -> MethodLine:
    title = f"{m.verb.lower()} {m.path}" if m.verb is not None and m.path is not None else "no route known"
    name = Link(text(m.name), href(file))
    return MethodLine(attribute(title), text(prefix), name, [index.link(p) for p in m.params], [index.link(r) for r in m.returns])
