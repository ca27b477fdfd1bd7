"""Name, address and identifier matching for screening: normalisation, comparison, index.

Four modules of this package may be compiled with mypyc, and the index's inner loops are C
(_kernels.c), both by setup.py; an editable install puts each compiled module beside its source,
and Python imports the compiled one first. A compiled module older than its source would
silently run the old code, so importing the package fails instead, saying how to rebuild.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

COMPILED_MODULES = ("alignment", "word_similarity", "compare", "name_parts")
# Compiled modules and their source, where it is not the module's .py.
_SOURCES = {"_kernels": "_kernels.c"}


def stale_compiled_modules(folder: Path | None = None) -> list[str]:
    """The compiled modules in `folder` (this package's by default) older than their source."""
    folder = folder or Path(__file__).resolve().parent
    stale = []
    for module in (*COMPILED_MODULES, *_SOURCES):
        source = folder / _SOURCES.get(module, f"{module}.py")
        for suffix in EXTENSION_SUFFIXES:
            compiled = folder / f"{module}{suffix}"
            if (
                compiled.exists()
                and source.exists()
                and compiled.stat().st_mtime < source.stat().st_mtime
            ):
                stale.append(compiled.name)
    return stale


_stale = stale_compiled_modules()
if _stale:
    raise ImportError(
        f"compiled modules older than their source in {Path(__file__).parent}: "
        f"{', '.join(_stale)}; rebuild them with `make install` (or delete them to run the "
        "pure-Python code)"
    )


def is_compiled() -> bool:
    """Whether the comparison runs compiled (mypyc) rather than as Python source."""
    from precx.screening.matching import compare

    return not compare.__file__.endswith(".py") if compare.__file__ else False
