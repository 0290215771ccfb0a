"""Benchmarks for the kit (``make bench``): reported, never asserted."""
