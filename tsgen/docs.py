"""Parse JSDoc comments into summary, body and tags, keeping their markdown.

Line breaks are recovered from the ` * ` gutter, so a comment flattened onto one line
(`/** * a * b */`) parses to the same lines as the original.
"""

from __future__ import annotations

import re

from tsgen.tsmodel import DocComment, DocTag

_GUTTER_SPLIT = re.compile(r"\s\*(?=\s|$)")
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")  # JavaScript's line terminators, no others
_GUTTER_LINE = re.compile(r"^\s*\* ?")
_TAG = re.compile(r"^@([A-Za-z]+)\b\s?(.*)$")
_PARAM = re.compile(r"^(?:\{[^}]*\}\s*)?\[?([A-Za-z_$][\w$.]*)[^\s\]]*\]?\s*(?:-\s*)?(.*)$", re.S)


def is_doc_comment(text: str) -> bool:
    return text.startswith("/**") and text != "/**/"


def comment_lines(raw: str) -> list[str]:
    """The lines of a `/** ... */` comment without its delimiters and ` * ` gutter."""
    inner = raw[3:-2] if raw.endswith("*/") else raw[3:]
    if _LINE_BREAK.search(inner):
        lines = [_GUTTER_LINE.sub("", line, count=1) for line in _LINE_BREAK.split(inner)]
    else:
        lines = [piece[1:] if piece.startswith(" ") else piece for piece in _GUTTER_SPLIT.split(" " + inner)]
        lines = [line.strip() if i == 0 else line for i, line in enumerate(lines)]
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _split_sections(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    description: list[str] = []
    tags: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in lines:
        match = None if in_fence else _TAG.match(line.strip())
        if match:
            tags.append((match.group(1), [match.group(2)] if match.group(2) else []))
        elif tags:
            tags[-1][1].append(line)
        else:
            description.append(line)
        if line.strip().startswith("```"):
            in_fence = not in_fence
    return description, tags


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _tag(name: str, lines: list[str]) -> DocTag:
    text = _text(lines).strip()
    if name == "param":
        match = _PARAM.match(text)
        if match:
            return DocTag(name, match.group(2).strip(), param=match.group(1))
    if name == "return":
        name = "returns"
    return DocTag(name, text)


def parse_doc(raw: str) -> DocComment | None:
    """Parse one `/** ... */` comment; None when it is not a doc comment."""
    if not is_doc_comment(raw):
        return None
    description, tags = _split_sections(comment_lines(raw))
    text = _text(description)
    summary, _, body = text.partition("\n\n")
    return DocComment(
        summary=summary.strip(),
        body=body.strip("\n"),
        tags=tuple(_tag(name, lines) for name, lines in tags),
    )
