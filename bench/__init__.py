"""The benchmark: `make bench` → `.venv/bin/python bench/run.py` (see docs/benchmarks.md)."""
