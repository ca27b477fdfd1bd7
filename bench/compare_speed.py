"""compare_names compiled with mypyc against the same code as Python source, side by side.

`python -m bench.compare_speed` takes the pairs the Screener compares (each generated customer
against its best candidates in a name index of generated entities) and times compare_names on
them in two child processes, one importing the compiled modules (setup.py) and one the Python
sources: per comparison with both names analysed for the first time ("cold", as for a new
customer and a listed name not met before), and again with both analysed ("warm"). The two must
give the same scores and explanations (a checksum of all of them).

Beside it, in one process: the comparison forms (name_key) of the same generated listed names,
transliterating each name whole as before (rigour's ascii_text, about 0.4 ms per string it has
not seen) and word by word as now (normalize.to_ascii, words recurring across names); the forms
must be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

from bench.watchlist_generator import all_names, generate_entities, generate_queries
from precx.screening.matching.normalize import to_ascii as to_ascii_now

PACKAGE = "precx.screening.matching"
COMPILED = ("alignment", "word_similarity", "compare", "name_parts")


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Imports the compiled modules from their .py sources, as if never compiled."""

    def find_spec(
        self, name: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not name.startswith(PACKAGE + ".") or name.rsplit(".", 1)[1] not in COMPILED:
            return None
        import precx.screening.matching as package

        source = Path(package.__file__).parent / (name.rsplit(".", 1)[1] + ".py")
        loader = importlib.machinery.SourceFileLoader(name, str(source))
        return importlib.util.spec_from_file_location(name, source, loader=loader)


def pairs(size: int, count: int, seed: int) -> list[tuple[str, str, str]]:
    """(customer, listed name, entity type) as the Screener compares them."""
    from precx.screening.matching.index import NameIndex

    entities = list(generate_entities(size, seed=seed))
    names = list(all_names(entities))
    index = NameIndex.build(names, workers=1)
    found = []
    for query in generate_queries(entities, count, seed=seed + 1):
        for hit in index.search(query.name, limit=10):
            listed, entity_type = names[hit.name_id]
            found.append((query.name, listed, entity_type.value))
    return found


def _child(mode: str, file: str) -> None:
    if mode == "source":
        sys.meta_path.insert(0, _SourcesFirst())
    from precx.screening.matching import compare
    from precx.screening.matching.name_parts import analyze, preload
    from precx.screening.matching.normalize import EntityType

    preload()
    work = [(a, b, EntityType(t)) for a, b, t in json.loads(Path(file).read_text("utf-8"))]
    analyze.cache_clear()
    timings = {}
    digest = hashlib.sha256()
    for run in ("cold", "warm"):
        started = time.perf_counter()
        for a, b, entity_type in work:
            result = compare.compare_names(a, b, entity_type)
            if run == "cold":
                digest.update(f"{result.score}|{result.explanation}".encode())
        timings[run] = (time.perf_counter() - started) / len(work) * 1e6
    print(json.dumps({"file": compare.__file__, **timings, "checksum": digest.hexdigest()}))


def normalising(size: int, seed: int) -> tuple[int, float, float, bool]:
    """name_key of `size` entities' names word by word, then whole (seconds each), same keys."""
    from rigour.text import ascii_text

    from precx.screening.matching import normalize

    names = list(all_names(list(generate_entities(size, seed=seed + 2))))
    timings, results = [], []
    for transliterate in (normalize.to_ascii, ascii_text):
        normalize.name_key.cache_clear()
        normalize._word_to_ascii.cache_clear()
        normalize.to_ascii = transliterate  # type: ignore[assignment]  # fold calls it
        started = time.perf_counter()
        results.append([normalize.name_key(name, entity_type) for name, entity_type in names])
        timings.append(time.perf_counter() - started)
    normalize.to_ascii = to_ascii_now
    return len(names), timings[0], timings[1], results[0] == results[1]


def main(size: int = 50_000, count: int = 400, seed: int = 42) -> None:
    """Time both ways on the same pairs and print a markdown table."""
    work = pairs(size, count, seed)
    file = Path(os.environ.get("TMPDIR", "/tmp")) / f"precx-compare-pairs-{os.getpid()}.json"
    file.write_text(json.dumps(work), "utf-8")
    results = {}
    try:
        for mode in ("compiled", "source"):
            run = subprocess.run(
                [sys.executable, "-m", "bench.compare_speed", "--child", mode, str(file)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[mode] = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        file.unlink(missing_ok=True)
    compiled, source = results["compiled"], results["source"]
    print(f"# compare_names, compiled (mypyc) and as Python source: {len(work):,} pairs")
    print()
    print("| measure | compiled | source |")
    print("|---|---|---|")
    print(f"| module | {Path(compiled['file']).name} | {Path(source['file']).name} |")
    for run in ("cold", "warm"):
        print(f"| per comparison, names {run} | {compiled[run]:.0f} µs | {source[run]:.0f} µs |")
    same = "same" if compiled["checksum"] == source["checksum"] else "DIFFERENT"
    print(f"| scores and explanations | {same} | |")
    names, by_word, whole, keys_same = normalising(size // 5, seed)
    print()
    print(f"# name_key of {names:,} listed names ({size // 5:,} entities), one process")
    print()
    print("| measure | word by word (now) | whole names (before) |")
    print("|---|---|---|")
    print(f"| per name | {by_word / names * 1e6:.0f} µs | {whole / names * 1e6:.0f} µs |")
    print(f"| comparison forms | {'same' if keys_same else 'DIFFERENT'} | |")
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"))
    arguments = parser.parse_args()
    if arguments.child:
        _child(*arguments.child)
    else:
        main(arguments.size, arguments.count)
