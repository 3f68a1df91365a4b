"""Benchmarks and evaluation runs (``make bench``)."""
