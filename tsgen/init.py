"""`tsgen init`: a commented `[tool.tsgen]` section for an input, appended to pyproject.toml
(created when missing). The rest of an existing file is kept byte for byte; a file that already
has the table, cannot be read, or would not load with the section added is left untouched."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tsgen import config as cfg
from tsgen import names
from tsgen.diagnostics import Diagnostic, Level, Pos, TsgenError
from tsgen.init_guess import ClientGuess, client_guess, package_guess
from tsgen.records import record
from tsgen.render import render

TEMPLATE = "pyproject_tsgen.toml.jinja"
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


@record(frozen=True)
class Request:
    """What `tsgen init` was asked: the input as given, and the settings the user chose."""

    input: str
    pyproject: Path
    package: str | None = None
    output: str = cfg.Config().output
    templates: str | None = None


@record(frozen=True)
class Shown:
    """A value shown in the section: its TOML literal, and a note when it is only an example."""

    literal: str
    note: str = ""
    commented: bool = True


def toml_string(text: str) -> str:
    """A TOML basic string whose value is exactly `text` (control characters escaped: never a
    line break, so it is safe inside a comment too)."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _error(where: Path, message: str) -> TsgenError:
    return TsgenError([Diagnostic(Level.ERROR, Pos(str(where), 1, 1), message)])


def _relative(path: Path, base: Path) -> str:
    """`path` as written in the config: an absolute path as given, a relative one (to the
    working directory) relative to the pyproject's directory."""
    if path.is_absolute():
        return path.as_posix()
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        return path.resolve().as_posix()


def _shown(value: str | None, example: str, client: ClientGuess | None) -> Shown:
    """A client default: set when read from the package the input is a part of (the part's
    runtime needs it), shown commented out when the input's own client gives it already."""
    if value is None:
        return Shown(toml_string(example), "  # an example")
    return Shown(toml_string(value), commented=client is None or client.in_input)


def _client_note(client: ClientGuess | None) -> str:
    if client is None:
        return "Default: none (no root client in the input or its npm package says)."
    if client.in_input:
        return f"Default: what the SDK's root client {client.name} gives (read from its .js, shown below)."
    return f"Set from the SDK's root client {client.name} (read from its .js): the input is a part without it."


def section(request: Request, input_root: Path) -> str:
    """The [tool.tsgen] section for the input (read from `input_root`, the input resolved)."""
    base = request.pyproject.parent
    guess = package_guess(input_root)
    package = request.package if request.package is not None else guess.name
    try:
        package = names.package_name(package)
    except ValueError as exc:
        raise _error(request.pyproject, f"--package: {exc}") from None
    _check_output(request, input_root)
    client: ClientGuess | None = client_guess(input_root)
    defaults = cfg.Config()
    note = f"guessed from the npm package {guess.npm_name}" if guess.npm_name else "no package.json names the input's npm package"
    return render(
        TEMPLATE,
        request.templates,
        input=toml_string(_relative(Path(request.input), base)),
        output=toml_string(request.output),
        package=toml_string(package),
        package_note=note if request.package is None else "given to tsgen init",
        client_note=_client_note(client),
        base_url=_shown(client.base_url if client else None, "https://api.example.com/v1", client),
        api_key_env=_shown(client.api_key_env if client else None, "EXAMPLE_API_KEY", client),
        defaults={
            "output": toml_string(defaults.output),
            "package": toml_string(defaults.package),
            "model_type": toml_string(defaults.model_type),
            "api_key_header": toml_string(defaults.api_key_header),
            "api_key_prefix": toml_string(defaults.api_key_prefix),
            "fail_on_warning": "true" if defaults.fail_on_warning else "false",
            "formatter": toml_string(defaults.formatter),
        },
    )


def _check_output(request: Request, input_root: Path) -> None:
    """The output must be a directory of its own (`tsgen generate` replaces it as a whole)."""
    out = (request.pyproject.parent / request.output).resolve()
    for protected, what in ((input_root.resolve(), "the input"), (request.pyproject.parent.resolve(), "the directory of pyproject.toml")):
        if out == protected or out in protected.parents:
            raise _error(request.pyproject, f"the output {request.output} is or contains {what}: give the output a directory of its own (--output)")


def _existing(pyproject: Path) -> bytes:
    """The file's bytes (empty when there is none); an error when it has [tool.tsgen] already or
    is not TOML (nothing can be added to it safely)."""
    try:
        data = pyproject.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise _error(pyproject, f"cannot read: {exc.strerror or exc}; nothing written") from None
    tool = _parsed(pyproject, data).get("tool", {})
    if isinstance(tool, dict) and "tsgen" in tool:
        raise _error(pyproject, "has a [tool.tsgen] table already; nothing written (`tsgen init --stdout` prints a new section to compare with)")
    return data


def _parsed(pyproject: Path, data: bytes) -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(pyproject, f"is not valid TOML ({exc}); nothing written") from None


def appended(existing: bytes, text: str) -> bytes:
    """The file with the section after its content (a blank line between; its line endings)."""
    newline = b"\r\n" if b"\r\n" in existing else b"\n"
    added = text.encode("utf-8").replace(b"\n", newline)
    if not existing:
        return added
    separator = newline if existing.endswith(b"\n") else newline * 2
    return existing + separator + added


def write(pyproject: Path, data: bytes) -> None:
    """Replace the file in one step, once the new content loads with tsgen's own config loader."""
    directory = pyproject.parent
    fd, name = tempfile.mkstemp(prefix=".pyproject-", suffix=".toml", dir=directory)
    staged = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            cfg.load(staged)
        except TsgenError as exc:
            raise _error(pyproject, f"the file would not load with the section added ({exc.diagnostics[0].message}); nothing written") from None
        if pyproject.exists():
            staged.chmod(pyproject.stat().st_mode & 0o7777)
        else:
            staged.chmod(0o666 & ~_umask())
        os.replace(staged, pyproject)
    finally:
        staged.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def init(request: Request, input_root: Path) -> None:
    """Append the section for the input to the request's pyproject.toml (see the module doc)."""
    existing = _existing(request.pyproject)
    write(request.pyproject, appended(existing, section(request, input_root)))
