"""tree-sitter front end: `.d.ts` text to the intermediate model."""

from tsgen.parse.module import parse_module

__all__ = ["parse_module"]
