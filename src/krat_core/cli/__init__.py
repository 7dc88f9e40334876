"""The ``krat`` command line.

Commands are imported only when run, and plugins are loaded only when a
command needs them, so ``krat --help`` and ``krat --version`` start fast.
No traceback reaches the user: :class:`~krat_core.errors.KratError` becomes a
one-line message and exit code 2; anything unexpected becomes a short
"internal error" message (set ``KRAT_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from krat_core import __version__
from krat_core.cli.common import EXIT_UNREADABLE, CliState, echo_err

__all__ = ["BUILTIN_COMMANDS", "cli", "main"]

BUILTIN_COMMANDS: dict[str, str] = {
    "archive": "krat_core.cli.archive_cmd:archive",
    "combine": "krat_core.cli.combine_cmd:combine",
    "demo": "krat_core.cli.demo:demo",
    "import": "krat_core.cli.import_cmd:import_",
    "key": "krat_core.cli.key_cmd:key",
    "migrate": "krat_core.cli.archive_cmd:migrate",
    "plugins": "krat_core.cli.plugins_cmd:plugins",
    "report": "krat_core.cli.report_cmd:report",
    "schema": "krat_core.cli.schema_cmd:schema",
    "validate": "krat_core.cli.validate_cmd:validate",
}
"""The core's subcommands, imported on first use. Plugins add more with ``krat_cli_commands``."""


class KratGroup(click.Group):
    """A click group whose commands are imported lazily and whose plugins add commands."""

    def _plugin_commands(self, ctx: click.Context) -> None:
        state = ctx.ensure_object(CliState)
        if not state.plugin_commands_added:
            state.plugin_commands_added = True
            from krat_core.errors import KratError

            try:  # a broken plugin must not turn `krat --help` into a traceback
                state.registry.add_cli_commands(self)
            except KratError as exc:
                echo_err(f"krat: warning: {exc}")

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._plugin_commands(ctx)
        return sorted({*BUILTIN_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = BUILTIN_COMMANDS.get(cmd_name)
        if target is not None:
            module_name, _, attr = target.partition(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                return None  # command not built yet in this checkout
            command: click.Command = getattr(module, attr)
            return command
        if cmd_name not in self.commands:
            self._plugin_commands(ctx)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from krat_core.errors import KratError

        try:
            return super().invoke(ctx)
        except KratError as exc:
            echo_err(f"krat: error: {exc}")
            ctx.exit(EXIT_UNREADABLE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            echo_err("krat: interrupted")
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("KRAT_DEBUG"):
                raise
            echo_err(
                f"krat: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in krat or a plugin; run again with KRAT_DEBUG=1 for details."
            )
            ctx.exit(3)


@click.group(cls=KratGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="krat")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """KRAT: one data-exchange format for Albania's Regional Anti-Trafficking Committees.

    Import regional files, validate them, combine the twelve regions, and write
    reports. Start with `krat demo` to see the whole pipeline on synthetic data.
    """
    ctx.ensure_object(CliState)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``krat`` console script."""
    cli.main(args=argv, prog_name="krat")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
