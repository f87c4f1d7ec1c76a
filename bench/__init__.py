"""Benchmarks of the tracker: HTTP throughput, scale, report building. Run with `make bench`."""
