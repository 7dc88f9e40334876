"""Helpers shared by the commands: state, output, exit codes, options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.plugins.manager import Registry
    from krat_core.reporting.register import ReleaseRecord

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
"""Some rows were rejected, or findings reached the fail level."""
EXIT_UNREADABLE = 2
"""An input could not be read at all, or the command was used wrongly."""


ERROR = Message(sq="krat: gabim: {message}", en="krat: error: {message}")
"""The one prefix of an error line on stderr."""
WARNING = Message(sq="krat: paralajmërim: {message}", en="krat: warning: {message}")
"""The one prefix of a warning line on stderr."""
WROTE = Message(sq="U shkrua {path}", en="Wrote {path}")
"""The line a command prints for each file it wrote."""


EXIT_CLOSED_PIPE = 141
"""The reader of standard output went away (``krat ... | head``): 128 + SIGPIPE, as a
command killed by the signal would end; nothing more is printed."""

_UNSAFE = {
    **{c: f"\\x{c:02x}" for c in range(0x20) if chr(c) not in "\n\t"},
    0x7F: "\\x7f",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029)},
    **{c: f"\\u{c:04x}" for c in range(0x202A, 0x202F)},
    **{c: f"\\u{c:04x}" for c in range(0x2066, 0x206A)},
    **{c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)},
}


def escape_controls(text: str) -> str:
    """``text`` safe for a terminal: control characters shown as escapes (``\\x1b``).

    C0 controls (but line feed and tab), DEL, C1 controls, bidirectional
    overrides and isolates, line and paragraph separators and lone surrogates
    (undecodable file-name bytes) become ``\\xNN`` / ``\\uNNNN``, so a value read
    from a file (a file name in a national dataset, a cell) can neither clear the
    screen, move the cursor, reorder a line nor forge one.
    """
    return text.translate(_UNSAFE)


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` (which may hold values from files) with control characters escaped."""
    click.echo(escape_controls(message), err=err, nl=nl)


def echo_err(message: str) -> None:
    """Print ``message`` to stderr, control characters escaped."""
    click.echo(escape_controls(message), err=True)


def silence_closed_pipe() -> None:
    """After ``BrokenPipeError`` on stdout: point stdout at /dev/null so that the final
    flush at exit cannot fail again (and print "Exception ignored")."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to do
        pass


def current_lang(ctx: click.Context | None = None) -> str:
    """The ``--lang`` of this invocation; English for commands without one (their output is)."""
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return "en"
    return ctx.find_root().ensure_object(CliState).lang or "en"


def error_text(exc: BaseException | str, lang: str) -> str:
    """A message (an exception's, or a plugin warning) in ``lang`` where it carries both
    languages (a ``localized(lang)`` method), else as it is."""
    localized = getattr(exc, "localized", None)
    if callable(localized):
        text: str = localized(lang)
        return text
    return str(exc)


def echo_error(message: str, lang: str | None = None) -> None:
    """``krat: error: message`` (``krat: gabim: ...``) on stderr, in the invocation's language."""
    echo_err(ERROR.text(lang or current_lang(), message=message))


def echo_warning(message: str, lang: str | None = None) -> None:
    """``krat: warning: message`` on stderr, in the invocation's language."""
    echo_err(WARNING.text(lang or current_lang(), message=message))


@dataclass
class CliState:
    """Per-invocation state: the plugin registry, loaded on first use."""

    _registry: Registry | None = None
    _plugin_commands: dict[str, click.Command] | None = None
    lang: str | None = None
    """The command's ``--lang``, once its options are parsed (None: the command has none)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def registry(self) -> Registry:
        """The loaded plugins; problems loading them are printed once, as warnings."""
        if self._registry is None:
            from krat_core.plugins.manager import load_plugins

            self._registry = load_plugins()
            lang = self.lang or "en"
            for problem in self._registry.problems:
                echo_warning(error_text(problem, lang), lang)
        return self._registry


def plugin_commands(ctx: click.Context) -> dict[str, click.Command]:
    """The subcommands plugins add in this invocation (collected once, on a fresh group).

    A plugin that fails to add its commands is a warning: it must not turn
    ``krat --help`` into a traceback.
    """
    state = ctx.find_root().ensure_object(CliState)
    if state._plugin_commands is None:
        from krat_core.errors import KratError

        scratch = click.Group("krat")
        try:
            state.registry.add_cli_commands(scratch)
        except KratError as exc:
            echo_warning(error_text(exc, current_lang(ctx)), state.lang)
        state._plugin_commands = dict(scratch.commands)
    return state._plugin_commands


def get_registry(ctx: click.Context | None = None) -> Registry:
    """The registry of the current ``krat`` invocation."""
    ctx = ctx or click.get_current_context()
    return ctx.find_root().ensure_object(CliState).registry


def language_option(
    help: str = "Language of messages and labels: Albanian (sq) or English (en).",
) -> Callable[[F], F]:
    """The ``--lang sq|en`` option (Albanian by default), with a help text of its own.

    The value is also kept for the invocation, so that error lines use it
    (see :func:`echo_error`); the option is eager, parsed before the others.
    """
    return click.option(
        "--lang",
        type=click.Choice(["sq", "en"]),
        default="sq",
        show_default=True,
        is_eager=True,
        callback=_remember_lang,
        help=help,
    )


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.find_root().ensure_object(CliState).lang = value
    return value


lang_option = language_option()
"""``--lang sq|en`` for messages and labels; every command's language option."""


def is_terminal() -> bool:
    """Whether stderr is attached to a terminal (for progress output)."""
    return sys.stderr.isatty()


KEY_FILE_HINT = Message(
    sq="krijoni një me `krat key new -o national.key`",
    en="create one with `krat key new -o national.key`",
)


def read_key_file(path: Path) -> bytes:
    """The national key in ``path``; a bad key file's error also says how to make one."""
    from krat_core.errors import KeyFileError
    from krat_core.format.pseudonym import read_key

    try:
        return read_key(path)
    except KeyFileError as exc:  # the library names no command; the command line does
        texts = {lang: f"{text} ({KEY_FILE_HINT.text(lang)})" for lang, text in exc.texts.items()}
        raise KeyFileError(texts, source=exc.source) from None


def read_releases(db: str | None, folder: Path) -> list[ReleaseRecord]:
    """The releases recorded so far: in the archive ``db`` when there is one, else in
    the release register of ``folder`` (``krat report`` and ``krat releases``)."""
    if db:
        from krat_core.archive import Archive

        with Archive.open(db) as archive:
            return archive.releases()
    from krat_core.reporting.register import read_register

    return read_register(folder)
