"""KRAT core: the exchange format, the plugin contract and the engine.

Embedding::

    import krat_core

    submission = krat_core.load_submission(Path("durres-2024.json"))
    print(len(submission.cases))
    data = krat_core.dump_submission(submission)   # canonical bytes

``krat_core`` never imports ``krat_plugins``: the built-in importers, rules and
exporters are plugins, loaded by :func:`krat_core.plugins.load_plugins`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from krat_core.errors import (
    ExportError,
    FormatError,
    ImportFailed,
    KratError,
    PluginError,
    SchemaVersionError,
)

if TYPE_CHECKING:
    from krat_core.format.canonical import dump_submission, load_submission
    from krat_core.plugins.hookspecs import hookimpl

__all__ = [
    "ExportError",
    "FormatError",
    "ImportFailed",
    "KratError",
    "PluginError",
    "SchemaVersionError",
    "__version__",
    "dump_submission",
    "hookimpl",
    "load_submission",
]


def __getattr__(name: str) -> Any:
    # Lazy so that `krat --version` and `from krat_core import hookimpl` stay fast.
    if name == "hookimpl":  # pluggy is imported on first use, not by `krat --version`
        from krat_core.plugins.hookspecs import hookimpl

        return hookimpl
    if name in ("load_submission", "dump_submission"):
        from krat_core.format import canonical as io

        return getattr(io, name)
    raise AttributeError(f"module 'krat_core' has no attribute {name!r}")
