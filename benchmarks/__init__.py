"""Benchmarks of Soyaku KG: a seeded synthetic ecosystem generator and `python -m benchmarks` (see docs/performance.md)."""
