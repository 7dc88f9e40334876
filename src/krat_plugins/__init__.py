"""The built-in KRAT plugins: importers, validators (rules) and exporters.

Each module is a plain pluggy plugin registered through the ``krat`` entry-point
group, exactly like a third-party plugin. Nothing in ``krat_core`` imports this package.
"""
