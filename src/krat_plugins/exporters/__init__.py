"""Built-in exporters, one module each."""
