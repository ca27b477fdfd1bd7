"""The watchlist name index at scale: build, memory, latency, throughput, and brute force beside it.

`python -m bench.screening_index --size 1000000` generates `size` multilingual entities (names and
aliases, bench/watchlist_generator.py), builds the index over all their names, and measures:
build time, peak resident memory, single-query latency (2,000 queries, default threshold, limit
10), throughput of a batch on one core, and, on a sample of queries, a brute-force baseline that
scores every distinct comparison form with the same quick_score (rapidfuzz over all keys, one
core): its time per query, the index's speed-up, and the index's recall of its hits.

Recall is measured on the best `limit` baseline hits of each query, ties included: an index hit
counts when its name is a baseline hit scoring at least the limit-th best baseline score, so a
query with 500 equal hits is fully recalled by any 10 of them.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import rapidfuzz
from rapidfuzz import fuzz, process

from bench.watchlist_generator import (
    GeneratedQuery,
    all_names,
    generate_entities,
    generate_queries,
)
from precx.screening.matching.index import (
    QUICK_THRESHOLD,
    NameHit,
    NameIndex,
    name_keys,
    quick_score,
)
from precx.screening.matching.normalize import EntityType, name_key

LIMIT = 10
LATENCY_QUERIES = 2000
BATCH_QUERIES = 5000
WARM_UP = 50


def _rss_mb() -> float:
    """The current resident memory of this process (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def brute_force(
    key: str, keys: Sequence[str], threshold: float = QUICK_THRESHOLD
) -> dict[str, float]:
    """Every key whose quick_score reaches the threshold: rapidfuzz over all keys, one core.

    quick_score is a mean of token_sort_ratio and token_set_ratio, so it reaches the threshold
    only where one of them does: both are computed over all keys with that cutoff, then
    quick_score itself on what passes either.
    """
    cutoff = threshold * 100
    sets = process.cdist([key], keys, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=1)
    sorts = process.cdist([key], keys, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=1)
    found = {}
    for i in np.flatnonzero((sets[0] > 0) | (sorts[0] > 0)).tolist():
        score = quick_score(key, keys[i])
        if score >= threshold:
            found[keys[i]] = score
    return found


@dataclass
class Recall:
    """Recall of the index against brute force, on the best `limit` hits with ties (see above)."""

    expected: int = 0
    found: int = 0
    baseline_hits: int = 0
    queries_with_hits: int = 0
    wrong_scores: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    expected_by_kind: Counter[str] = field(default_factory=Counter)

    def add(
        self,
        kind: str,
        hits: list[NameHit],
        baseline: dict[str, float],
        names_per_key: Counter[str],
    ) -> None:
        ranked = sorted(
            (score for key, score in baseline.items() for _ in range(names_per_key[key])),
            reverse=True,
        )
        self.baseline_hits += len(ranked)
        if not ranked:
            return
        self.queries_with_hits += 1
        wanted = min(LIMIT, len(ranked))
        floor = ranked[wanted - 1] - 1e-9
        good = 0
        for hit in hits:
            true = baseline.get(hit.key)
            if true is None or abs(true - hit.score) > 1e-9:
                self.wrong_scores += 1
            elif true >= floor:
                good += 1
        self.expected += wanted
        self.found += min(good, wanted)
        self.expected_by_kind[kind] += wanted
        self.by_kind[kind] += min(good, wanted)

    @property
    def value(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def _percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples), q))


def main(
    size: int = 1_000_000,
    *,
    baseline_queries: int = 200,
    workers: int = 2,
    seed: int = 42,
) -> None:
    """Run the benchmark over `size` generated entities and print a markdown table."""
    started = time.perf_counter()
    entities = list(generate_entities(size, seed=seed))
    names = list(all_names(entities))
    queries = generate_queries(entities, LATENCY_QUERIES + BATCH_QUERIES + WARM_UP, seed=seed + 1)
    generate_s = time.perf_counter() - started
    rss_before = _rss_mb()

    # NameIndex.build(names) is these two steps, timed apart here.
    started = time.perf_counter()
    keys_by_name = name_keys(names, workers=workers)
    normalise_s = time.perf_counter() - started
    started = time.perf_counter()
    index = NameIndex.from_keys(keys_by_name)
    structures_s = time.perf_counter() - started
    build_s = normalise_s + structures_s
    rss_after = _rss_mb()
    peak = _peak_mb()
    # As a server does with what it loads at start: the millions of generated entities and
    # names stay alive, and the garbage collector need not walk them again and again.
    gc.collect()
    gc.freeze()

    warm, latency_set, batch_set = (
        queries[:WARM_UP],
        queries[WARM_UP : WARM_UP + LATENCY_QUERIES],
        queries[WARM_UP + LATENCY_QUERIES :],
    )
    for query in warm:
        index.search(query.name, EntityType.other)

    # Single queries as an order's screening makes them: the name as typed, normalised, searched.
    latencies = []
    for query in latency_set:
        begin = time.perf_counter()
        index.search(query.name, EntityType.other, limit=LIMIT)
        latencies.append((time.perf_counter() - begin) * 1000)
    query_keys = [name_key(q.name, EntityType.other) for q in latency_set]
    key_latencies = []
    for key in query_keys:
        begin = time.perf_counter()
        index.search_key(key, limit=LIMIT)
        key_latencies.append((time.perf_counter() - begin) * 1000)

    begin = time.perf_counter()
    for query in batch_set:
        index.search(query.name, EntityType.other, limit=LIMIT)
    batch_qps = len(batch_set) / (time.perf_counter() - begin)

    # Brute force beside the index, on the same keys, one query at a time on one core.
    distinct = list(dict.fromkeys(keys_by_name))
    names_per_key = Counter(keys_by_name)
    recall = Recall()
    brute_times, index_times = [], []
    sample: list[GeneratedQuery] = latency_set[:baseline_queries]
    for query, key in zip(sample, query_keys, strict=False):
        begin = time.perf_counter()
        baseline = brute_force(key, distinct)
        brute_times.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        hits = index.search_key(key, limit=LIMIT)
        index_times.append(time.perf_counter() - begin)
        kind = "listed" if query.listed_id else "unlisted"
        recall.add(kind, hits, baseline, names_per_key)
    speed_up = statistics.mean(brute_times) / statistics.mean(index_times)

    def by_kind(kind: str) -> str:
        expected = recall.expected_by_kind[kind]
        return f"{recall.by_kind[kind] / expected:.4f}" if expected else "n/a"

    rows = [
        (
            "entities / names (with aliases) / distinct comparison forms",
            f"{size:,} / {len(names):,} / {len(distinct):,}",
            "",
        ),
        ("generating the entities and queries (not part of the build)", f"{generate_s:.1f} s", ""),
        (
            f"build: normalising the names (name_key, {workers} processes)",
            f"{normalise_s:.1f} s",
            "",
        ),
        ("build: index structures (one process)", f"{structures_s:.1f} s", ""),
        ("build, total", f"{build_s:.1f} s", "<= 120 s"),
        ("resident memory before the build (generated data)", f"{rss_before:,.0f} MB", ""),
        ("resident memory after the build", f"{rss_after:,.0f} MB", ""),
        ("peak resident memory (getrusage, this process)", f"{peak:,.0f} MB", "<= 3,000 MB"),
        (
            f"search, {len(latency_set):,} queries: p50 / p99 / max",
            f"{_percentile(latencies, 50):.2f} / {_percentile(latencies, 99):.2f} / "
            f"{max(latencies):.2f} ms",
            "p50 <= 1 ms, p99 <= 5 ms",
        ),
        (
            "  of which without normalising the query (search_key): p50 / p99",
            f"{_percentile(key_latencies, 50):.2f} / {_percentile(key_latencies, 99):.2f} ms",
            "",
        ),
        (
            f"batch of {len(batch_set):,} queries, one core",
            f"{batch_qps:,.0f} queries/s",
            ">= 2,000 queries/s",
        ),
        (
            f"brute force, {len(sample)} queries: time per query",
            f"{statistics.mean(brute_times) * 1000:,.0f} ms",
            "",
        ),
        (
            "index on the same queries (search_key): time per query",
            f"{statistics.mean(index_times) * 1000:.2f} ms",
            "",
        ),
        ("speed-up of the index over brute force", f"{speed_up:,.0f}x", ">= 100x"),
        (
            f"brute-force hits (names, quick_score >= {QUICK_THRESHOLD}) / queries with a hit",
            f"{recall.baseline_hits:,} / {recall.queries_with_hits}",
            "",
        ),
        (
            f"recall of the best {LIMIT} hits (ties included): all / listed / unlisted queries",
            f"{recall.value:.4f} ({recall.found:,} of {recall.expected:,}) / {by_kind('listed')} / "
            f"{by_kind('unlisted')}",
            ">= 0.99",
        ),
        ("index hits whose score differs from brute force", f"{recall.wrong_scores}", "0"),
    ]
    print(f"# Name index: {size:,} entities")
    print(
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, rapidfuzz {rapidfuzz.__version__}, numpy {np.__version__}"
    )
    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure, result, target in rows:
        print(f"| {measure} | {result} | {target} |")
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="entities to generate")
    parser.add_argument("--baseline", type=int, default=200, help="queries for brute force")
    parser.add_argument("--workers", type=int, default=2, help="processes normalising names")
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args()
    main(
        arguments.size,
        baseline_queries=arguments.baseline,
        workers=arguments.workers,
        seed=arguments.seed,
    )
