"""The docstring a property must have, built from the compiler's view of its doc comment
(tests/tsc/describe.js): the comment's text, and each `{@link}` and `@see` as tsgen.lower.doc_links
must render it, with the declaration the compiler resolved the link to.

A link tsc resolved to a declaration tsgen generated (found in tsgen-manifest.json by its file and
qualified name, or, for a member, its owner's) is exact: `text (`pkg.mod.Name`)`, or
`` `pkg.mod.Name` `` without a text, a member's names after it as written. A URL is exact too:
`[text](url)`, or the URL. A link tsc could not resolve, or resolved to something tsgen does not
generate (a function, a variable, a declaration of another package or of TypeScript's lib), is
lenient: tsgen has no Python name of the compiler's to give it, so it may keep the name as written
or give a Python name of its own finding (its scope rules are not the compiler's), as long as that
name ends with what was written after the first dot and the link's text is there. Everything
around the links stays exact (whitespace-collapsed)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Symbols = Mapping[tuple[str, str], Sequence[Mapping[str, str]]]

_URL = re.compile(r"^[A-Za-z][\w+.-]*://")
_CODE = re.compile(r"[^`\r\n\x00-\x1f]+")  # doc_links' rule: what goes between backticks as it is
_DOTTED = r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*"


@dataclass
class Links:
    """Counts of the links compared, by how."""

    exact: int = 0
    lenient: int = 0
    examples: list[str] = field(default_factory=list)  # a few lenient ones, to show what they are
    see_unread: int = 0  # `@see` tags of methods, whose docstrings are read without their tags


def _space(text: str) -> str:
    """A regex of the text as it is, any run of whitespace matching any other."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _code(name: str) -> str:
    return f"`{name}`" if _CODE.fullmatch(name) else name


def _rendered(code: str, text: str) -> str:
    return f"{text} ({code})" if text else code


def python_names(target: Mapping[str, object] | None, written: str, symbols: Symbols) -> set[str] | None:
    """The dotted Python names a link to tsc's target must render as, or None when tsgen
    generates nothing for it: the target's own generated declaration, or for a member (of an
    interface, class, enum) that of its owner, the member's names after it as written. A
    declaration of a namespace is no member of it (the namespace is not generated)."""
    if not target:
        return None
    names = [str(n) for n in target["names"]]  # type: ignore[attr-defined]
    owners = len(names) - int(target["members"])  # type: ignore[call-overload]
    for n in range(len(names), max(owners, 1) - 1, -1):
        found = symbols.get((str(target["file"]), ".".join(names[:n])), ())
        if not found:
            continue
        members = len(names) - n
        parts = written.split(".")
        if members and (len(parts) <= members or parts[-members - 1] != names[n - 1]):
            # written from inside its owner (`{@link label}`), or through a value of its type
            # (`{@link process.hrtime}`, `process` a variable of type `Process`): no owner written
            return None
        suffix = "".join("." + p for p in parts[len(parts) - members :]) if members else ""
        return {f"{sym['module']}.{sym['python_name']}{suffix}" for sym in found}
    return None


def link_pattern(link: Mapping[str, object], symbols: Symbols, counts: Links) -> str:
    """A regex of how tsgen must render one `{@link}`."""
    name, text = str(link["name"]), " ".join(str(link["text"]).split())
    if _URL.match(name):
        counts.exact += 1
        return re.escape(f"[{text}]({name})") if text else re.escape(name)
    names = python_names(link.get("target"), name, symbols)  # type: ignore[arg-type]
    if names is not None:
        counts.exact += 1
        return "(?:" + "|".join(_space(_rendered(_code(n), text)) for n in sorted(names)) + ")"
    counts.lenient += 1
    example = f"{{@link {name}{' ' + text if text else ''}}}"
    if len(counts.examples) < 5 and example not in counts.examples:
        counts.examples.append(example)
    return _lenient(name, text)


def _lenient(name: str, text: str, *, bare: bool = False) -> str:
    """The name as written (in backticks, or also `bare` without), or a dotted Python name ending
    with what was written after its first dot (the first name may be renamed in Python:
    `pkg.mod.Foo_.bar` for `Foo.bar`)."""
    _, dot, rest = name.partition(".")
    own = rf"`{_DOTTED}" + (re.escape("." + rest) if dot else r"\.\w+") + "`"
    code = f"(?:{re.escape(_code(name))}|{own}{'|' + re.escape(name) if bare else ''})"
    return rf"{_space(text)}\s+\({code}\)" if text else code


def doc_pattern(parts: Sequence[object], symbols: Symbols, counts: Links) -> str:
    """A regex of the docstring text of a doc comment, its links rendered as tsgen must."""
    out = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(_text(part, first=i == 0, last=i == len(parts) - 1))
        else:
            out.append(link_pattern(part, symbols, counts))  # type: ignore[arg-type]
    return "".join(out)


def _text(text: str, first: bool, last: bool) -> str:
    """A text between links, the whitespace at its ends kept (as any whitespace) where a link
    is on that side."""
    lead = r"\s+" if not first and text[:1].isspace() else ""
    trail = r"\s+" if not last and text[-1:].isspace() else ""
    words = _space(text)
    return lead + words + trail if words else (lead or trail)


def see_pattern(tag: Mapping[str, object], symbols: Symbols, counts: Links) -> str:
    """A regex of an `@see` tag: `@see Name` alone as a link without text; a name with more after
    it (`@see Name for details`, `@see https://...`) as written, the name lenient (doc_links
    resolves a name alone on its line); the rest, or `@see {@link X}`, as a doc comment."""
    name, comment = str(tag["name"]), tag["comment"]
    rest = doc_pattern(comment, symbols, counts)  # type: ignore[arg-type]
    if name and not comment:
        return r"@see\s+" + link_pattern({"name": name, "text": "", "target": tag.get("target")}, symbols, counts)
    if not name:
        return r"@see\s+" + rest
    counts.lenient += 1
    return r"@see\s+" + _lenient(name, "", bare=True) + r"\s*" + rest


def matches(pattern: str, docstring: str) -> bool:
    return re.search(pattern, docstring) is not None
