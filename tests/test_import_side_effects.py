"""`import kernelkit` changes no JAX setting and creates no folder; the cache comes at the first
compile."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_SCRIPT = r"""
import json, sys
import jax
def settings():
    return {name: repr(getattr(jax.config, name, value))
            for name, value in sorted(jax.config.values.items())}
before = settings()
import kernelkit
after_import = settings()
report = {"changed": sorted(k for k in before if before[k] != after_import[k])}
if sys.argv[1] == "compile":
    jax.jit(lambda x: x * 2.0)(1.0).block_until_ready()
report["cache_dir"] = jax.config.jax_compilation_cache_dir
print(json.dumps(report))
"""


def _run(tmp_path: Path, mode: str, **env) -> dict:
    home = tmp_path / "home"
    home.mkdir()
    clean = {k: v for k, v in os.environ.items()
             if k not in ("KERNELKIT_CACHE_DIR", "KERNELKIT_COMPILATION_CACHE",
                          "JAX_COMPILATION_CACHE_DIR")}
    # matplotlib (imported by the display) makes its own config and font cache on import: it
    # gets a folder of its own, so that what appears under HOME is what kernelkit made.
    clean.update(HOME=str(home), XDG_CACHE_HOME=str(home / "xdg"), JAX_PLATFORMS="cpu",
                 MPLCONFIGDIR=str(tmp_path / "matplotlib"), **env)
    result = subprocess.run([sys.executable, "-c", _SCRIPT, mode], env=clean, text=True,
                            capture_output=True, timeout=120, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _created(tmp_path: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "home").rglob("*"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("import_only")
    return tmp_path, _run(tmp_path, "import")


def test_import_changes_no_jax_setting(imported):
    _, report = imported
    assert report["changed"] == []
    assert report["cache_dir"] is None


def test_import_creates_no_folder(imported):
    tmp_path, _ = imported
    assert _created(tmp_path) == []


def test_first_compile_switches_the_default_cache_on(tmp_path):
    report = _run(tmp_path, "compile")
    expected = tmp_path / "home" / "xdg" / "kernelkit" / "jax"
    assert report["changed"] == []
    assert report["cache_dir"] == str(expected)
    assert expected.is_dir()


def test_switched_off_cache_stays_off_after_compile(tmp_path):
    report = _run(tmp_path, "compile", KERNELKIT_COMPILATION_CACHE="off")
    assert report["cache_dir"] is None
    assert _created(tmp_path) == []


def test_a_cache_directory_the_user_set_is_kept(tmp_path):
    mine = tmp_path / "mine"
    report = _run(tmp_path, "compile", JAX_COMPILATION_CACHE_DIR=str(mine))
    assert report["cache_dir"] == str(mine)
    assert not (tmp_path / "home" / "xdg" / "kernelkit").exists()
