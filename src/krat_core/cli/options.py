"""Options shared by several commands, spelt the same everywhere.

Every command that writes a file or folder names it with ``-o/--output``; the
older spelling ``--out`` still works as a hidden alias (scripts written for
earlier versions keep running, ``--help`` shows one name). ``--deadline`` is
read one way by ``krat combine`` and ``krat archive export``, so both give the
same national dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import click

from krat_core.cli.common import current_lang
from krat_core.messages import Message

__all__ = ["AliasedOption", "deadline_option", "output_option"]

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


BAD_DEADLINE = Message(
    sq="pritej një datë (2025-01-31) ose datë e orë me zonë kohore (2025-01-31T17:00:00+01:00)",
    en="expected a date (2025-01-31) or a date-time with a time zone (2025-01-31T17:00:00+01:00)",
)


def _parse_deadline(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> date | datetime | None:
    if value is None:
        return None
    moment: datetime | None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise click.BadParameter(BAD_DEADLINE.text(current_lang(ctx)))
    return moment


def deadline_option() -> Callable[[F], F]:
    """``--deadline DATE``: a date, or a date-time with a time zone, after which a
    submission is late (passed to the command as a ``date`` or ``datetime``)."""
    decorator: Callable[[F], F] = click.option(
        "--deadline",
        callback=_parse_deadline,
        metavar="DATE",
        help="Submissions sent after this date (or date-time with time zone) are late.",
    )
    return decorator
