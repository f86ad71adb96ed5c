"""Jinja rendering with thin templates (formatting: tsgen.formatting)."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import jinja2

from tsgen.diagnostics import template_error

PACKAGED_TEMPLATES = [
    Path(__file__).parent / "templates",  # installed wheel
    Path(__file__).parent.parent / "templates",  # source checkout
]

# a quote that starts `"""` or ends the text; then no three plain quotes ever meet, nor the closing ones
_QUOTE_TO_ESCAPE = re.compile(r'"(?=""|$)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted string literal whose value is exactly `text` (escaped, never code)."""
    body = _QUOTE_TO_ESCAPE.sub('\\\\"', text.replace("\\", "\\\\"))
    body = _CONTROL.sub(_escape_control, body.replace("\r\n", "\n").replace("\r", "\\r"))
    pad = " " * indent
    lines = body.split("\n")
    indented = "\n".join([lines[0]] + [pad + line if line else "" for line in lines[1:]])
    if "\n" in body:
        return f'"""{indented}\n{pad}"""'
    return f'"""{indented}"""'


def py_literal(value: object) -> str:
    """A Python literal for a str, int, float, bool or None: repr() of these is exact and inert."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} has no Python literal")
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    raise TypeError(f"not a literal: {type(value).__name__}")


def comment(text: str) -> str:
    """Text safe inside a `#` comment: one line, control characters escaped."""
    return _CONTROL.sub(_escape_control, text.replace("\r", "\\r").replace("\n", "\\n"))


@functools.lru_cache(maxsize=8)
def environment(user_templates: str | None, cache_dir: Path | None = None) -> jinja2.Environment:
    """The templates (the user's before the packaged ones), compiled once into `cache_dir` when
    there is one (Jinja checks each template's source against what it compiled)."""
    loaders: list[jinja2.BaseLoader] = []
    if user_templates:
        loaders.append(jinja2.FileSystemLoader(user_templates))
    loaders.extend(jinja2.FileSystemLoader(str(p)) for p in PACKAGED_TEMPLATES if p.is_dir())
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(_made(cache_dir / "templates"))) if cache_dir is not None else None,
    )
    env.filters["docstring"] = docstring
    env.filters["py_literal"] = py_literal
    env.filters["comment"] = comment
    return env


def _made(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # Jinja skips a cache it cannot write
    return directory


def render(template: str, user_templates: str | None, *, cache_dir: Path | None = None, **context: object) -> str:
    """Render a template; a broken one (a user's override, most likely) is a TsgenError at its line."""
    try:
        return environment(user_templates, cache_dir).get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(exc.filename or template, exc.lineno, exc.message or str(exc)) from None
    except jinja2.TemplateError as exc:
        raise template_error(template, 1, f"{type(exc).__name__}: {exc}") from None
