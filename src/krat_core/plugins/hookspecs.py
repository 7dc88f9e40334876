"""The plugin contract: every hook a KRAT plugin can implement.

Plugins are plain modules or objects whose functions are decorated with
:data:`hookimpl` and registered through the ``krat`` entry-point group::

    # pyproject.toml of a plugin package
    [project.entry-points.krat]
    durres-register = "krat_durres_register"

The built-in importers, rules and exporters in ``krat_plugins`` are registered
the same way. Every hook name starts with ``krat_``; a function decorated with
``hookimpl`` whose name matches no hook here makes loading fail, naming the plugin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from krat_core.plugins.descriptors import Exporter, ExtensionField, Importer, Rule

PROJECT_NAME = "krat"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

__all__ = [
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "krat_cli_commands",
    "krat_exporters",
    "krat_extensions",
    "krat_importers",
    "krat_validators",
]


@hookspec
def krat_importers() -> Iterable[Importer]:  # type: ignore[empty-body]
    """Add source formats that ``krat import`` and ``krat validate`` can read.

    Returns:
        :class:`~krat_core.plugins.descriptors.Importer` descriptors. Each has a ``name``
        unique across all plugins, the file ``suffixes`` it reads (``(".xlsx",)``),
        an optional ``sniff(path, head) -> bool`` to recognise a file by its
        first bytes, and ``read(paths, options) -> ImportResult``.

    Behaviour:
        ``read`` turns every input row into either a record or at least one
        finding with its file, sheet, row and column; it never raises for bad
        rows, and raises :class:`~krat_core.errors.ImportFailed` only when a file
        cannot be read at all. Importers never check business rules.
    """


@hookspec
def krat_validators() -> Iterable[Rule]:  # type: ignore[empty-body]
    """Add business rules that ``krat validate`` runs on every submission.

    Returns:
        :class:`~krat_core.plugins.descriptors.Rule` descriptors. Each has a stable
        ``code`` (``"durres.activity-needs-partner"``), a ``severity``, the record
        ``kinds`` it applies to, optional ``regions`` (region codes it is limited
        to), a ``scope`` ("record" or "submission") and ``check(target, context)``
        yielding :class:`~krat_core.findings.Problem` objects.

    Behaviour:
        Checks never read files and never change records. A check that raises
        becomes a ``rule-error`` finding naming the plugin and the rule, and the
        run goes on.
    """


@hookspec
def krat_exporters() -> Iterable[Exporter]:  # type: ignore[empty-body]
    """Add output formats for ``krat report`` (and ``krat import -o``).

    Returns:
        :class:`~krat_core.plugins.descriptors.Exporter` descriptors. Each has a unique
        ``name`` (what ``--format`` takes), the ``suffix`` it writes
        (``".docx"``), a ``media_type`` and ``write(dataset, path, options)``.

    Behaviour:
        Writers never change the data they are given. They write to the path the
        core gives them (a temporary file renamed into place on success), so a
        writer that raises leaves no partial output.
    """


@hookspec
def krat_extensions() -> Iterable[ExtensionField]:  # type: ignore[empty-body]
    """Declare the fields a plugin keeps in the ``extensions`` of records.

    Returns:
        :class:`~krat_core.plugins.descriptors.ExtensionField` descriptors: a
        ``namespace`` and ``name`` (the key ``extensions[namespace][name]``), a
        ``type`` ("text", "integer", "number", "boolean", "date"), bounds
        (``max_length``, ``minimum``, ``maximum``, ``choices``) and the record
        ``kinds`` that may carry it.

    Behaviour:
        Called once per registry, when plugins load. Only declared keys are
        accepted: an undeclared key, a value that is not a scalar of its type
        within its bounds, or a key or value that looks like a person's identity
        (a name, a birth date, a personal number, a phone number) is refused at
        import and reported at validation, by a finding that names the field and
        never repeats the value.
    """


@hookspec
def krat_cli_commands(cli: click.Group) -> None:
    """Add subcommands to the ``krat`` command line.

    Args:
        cli: a :class:`click.Group` that collects the plugins' commands for one
            run of ``krat`` (a fresh group each run; the ``krat`` group itself is
            never changed); call ``cli.add_command(...)`` or decorate functions
            with ``@cli.command()``.

    Returns:
        Nothing.

    Behaviour:
        Called once per run, when the command line first needs the list of
        commands. Keep imports of heavy libraries inside the command functions,
        so ``krat --help`` stays fast.
    """
