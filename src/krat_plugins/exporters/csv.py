"""The ``csv`` output: the records as CSV, one file per record kind, plus the report tables.

Written as a zip archive (output name ending ``.zip``) or as a folder (any
other name)::

    README.txt                 what the files are, in Albanian and English
    records/submission.csv     the submission's header fields (regional export only)
    records/institutions.csv   one row per record, in the columns of the official
    records/cases.csv          template (krat_core.importing.sheets): headers and code-list
    records/assistance.csv     labels in the report language, nested lists in their
    records/activities.csv     own file linked by the parent id; a regional export
    records/objectives.csv     imports back with the CSV importer
    records/indicators.csv
    tables/<table>.csv         every table of the report, with disclosure control

Every file is UTF-8 with a byte-order mark (so Excel shows ë and ç), with
CRLF line ends, in one of two dialects (``ExportOptions.csv_dialect``,
``krat report --csv-dialect``):

- ``rfc4180`` (the default): comma separated, decimal point (RFC 4180; what
  databases, R, pandas and LibreOffice expect).
- ``excel-eu``: semicolon separated, decimal comma: what Excel expects where
  the list separator is ``;`` (Albanian and most European regional settings),
  so a double click opens it in columns.

No ``sep=`` line is written: Excel then ignores the byte-order mark and shows
ë as mojibake. Whole numbers are written without a decimal part. Text cells
that start like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return)
are neutralised with a leading apostrophe (:func:`krat_core.safety.neutralise`);
control characters other than tab and line ends (NUL, ESC...) are written as
their visible Unicode control pictures.

The ``records/`` files are record-level data for exchange between authorised
offices, never for publication: they are written only when records are asked
for (``ExportOptions.records``, ``--records``). The ``tables/`` files are
publishable for the public audience (their people counts are audited as one
release); the README says which audience the output is for.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_core.safety import FORMULA_PREFIXES
from krat_plugins.exporters._text import csv_text

FIELD = Message(sq="Fusha", en="Field")
VALUE = Message(sq="Vlera", en="Value")

_README = """\
KRAT - eksport CSV / CSV export

{audience_sq}
{audience_en}

records/  Të dhëna në nivel regjistrimi (raste, aktivitete, objektiva, institucione).
          VETËM për shkëmbim ndërmjet zyrave të autorizuara; MOS i publikoni.
          Record-level data (cases, activities, objectives, institutions).
          ONLY for exchange between authorised offices; do NOT publish.

tables/   Tabelat e raportit. {suppression_sq}
          The report's tables. {suppression_en}

{dialect}
"""

# The README's own text (a file of the output, not a message of the library): it names the
# command-line option so that a reader knows how to get the other dialect.
_DIALECTS = {
    "rfc4180": (
        "Kodimi: UTF-8 me BOM, ndarës presje, pikë dhjetore (RFC 4180).\n"
        "  Excel: Të dhëna > Nga teksti/CSV, kodimi 65001 UTF-8, ndarësi presje.\n"
        "  LibreOffice: hapeni, zgjidhni grupin e karaktereve Unicode (UTF-8) dhe\n"
        "  ndarësin presje. Për Excel me cilësime shqipe përdorni\n"
        "  --csv-dialect excel-eu.\n"
        "Encoding: UTF-8 with BOM, comma separated, decimal point (RFC 4180).\n"
        "  Excel: Data > From Text/CSV, file origin 65001 UTF-8, delimiter comma.\n"
        "  LibreOffice: open it, choose character set Unicode (UTF-8) and the\n"
        "  separator comma. For Excel on Albanian or European settings use\n"
        "  --csv-dialect excel-eu."
    ),
    "excel-eu": (
        "Kodimi: UTF-8 me BOM, ndarës pikëpresje, presje dhjetore (excel-eu).\n"
        "  Excel me cilësime shqipe ose evropiane: hapeni me klikim të dyfishtë.\n"
        "  LibreOffice: hapeni, zgjidhni Unicode (UTF-8) dhe ndarësin pikëpresje.\n"
        "Encoding: UTF-8 with BOM, semicolon separated, decimal comma (excel-eu).\n"
        "  Excel on Albanian or European settings: open it with a double click.\n"
        "  LibreOffice: open it, choose Unicode (UTF-8) and the separator semicolon."
    ),
}


def _text(value: Any, comma: bool = False) -> str:
    from krat_core.safety import neutralise

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if comma else text
    return neutralise(csv_text(str(value)))


AUDIENCE_PUBLIC = Message(
    sq="Për publikun: vetëm tabela të përmbledhura, me numrat e vegjël të fshehur.",
    en="For the public: aggregate tables only, small numbers hidden.",
)
AUDIENCE_COMMITTEE = Message(
    sq="KONFIDENCIALE: dokument pune i anëtarëve të KRAT, me numra të saktë; mos e publikoni.",
    en="CONFIDENTIAL: working document of the KRAT members, exact counts; do not publish.",
)
WITH_RECORDS = Message(
    sq="Përmban regjistrimet e rasteve (records/): mos e publikoni.",
    en="Holds the case records (records/): do not publish.",
)


def _audience(options: ExportOptions, lang: str) -> str:
    """The README's line on who the output is for, and whether it holds records."""
    line = (AUDIENCE_COMMITTEE if options.audience == "committee" else AUDIENCE_PUBLIC).text(lang)
    if options.records:
        line += " " + WITH_RECORDS.text(lang)
    return line


_LINE_STARTS = re.compile("\n[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ASCII_CONTROLS = bytes([*range(9), 11, 12, *range(14, 32), 127])


def _risky_column(column: Sequence[str], joined: str | None = None) -> bool:
    """Whether a cell of ``column`` (text; ``joined``: its cells joined by newlines, if
    already made) starts like a formula or holds a control character (what
    :func:`_text` changes), in separate searches that stay fast on a long column: the
    formula starts over the joined column; control characters by deleting the ASCII
    ones from the column's bytes when it is ASCII, else by a search over its distinct
    cells."""
    joined = "\n".join(column) if joined is None else joined
    if joined.startswith(FORMULA_PREFIXES) or _LINE_STARTS.search(joined):
        return True
    if joined.isascii():
        return len(joined.encode("ascii").translate(None, _ASCII_CONTROLS)) != len(joined)
    return _CONTROLS.search("\n".join(set(column))) is not None


def _written_column(
    column: list[Any], comma: bool, delimiter: str, *, text: bool = False
) -> list[str]:
    """The cells of ``column`` as the file holds them: ``_text(v, comma)`` of each, quoted
    as ``csv.writer`` quotes (only a cell holding the delimiter, a quote or a line end;
    quotes doubled). A column of whole numbers is converted at once; a column of text is
    joined once, and that one string tells whether any cell needs converting or quoting
    (nearly never), so most columns are written as they are; a column of few distinct
    values (codes, dates) is checked on those alone. ``text``: every cell is known to be
    text (not checked again)."""
    types = {str} if text else set(map(type, column))
    if types <= {int}:
        return list(map(str, column))  # digits and a minus sign: nothing to check or quote
    if types <= {str}:
        # codes, dates, yes/no: check each value once (ids and names: not worth a set)
        distinct = set(column) if len(set(column[:100])) < 50 else column
        if len(distinct) * 4 < len(column):
            joined = "\n".join(distinct)
            risky = _risky_column(list(distinct), joined)
            if not risky and not _needs_quotes(joined, delimiter, len(distinct)):
                return column
        joined = "\n".join(column)
        if _risky_column(column, joined):
            column = [_text(v) for v in column]
            joined = "\n".join(column)
    else:
        column = [_text(v, comma) for v in column]
        joined = "\n".join(column)
    if not _needs_quotes(joined, delimiter, len(column)):
        return column
    return [
        '"' + v.replace('"', '""') + '"'
        if delimiter in v or '"' in v or "\r" in v or "\n" in v
        else v
        for v in column
    ]


def _needs_quotes(joined: str, delimiter: str, cells: int) -> bool:
    """Whether one of ``cells`` cells, ``joined`` by newlines, needs quotes in a CSV file:
    it holds the delimiter, a quote or a line break."""
    if delimiter in joined or '"' in joined or "\r" in joined:
        return True
    return joined.count("\n") >= cells  # more newlines than the joins: one inside a cell


def _joined_rows(
    columns: Sequence[list[Any]], delimiter: str, comma: bool = False, *, text: bool = False
) -> str:
    """The CSV lines (CRLF) of ``columns`` (two or more, of equal length): the bytes
    ``csv.writer(..., lineterminator="\r\n").writerows(zip(*converted))`` writes, where
    ``converted`` is each cell as :func:`_text` gives it, made by joining the written
    cells, several times faster on the long record files."""
    written = [_written_column(column, comma, delimiter, text=text) for column in columns]
    lines = "\r\n".join(map(delimiter.join, zip(*written, strict=True)))
    return lines + "\r\n" if lines else ""


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    dialect: str = "rfc4180",
    *,
    text: bool = False,
    columns: Sequence[list[Any]] | None = None,
) -> bytes:
    """One CSV file: UTF-8 with BOM, CRLF, neutralised text cells; ``dialect``
    "rfc4180" (comma, decimal point) or "excel-eu" (semicolon, decimal comma).
    ``columns``: the cells column by column instead of ``rows`` (which is then not
    read; the fast way for long files): a column of text is checked with one search,
    a column of whole numbers converted at once, and the lines are joined rather than
    written by ``csv.writer``, with the same bytes; ``text``: every cell of
    ``columns`` is known to be text."""
    buffer = io.StringIO()
    eu = dialect == "excel-eu"
    writer = csv.writer(buffer, delimiter=";" if eu else ",", lineterminator="\r\n")
    writer.writerow([_text(h) for h in header])
    if columns is not None and len(columns) > 1:  # (csv.writer quotes a lone empty cell)
        lines = _joined_rows(columns, ";" if eu else ",", eu, text=text)
        return b"\xef\xbb\xbf" + (buffer.getvalue() + lines).encode("utf-8")
    if columns is not None:
        rows = zip(*columns, strict=True)
    writer.writerows([_text(v, eu) for v in row] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _cell_values(column: list[Any], lang: str) -> list[Any]:
    """``[cell_value(c, lang) for c in column]``, each distinct cell converted once (a long
    table repeats the same label objects down a column)."""
    from krat_core.reporting import cell_value

    done: dict[int, Any] = {}
    out = []
    for cell in column:
        key = id(cell)  # the cells live in the table throughout: ids are not reused
        if key not in done:
            done[key] = cell_value(cell, lang)
        out.append(done[key])
    return out


def csv_files(dataset: Any, options: ExportOptions) -> dict[str, bytes]:
    """Every file of the CSV output, by relative path."""
    from krat_core.format.models import Submission
    from krat_core.reporting import prepare_report, read_once, record_tables, submission_header

    lang = options.lang
    dialect = options.csv_dialect
    files: dict[str, bytes] = {}
    report = prepare_report(read_once(dataset, options), options)
    if options.records:
        if isinstance(dataset, Submission):
            files["records/submission.csv"] = csv_bytes(
                (FIELD.text(lang), VALUE.text(lang)),
                submission_header(dataset, lang),
                dialect,
            )
        for table in record_tables(report.data, lang, text=True):  # cases read once for both
            files[f"records/{table.name}.csv"] = csv_bytes(
                table.header, (), dialect, text=True, columns=table.columns
            )
    for t in report.tables:
        columns = [list(c) for c in zip(*t.rows, strict=True)] if t.rows else [[] for _ in t.header]
        files[f"tables/{t.key}.csv"] = csv_bytes(
            [h.text(lang) for h in t.header],
            (),
            dialect,
            columns=[_cell_values(column, lang) for column in columns],
        )
    note = report.suppression_note()
    files["README.txt"] = (
        _README.format(
            suppression_sq=note.sq,
            suppression_en=note.en,
            dialect=_DIALECTS[dialect],
            audience_sq=_audience(options, "sq"),
            audience_en=_audience(options, "en"),
        )
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    return files


def write_csv(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the CSV output: into the folder ``path`` if it is one, else as a zip file."""
    files = csv_files(dataset, options)
    if path.is_dir():
        path.chmod(0o755)  # the temporary folder is created private; the output is not
        for name, data in files.items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The CSV output (zip archive, or a folder when the output name has no .zip)."""
    return [
        Exporter(
            name="csv",
            suffix=".zip",
            media_type="application/zip",
            write=write_csv,
            title="CSV files, one per record kind, and the report tables (zip or folder)",
        )
    ]
