from __future__ import annotations

from tsgen.docs import parse_doc
from tsgen.tsmodel import DocComment, DocTag

REAL = """/**
     * Create a token.
     * Second line.
     *
     * More text:
     * - a list
     *
     * @example
     * ```ts
     * const x =
     *   await f();
     * ```
     * @deprecated Use other().
     * @param body - the body
     * @see https://example.com
     */"""


def test_summary_body_and_tags() -> None:
    doc = parse_doc(REAL)
    assert doc == DocComment(
        summary="Create a token.\nSecond line.",
        body="More text:\n- a list",
        tags=(
            DocTag("example", "```ts\nconst x =\n  await f();\n```"),
            DocTag("deprecated", "Use other()."),
            DocTag("param", "the body", "body"),
            DocTag("see", "https://example.com"),
        ),
    )


def test_flattened_comment_keeps_its_lines() -> None:
    flat = " ".join(REAL.split())  # as the seed was flattened: every whitespace run to one space
    doc = parse_doc(flat)
    assert doc is not None
    assert doc.summary == "Create a token.\nSecond line."
    assert doc.body == "More text:\n- a list"
    assert doc.tags[0] == DocTag("example", "```ts\nconst x =\nawait f();\n```")  # indentation is all the flattening lost


def test_not_a_doc_comment() -> None:
    assert parse_doc("/* plain */") is None
    assert parse_doc("/**/") is None


def test_tag_inside_code_fence_is_text() -> None:
    doc = parse_doc("/**\n * ```\n * @decorator\n * ```\n */")
    assert doc is not None and doc.tags == () and "@decorator" in doc.summary
