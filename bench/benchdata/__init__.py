"""Benchmark data: ``manage.py seed_scale`` fills a database with 100,000 realistic applications.

Installed only by ``config.settings.bench`` (bench/README.md §1), never in production; it may
import every domain app, and nothing but the benchmarks uses it.
"""
