"""The settings of one run (from the command line and [tool.tsgen])."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from tsgen.records import record


@record(frozen=True)
class Options:
    root: Path
    inputs: tuple[str, ...]  # relative to root, '/'-separated
    package: str
    model_type: str = "auto"
    routes: dict[str, str] = field(default_factory=dict)  # "Class.method" -> "VERB /path/{param}"
    runtime_types: dict[str, str] = field(default_factory=dict)
    runtime_modules: frozenset[str] = frozenset()
    templates: str | None = None
    line_length: int = 88
    base_url: str | None = None
    api_key_env: str | None = None
    api_key_header: str = "Authorization"
    api_key_prefix: str = "Bearer "
    formatter: str = "black"  # black | ruff | none
    jobs: int = 1  # formatting processes; 0: one per core
    cache_dir: Path | None = None  # the formatting cache; None: none
    module_fields: int = 6000  # a module with more fields is written in parts (tsgen.lower.parts)
    single_module: bool = False  # `tsgen convert`: what the input uses from other files lands in its own module
    reserved_names: tuple[str, ...] = ()  # names no declaration may take (a one-off conversion's inlined runtime)
