"""The plugin manager: loads plugins, checks them, and keeps the registries.

Plugins come from the ``krat`` entry-point group (the built-ins in
``krat_plugins`` are registered there too) and, for embedding and tests, from
objects passed to :func:`load_plugins`. Loading is side-effect free: every call
builds a fresh :class:`Registry`; nothing is global.

- A plugin that fails to import or raises in a registration hook is skipped
  and named in :attr:`Registry.problems`; the others still load.
- A hook implementation whose name matches no hook (a misspelling) raises
  :class:`~krat_core.errors.PluginError` naming the plugin (``check_pending``).
- Two plugins registering the same importer, exporter or rule name raise
  :class:`PluginError` naming both.
- ``KRAT_PLUGINS`` (comma-separated entry-point or distribution names) limits
  which third-party plugins load; set but empty, only the built-ins load.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy

from krat_core import hookspecs
from krat_core.descriptors import Exporter, Importer, Rule, with_plugin
from krat_core.errors import PluginError

__all__ = [
    "BUILTIN_DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "HOOK_NAMES",
    "PluginInfo",
    "Registry",
    "load_plugins",
]

ENTRY_POINT_GROUP = "krat"
BUILTIN_DISTRIBUTION = "krat"
HOOK_NAMES: tuple[str, ...] = (
    "krat_importers",
    "krat_validators",
    "krat_exporters",
    "krat_cli_commands",
)
"""Every hook of the contract, in documentation order."""


@dataclass(slots=True)
class PluginInfo:
    """One loaded plugin: where it comes from and what it adds."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    importers: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    exporters: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``krat plugins --json``."""
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "hooks": list(self.hooks),
            "importers": list(self.importers),
            "rules": list(self.rules),
            "exporters": list(self.exporters),
        }


@dataclass(slots=True)
class Registry:
    """The loaded plugins and everything they registered, keyed by name."""

    manager: pluggy.PluginManager
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    importers: dict[str, Importer] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Plugins that were skipped, each with the reason, for the caller to show."""

    def add_cli_commands(self, cli: Any) -> None:
        """Let every plugin add its subcommands to ``cli``; a failing plugin is skipped."""
        for impl in self.manager.hook.krat_cli_commands.get_hookimpls():
            try:
                impl.function(cli=cli)
            except Exception as exc:
                self.problems.append(
                    f"plugin {impl.plugin_name!r} failed to add its commands: "
                    f"{type(exc).__name__}: {exc}"
                )

    def component_versions(self) -> list[tuple[str, str]]:
        """``(distribution, version)`` of every third-party plugin, for a file's generator."""
        seen = {
            (p.distribution or p.name, p.version or "unknown")
            for p in self.plugins.values()
            if not p.builtin
        }
        return sorted(seen)


def _allowed(env: Mapping[str, str]) -> set[str] | None:
    raw = env.get("KRAT_PLUGINS")
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def load_plugins(
    *,
    plugins: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
    env: Mapping[str, str] | None = None,
) -> Registry:
    """Load plugins and collect their importers, rules and exporters into a :class:`Registry`.

    Args:
        plugins: extra ``(name, plugin)`` pairs to register (modules or objects
            with hook implementations), e.g. from tests or an embedding system.
        entry_points: whether to load the plugins installed in the ``krat`` group.
        env: environment to read ``KRAT_PLUGINS`` from (default: ``os.environ``).

    Raises:
        PluginError: a misspelled hook, or two plugins registering the same name.
    """
    env = os.environ if env is None else env
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)
    allowed = _allowed(env)

    if entry_points:
        for ep in _entry_points():
            dist = ep.dist.name if ep.dist is not None else None
            version = ep.dist.version if ep.dist is not None else None
            builtin = dist is not None and dist.lower() == BUILTIN_DISTRIBUTION
            if not builtin and allowed is not None and not ({ep.name, dist} & allowed):
                continue
            try:
                obj = ep.load()
            except Exception as exc:
                registry.problems.append(
                    f"plugin {ep.name!r} ({dist or 'unknown distribution'}) could not be "
                    f"imported and was skipped: {type(exc).__name__}: {exc}"
                )
                continue
            _register(registry, ep.name, obj, dist, version, builtin)
    for name, obj in plugins:
        _register(registry, name, obj, None, None, builtin=False)

    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        name = manager.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(
            f"implements a hook that does not exist ({exc}); the hooks are: "
            + ", ".join(HOOK_NAMES),
            plugin=name,
        ) from None

    _collect(registry, "krat_importers", Importer, registry.importers, "importers", "name")
    _collect(registry, "krat_validators", Rule, registry.rules, "rules", "code")
    _collect(registry, "krat_exporters", Exporter, registry.exporters, "exporters", "name")
    return registry


def _register(
    registry: Registry,
    name: str,
    obj: object,
    dist: str | None,
    version: str | None,
    builtin: bool,
) -> None:
    manager = registry.manager
    other = manager.get_plugin(name)
    if other is not None:
        first = registry.plugins[name]
        raise PluginError(
            f"two plugins have the name {name!r}: {first.module} "
            f"({first.distribution or 'not installed'}) and {_module_name(obj)} "
            f"({dist or 'not installed'})",
            plugin=name,
        )
    try:
        manager.register(obj, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc), plugin=name) from None
    except ValueError as exc:  # the same object registered twice under another name
        registry.problems.append(f"plugin {name!r} was skipped: {exc}")
        return
    hooks = sorted(
        hook.name
        for hook in manager.get_hookcallers(obj) or []
    )
    registry.plugins[name] = PluginInfo(
        name=name,
        module=_module_name(obj),
        distribution=dist,
        version=version,
        builtin=builtin,
        hooks=hooks,
    )


def _module_name(obj: object) -> str:
    if isinstance(obj, ModuleType):
        return obj.__name__
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _collect(
    registry: Registry,
    hook: str,
    kind: type[Any],
    target: dict[str, Any],
    info_field: str,
    key: str,
) -> None:
    """Call ``hook`` on each plugin separately, so a failure is pinned on its plugin."""
    for impl in getattr(registry.manager.hook, hook).get_hookimpls():
        plugin = impl.plugin_name
        try:
            produced = list(impl.function() or ())
            for item in produced:
                if not isinstance(item, kind):
                    raise TypeError(f"{hook}() returned {item!r}, not a {kind.__name__}")
        except Exception as exc:
            registry.problems.append(
                f"plugin {plugin!r} raised in {hook}() and was skipped: "
                f"{type(exc).__name__}: {exc}"
            )
            continue
        for item in produced:
            name = getattr(item, key)
            if name in target:
                raise PluginError(
                    f"{info_field[:-1]} name {name!r} is registered by both plugin "
                    f"{target[name].plugin!r} and plugin {plugin!r}",
                    plugin=plugin,
                )
            target[name] = with_plugin(item, plugin)
            info = registry.plugins.get(plugin)
            if info is not None:
                getattr(info, info_field).append(name)


def iter_rules(registry: Registry, kind: str, region: str) -> Iterable[Rule]:
    """The record-scope rules of ``registry`` that apply to ``kind`` records of ``region``."""
    for rule in registry.rules.values():
        if rule.scope == "record" and kind in rule.kinds and (
            rule.regions is None or region in rule.regions
        ):
            yield rule
