"""Built-in validators, one module each."""
