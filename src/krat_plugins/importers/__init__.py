"""Built-in importers, one module each."""
