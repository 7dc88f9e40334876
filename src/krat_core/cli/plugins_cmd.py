"""``krat plugins``: what is installed, what each plugin adds, and what did not load."""

from __future__ import annotations

import click

from krat_core.cli.common import EXIT_FINDINGS, echo, get_registry, lang_option, plugin_commands

__all__ = ["plugins"]


@click.command(short_help="List the loaded plugins and what each adds.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs instead of a table.")
@click.option(
    "--check",
    is_flag=True,
    help="Exit with status 1 when an installed plugin failed to load (for CI).",
)
@lang_option
@click.pass_context
def plugins(ctx: click.Context, as_json: bool, check: bool, lang: str) -> None:
    """List the loaded plugins and what each adds; show plugins that were skipped and why.

    Built-in plugins (shipped with krat) are marked with *. KRAT_PLUGINS
    (comma-separated names) limits which third-party plugins load.
    """
    registry = get_registry(ctx)
    plugin_commands(ctx)  # what each plugin adds is known once its commands are collected
    if as_json:
        from krat_core.format.canonical import dump_json

        click.echo(dump_json(registry.to_dict()).decode("utf-8"), nl=False)
    else:
        echo(registry.to_text(lang))
    if check and any(s.status == "failed" for s in registry.skipped):
        ctx.exit(EXIT_FINDINGS)
