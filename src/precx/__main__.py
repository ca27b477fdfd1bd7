"""Run the `precx` command as `python -m precx`."""

from precx.cli import main

main()
