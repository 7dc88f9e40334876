"""The plugin contract: hook specifications, descriptors, the manager, the author kit.

One import path for plugin authors and embedders::

    from krat_core.plugins import hookimpl, Importer, ImportOptions, ImportResult
    from krat_core.plugins import load_plugins

Hooks are specified in :mod:`krat_core.plugins.hookspecs`; what hooks return is
in :mod:`krat_core.plugins.descriptors`; :mod:`krat_core.plugins.manager` loads
plugins from the ``krat`` entry-point group; :mod:`krat_core.plugins.testing` is
the kit that checks a plugin (a pytest plugin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import (
        Exporter,
        ExportOptions,
        Importer,
        ImportLimits,
        ImportOptions,
        ImportResult,
        Rule,
        RuleContext,
        SheetCount,
    )
    from krat_core.plugins.hookspecs import hookimpl
    from krat_core.plugins.manager import Registry, load_plugins

_EXPORTS = {
    "hookimpl": "hookspecs",
    "load_plugins": "manager",
    "Registry": "manager",
    "Importer": "descriptors",
    "ImportOptions": "descriptors",
    "ImportResult": "descriptors",
    "ImportLimits": "descriptors",
    "SheetCount": "descriptors",
    "Rule": "descriptors",
    "RuleContext": "descriptors",
    "Exporter": "descriptors",
    "ExportOptions": "descriptors",
}
__all__ = [
    "ExportOptions",
    "Exporter",
    "ImportLimits",
    "ImportOptions",
    "ImportResult",
    "Importer",
    "Registry",
    "Rule",
    "RuleContext",
    "SheetCount",
    "hookimpl",
    "load_plugins",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
