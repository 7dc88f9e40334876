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
from krat_core.cli.common import (
    EXIT_CLOSED_PIPE,
    EXIT_UNREADABLE,
    CliState,
    current_lang,
    echo_err,
    echo_error,
    error_text,
    plugin_commands,
    silence_closed_pipe,
)
from krat_core.messages import Message

INTERRUPTED = Message(sq="krat: u ndërpre", en="krat: interrupted")
INTERNAL_ERROR = Message(
    sq="krat: gabim i brendshëm: {error}\n"
    "Ky është një defekt i krat ose i një shtojce; provoni sërish me KRAT_DEBUG=1 për hollësitë.",
    en="krat: internal error: {error}\n"
    "This is a bug in krat or a plugin; run again with KRAT_DEBUG=1 for details.",
)

__all__ = ["BUILTIN_COMMANDS", "cli", "main"]

BUILTIN_COMMANDS: dict[str, str] = {
    "archive": "krat_core.cli.archive_cmd:archive",
    "combine": "krat_core.cli.combine_cmd:combine",
    "demo": "krat_core.cli.demo:demo",
    "import": "krat_core.cli.import_cmd:import_",
    "key": "krat_core.cli.key_cmd:key",
    "migrate": "krat_core.cli.archive_cmd:migrate",
    "plugins": "krat_core.cli.plugins_cmd:plugins",
    "releases": "krat_core.cli.releases_cmd:releases",
    "report": "krat_core.cli.report_cmd:report",
    "schema": "krat_core.cli.schema_cmd:schema",
    "validate": "krat_core.cli.validate_cmd:validate",
}
"""The core's subcommands, imported on first use. Plugins add more with ``krat_cli_commands``."""


class KratGroup(click.Group):
    """A click group whose commands are imported lazily and whose plugins add commands.

    Plugin commands belong to one invocation: they are collected on a fresh
    group per :class:`~krat_core.cli.common.CliState` (see
    :func:`~krat_core.cli.common.plugin_commands`), so the module-level group is
    never changed and every call of ``krat`` sees the same commands.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*BUILTIN_COMMANDS, *self.commands, *plugin_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = BUILTIN_COMMANDS.get(cmd_name)
        if target is not None:
            module_name, _, attr = target.partition(":")
            command: click.Command = getattr(importlib.import_module(module_name), attr)
            return command
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        return plugin_commands(ctx).get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from krat_core.errors import KratError

        try:
            return super().invoke(ctx)
        except KratError as exc:
            lang = current_lang(ctx)
            echo_error(error_text(exc, lang), lang)
            ctx.exit(EXIT_UNREADABLE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (krat ... | head): end quietly
            silence_closed_pipe()
            ctx.exit(EXIT_CLOSED_PIPE)
        except KeyboardInterrupt:
            echo_err(INTERRUPTED.text(current_lang(ctx)))
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("KRAT_DEBUG"):
                raise
            error = f"{type(exc).__name__}: {exc}"
            echo_err(INTERNAL_ERROR.text(current_lang(ctx), error=error))
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
    try:
        cli.main(args=argv, prog_name="krat")
    except SystemExit:
        try:  # what is still buffered, while a closed pipe can still be handled
            sys.stdout.flush()
        except BrokenPipeError:
            silence_closed_pipe()
            raise SystemExit(EXIT_CLOSED_PIPE) from None
        raise


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
