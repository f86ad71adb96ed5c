"""What `tsgen init` can tell from an input before anything is configured: the Python package
name its npm package suggests, and the defaults its root client gives (the base URL, the
environment variable of the API key), read the way `tsgen generate` reads them."""

from __future__ import annotations

from pathlib import Path

from tsgen import config as cfg
from tsgen import names
from tsgen.api.sides import package_root
from tsgen.diagnostics import TsgenError
from tsgen.options import Options
from tsgen.pymodel import ClientDef
from tsgen.records import record
from tsgen.resolve_files import read_manifest


@record(frozen=True)
class PackageGuess:
    name: str  # a Python package name
    npm_name: str | None  # the npm package's name it was made from (None: tsgen's default)


@record(frozen=True)
class ClientGuess:
    name: str  # the root client's Python class name
    base_url: str | None
    api_key_env: str | None
    in_input: bool  # the input has the client (else it is a part of the package that has it)


def package_guess(input_root: Path) -> PackageGuess:
    """The npm package's name (the nearest package.json above the input) made a Python package
    name (`@anthropic-ai/sdk` -> `anthropic_ai_sdk`), else tsgen's default."""
    root = package_root(input_root)
    manifest = read_manifest(root) if root is not None else None
    npm_name = manifest.get("name") if manifest is not None else None
    if isinstance(npm_name, str) and npm_name:
        return PackageGuess(names.package_name(names.snake(npm_name)), npm_name)
    return PackageGuess(cfg.Config().package, None)


def declarations(input_root: Path) -> tuple[str, ...]:
    """The declaration files a run over the input converts (not a directory's node_modules)."""
    if not input_root.is_dir():
        return (input_root.name,) if input_root.name.endswith(".d.ts") else ()
    found = (p.relative_to(input_root) for p in input_root.rglob("*.d.ts"))
    return tuple(sorted(p.as_posix() for p in found if "node_modules" not in p.parts))


def client_guess(input_root: Path) -> ClientGuess | None:
    """The root client of the input, else of the npm package the input is a part of (its
    defaults are what the part's runtime needs), or None."""
    found = _client(input_root)
    if found is not None:
        return ClientGuess(*found, in_input=True)
    package = package_root(input_root)
    whole = _client(package) if package is not None and package != input_root else None
    return ClientGuess(*whole, in_input=False) if whole is not None else None


def _client(input_root: Path) -> tuple[str, str | None, str | None] | None:
    """The name, base URL and key variable of the input's root client as `tsgen generate`
    lowers it with the default settings (parsed and lowered, nothing rendered)."""
    from tsgen.generate import lower_package  # the whole pipeline: only when asked

    root = input_root if input_root.is_dir() else input_root.parent
    inputs = declarations(input_root)
    if not inputs:
        return None
    options = Options(
        root=root,
        inputs=inputs,
        package="guess",
        runtime_types=dict(cfg.DEFAULT_RUNTIME_TYPES),
        runtime_modules=cfg.DEFAULT_RUNTIME_MODULES,
    )
    try:
        lowered = lower_package(options)
    except TsgenError:
        return None  # `tsgen generate` reports why; init only guesses
    clients = [d for mod in lowered.modules.values() for d in mod.definitions if isinstance(d, ClientDef)]
    if not clients:
        return None
    client = clients[0]
    api_key = next((o for o in client.options if o.name == "api_key"), None)
    return client.name, client.default_base_url, api_key.env if api_key is not None else None
