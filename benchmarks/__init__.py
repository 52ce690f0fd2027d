"""Benchmark harness: `make bench` runs `python -m benchmarks.run`."""
