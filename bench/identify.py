"""Identification of 1,000 queries (issue 3: under 1 second in total on this machine).

The queries mix what users type: CAS numbers with and without hyphens, HS and CN codes with
and without dots, names and synonyms in five languages in other cases and spacing, and small
misspellings. The index is built once, as a server process does.
"""

from __future__ import annotations

import random
import time

from precx.catalog import loader
from precx.catalog.identify import SubstanceIndex


def make_queries(count: int = 1000, seed: int = 3) -> list[str]:
    """A reproducible mix of realistic queries from the shipped catalog."""
    rng = random.Random(seed)
    records = loader.read_substances()
    pool: list[str] = []
    for r in records:
        pool += r.cas + [c.replace("-", "") for c in r.cas]
        if r.hs_code:
            pool += [r.hs_code, f"{r.hs_code[:4]}.{r.hs_code[4:]}"]
        if r.cn_code:
            pool.append(f"{r.cn_code[:4]} {r.cn_code[4:6]} {r.cn_code[6:]}")
        pool += [r.name, r.name.upper(), *r.synonyms, *r.names.values()]
    queries = []
    for _ in range(count):
        q = rng.choice(pool)
        if rng.random() < 0.2 and len(q) > 6 and not q[0].isdigit():
            i = rng.randrange(1, len(q) - 1)
            q = q[:i] + q[i + 1] + q[i] + q[i + 2 :]  # swap two letters
        queries.append(q)
    return queries


def main() -> None:
    records = loader.read_substances()
    started = time.perf_counter()
    index = SubstanceIndex.build(records)
    build_ms = (time.perf_counter() - started) * 1000
    queries = make_queries()
    runs = []
    found = 0
    for _ in range(5):
        started = time.perf_counter()
        found = sum(1 for q in queries if index.identify(q))
        runs.append(time.perf_counter() - started)
    print(f"# identification: {len(queries)} queries over {len(records)} substances")
    print(
        f"index build: {build_ms:.1f} ms; 1,000 queries: best {min(runs) * 1000:.1f} ms, "
        f"worst {max(runs) * 1000:.1f} ms of 5 runs; {found} of {len(queries)} found "
        f"(target: under 1,000 ms)"
    )
