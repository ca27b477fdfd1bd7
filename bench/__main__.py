"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from bench import identify, sharing_gate

identify.main()
sharing_gate.main()
