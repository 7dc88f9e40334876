"""``krat plugins``: what is installed, what each plugin adds, and what did not load."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from krat_core.cli.common import EXIT_FINDINGS, current_lang, get_registry, plugin_commands
from krat_core.messages import Message, Plural

if TYPE_CHECKING:
    from krat_core.plugins.manager import PluginInfo, Registry

__all__ = ["plugins", "plugins_document", "render_plugins"]

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
SKIPPED = Message(sq="Të anashkaluara:", en="Skipped:")
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
        out.extend(["", SKIPPED.text(lang)])
        for skipped in sorted(registry.skipped, key=lambda s: s.name):
            dist = f" ({skipped.distribution} {skipped.version or ''})".replace(" )", ")")
            text = f"{skipped.name}{dist if skipped.distribution else ''}: {skipped.status}, "
            text += skipped.reason
            out.extend(textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    "))
    return "\n".join(out)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs instead of a table.")
@click.option(
    "--check",
    is_flag=True,
    help="Exit with status 1 when an installed plugin failed to load (for CI).",
)
@click.pass_context
def plugins(ctx: click.Context, as_json: bool, check: bool) -> None:
    """List the loaded plugins and what each adds; show plugins that were skipped and why.

    Built-in plugins (shipped with krat) are marked with *. KRAT_PLUGINS
    (comma-separated names) limits which third-party plugins load.
    """
    registry = get_registry(ctx)
    plugin_commands(ctx)  # what each plugin adds is known once its commands are collected
    if as_json:
        from krat_core.format.canonical import dump_json

        click.echo(dump_json(plugins_document(registry)).decode("utf-8"), nl=False)
    else:
        click.echo(render_plugins(registry, lang=current_lang(ctx)))
    if check and any(s.status == "failed" for s in registry.skipped):
        ctx.exit(EXIT_FINDINGS)
