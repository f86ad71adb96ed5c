"""The pre-commit hooks (.pre-commit-hooks.yaml) as a user project runs them: `pre-commit
try-repo` installs this checkout (with its uncommitted changes) into a hook environment with pip
and runs `tsgen-check` and `tsgen` in a git repository configured by `tsgen init`.

Each try-repo installs a fresh environment (about 10 s with pip's cache warm); the test makes
three."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PETS = "export interface Pet {\n  name: string;\n}\n"


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def git(*args: str, cwd: Path, env: dict[str, str]) -> None:
    result = run("git", *args, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr


def try_repo(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *args, "--color", "never", cwd=cwd, env=env)


def _env(tmp_path: Path) -> dict[str, str]:
    """pre-commit's store and tsgen's cache in the test's directory; a git identity to commit with."""
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "TSGEN_CACHE_DIR": str(tmp_path / "tsgen-cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip


def _project(path: Path, env: dict[str, str]) -> Path:
    """A user project: a .d.ts input and the [tool.tsgen] `tsgen init` writes, committed."""
    (path / "sdk").mkdir(parents=True)
    (path / "sdk" / "pets.d.ts").write_text(PETS)
    init = run(sys.executable, "-m", "tsgen", "init", "sdk", "--package", "pets", "-o", "bindings", cwd=path, env=env)
    assert init.returncode == 0, init.stderr
    git("init", "-q", ".", cwd=path, env=env)
    git("add", "-A", cwd=path, env=env)
    git("commit", "-q", "-m", "sdk", cwd=path, env=env)
    return path


def test_the_hooks_check_and_regenerate_committed_bindings(tmp_path: Path) -> None:
    assert (ROOT / ".git").exists(), "try-repo needs the tsgen checkout to be a git repository"
    env = _env(tmp_path)
    project = _project(tmp_path / "project", env)
    module = project / "bindings" / "pets" / "pets.py"

    first = try_repo("--all-files", cwd=project, env=env)  # every hook: `tsgen` writes the bindings, then `tsgen-check`
    assert first.returncode == 0, first.stdout + first.stderr
    assert "tsgen check (generated bindings up to date)" in first.stdout and module.is_file()
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "bindings", cwd=project, env=env)

    (project / "sdk" / "pets.d.ts").write_text(PETS.replace("name: string;", "name: string;\n  owner: string;"))
    git("add", "sdk", cwd=project, env=env)
    stale = try_repo("tsgen-check", cwd=project, env=env)  # as on a commit of the edited input
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "pets/pets.py (stale)" in stale.stdout and "owner" not in module.read_text()

    regenerated = try_repo(cwd=project, env=env)  # `tsgen` rewrites them (and stops the commit), then `tsgen-check` passes
    assert regenerated.returncode == 1, regenerated.stdout + regenerated.stderr
    assert "- hook id: tsgen\n- files were modified by this hook" in regenerated.stdout
    assert "owner: str" in module.read_text()
    check_line = next(line for line in regenerated.stdout.splitlines() if line.startswith("tsgen check"))
    assert check_line.endswith("Passed"), regenerated.stdout
