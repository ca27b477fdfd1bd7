"""Build step: compile the pure name-comparison modules with mypyc (3x faster comparisons).

Everything else about the package is in pyproject.toml. The compiled modules are optional: when
mypyc is not installed or PRECX_PURE_PYTHON=1 is set at build time, the package is pure Python
and behaves the same, only slower. An editable install puts each compiled module (.so) beside
its source, where it is imported instead of the source: `make` rebuilds it when a source changes,
and precx.screening.matching refuses to import a compiled module older than its source.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# The modules of the comparison's inner loops; they import no pydantic model and no feature of
# the app, so they compile without the app's mypy plugins (mypyc.ini).
COMPILED = [
    "src/precx/screening/matching/alignment.py",
    "src/precx/screening/matching/word_similarity.py",
    "src/precx/screening/matching/compare.py",
    "src/precx/screening/matching/name_parts.py",
]


# The name index's inner loops, in C (the index runs them with numpy and rapidfuzz without it).
KERNELS = Extension(
    "precx.screening.matching._kernels",
    ["src/precx/screening/matching/_kernels.c"],
    extra_compile_args=["-O3"],
)


def _extensions() -> list[object]:
    if os.environ.get("PRECX_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # built without the build requirements: pure Python
        return [KERNELS]
    return [KERNELS] + list(
        mypycify(
            ["--config-file", "mypyc.ini", *COMPILED],
            opt_level="3",
            # One shared library inside the package rather than a hashed top-level module.
            group_name="precx.screening.matching",
        )
    )


class _OptionalBuildExt(build_ext):
    """Builds the compiled modules if it can (a C compiler, Python's headers); else says so and
    leaves the package pure Python."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # any failure leaves the package pure Python
            print(f"precx: name comparison not compiled ({error}), pure Python", file=sys.stderr)


setup(ext_modules=_extensions(), cmdclass={"build_ext": _OptionalBuildExt})
