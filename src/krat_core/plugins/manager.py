"""The plugin manager: loads plugins, checks them, and keeps the registries.

Plugins come from the ``krat`` entry-point group (the built-ins in
``krat_plugins`` are registered there too) and, for embedding and tests, from
objects passed to :func:`load_plugins`. Loading is side-effect free: every call
builds a fresh :class:`Registry`; nothing is global.

- A plugin that fails to import, or raises in (or returns nonsense from) a
  registration hook, is skipped as a whole and named in :attr:`Registry.problems`
  and :attr:`Registry.skipped`; the others still load.
- A hook implementation whose name matches no hook (a misspelling) raises
  :class:`~krat_core.errors.PluginError` naming the plugin (``check_pending``).
- Two plugins registering the same importer, exporter or rule name raise
  :class:`PluginError` naming both.
- ``KRAT_PLUGINS`` (comma-separated entry-point or distribution names) limits
  which third-party plugins load; set but empty, only the built-ins load.
"""

from __future__ import annotations

import difflib
import os
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from types import FunctionType, ModuleType
from typing import Any, Literal, TypeVar

import pluggy

from krat_core.errors import PluginError
from krat_core.format.codelists import RECORD_KINDS
from krat_core.messages import Message, Plural
from krat_core.plugins import hookspecs
from krat_core.plugins.descriptors import (
    Exporter,
    ExtensionField,
    Importer,
    Rule,
    descriptor_problem,
    with_plugin,
)

__all__ = [
    "BUILTIN_DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "HOOK_NAMES",
    "RECORD_KINDS",
    "PluginInfo",
    "PluginWarning",
    "Registry",
    "SkippedPlugin",
    "iter_rules",
    "load_plugins",
    "plugins_document",
    "render_plugins",
]

ENTRY_POINT_GROUP = "krat"
BUILTIN_DISTRIBUTION = "krat"
HOOK_NAMES: tuple[str, ...] = tuple(
    name
    for name, value in vars(hookspecs).items()
    if name.startswith(f"{hookspecs.PROJECT_NAME}_")
    and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
)
"""Every hook of the contract, in documentation order (the order of :mod:`hookspecs`)."""


NO_SUCH_PLUGIN_PART = Message(
    sq="asnjë {what} nuk quhet {name}{maybe} (të instaluar: {known}; shihni `krat plugins`)",
    en="no {what} called {name}{maybe} (installed: {known}; see `krat plugins`)",
)
DID_YOU_MEAN = Message(sq="; mos doni të thoni {hint}?", en="; did you mean {hint}?")
NONE_INSTALLED = Message(sq="asnjë", en="none")
PLUGIN_PARTS = {
    "importer": Message(sq="importues", en="importer").both(),
    "exporter": Message(sq="eksportues", en="exporter").both(),
}
"""The kinds of plugin part :meth:`Registry.importer_for` and ``exporter_for`` look up."""
ADD_COMMANDS_FAILED = Message(
    sq="shtojca {name!r} nuk arriti të shtojë komandat e saj: {error}",
    en="plugin {name!r} failed to add its commands: {error}",
)
EXTENSIONS_FAILED = Message(
    sq="deklaratat e fushave shtesë të shtojcës {name!r} u lanë jashtë: {error}",
    en="the extension fields of plugin {name!r} were left out: {error}",
)
SKIPPED_WARNING = Message(
    sq="shtojca {name!r}{where} u anashkalua: {reason}",
    en="plugin {name!r}{where} was skipped: {reason}",
)
UNKNOWN_IN_KRAT_PLUGINS = Message(
    sq="KRAT_PLUGINS përmend {name!r}, por asnjë shtojcë e instaluar nuk ka këtë emër",
    en="KRAT_PLUGINS names {name!r}, but no installed plugin has that name",
)
NOT_A_HOOKIMPL = Message(
    sq="shtojca {name!r}: funksioni {attr}() nuk është shënuar me @hookimpl dhe shpërfillet "
    "(shkruani `from krat_core import hookimpl` dhe `@hookimpl` sipër tij)",
    en="plugin {name!r}: function {attr}() is not decorated with @hookimpl and is ignored "
    "(write `from krat_core import hookimpl` and `@hookimpl` above it)",
)


class PluginWarning(str):
    """A warning about a plugin, in :attr:`Registry.problems`.

    As a ``str`` it is the English text (what ``krat plugins --json`` lists, so
    the document is the same in every language); :meth:`localized` gives it in
    Albanian or English, for a person.
    """

    texts: dict[str, str]

    def __new__(cls, message: Message, **values: Any) -> PluginWarning:
        texts = message.both(**values)
        warning = super().__new__(cls, texts["en"])
        warning.texts = {str(lang): text for lang, text in texts.items()}
        return warning

    def localized(self, lang: str = "sq") -> str:
        """The warning in ``lang``."""
        return self.texts.get(lang, str(self))


_D = TypeVar("_D", Importer, Exporter)


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
    commands: list[str] = field(default_factory=list)
    """Subcommands it added (known once :meth:`Registry.add_cli_commands` has run)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``krat plugins --json``."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SkippedPlugin:
    """An installed plugin that did not load, and why.

    ``status`` is ``"failed"`` (it could not be imported, or a registration hook
    raised or returned something that is not a descriptor: a warning) or
    ``"disabled"`` (left out by ``KRAT_PLUGINS``: the user's choice, no warning).
    """

    name: str
    reason: str
    status: Literal["failed", "disabled"] = "failed"
    distribution: str | None = None
    version: str | None = None
    module: str | None = None
    rules_lost: bool = False
    """It implements ``krat_validators`` but failed: its rules are missing, so a
    validation run without them is incomplete (issue 11)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``krat plugins --json``."""
        return asdict(self)


@dataclass(slots=True)
class Registry:
    """The loaded plugins and everything they registered, keyed by name."""

    manager: pluggy.PluginManager
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    importers: dict[str, Importer] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Warnings for the caller to show: plugins that failed and were skipped, each with why."""
    skipped: list[SkippedPlugin] = field(default_factory=list)
    """Installed plugins that were not loaded (failed or disabled), each with the reason."""
    extension_fields: dict[str, ExtensionField] = field(default_factory=dict)
    """The extension fields the plugins declare (``krat_extensions``), by ``namespace.name``."""

    @property
    def rule_faults(self) -> list[SkippedPlugin]:
        """Failed plugins whose rules are missing: validation without them is incomplete."""
        return [p for p in self.skipped if p.status == "failed" and p.rules_lost]

    def add_cli_commands(self, cli: Any) -> None:
        """Let every plugin add its subcommands to ``cli``; a failing plugin is skipped."""
        for impl in self.manager.hook.krat_cli_commands.get_hookimpls():
            before = dict(getattr(cli, "commands", {}))
            try:
                impl.function(cli=cli)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                self.problems.append(
                    PluginWarning(ADD_COMMANDS_FAILED, name=impl.plugin_name, error=error)
                )
            info = self.plugins.get(impl.plugin_name)
            if info is not None:
                after = getattr(cli, "commands", {})
                info.commands = sorted(n for n, c in after.items() if before.get(n) is not c)

    def to_dict(self) -> dict[str, Any]:
        """What is loaded, as plain data (``krat plugins --json``; see :func:`plugins_document`)."""
        return plugins_document(self)

    def to_text(self, lang: str = "en", width: int = 100) -> str:
        """What is loaded, as a table for a person (``krat plugins``; :func:`render_plugins`)."""
        return render_plugins(self, width, lang)

    def component_versions(self) -> list[tuple[str, str]]:
        """``(distribution, version)`` of every third-party plugin, for a file's generator."""
        seen = {
            (p.distribution or p.name, p.version or "unknown")
            for p in self.plugins.values()
            if not p.builtin
        }
        return sorted(seen)

    def importer_for(self, name: str) -> Importer:
        """The importer called ``name``; :class:`PluginError` listing the known ones if none."""
        return _lookup(self.importers, name, "importer")

    def exporter_for(self, name: str) -> Exporter:
        """The exporter called ``name``; :class:`PluginError` listing the known ones if none."""
        return _lookup(self.exporters, name, "exporter")

    def _skip(self, skipped: SkippedPlugin) -> None:
        self.skipped.append(skipped)
        if skipped.status == "failed":
            where = f" ({skipped.distribution})" if skipped.distribution else ""
            reason = skipped.reason
            self.problems.append(
                PluginWarning(SKIPPED_WARNING, name=skipped.name, where=where, reason=reason)
            )


def _lookup(table: Mapping[str, _D], name: str, what: str) -> _D:
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        hint = difflib.get_close_matches(name, list(table), n=1)
        maybe = DID_YOU_MEAN.both(hint=repr(hint[0])) if hint else ""
        raise PluginError(
            NO_SUCH_PLUGIN_PART.both(
                what=PLUGIN_PARTS[what],
                name=repr(name),
                maybe=maybe,
                known=known or NONE_INSTALLED.both(),
            )
        ) from None


def _allowed(env: Mapping[str, str]) -> set[str] | None:
    raw = env.get("KRAT_PLUGINS")
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _norm(name: str) -> str:
    """PEP 503 normal form: ``Krat_Durres.Register`` -> ``krat-durres-register``."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(slots=True)
class _Candidate:
    name: str
    obj: object
    distribution: str | None
    version: str | None
    builtin: bool


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
            They are not subject to ``KRAT_PLUGINS``.
        entry_points: whether to load the plugins installed in the ``krat`` group.
        env: environment to read ``KRAT_PLUGINS`` from (default: ``os.environ``).

    Returns:
        A fresh :class:`Registry`. Plugins that failed are listed in
        ``problems`` (warnings to show) and ``skipped``.

    A faulty plugin never stops the others: one with a misspelled hook, a hook
    with wrong argument names, the name of a plugin loaded before it, an
    importer, exporter or rule name another plugin already registered, or a
    registration hook that raises, is skipped (listed in ``skipped`` with the
    reason and its distribution, and warned about in ``problems``). Built-ins
    load first, so in a clash the later, third-party plugin is the one skipped.
    """
    env = os.environ if env is None else env
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)

    candidates: list[_Candidate] = []
    if entry_points:
        candidates.extend(_from_entry_points(registry, _allowed(env)))
    candidates.extend(_Candidate(name, obj, None, None, False) for name, obj in plugins)

    # Built-ins first, so a clash names the built-in as the first owner.
    candidates.sort(key=lambda c: not c.builtin)
    for candidate in candidates:
        _register(registry, candidate)
    _check_hook_names(registry)
    for candidate in candidates:
        if candidate.name in registry.plugins:
            _collect(registry, candidate)
    # When several importers claim a file, the third-party ones are asked first: a
    # region installs a plugin precisely to take over its own files.
    builtin = {name for name, info in registry.plugins.items() if info.builtin}
    registry.importers = dict(
        sorted(registry.importers.items(), key=lambda item: item[1].plugin in builtin)
    )
    collect_extension_fields(registry)
    return registry


def collect_extension_fields(registry: Registry) -> None:
    """Collect every loaded plugin's ``krat_extensions`` declarations into
    ``registry.extension_fields`` (issue 12). A plugin whose hook raises, returns
    something that is not an :class:`ExtensionField`, or declares a field another
    plugin declared, has its declarations left out, with a warning."""
    import dataclasses

    for impl in registry.manager.hook.krat_extensions.get_hookimpls():
        name = impl.plugin_name
        if name not in registry.plugins:
            continue
        try:
            declared: Any = impl.function()
            items = list(declared or ())
            for item in items:
                if not isinstance(item, ExtensionField):
                    raise TypeError(f"krat_extensions() returned {type(item).__name__}")
                owner = registry.extension_fields.get(item.key)
                if owner is not None:
                    raise ValueError(f"{item.key} is already declared by {owner.plugin}")
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            registry.problems.append(PluginWarning(EXTENSIONS_FAILED, name=name, error=error))
            continue
        for item in items:
            registry.extension_fields[item.key] = dataclasses.replace(item, plugin=name)


def _from_entry_points(registry: Registry, allowed: set[str] | None) -> Iterable[_Candidate]:
    found: set[str] = set()
    for ep in _entry_points():
        dist = ep.dist.name if ep.dist is not None else None
        version = ep.dist.version if ep.dist is not None else None
        builtin = dist is not None and _norm(dist) == BUILTIN_DISTRIBUTION
        names = {ep.name, *((dist, _norm(dist)) if dist else ())}
        found |= names
        if not builtin and allowed is not None and not (names & allowed):
            registry._skip(
                SkippedPlugin(
                    ep.name,
                    "not listed in KRAT_PLUGINS",
                    "disabled",
                    dist,
                    version,
                    ep.value,
                )
            )
            continue
        try:
            obj = ep.load()
        except Exception as exc:
            registry._skip(
                SkippedPlugin(
                    ep.name,
                    f"importing {ep.value!r} failed: {type(exc).__name__}: {exc}",
                    "failed",
                    dist,
                    version,
                    ep.value,
                )
            )
            continue
        yield _Candidate(ep.name, obj, dist, version, builtin)
    for name in sorted((allowed or set()) - found):
        registry.problems.append(PluginWarning(UNKNOWN_IN_KRAT_PLUGINS, name=name))


def _register(registry: Registry, candidate: _Candidate) -> None:
    manager = registry.manager
    name, obj = candidate.name, candidate.obj
    if manager.get_plugin(name) is not None:
        # The later-loaded one is skipped (built-ins load first, so they always stay).
        first = registry.plugins[name]
        registry._skip(
            SkippedPlugin(
                name,
                f"another plugin already has the name {name!r}: {first.module} "
                f"({first.distribution or 'not installed'}); rename one entry point",
                "failed",
                candidate.distribution,
                candidate.version,
                _module_name(obj),
                rules_lost=_implements(obj, "krat_validators"),
            )
        )
        return
    _warn_unmarked(registry, name, obj)
    try:
        manager.register(obj, name=name)
    except pluggy.PluginValidationError as exc:
        detail = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        registry._skip(
            SkippedPlugin(
                name,
                f"{detail} (see docs/plugins.md for the hook signatures)",
                "failed",
                candidate.distribution,
                candidate.version,
                _module_name(obj),
                rules_lost=_implements(obj, "krat_validators"),
            )
        )
        return
    except ValueError as exc:  # the same object registered twice under another name
        registry._skip(
            SkippedPlugin(name, str(exc), "failed", candidate.distribution, candidate.version)
        )
        return
    hooks = sorted(
        (hook.name for hook in manager.get_hookcallers(obj) or []),
        key=lambda h: (HOOK_NAMES.index(h) if h in HOOK_NAMES else len(HOOK_NAMES), h),
    )
    registry.plugins[name] = PluginInfo(
        name=name,
        module=_module_name(obj),
        distribution=candidate.distribution,
        version=candidate.version,
        builtin=candidate.builtin,
        hooks=hooks,
    )


def _warn_unmarked(registry: Registry, name: str, obj: object) -> None:
    """A ``krat_*`` function without ``@hookimpl`` is silently ignored by pluggy: say so."""
    marker = f"{hookspecs.PROJECT_NAME}_impl"
    for attr in sorted(dir(obj)):
        if not attr.startswith("krat_"):
            continue
        value = getattr(obj, attr, None)
        function = getattr(value, "__func__", value)
        if isinstance(function, FunctionType) and not hasattr(function, marker):
            registry.problems.append(PluginWarning(NOT_A_HOOKIMPL, name=name, attr=attr))


def _implements(obj: object, hook: str) -> bool:
    """Whether ``obj`` has a ``@hookimpl`` function called ``hook``."""
    value = getattr(obj, hook, None)
    function = getattr(value, "__func__", value)
    return callable(function) and hasattr(function, f"{hookspecs.PROJECT_NAME}_impl")


def _check_hook_names(registry: Registry) -> None:
    """Skip each plugin that implements a hook the contract does not have (a misspelling).

    The warning names the plugin, its distribution and the hook it probably meant;
    the other plugins load as usual.
    """
    manager = registry.manager
    bad: dict[str, str] = {}
    for hook_name, caller in sorted(vars(manager.hook).items()):
        if not isinstance(caller, pluggy.HookCaller) or caller.spec is not None:
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook or impl.plugin_name in bad:
                continue
            guess = difflib.get_close_matches(hook_name, HOOK_NAMES, n=1)
            maybe = f"; did you mean {guess[0]!r}?" if guess else ""
            bad[impl.plugin_name] = (
                f"implements hook {hook_name!r}, which does not exist{maybe} "
                f"(the hooks are: {', '.join(HOOK_NAMES)})"
            )
    for name, reason in sorted(bad.items()):
        _drop(registry, name, reason)


_REGISTRATION_HOOKS: tuple[tuple[str, type[Any], str, str], ...] = (
    ("krat_importers", Importer, "importers", "name"),
    ("krat_validators", Rule, "rules", "code"),
    ("krat_exporters", Exporter, "exporters", "name"),
)


def _collect(registry: Registry, candidate: _Candidate) -> None:
    """Call one plugin's registration hooks; on any failure, skip the whole plugin."""
    name = candidate.name
    manager = registry.manager
    produced: list[tuple[str, str, Any]] = []
    for hook, kind, info_field, key in _REGISTRATION_HOOKS:
        for impl in getattr(manager.hook, hook).get_hookimpls():
            if impl.plugin_name != name:
                continue
            try:
                items = list(impl.function() or ())
                for item in items:
                    problem = descriptor_problem(item, kind)
                    if problem:
                        raise TypeError(problem)
            except Exception as exc:
                _drop(registry, name, f"{hook}() raised {type(exc).__name__}: {exc}")
                return
            produced.extend((info_field, getattr(item, key), item) for item in items)

    tables: dict[str, dict[str, Any]] = {
        "importers": registry.importers,
        "rules": registry.rules,
        "exporters": registry.exporters,
    }
    seen: set[tuple[str, str]] = set()
    for info_field, key_value, _item in produced:
        target = tables[info_field]
        what = info_field[:-1]
        if key_value in target or (info_field, key_value) in seen:
            # The later-loaded plugin is skipped whole; the first owner keeps the name.
            first = target[key_value].plugin if key_value in target else name
            _drop(
                registry,
                name,
                f"{what} name {key_value!r} is already registered by plugin {first!r}; "
                "one of them must use another name",
            )
            return
        seen.add((info_field, key_value))
    info = registry.plugins[name]
    for info_field, key_value, item in produced:
        tables[info_field][key_value] = with_plugin(item, name)
        getattr(info, info_field).append(key_value)


def _drop(registry: Registry, name: str, reason: str) -> None:
    """Unregister the plugin ``name`` and list it as skipped (failed) with ``reason``."""
    manager = registry.manager
    manager.unregister(manager.get_plugin(name))
    info = registry.plugins.pop(name)
    registry._skip(
        SkippedPlugin(
            name,
            reason,
            "failed",
            info.distribution,
            info.version,
            info.module,
            rules_lost="krat_validators" in info.hooks,
        )
    )


def _module_name(obj: object) -> str:
    if isinstance(obj, ModuleType):
        return obj.__name__
    if isinstance(obj, type):
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def iter_rules(registry: Registry, kind: str, region: str) -> Iterable[Rule]:
    """The record-scope rules of ``registry`` that apply to ``kind`` records of ``region``."""
    for rule in registry.rules.values():
        if (
            rule.scope == "record"
            and kind in rule.kinds
            and (rule.regions is None or region in rule.regions)
        ):
            yield rule


# --------------------------------------------------------------------------- the listing

_WIDTH = 100

LOADED = Message(
    sq=Plural(
        one="{n} shtojcë e ngarkuar ({third} të palëve të treta, {builtin} të brendshme "
        "të shënuara me *), {skipped} të anashkaluara",
        other="{n} shtojca të ngarkuara ({third} të palëve të treta, {builtin} të brendshme "
        "të shënuara me *), {skipped} të anashkaluara",
    ),
    en=Plural(
        one="{n} plugin loaded ({third} third-party, {builtin} built-in marked *), "
        "{skipped} skipped",
        other="{n} plugins loaded ({third} third-party, {builtin} built-in marked *), "
        "{skipped} skipped",
    ),
)
REGISTERED = Message(
    sq="Të regjistruar: {importers} importues, {rules} rregulla, {exporters} eksportues.",
    en="Registered: {importers} importers, {rules} rules, {exporters} exporters.",
)
SKIPPED_HEADING = Message(sq="Të anashkaluara:", en="Skipped:")
SKIPPED_HINT = Message(
    sq="Një shtojcë që dështon anashkalohet dhe të tjerat punojnë. Për ta lënë jashtë pa "
    "paralajmërim, ose çinstalojeni shpërndarjen e saj, ose vendosni KRAT_PLUGINS me emrat "
    "e shtojcave që doni (p.sh. KRAT_PLUGINS=durres-register; KRAT_PLUGINS= vetëm të "
    "brendshmet).",
    en="A failing plugin is skipped and the others work. To leave it out without a warning, "
    "uninstall its distribution, or set KRAT_PLUGINS to the plugins you want (e.g. "
    "KRAT_PLUGINS=durres-register; KRAT_PLUGINS= for the built-ins only).",
)
HEADER = Message(
    sq="SHTOJCA|SHPËRNDARJA|VERSIONI|LIDHJET|SHTON", en="PLUGIN|DISTRIBUTION|VERSION|HOOKS|ADDS"
)
ADDS: dict[str, Message] = {
    "importers": Message(sq="importues", en="importers"),
    "rules": Message(sq="rregulla", en="rules"),
    "exporters": Message(sq="eksportues", en="exporters"),
    "commands": Message(sq="komanda", en="commands"),
}
NOT_INSTALLED = Message(sq="(e painstaluar)", en="(not installed)")


def plugins_document(registry: Registry) -> dict[str, Any]:
    """The JSON document of ``krat plugins --json``.

    ``{"plugins": [...], "skipped": [...], "problems": [...]}``: third-party
    plugins first, then the built-ins, each sorted by name.
    """
    ordered = sorted(registry.plugins.values(), key=lambda p: (p.builtin, p.name))
    return {
        "plugins": [p.to_dict() for p in ordered],
        "skipped": [s.to_dict() for s in sorted(registry.skipped, key=lambda s: s.name)],
        "problems": list(registry.problems),
    }


def _adds(info: PluginInfo, lang: str) -> list[str]:
    parts = []
    for label, names in (
        ("importers", info.importers),
        ("rules", info.rules),
        ("exporters", info.exporters),
        ("commands", info.commands),
    ):
        if names:
            parts.append(f"{ADDS[label].text(lang)}: {', '.join(names)}")
    return parts or ["-"]


def _cell(lines: Sequence[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(
            textwrap.wrap(
                line, width, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False
            )
        )
    return out or [""]


def _table(header: Sequence[str], rows: Sequence[Sequence[Sequence[str]]], last: int) -> list[str]:
    """Columns sized to their content; the last column wrapped to ``last`` characters."""
    cells = [[*row[:-1], _cell(row[-1], last)] for row in rows]
    widths = [
        max([len(header[i])] + [len(x) for row in cells for x in row[i]])
        for i in range(len(header) - 1)
    ]

    def line(parts: Sequence[str]) -> str:
        padded = [p.ljust(w) for p, w in zip(parts, widths, strict=False)]
        return "  ".join([*padded, parts[-1]]).rstrip()

    lines = [line(header)]
    for row in cells:
        for k in range(max(len(c) for c in row)):
            lines.append(line([c[k] if k < len(c) else "" for c in row]))
    return lines


def render_plugins(registry: Registry, width: int = _WIDTH, lang: str = "en") -> str:
    """The text of ``krat plugins``: a table of loaded plugins, then the skipped ones."""
    doc = plugins_document(registry)
    loaded = [registry.plugins[p["name"]] for p in doc["plugins"]]
    rows = []
    for info in loaded:
        hooks = [h.removeprefix("krat_") for h in info.hooks]
        rows.append(
            [
                [info.name + (" *" if info.builtin else "")],
                [info.distribution or NOT_INSTALLED.text(lang)],
                [info.version or "-"],
                [", ".join(hooks) or "-"],
                _adds(info, lang),
            ]
        )
    header = HEADER.text(lang).split("|")
    fixed = sum(max([len(header[i])] + [len(x) for r in rows for x in r[i]]) + 2 for i in range(4))
    n_builtin = sum(1 for p in loaded if p.builtin)
    counts = LOADED.text(
        lang,
        n=len(loaded),
        third=len(loaded) - n_builtin,
        builtin=n_builtin,
        skipped=len(registry.skipped),
    )
    out = [counts, ""]
    if rows:
        out.extend(_table(header, rows, max(30, width - fixed)))
    summary = REGISTERED.text(
        lang,
        importers=len(registry.importers),
        rules=len(registry.rules),
        exporters=len(registry.exporters),
    )
    out.extend(["", summary])
    if registry.skipped:
        out.extend(["", SKIPPED_HEADING.text(lang)])
        for skipped in sorted(registry.skipped, key=lambda s: s.name):
            dist = f" ({skipped.distribution} {skipped.version or ''})".replace(" )", ")")
            text = f"{skipped.name}{dist if skipped.distribution else ''}: {skipped.status}, "
            text += skipped.reason
            out.extend(textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    "))
        if any(s.status == "failed" for s in registry.skipped):
            out.extend(["", *textwrap.wrap(SKIPPED_HINT.text(lang), width)])
    return "\n".join(out)
