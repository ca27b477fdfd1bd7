"""Compiled comparison modules (mypyc, setup.py) never silently run code older than the source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import precx.screening.matching as matching
from precx.screening.matching import COMPILED_MODULES, stale_compiled_modules
from precx.screening.matching.compare import compare_names
from precx.screening.matching.normalize import EntityType

PACKAGE = Path(matching.__file__).resolve().parent
SETUP = Path(__file__).resolve().parents[3] / "setup.py"


def test_the_installed_package_has_no_compiled_module_older_than_its_source() -> None:
    assert stale_compiled_modules() == []


@pytest.mark.parametrize(
    ("module", "source_name"), [("compare", "compare.py"), ("_kernels", "_kernels.c")]
)
def test_a_compiled_module_older_than_its_source_is_reported(
    tmp_path: Path, module: str, source_name: str
) -> None:
    source = tmp_path / source_name
    compiled = tmp_path / f"{module}{EXTENSION_SUFFIXES[0]}"
    compiled.write_bytes(b"")
    source.write_text("# edited after the build\n")
    os.utime(compiled, (1_000_000, 1_000_000))
    assert stale_compiled_modules(tmp_path) == [compiled.name]
    os.utime(compiled, None)  # rebuilt
    os.utime(source, (1_000_000, 1_000_000))
    assert stale_compiled_modules(tmp_path) == []


def test_importing_a_package_with_a_stale_compiled_module_fails_loudly(tmp_path: Path) -> None:
    copy = tmp_path / "precx" / "screening" / "matching"
    copy.mkdir(parents=True)
    for init in (tmp_path / "precx", tmp_path / "precx" / "screening"):
        (init / "__init__.py").write_text("")
    shutil.copy(PACKAGE / "__init__.py", copy / "__init__.py")
    (copy / "name_parts.py").write_text("EDITED = True\n")
    stale = copy / f"name_parts{EXTENSION_SUFFIXES[0]}"
    stale.write_bytes(b"not really compiled")
    os.utime(stale, (1_000_000, 1_000_000))
    run = subprocess.run(
        [sys.executable, "-c", "import precx.screening.matching"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "older than their source" in run.stderr
    assert stale.name in run.stderr


def test_the_build_compiles_exactly_the_modules_the_guard_watches() -> None:
    text = SETUP.read_text("utf-8")
    listed = {
        line.strip().strip('",').rsplit("/", 1)[-1].removesuffix(".py")
        for line in text.splitlines()
        if line.strip().startswith('"src/precx/screening/matching/')
    }
    assert listed == set(COMPILED_MODULES)


def test_compiled_or_not_the_comparison_gives_the_same_result() -> None:
    # The same figures whichever way the package was installed (is_compiled says which).
    result = compare_names("Ivan Petrov", "Иван Петров", EntityType.person)
    assert isinstance(matching.is_compiled(), bool)
    assert result.score == 1.0
    assert result.match
    assert "transliteration" in " ".join(result.explanation)


def test_the_index_kernels_are_built_from_the_source_the_guard_watches() -> None:
    assert '"src/precx/screening/matching/_kernels.c"' in SETUP.read_text("utf-8")
