"""Benchmarks of precx; `make bench` runs them and prints figures for bench/RESULTS.md."""
