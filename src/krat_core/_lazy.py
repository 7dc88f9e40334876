"""Lazy re-exports for the stage packages (PEP 562).

Each stage package (``krat_core.format``, ``krat_core.plugins``, ...) offers its
public names from one import path, but imports the module that defines a name
only when the name is first used: plugin modules import ``krat_core.plugins``
while the registry loads, and ``krat --version`` must not pay for pydantic,
openpyxl or matplotlib.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for *package*.

    *exports* maps a public name to the submodule (relative to *package*) that
    defines it. A name not in *exports* raises :class:`AttributeError` as usual.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        # kept on the package (PEP 562): the next use is a plain attribute, not this call
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
