"""Writing a dataset in an output format: the library side of ``krat report``.

Embedding::

    from krat_core.descriptors import ExportOptions
    from krat_core.exporting import export

    export(submission, Path("durres-2024.docx"), options=ExportOptions(lang="en"))
    export(national, Path("national-2024.xlsx"))                 # picked by suffix
    export(national, Path("out/csv"), format="csv")              # a folder of CSV files

:func:`export` picks the exporter (a plugin) by name or by the output's suffix
through the plugin registry, and writes atomically: the writer gets a
temporary path next to the target, renamed into place only when it finishes,
so a failure leaves no partial file and an existing file untouched. An
exception from a plugin's writer becomes :class:`~krat_core.errors.ExportError`
naming the exporter and the plugin.

Exporters render; they never compute figures. :func:`prepare_report` is what
they call to get the report's tables (see :mod:`krat_core.statistics`) with the
disclosure control of the options applied; :func:`record_tables` gives the
records of a dataset as flat rows, one table per record kind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from krat_core.descriptors import Exporter, ExportOptions
from krat_core.errors import KratError

if TYPE_CHECKING:
    from krat_core.models import Submission
    from krat_core.models.national import NationalDataset
    from krat_core.plugins import Registry
    from krat_core.statistics import Report, ReportData

__all__ = [
    "RecordTable",
    "choose_exporter",
    "dataset_submissions",
    "export",
    "prepare_report",
    "record_tables",
]


def choose_exporter(registry: Registry, target: Path, format: str | None = None) -> Exporter:
    """The exporter named ``format``, or the one whose suffix ends ``target``'s name.

    Raises :class:`KratError` naming the formats available when none fits.
    """
    exporters = registry.exporters
    names = ", ".join(sorted(exporters)) or "none installed"
    if format is not None:
        return registry.exporter_for(format)
    suffix = target.suffix.lower()
    matches = [e for e in exporters.values() if e.suffix and e.suffix.lower() == suffix]
    if not matches:
        raise KratError(
            f"cannot tell the output format from the name {target.name!r}; give --format "
            f"(available: {names})"
        )
    if len(matches) > 1:
        # Several formats write the same suffix (e.g. xlsx and htcds): the one named
        # after the suffix wins, otherwise the caller must choose.
        named = [e for e in matches if e.name == suffix.lstrip(".")]
        if len(named) == 1:
            return named[0]
        raise KratError(
            f"several formats write {suffix} files ({', '.join(sorted(e.name for e in matches))}); "
            "give --format"
        )
    return matches[0]


def export(
    dataset: Submission | NationalDataset,
    path: str | Path,
    *,
    format: str | None = None,
    options: ExportOptions | None = None,
    registry: Registry | None = None,
) -> Path:
    """Write ``dataset`` to ``path`` in ``format`` (default: from the suffix), atomically.

    An exporter whose suffix is ``.zip`` (CSV) writes a folder instead when
    ``path`` does not end in ``.zip``.

    Args:
        dataset: a regional submission or a national dataset.
        path: the output file (or folder).
        format: an exporter name (``docx``, ``xlsx``, ``csv``, ``ics``, ``json``,
            ``htcds`` or a plugin's); None: chosen by the suffix of ``path``.
        options: language, suppression threshold, comparison datasets, date.
        registry: the loaded plugins (default: :func:`krat_core.plugins.load_plugins`).

    Returns:
        The path written.

    Raises:
        KratError: no exporter fits, bad options; ExportError: the writer failed
        (nothing was written and an existing file is untouched).
    """
    from krat_core.disclosure import check_threshold

    if registry is None:
        from krat_core.plugins import load_plugins

        registry = load_plugins()
    options = options or ExportOptions()
    if options.suppress is not None:
        check_threshold(options.suppress)
    if options.lang not in ("sq", "en"):
        raise KratError(f"language {options.lang!r} is not sq or en")
    target = Path(path)
    exporter = choose_exporter(registry, target, format)
    if exporter.suffix.lower() == ".zip" and target.suffix.lower() != ".zip":
        exporter = dataclasses.replace(exporter, directory=True)
    if target.exists() and target.is_dir() != exporter.directory:
        kind = "a folder" if target.is_dir() else "a file"
        raise KratError(f"{target} is {kind}; the {exporter.name} output cannot replace it")
    return exporter.export(dataset, target, options)


# --------------------------------------------------------------------------- reports


def prepare_report(dataset: Any, options: ExportOptions) -> Report:
    """The report an exporter renders: every table computed once, with the
    options' suppression threshold, comparison datasets and date applied."""
    from krat_core.statistics import build_report

    return build_report(
        dataset,
        compare=list(options.compare),
        suppress=options.suppress,
        generated_on=options.generated_on,
    )


def dataset_submissions(dataset: Any) -> list[Submission]:
    """The regional submissions a dataset holds (one for a submission)."""
    from krat_core.statistics import report_data

    data: ReportData = report_data(dataset)
    return list(data.submissions)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class RecordTable:
    """The records of one kind as flat rows: machine field names as the header.

    Nested objects become ``parent.field`` columns; lists of plain values are
    joined with "; "; lists of objects (a case's assistance, an objective's
    indicators) get their own table linked by the record id; extensions are
    kept as JSON text. Values keep their type (dates, numbers, booleans).
    """

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


_CHILD_LISTS = {"case": ("assistance",), "objective": ("indicators",)}
_KIND_ORDER = (
    ("institution", "institutions"),
    ("case", "cases"),
    ("activity", "activities"),
    ("objective", "objectives"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return "; ".join(str(_plain(v)) for v in value)
    return value


def _flatten(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _flatten(value, f"{prefix}{name}.")
        elif name == "extensions":
            from krat_core.io import dump_json

            yield f"{prefix}{name}", dump_json(value).decode().strip() if value else None
        else:
            yield f"{prefix}{name}", _plain(value)


def _table(name: str, dicts: Iterable[dict[str, Any]], base: Sequence[str]) -> RecordTable:
    rows = list(dicts)
    header: dict[str, None] = dict.fromkeys(base)
    for row in rows:
        for key in row:
            if key not in header:
                header[key] = None
    names = tuple(header)
    return RecordTable(name, names, [tuple(r.get(k) for k in names) for r in rows])


def record_tables(dataset: Any) -> list[RecordTable]:
    """Every record of ``dataset`` as flat tables: one per record kind (with a
    ``region`` column first), then one per nested list (``case_assistance``,
    ``objective_indicators``), in a fixed order."""
    from krat_core.models import RECORD_TYPES

    submissions = dataset_submissions(dataset)
    out: list[RecordTable] = []
    for kind, attr in _KIND_ORDER:
        model = RECORD_TYPES[kind]
        children = _CHILD_LISTS.get(kind, ())
        base = ["region", *(f for f in model.model_fields if f not in children)]
        flat: list[dict[str, Any]] = []
        nested: dict[str, list[dict[str, Any]]] = {c: [] for c in children}
        for s in submissions:
            for record in getattr(s, attr):
                row: dict[str, Any] = {"region": s.region}
                for key, value in _flatten(record):
                    if key not in children:
                        row[key] = value
                flat.append(row)
                for child in children:
                    for index, item in enumerate(getattr(record, child), start=1):
                        nested[child].append(
                            {f"{kind}_id": record.id, "index": index, **dict(_flatten(item))}
                        )
        out.append(_table(attr, flat, base))
        for child in children:
            out.append(_table(f"{kind}_{child}", nested[child], [f"{kind}_id", "index"]))
    return out


def iso(value: Any) -> Any:
    """A date as ISO text, anything else unchanged (for text outputs)."""
    return value.isoformat() if isinstance(value, date) else value
