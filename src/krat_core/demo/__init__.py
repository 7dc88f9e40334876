"""Synthetic data and the demo: the whole pipeline on made-up records for twelve regions.

Nothing here is real: every record is generated from a seed.
"""
