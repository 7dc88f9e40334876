"""Test kit for plugin authors (a pytest plugin, declared in the ``pytest11`` entry point)."""
