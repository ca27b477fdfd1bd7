"""Scoring one name against another, with the reasons a compliance officer can read."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from precx.screening.matching.normalize import EntityType, name_key

# Scores at or above this are hits: the operating point measured in bench/name_pairs.py.
OPERATING_THRESHOLD = 0.80


@dataclass(frozen=True)
class NameComparison:
    """How alike two names are (0 to 1), whether that is a match, and why."""

    score: float
    match: bool
    explanation: tuple[str, ...]


def compare_names(
    name1: str, name2: str, entity_type: EntityType = EntityType.other
) -> NameComparison:
    """Score two names of the same kind of entity."""
    key1, key2 = name_key(name1, entity_type), name_key(name2, entity_type)
    score = fuzz.token_sort_ratio(key1, key2) / 100
    reasons = (f"'{key1}' against '{key2}': {score:.2f}",)
    return NameComparison(round(score, 4), score >= OPERATING_THRESHOLD, reasons)
