"""The labelled name pairs of the matching benchmark: reproducible, large enough, consistent."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.names_eval_set import (
    CATEGORIES,
    FALSE_CATEGORIES,
    TRUE_CATEGORIES,
    EvalPair,
    generate,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[2]


def _digest(pairs: list[EvalPair]) -> str:
    return hashlib.sha256(repr(pairs).encode()).hexdigest()


def _unordered(pair: EvalPair) -> tuple[str, str]:
    return (pair.name1, pair.name2) if pair.name1 <= pair.name2 else (pair.name2, pair.name1)


def test_the_same_seed_gives_the_same_pairs_and_another_seed_other_pairs() -> None:
    assert generate() == generate(2026)
    assert generate(2026) != generate(7)


def test_the_pairs_do_not_depend_on_the_process_hash_seed() -> None:
    # String hashes change between processes: a set iterated while generating would show here.
    code = (
        "import hashlib, bench.names_eval_set as s; "
        "print(hashlib.sha256(repr(s.generate()).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert digests == {_digest(generate())}


def test_there_are_enough_pairs_in_every_category() -> None:
    pairs = generate()
    counts = Counter(p.category for p in pairs)
    assert len(pairs) >= 1200
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 100


def test_labels_follow_the_category_and_no_pair_is_both_true_and_false() -> None:
    pairs = generate()
    assert all(p.is_match is (p.category in TRUE_CATEGORIES) for p in pairs)
    assert {p.schema for p in pairs} == {"Person", "Company"}
    true_pairs = {_unordered(p) for p in pairs if p.category in TRUE_CATEGORIES}
    false_pairs = {_unordered(p) for p in pairs if p.category in FALSE_CATEGORIES}
    assert not true_pairs & false_pairs


def test_the_two_names_of_a_true_pair_are_written_differently() -> None:
    assert all(p.name1 != p.name2 for p in generate() if p.is_match)


def test_the_csv_holds_every_pair(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    pairs = generate()
    write_csv(path, pairs)
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    assert len(rows) == len(pairs)
    first = rows[0]
    assert (first["category"], first["name1"], first["name2"]) == (
        pairs[0].category,
        pairs[0].name1,
        pairs[0].name2,
    )
    assert {r["is_match"] for r in rows} == {"true", "false"}
