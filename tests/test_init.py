"""`tsgen init`: the [tool.tsgen] section it adds loads with tsgen's own config loader, guesses
what the input says (package name, the client's base URL and key variable), lets plain `tsgen`
generate, keeps the rest of an existing pyproject.toml byte for byte, and refuses (writing
nothing) where it cannot add safely."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import CORPUS, SHARED
from test_client_gen import CLIENT_DTS, CLIENT_JS, THINGS_DTS, THINGS_JS
from tsgen import config as cfg
from tsgen.init import toml_string

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BASE_URL = "https://api.acme.test/v2"  # what CLIENT_JS defaults to
_COMMENTED = re.compile(r'^# ((\[tool\.tsgen\.[a-z-]+\])|(([a-z-]+|"[^"]*") = .*))$', re.M)


def tsgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def sdk(root: Path, name: str = "@acme/the-sdk", client_js: str = CLIENT_JS) -> Path:
    """A small SDK: a root client whose .js gives its defaults, and one resource."""
    (root / "resources").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({"name": name, "types": "client.d.ts"}))
    files = {"client.d.ts": CLIENT_DTS, "client.js": client_js, "resources/things.d.ts": THINGS_DTS, "resources/things.js": THINGS_JS}
    for rel, text in files.items():
        (root / rel).write_text(text)
    return root


def uncommented(text: str) -> str:
    """The section with every commented-out key and table header made live."""
    return _COMMENTED.sub(lambda m: m.group(1), text)


def test_init_writes_a_config_plain_tsgen_generates_from(tmp_path: Path) -> None:
    sdk(tmp_path / "sdk")
    result = tsgen("init", "sdk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config, _, base = cfg.load(tmp_path / "pyproject.toml")
    assert (config.input, config.output, config.package, base) == ("sdk", "generated", "acme_the_sdk", tmp_path)
    text = (tmp_path / "pyproject.toml").read_text()
    assert f'# base-url = "{BASE_URL}"\n' in text and '# api-key-env = "ACME_API_KEY"\n' in text
    generated = tsgen(cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    assert 'default_base_url: ClassVar[str | None] = "https://api.acme.test/v2"' in (tmp_path / "generated/acme_the_sdk/_client.py").read_text()
    assert tsgen("check", cwd=tmp_path).returncode == 0


def test_every_commented_key_is_valid_and_shows_its_default(tmp_path: Path) -> None:
    sdk(tmp_path / "sdk")
    result = tsgen("init", "sdk", "--stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "pyproject.toml").exists()
    (tmp_path / "pyproject.toml").write_text(uncommented(result.stdout))
    config, _, _ = cfg.load(tmp_path / "pyproject.toml")
    default = cfg.Config()
    assert (config.base_url, config.api_key_env) == (BASE_URL, "ACME_API_KEY")
    shown = ("model_type", "api_key_header", "api_key_prefix", "fail_on_warning", "formatter")
    assert {k: getattr(config, k) for k in shown} == {k: getattr(default, k) for k in shown}
    assert config.routes and config.runtime_types and config.runtime_modules and config.templates
    table = tomllib.loads(uncommented(result.stdout))["tool"]["tsgen"]
    assert {key.replace("-", "_") for key in table} == {f.name for f in dataclasses.fields(default)}  # every key is shown


@pytest.mark.parametrize("release", [CORPUS, SHARED / "corpus" / "openai-7.59.0"], ids=lambda p: p.name)
def test_a_real_sdk_gives_its_package_name_base_url_and_key_variable(tmp_path: Path, release: Path) -> None:
    result = tsgen("init", str(release), "--stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f'input = "{release.as_posix()}"\n' in result.stdout
    assert 'package = "openai"\n' in result.stdout
    assert '# base-url = "https://api.openai.com/v1"\n' in result.stdout
    assert '# api-key-env = "OPENAI_API_KEY"\n' in result.stdout


def test_a_part_of_an_sdk_gets_the_base_url_and_key_variable_of_its_client(tmp_path: Path) -> None:
    sdk(tmp_path / "sdk")
    result = tsgen("init", "sdk/resources", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config, _, _ = cfg.load(tmp_path / "pyproject.toml")
    assert (config.input, config.package, config.base_url, config.api_key_env) == ("sdk/resources", "acme_the_sdk", BASE_URL, "ACME_API_KEY")
    assert tsgen(cwd=tmp_path).returncode == 0
    assert f'DEFAULT_BASE_URL: str | None = "{BASE_URL}"' in (tmp_path / "generated/acme_the_sdk/_runtime.py").read_text()


def test_a_part_of_a_real_sdk_is_configured_as_this_repository_is(tmp_path: Path) -> None:
    result = tsgen("init", str(CORPUS / "resources/beta/realtime"), "--stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '\nbase-url = "https://api.openai.com/v1"\n' in result.stdout  # as in our pyproject.toml
    assert '\napi-key-env = "OPENAI_API_KEY"\n' in result.stdout


def test_a_part_without_client_or_package_json_says_so(tmp_path: Path) -> None:
    (tmp_path / "dts").mkdir()
    (tmp_path / "dts" / "pets.d.ts").write_text("export interface Pet { name: string }\n")
    assert tsgen("init", "dts", "--package", "pets", "-o", "out", cwd=tmp_path).returncode == 0
    text = (tmp_path / "pyproject.toml").read_text()
    assert "no root client" in text and '# base-url = "https://api.example.com/v1"  # an example\n' in text
    assert tsgen(cwd=tmp_path).returncode == 0
    assert (tmp_path / "out/pets/pets.py").is_file()


def test_an_existing_pyproject_is_kept_byte_for_byte(tmp_path: Path) -> None:
    sdk(tmp_path / "sdk")
    original = b'[project]\r\nname = "app"  # the app\r\n\r\n[tool.black]\r\nline-length = 100'  # no final line break
    (tmp_path / "pyproject.toml").write_bytes(original)
    result = tsgen("init", "sdk", "-o", "bindings", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert data.startswith(original + b"\r\n\r\n[tool.tsgen]\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # the file's line endings throughout
    config, line_length, _ = cfg.load(tmp_path / "pyproject.toml")
    assert (config.output, line_length) == ("bindings", 100)
    assert tomllib.loads(data.decode())["project"] == {"name": "app"}


@pytest.mark.parametrize(
    "existing",
    [
        '[tool.tsgen]\ninput = "elsewhere"\n',
        '[tool.tsgen.routes]\n"A.b" = "GET /b"\n',
        'tool.tsgen.package = "x"\n',  # a dotted key at the top
    ],
    ids=["table", "subtable", "dotted"],
)
def test_a_configured_project_is_refused_and_left_as_it_is(tmp_path: Path, existing: str) -> None:
    sdk(tmp_path / "sdk")
    (tmp_path / "pyproject.toml").write_text(existing)
    result = tsgen("init", "sdk", cwd=tmp_path)
    assert result.returncode == 1
    assert "has a [tool.tsgen] table already; nothing written" in result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == existing


@pytest.mark.parametrize(
    ("existing", "said"),
    [
        ("[project\nname = 1\n", "is not valid TOML"),
        ("tool = { black = { line-length = 100 } }\n", "would not load with the section added"),  # an inline table is closed
    ],
    ids=["broken", "inline-tool"],
)
def test_a_file_it_cannot_add_to_is_refused_and_left_as_it_is(tmp_path: Path, existing: str, said: str) -> None:
    sdk(tmp_path / "sdk")
    (tmp_path / "pyproject.toml").write_text(existing)
    result = tsgen("init", "sdk", cwd=tmp_path)
    assert result.returncode == 1 and said in result.stderr and "nothing written" in result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == existing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml", "sdk"]  # no staged file left


@pytest.mark.parametrize(("args", "said"), [(("--package", "class"), "not a Python package name"), (("-o", "."), "a directory of its own")])
def test_bad_settings_are_refused_before_anything_is_written(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    sdk(tmp_path / "sdk")
    result = tsgen("init", "sdk", *args, cwd=tmp_path)
    assert result.returncode == 1 and said in result.stderr
    assert not (tmp_path / "pyproject.toml").exists()


def test_what_the_input_says_cannot_add_keys(tmp_path: Path) -> None:
    hostile_url = 'https://x.test/"\n[tool.evil]\nkey = 1 #'
    client_js = CLIENT_JS.replace(f"'{BASE_URL}'", json.dumps(hostile_url))
    sdk(tmp_path / "sdk", name='evil"\n[tool.evil]\nk = 1', client_js=client_js)
    result = tsgen("init", "sdk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert set(tomllib.loads(text)["tool"]) == {"tsgen"}
    assert set(tomllib.loads(text)["tool"]["tsgen"]) == {"input", "output", "package"}
    live = tomllib.loads(uncommented(text))["tool"]["tsgen"]
    assert live["base-url"] == hostile_url  # the value read, exactly, once the line is uncommented


@given(st.text())
def test_a_toml_string_is_exactly_its_text_and_never_ends_a_comment(text: str) -> None:
    assert tomllib.loads(f"k = {toml_string(text)}") == {"k": text}
    assert tomllib.loads(f"# k = {toml_string(text)}\n") == {}
