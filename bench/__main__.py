"""Run every benchmark: `python -m bench` (what `make bench` does).

The screening benchmarks generate a watchlist of a million entities each (a few minutes and
about 3 GB of memory apiece); `python -m bench --quick` runs them at 100,000.
"""

import sys

from bench import (
    compare_speed,
    event_delivery,
    identify,
    name_pairs,
    names_eval,
    screening_index,
    screening_orders,
    sharing_gate,
)


def main() -> None:
    size = 100_000 if "--quick" in sys.argv[1:] else 1_000_000
    identify.main()
    sharing_gate.main()
    event_delivery.main()
    name_pairs.main()
    names_eval.main([])
    screening_index.main(size)
    screening_orders.main(size)
    compare_speed.main(size // 20)


# The name index normalises big lists in worker processes, which import this module again.
if __name__ == "__main__":
    main()
