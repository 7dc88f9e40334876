"""KRAT benchmarks: one ``bench_<area>.py`` module per area, each runnable on its own.

``python -m benchmarks`` runs them all in turn; see ``docs/performance.md`` for figures.
"""
