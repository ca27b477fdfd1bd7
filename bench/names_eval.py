"""Name matching on the labelled pairs of bench/names_eval_set.py: ours, logic-v2 and a baseline."""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from followthemoney import model
from followthemoney.proxy import EntityProxy
from nomenklatura.matching import LogicV2
from rapidfuzz import fuzz, utils
from rigour.text import ascii_text

from bench.names_eval_set import FALSE_CATEGORIES, SEED, TRUE_CATEGORIES, EvalPair, generate
from precx.screening.matching.compare import OPERATING_THRESHOLD, compare_names
from precx.screening.matching.name_parts import preload
from precx.screening.matching.normalize import SCHEMA_TYPES

# nomenklatura defines no threshold for logic-v2; yente, the server that runs it, calls a
# candidate a match from 0.70 (its default), so logic-v2 is measured there.
LOGIC_V2_THRESHOLD = 0.70
BASELINE_THRESHOLD = 0.80
# The targets for ours.
TARGET_RECALL = 0.95
TARGET_DECOY_RATE = 0.05
WORST_SHOWN = 15


@dataclass(frozen=True)
class Outcome:
    """One method's verdict on one pair."""

    pair: EvalPair
    score: float
    hit: bool
    explanation: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    """One method over the whole set: verdicts and the mean time of a comparison."""

    name: str
    threshold: float
    outcomes: list[Outcome]
    micros: float


def run_ours(pairs: Sequence[EvalPair]) -> Run:
    """precx's compare_names at its operating threshold."""
    preload()  # rigour's taggers, outside the timing
    compare_names("叶建国", "Yeh Chien-kuo")  # and the readings of Chinese characters
    outcomes: list[Outcome] = []
    spent = 0
    for pair in pairs:
        kind = SCHEMA_TYPES[pair.schema]
        started = time.perf_counter_ns()
        result = compare_names(pair.name1, pair.name2, kind)
        spent += time.perf_counter_ns() - started
        outcomes.append(Outcome(pair, result.score, result.match, result.explanation))
    return Run("ours", OPERATING_THRESHOLD, outcomes, spent / len(pairs) / 1000)


def _entity(schema: str, name: str, key: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.make_id("names-eval", key)
    entity.add("name", name)
    return entity


def run_logic_v2(pairs: Sequence[EvalPair]) -> Run:
    """nomenklatura's logic-v2 on two entities that carry nothing but the names."""
    config = LogicV2.default_config()
    # Entities are built before timing, as a screening service holds its watchlist as entities.
    entities = [
        (_entity(p.schema, p.name1, f"{i}a"), _entity(p.schema, p.name2, f"{i}b"))
        for i, p in enumerate(pairs)
    ]
    LogicV2.compare(_entity("Person", "Warm Up", "w1"), _entity("Person", "Warm Upp", "w2"), config)
    outcomes: list[Outcome] = []
    spent = 0
    for pair, (query, candidate) in zip(pairs, entities, strict=True):
        started = time.perf_counter_ns()
        result = LogicV2.compare(query, candidate, config)
        spent += time.perf_counter_ns() - started
        name_match = result.explanations.get("name_match")
        detail = (name_match.detail or "",) if name_match else ()
        hit = result.score >= LOGIC_V2_THRESHOLD
        outcomes.append(Outcome(pair, round(result.score, 4), hit, detail))
    return Run("logic-v2", LOGIC_V2_THRESHOLD, outcomes, spent / len(pairs) / 1000)


def _ascii_folded(name: str) -> str:
    return utils.default_process(ascii_text(name))


def run_baseline(pairs: Sequence[EvalPair]) -> Run:
    """rapidfuzz's token_sort_ratio of the ASCII-folded, lower-cased names, for reference."""
    _ascii_folded("Warm Up")
    outcomes: list[Outcome] = []
    spent = 0
    for pair in pairs:
        started = time.perf_counter_ns()
        score = fuzz.token_sort_ratio(_ascii_folded(pair.name1), _ascii_folded(pair.name2)) / 100
        spent += time.perf_counter_ns() - started
        outcomes.append(Outcome(pair, round(score, 4), score >= BASELINE_THRESHOLD))
    return Run("rapidfuzz", BASELINE_THRESHOLD, outcomes, spent / len(pairs) / 1000)


def hit_rate(run: Run, categories: Sequence[str]) -> tuple[int, float]:
    """How many pairs of the categories there are and the share of them the method calls hits."""
    chosen = [o for o in run.outcomes if o.pair.category in categories]
    return len(chosen), sum(o.hit for o in chosen) / len(chosen)


def results_table(runs: Sequence[Run]) -> str:
    """The markdown table: recall per true category, false-hit rate per false one, speed."""
    head = " | ".join(f"{r.name} (≥ {r.threshold:.2f})" for r in runs)
    lines = [f"| | pairs | {head} |", "|---|--:|" + "--:|" * len(runs)]

    def row(label: str, categories: Sequence[str]) -> None:
        count = hit_rate(runs[0], categories)[0]
        rates = " | ".join(f"{hit_rate(r, categories)[1]:.3f}" for r in runs)
        lines.append(f"| {label} | {count} | {rates} |")

    for category in TRUE_CATEGORIES:
        row(f"{category}: recall", [category])
    row("**all true pairs: recall**", TRUE_CATEGORIES)
    for category in FALSE_CATEGORIES:
        row(f"{category}: false-hit rate", [category])
    row("**all false pairs: false-hit rate**", FALSE_CATEGORIES)
    micros = " | ".join(f"{r.micros:.1f}" for r in runs)
    lines.append(f"| µs per comparison (mean) | | {micros} |")
    return "\n".join(lines)


def _round_robin(outcomes: Sequence[Outcome], count: int) -> list[Outcome]:
    """The worst of each category and schema in turn, so that no one kind fills the list."""
    queues: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        queues.setdefault((outcome.pair.category, outcome.pair.schema), []).append(outcome)
    picked: list[Outcome] = []
    while len(picked) < count and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def worst_failures(run: Run, count: int = WORST_SHOWN) -> list[Outcome]:
    """Missed true pairs with the lowest scores and false hits with the highest, about half each."""
    misses = sorted((o for o in run.outcomes if o.pair.is_match and not o.hit), key=_score)
    false_hits = sorted(
        (o for o in run.outcomes if not o.pair.is_match and o.hit), key=lambda o: -o.score
    )
    shown_false = min(len(false_hits), count // 2)
    shown_misses = min(len(misses), count - shown_false)
    shown_false = min(len(false_hits), count - shown_misses)
    return _round_robin(misses, shown_misses) + _round_robin(false_hits, shown_false)


def _score(outcome: Outcome) -> float:
    return outcome.score


def failures_text(run: Run) -> str:
    lines: list[str] = []
    for i, outcome in enumerate(worst_failures(run), start=1):
        pair = outcome.pair
        verdict = "missed" if pair.is_match else "false hit"
        lines.append(
            f"{i}. {verdict} [{pair.category}, {pair.schema}] {outcome.score:.2f}: "
            f"{pair.name1!r} ~ {pair.name2!r}"
        )
        lines += [f"   - {line}" for line in outcome.explanation]
    return "\n".join(lines) or "(none)"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _targets(run: Run) -> str:
    recall = hit_rate(run, TRUE_CATEGORIES)[1]
    decoys = hit_rate(run, ["decoy"])[1]
    return (
        f"targets for {run.name}: recall {recall:.3f} (>= {TARGET_RECALL}: "
        f"{_met(recall >= TARGET_RECALL)}), decoy false-hit rate {decoys:.1%} "
        f"(<= {TARGET_DECOY_RATE:.0%}: {_met(decoys <= TARGET_DECOY_RATE)})"
    )


def write_scores(path: Path, runs: Sequence[Run]) -> None:
    """Every pair with every method's score and verdict, for looking at single cases."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        header = ["category", "schema", "name1", "name2", "is_match"]
        for run in runs:
            header += [f"{run.name}_score", f"{run.name}_hit"]
        writer.writerow(header)
        for i, pair in enumerate(runs[0].outcomes):
            row = [pair.pair.category, pair.pair.schema, pair.pair.name1, pair.pair.name2]
            row.append(str(pair.pair.is_match).lower())
            for run in runs:
                outcome = run.outcomes[i]
                row += [f"{outcome.score:.4f}", str(outcome.hit).lower()]
            writer.writerow(row)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.names_eval", description=__doc__)
    parser.add_argument("--csv", type=Path, help="also write every pair's scores to this file")
    args = parser.parse_args(argv)
    pairs = generate()
    runs = [run_ours(pairs), run_logic_v2(pairs), run_baseline(pairs)]
    true_count = sum(p.is_match for p in pairs)
    print(f"# name matching: {len(pairs)} labelled pairs (seed {SEED})")
    print(
        f"{true_count} true pairs in {len(TRUE_CATEGORIES)} categories, "
        f"{len(pairs) - true_count} false pairs in {len(FALSE_CATEGORIES)}; "
        "each method's own threshold; time of one pass, entities for logic-v2 built beforehand"
    )
    print()
    print(results_table(runs))
    print()
    print(_targets(runs[0]))
    print()
    print(f"## the {WORST_SHOWN} worst failures of ours")
    print(failures_text(runs[0]))
    if args.csv:
        write_scores(args.csv, runs)
        print(f"\nscores written to {args.csv}")


if __name__ == "__main__":
    main()
