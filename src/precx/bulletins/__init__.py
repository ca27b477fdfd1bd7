"""Bulletins: short written notices an organisation shares under a distribution and TLP marking."""
