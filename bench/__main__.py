"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from bench import sharing_gate

sharing_gate.main()
