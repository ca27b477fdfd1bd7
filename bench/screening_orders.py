"""Whole orders through the Screener against a generated watchlist of a million entities.

`python -m bench.screening_orders --size 1000000` generates `size` multilingual entities
(bench/watchlist_generator.py, seeded), loads them as one watchlist the way the service does
(`WatchlistSet`: names and aliases, addresses, identifiers), and screens generated orders: the
customer is a perturbed listed name for about half of them and an unlisted name of the same
cultures for the rest; substances, quantities, payment, delivery and end use vary as in an order
book. Measured: build time and peak resident memory; single-order latency (p50, p99), a batch on
one core, and beside them, on a sample of the same orders, a brute-force baseline that scores the
customer name against every listed name with rapidfuzz under the same normalisation, then applies
the same precise comparison: its time per order, the speed-up, and the recall of the Screener's
watchlist hits against the baseline's.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence

import numpy as np
import rapidfuzz

from bench.screening_index import brute_force
from bench.watchlist_generator import GeneratedEntity, generate_entities, generate_queries
from precx.catalog.snapshot import CatalogSnapshot
from precx.screening.matching.compare import compare_names
from precx.screening.matching.name_parts import preload
from precx.screening.matching.normalize import EntityType, name_key
from precx.screening.orders import Order
from precx.screening.screener import Screener
from precx.screening.watchlist_formats.records import ListedEntity
from precx.screening.watchlist_set import CANDIDATES, ListInfo, WatchlistSet

LATENCY_ORDERS = 2000
BATCH_ORDERS = 5000
BOOK_CUSTOMERS = 1000
WARM_UP = 100

# What an order book holds: substances by CAS, name or code, in the units they are sold in.
_SUBSTANCES = [
    ("67-64-1", "l", (5, 2000)),  # acetone
    ("toluene", "l", (5, 1000)),
    ("sulphuric acid", "kg", (10, 5000)),
    ("hydrochloric acid", "l", (5, 2000)),
    ("7722-64-7", "kg", (1, 200)),  # potassium permanganate
    ("acetic anhydride", "l", (1, 500)),
    ("2915 24", "l", (1, 100)),  # acetic anhydride by HS code
    ("methyl ethyl ketone", "l", (5, 1000)),
    ("ethyl ether", "l", (1, 50)),
    ("phenylacetic acid", "kg", (1, 50)),
    ("piperidine", "kg", (1, 20)),
    ("safrole", "kg", (0.1, 5)),
]
_PAYMENTS = ["invoice"] * 14 + ["bank_transfer"] * 4 + ["card", "cash", "crypto", "third_party"]
_DELIVERIES = ["customer_premises"] * 16 + ["freight_forwarder", "po_box", "collection"]
_STREETS = ["Industriestrasse", "Harbour Road", "ul. Przemyslowa", "Lenina prospekt"]
_END_USES = ["paint solvent", "laboratory reagent", "cleaning", "pharmaceutical synthesis", ""]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def listed(entities: Sequence[GeneratedEntity]) -> list[ListedEntity]:
    """The generated entities as a watchlist file would give them, a third with an address."""
    rows = []
    for number, entity in enumerate(entities):
        address = (
            (f"{number % 97 + 1} {entity.name.split()[0]} Street, {entity.country}",)
            if number % 3 == 0
            else ()
        )
        rows.append(
            ListedEntity(
                entity.entity_id,
                entity.name,
                entity.entity_type,
                entity.aliases,
                entity.country,
                address,
                (("REG", f"R{number:09d}"),) if number % 5 == 0 else (),
            )
        )
    return rows


def orders(entities: Sequence[GeneratedEntity], count: int, seed: int) -> list[Order]:
    """`count` orders of distinct customers: half perturbed listed names, half unlisted ones."""
    rng = random.Random(seed)
    queries = generate_queries(entities, count, seed=seed)
    made = []
    for number, query in enumerate(queries):
        substance, unit, (low, high) = rng.choice(_SUBSTANCES)
        licensed = rng.random() < 0.8  # most buyers of scheduled substances hold a licence
        made.append(
            Order.model_validate(
                {
                    "order_id": f"B-{number:06d}",
                    "customer_name": query.name,
                    "customer_country": query.country,
                    "substance": substance,
                    "quantity": round(rng.uniform(low, high), 1),
                    "unit": unit,
                    "customer_since": None if rng.random() < 0.15 else "2020-05-01",
                    "payment_method": rng.choice(_PAYMENTS),
                    "delivery_type": rng.choice(_DELIVERIES),
                    "delivery_address": (
                        f"{rng.randint(1, 200)} Industriestrasse, {query.country}"
                        if rng.random() < 0.3
                        else None
                    ),
                    "declared_end_use": rng.choice(_END_USES),
                    "customer_licence_number": f"L-{number}" if licensed else None,
                    "customer_registration_number": f"R-{number}" if licensed else None,
                    "order_date": "2026-11-20",
                }
            )
        )
    return made


def brute_force_hits(
    order: Order, distinct: list[str], owners: dict[str, list[tuple[str, str, EntityType]]]
) -> dict[str, float]:
    """The entities a brute-force screening finds: every name scored, then compared precisely."""
    found: dict[str, float] = {}
    for key in brute_force(name_key(order.customer_name, EntityType.other), distinct):
        for entity_id, text, entity_type in owners[key]:
            comparison = compare_names(order.customer_name, text, entity_type)
            if comparison.match and comparison.score > found.get(entity_id, 0.0):
                found[entity_id] = comparison.score
    return found


def best_hits(baseline: dict[str, float], limit: int = CANDIDATES) -> set[str]:
    """The baseline's best `limit` entities, ties at the last place included, as the index
    bench counts them: an order whose customer matches 30 equal entities is fully recalled by
    any 10 of them."""
    ranked = sorted(baseline.values(), reverse=True)
    if not ranked:
        return set()
    floor = ranked[min(limit, len(ranked)) - 1] - 1e-9
    return {entity for entity, score in baseline.items() if score >= floor}


def _percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples), q))


def main(size: int = 1_000_000, *, baseline_orders: int = 100, seed: int = 42) -> None:
    """Run the benchmark over `size` generated entities and print a markdown table."""
    preload()  # the person-name tagger loads once per process, as the app does at start
    catalog = CatalogSnapshot.from_files()
    started = time.perf_counter()
    entities = list(generate_entities(size, seed=seed))
    rows = listed(entities)
    book = orders(
        entities, WARM_UP + 2 * LATENCY_ORDERS + 3 * BATCH_ORDERS + BOOK_CUSTOMERS, seed + 1
    )
    generate_s = time.perf_counter() - started
    rss_before = _rss_mb()

    started = time.perf_counter()
    watchlists = WatchlistSet([(ListInfo("Generated list", 1), rows)])
    build_s = time.perf_counter() - started
    rss_after = _rss_mb()
    peak = _peak_mb()
    gc.collect()
    gc.freeze()  # as a server does with what it loads at start

    screener = Screener(catalog, watchlists)
    batches = WARM_UP + 2 * LATENCY_ORDERS
    warm, latency_set, batch_set, collected_set, pure_set, book_customers = (
        book[:WARM_UP],
        book[WARM_UP:batches],
        book[batches : batches + BATCH_ORDERS],
        book[batches + BATCH_ORDERS : batches + 2 * BATCH_ORDERS],
        book[batches + 2 * BATCH_ORDERS : batches + 3 * BATCH_ORDERS],
        book[batches + 3 * BATCH_ORDERS :],
    )
    for order in warm:
        screener.screen(order)

    # Orders in turn through screen() (the collector running) and, as the API screens a request
    # of one order, through screen_all() of that order (the collector paused for it, then one
    # collection of the youngest objects, timed with it).
    latencies: list[float] = []
    api_latencies: list[float] = []
    hit_orders = 0
    for number, order in enumerate(latency_set):
        begin = time.perf_counter()
        if number % 2:
            list(screener.screen_all([order]))
            api_latencies.append((time.perf_counter() - begin) * 1000)
            continue
        result = screener.screen(order)
        latencies.append((time.perf_counter() - begin) * 1000)
        hit_orders += bool(result.hits)

    batch = Screener(catalog, watchlists)
    begin = time.perf_counter()
    decisions = [r.decision for r in batch.screen_all(batch_set)]
    batch_s = time.perf_counter() - begin
    # Beside it, the same work as before screen_all paused the cyclic collector: other orders
    # of the same kind, one by one with the collector running, after the batch above (so with
    # caches at least as warm).
    assert gc.isenabled()
    collected = Screener(catalog, watchlists)
    begin = time.perf_counter()
    for order in collected_set:
        collected.screen(order)
    collected_s = time.perf_counter() - begin

    # Beside them, the batch as before the index's inner loops were compiled (_kernels.c): other
    # new customers through screen_all, the name and address indexes searching with numpy and
    # rapidfuzz alone (the same tables, the same candidates), after the runs above.
    compiled_indexes = watchlists._name_index, watchlists._address_index
    watchlists._name_index, watchlists._address_index = (
        i.without_kernels() for i in compiled_indexes
    )
    try:
        pure = Screener(catalog, watchlists)
        begin = time.perf_counter()
        for _ in pure.screen_all(pure_set):
            pass
        pure_s = time.perf_counter() - begin
    finally:
        watchlists._name_index, watchlists._address_index = compiled_indexes

    # An order book as a distributor has one: the same customers order again and again (here
    # each of 1,000 customers five times, shuffled), on a fresh Screener, each order another
    # quantity and, for a third of them, delivered to another address. The customers are new
    # to this process: none was screened above, so nothing of theirs is remembered by the
    # index or the comparison.
    rng = random.Random(seed)
    repeat = [
        o.model_copy(
            update={
                "order_id": f"{o.order_id}-{n}",
                "quantity": round(o.quantity * rng.uniform(0.5, 1.5), 1),
                "delivery_address": (
                    f"{rng.randint(1, 200)} {rng.choice(_STREETS)}, {o.customer_country}"
                    if rng.random() < 0.3
                    else None
                ),
            }
        )
        for o in book_customers
        for n in range(5)
    ]
    rng.shuffle(repeat)
    watchlists.forget()  # nothing remembered from the runs above
    book_screener = Screener(catalog, watchlists)
    begin = time.perf_counter()
    for _ in book_screener.screen_all(repeat):
        pass
    book_s = time.perf_counter() - begin

    # Brute force beside the Screener, on the same orders, one core.
    owners: dict[str, list[tuple[str, str, EntityType]]] = {}
    for entity in rows:
        for text in (entity.name, *entity.aliases):
            owners.setdefault(name_key(text, entity.entity_type), []).append(
                (entity.entity_id, text, entity.entity_type)
            )
    distinct = list(owners)
    sample = latency_set[:baseline_orders]
    brute_times, screen_times = [], []
    expected = found = flagged = flagged_both = best_equal = 0
    for order in sample:
        begin = time.perf_counter()
        baseline = brute_force_hits(order, distinct, owners)
        brute_times.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        watchlists.forget()  # timed without what the runs above remembered
        result = Screener(catalog, watchlists).screen(order)
        screen_times.append(time.perf_counter() - begin)
        hits = {h.entity_id for h in result.hits}
        wanted = best_hits(baseline)
        expected += min(len(wanted), CANDIDATES)
        found += min(len(wanted & hits), CANDIDATES)
        if baseline:
            # What decides an order: that the customer matches someone, and how well the best.
            flagged += 1
            flagged_both += bool(hits)
            best = max(baseline.values())
            best_equal += any(baseline.get(h, -1.0) >= best - 1e-9 for h in hits)
    speed_up = statistics.mean(brute_times) / statistics.mean(screen_times)
    recall = found / expected if expected else 1.0

    table = [
        ("entities (names with aliases)", f"{size:,} ({len(distinct):,} distinct forms)", ""),
        ("generating entities and orders (not part of the build)", f"{generate_s:.1f} s", ""),
        (
            "build of the watchlist set (names, addresses, identifiers)",
            f"{build_s:.1f} s",
            "<= 120 s",
        ),
        (
            "resident memory before / after the build",
            f"{rss_before:,.0f} / {rss_after:,.0f} MB",
            "",
        ),
        ("peak resident memory (getrusage)", f"{peak:,.0f} MB", "<= 3,000 MB"),
        (
            f"single order, {len(latencies):,} orders: p50 / p99 / max",
            f"{_percentile(latencies, 50):.2f} / {_percentile(latencies, 99):.2f} / "
            f"{max(latencies):.2f} ms",
            "p50 <= 2 ms, p99 <= 10 ms",
        ),
        (
            f"single order as the API screens one, {len(api_latencies):,} orders between those "
            "above: p50 / p99 / max",
            f"{_percentile(api_latencies, 50):.2f} / {_percentile(api_latencies, 99):.2f} / "
            f"{max(api_latencies):.2f} ms",
            "",
        ),
        ("orders with a watchlist hit", f"{hit_orders:,} of {len(latencies):,}", ""),
        (
            f"batch of {len(batch_set):,} orders (distinct customers), one core",
            f"{len(batch_set) / batch_s:,.0f} orders/s",
            ">= 2,000 orders/s",
        ),
        (
            f"batch of {len(collected_set):,} other new customers, one by one with the "
            "collector running (as before), one core",
            f"{len(collected_set) / collected_s:,.0f} orders/s",
            "",
        ),
        (
            f"batch of {len(pure_set):,} other new customers, the indexes searching with numpy "
            "and rapidfuzz (no _kernels.c, as before), one core",
            f"{len(pure_set) / pure_s:,.0f} orders/s",
            "",
        ),
        (
            f"order book of {len(repeat):,} orders from 1,000 customers (a third to another "
            "delivery address each time), one core",
            f"{len(repeat) / book_s:,.0f} orders/s",
            "",
        ),
        (
            "batch decisions clear / review / report",
            " / ".join(str(decisions.count(d)) for d in ("clear", "review", "report")),
            "",
        ),
        (
            f"brute-force screening, {len(sample)} orders: time per order",
            f"{statistics.mean(brute_times) * 1000:,.0f} ms",
            "",
        ),
        (
            "Screener on the same orders: time per order",
            f"{statistics.mean(screen_times) * 1000:.2f} ms",
            "",
        ),
        ("speed-up over brute force", f"{speed_up:,.0f}x", ">= 100x"),
        (
            "orders the brute-force screening flags that the Screener flags too",
            f"{flagged_both} of {flagged}",
            "",
        ),
        (
            "of those, orders where the Screener found an entity of the brute force's best score",
            f"{best_equal} of {flagged}",
            "",
        ),
        (
            f"recall of the brute-force screening's best {CANDIDATES} entities (ties included)",
            f"{recall:.4f} ({found} of {expected})",
            "",
        ),
    ]
    print(f"# Order screening: {size:,} listed entities")
    print(
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, rapidfuzz {rapidfuzz.__version__}"
    )
    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure, result, target in table:
        print(f"| {measure} | {result} | {target} |")
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="entities to generate")
    parser.add_argument("--baseline", type=int, default=100, help="orders for brute force")
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args()
    main(arguments.size, baseline_orders=arguments.baseline, seed=arguments.seed)
