"""Run every benchmark: `python -m bench` (what `make bench` does).

The screening benchmarks generate a watchlist of a million entities each (a few minutes and
about 3 GB of memory apiece, each in a process of its own); `python -m bench --quick` runs them
at 100,000.
"""

import subprocess
import sys

from bench import compare_speed, event_delivery, identify, name_pairs, names_eval, sharing_gate


def _alone(module: str, size: int) -> None:
    """Run a million-entity benchmark in a process of its own: its peak memory is then its own,
    not the highest of every benchmark before it in this process."""
    sys.stdout.flush()  # what this process printed comes first
    subprocess.run([sys.executable, "-m", module, "--size", str(size)], check=True)


def main() -> None:
    size = 100_000 if "--quick" in sys.argv[1:] else 1_000_000
    identify.main()
    sharing_gate.main()
    event_delivery.main()
    name_pairs.main()
    names_eval.main([])
    _alone("bench.screening_index", size)
    _alone("bench.screening_orders", size)
    compare_speed.main(size // 20)


# The name index normalises big lists in worker processes, which import this module again.
if __name__ == "__main__":
    main()
