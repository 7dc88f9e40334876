"""Options shared by several commands, spelt the same everywhere.

Every command that writes a file or folder names it with ``-o/--output``; the
older spelling ``--out`` still works as a hidden alias (scripts written for
earlier versions keep running, ``--help`` shows one name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

__all__ = ["AliasedOption", "output_option"]

F = TypeVar("F", bound=Callable[..., Any])


class AliasedOption(click.Option):
    """A click option whose ``hidden_aliases`` are accepted but left out of ``--help``."""

    def __init__(self, *args: Any, hidden_aliases: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_aliases = tuple(hidden_aliases)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """The help line, without the hidden aliases."""
        opts = self.opts
        self.opts = [o for o in opts if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = opts


def output_option(name: str = "output", **kwargs: Any) -> Callable[[F], F]:
    """``-o/--output`` (``--out`` accepted, not shown), passed to the command as ``name``."""
    decorator: Callable[[F], F] = click.option(
        "-o",
        "--output",
        "--out",
        name,
        cls=AliasedOption,
        hidden_aliases=("--out",),
        **kwargs,
    )
    return decorator
