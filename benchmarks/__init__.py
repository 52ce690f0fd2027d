"""Benchmark harness for issue 6: `make bench` runs `python -m benchmarks.run`."""
