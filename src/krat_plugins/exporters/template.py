"""Built-in exporter "template": the official KRAT data-entry workbook, empty or filled.

The workbook is generated from :mod:`krat_core.importing.sheets` (so it always matches
what the importers read):

- an instructions sheet ("Udhëzime"/"Instructions") in the chosen language;
- the "Dorëzimi"/"Submission" sheet for region, period and sender;
- one sheet per record kind and per nested list (assistance, indicators),
  linked by id; headers in Albanian (default) or English, required columns
  marked ``*``; the machine field names in hidden row 2 (what the importer
  reads first, so a renamed header does no harm); the header frozen;
- drop-down lists showing the code lists' labels (from a hidden "Listat"
  sheet) and the ids of the institutions, cases and objectives entered;
- date cells formatted dd.mm.yyyy; several values in one cell separated by ``;``.

Text cells are neutralised against formula injection
(:func:`krat_core.importing.columns.text_cell`). This module also adds the
``krat template`` command through the ``krat_cli_commands`` hook; click is
imported only then, so loading the plugin (in an embedding) does not import it,
and nothing here imports ``krat_core.cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.messages import DEFAULT_LANGUAGE, LANGUAGES, Message, check_language
from krat_core.plugins.descriptors import Exporter, ExportOptions

if TYPE_CHECKING:
    import click

    from krat_core.format.models import Submission
    from krat_core.importing.columns import Column, Sheet

NAME = "template"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_ROWS = 1000
"""Rows below the data that still get drop-down lists, for entering more records."""
DATE_FORMAT = "dd.mm.yyyy"

NEEDS_OPENPYXL = Message(
    sq="shkrimi i .xlsx kërkon openpyxl: instaloni krat[excel]",
    en="writing .xlsx needs openpyxl: install krat[excel]",
)
ONE_SUBMISSION = Message(
    sq="modeli mban dorëzimin e një qarku; jepini një dorëzim, jo një {kind}",
    en="the template holds one region's submission; give it a submission, not a {kind}",
)
TITLE = Message(sq="Modeli zyrtar i të dhënave KRAT", en="KRAT official data template")
FOR_REGION = Message(sq="Qarku {region}, periudha {period}", en="Region {region}, period {period}")
STEPS = (
    Message(
        sq="1. Plotësoni fletën «Dorëzimi»: qarku, periudha (p.sh. 2019 ose 2019-H1) dhe "
        "institucioni dërgues.",
        en="1. Fill in the «Submission» sheet: region, period (e.g. 2019 or 2019-H1) and the "
        "sending institution.",
    ),
    Message(
        sq="2. Plotësoni fletën «Institucionet» para të tjerave: çdo institucion merr një kod "
        "AL-NN-I-0001; fletët e tjera i referohen me këtë kod.",
        en="2. Fill in the «Institutions» sheet first: each institution gets an id "
        "AL-NN-I-0001; the other sheets refer to it by this id.",
    ),
    Message(
        sq="3. Një rresht për çdo rast, aktivitet dhe objektiv. Kodet: AL-NN-C-VVVV-0001 (raste), "
        "AL-NN-A-VVVV-0001 (aktivitete), AL-NN-O-VVVV-0001 (objektiva).",
        en="3. One row per case, activity and objective. Ids: AL-NN-C-YYYY-0001 (cases), "
        "AL-NN-A-YYYY-0001 (activities), AL-NN-O-YYYY-0001 (objectives).",
    ),
    Message(
        sq="4. Asistenca dhe treguesit janë në fletët e tyre: çdo rresht mban kodin e rastit "
        "ose të objektivit të cilit i përket.",
        en="4. Assistance and indicators have their own sheets: each row carries the id of the "
        "case or objective it belongs to.",
    ),
    Message(
        sq="5. Datat: dd.mm.vvvv (13.02.2019). Listat rënëse tregojnë vlerat e lejuara; "
        "pranohen edhe kodet dhe emërtimet në anglisht. Disa vlera në një qelizë ndahen "
        "me «;».",
        en="5. Dates: dd.mm.yyyy (13.02.2019). Drop-down lists show the allowed values; codes "
        "and Albanian labels are accepted too. Several values in one cell are separated "
        "by «;».",
    ),
    Message(
        sq="6. Kolonat me * janë të detyrueshme. Mos riemërtoni fletët dhe mos ndryshoni "
        "rreshtin 2 (i fshehur).",
        en="6. Columns marked * are required. Do not rename the sheets or change row 2 (hidden).",
    ),
    Message(
        sq="7. Emri, Mbiemri, Datëlindja: të dhëna personale. Plotësohen vetëm kur importi "
        "bëhet me çelësin kombëtar (krat import --key); atëherë kthehen në subject_ref dhe "
        "emrat nuk ruhen e nuk dërgohen kurrë. Kur identiteti i personit nuk dihet, shkruani "
        "'i panjohur' në kolonën subject_ref.",
        en="7. Given name, Family name, Date of birth: personal data. Fill them only when the "
        "import is run with the national key (krat import --key); they then become "
        "subject_ref and the names are never stored or sent. When a person's identity is "
        "unknown, write 'i panjohur' in the subject_ref column.",
    ),
    Message(
        sq="8. Kur mbaroni: krat import SKEDARI.xlsx -o dorezimi.json (ose krat validate "
        "SKEDARI.xlsx për të parë gabimet).",
        en="8. When done: krat import FILE.xlsx -o submission.json (or krat validate FILE.xlsx "
        "to see the problems).",
    ),
)
COLUMN_HEADINGS = (
    Message(sq="Fleta", en="Sheet"),
    Message(sq="Kolona", en="Column"),
    Message(sq="E detyrueshme", en="Required"),
    Message(sq="Formati", en="Format"),
    Message(sq="Shpjegim", en="Description"),
    Message(sq="Shembull", en="Example"),
)
YES = Message(sq="po", en="yes")
FIELD_HEADINGS = (
    Message(sq="Fusha", en="Field"),
    Message(sq="Vlera", en="Value"),
    Message(sq="field", en="field"),
    Message(sq="Shpjegim", en="Description"),
)
CODE_ERROR = Message(
    sq="Zgjidhni një vlerë nga lista (pranohen edhe kodet ose emërtimet në anglisht).",
    en="Choose a value from the list (codes and Albanian labels are accepted too).",
)
EXAMPLE = Message(sq="Shembull: {example}", en="Example: {example}")
REQUIRED_WHEN_GROUP = Message(
    sq="E detyrueshme kur plotësohet ndonjë nga kolonat: {others}.",
    en="Required when any of these columns is filled: {others}.",
)
REQUIRED_WHEN_NO_AGE = Message(
    sq="E detyrueshme kur mosha është bosh (përndryshe nxirret nga mosha).",
    en="Required when the age is empty (otherwise it follows from the age).",
)
TECHNICAL_NOTE = Message(
    sq="Kolonë teknike (e palosur në të djathtë): zakonisht lihet bosh.",
    en="Technical column (folded away at the right): usually left empty.",
)
WROTE_TEMPLATE = Message(sq="U shkrua {path}", en="Wrote {path}")
NOT_A_REGION = Message(
    sq="{value} nuk është qark: jepni një kod AL-01..AL-12 ose një emër (Elbasan)",
    en="{value} is not a region: give a code AL-01..AL-12 or a name (Elbasan)",
)
LEGEND_TITLE = Message(sq="Ngjyrat", en="Colours")
LEGEND = (
    ("F8CBAD", Message(sq="kolonë e detyrueshme (*)", en="required column (*)")),
    (
        "FCE4D6",
        Message(
            sq="e detyrueshme me kusht ((*): kushti është në shënimin e kokës)",
            en="required under a condition ((*): the condition is in the header's note)",
        ),
    ),
    ("DDEBF7", Message(sq="kolonë jo e detyrueshme", en="optional column")),
    (
        "D9D9D9",
        Message(
            sq="të dhëna personale: vetëm me çelësin kombëtar (hapi 7)",
            en="personal data: only with the national key (step 7)",
        ),
    ),
    (
        "FFC7CE",
        Message(
            sq="qelizë me gabim, e shënuar nga krat validate --annotate",
            en="cell with an error, marked by krat validate --annotate",
        ),
    ),
    (
        "FFE699",
        Message(
            sq="qelizë me paralajmërim, e shënuar nga krat validate --annotate",
            en="cell with a warning, marked by krat validate --annotate",
        ),
    ),
)
"""The colours of the workbook and what they mean, shown on the instructions sheet."""
TECHNICAL_COLUMNS = frozenset({"subject_ref", "extensions"})
"""Columns the staffer rarely fills: moved to the right end, grouped and folded."""
CONDITIONAL = {"minor": REQUIRED_WHEN_NO_AGE}
"""Columns the model needs that the importer can also derive: required under a condition."""
LABELLED_REFS = {"institution": "name", "objective": "title"}
"""Record kinds whose drop-downs show ``id – name`` (the column giving the name)."""
SEVERAL_VALUES = Message(sq="Disa vlera ndahen me ;", en="Separate several values with ;")

FORMATS: dict[str, Message] = {
    "text": Message(sq="tekst", en="text"),
    "id": Message(sq="kod", en="id"),
    "ids": Message(sq="kode të ndarë me ;", en="ids separated by ;"),
    "code": Message(sq="listë", en="list"),
    "codes": Message(sq="listë, disa me ;", en="list, several with ;"),
    "country": Message(sq="kod shteti ISO", en="ISO country code"),
    "countries": Message(sq="kode shtetesh ISO me ;", en="ISO country codes with ;"),
    "date": Message(sq="datë dd.mm.vvvv", en="date dd.mm.yyyy"),
    "bool": Message(sq="po/jo", en="yes/no"),
    "int": Message(sq="numër i plotë", en="whole number"),
    "float": Message(sq="numër", en="number"),
    "json": Message(sq="objekt JSON", en="JSON object"),
    "datetime": Message(sq="datë dhe orë", en="date and time"),
}
"""How each value type is described in the instructions sheet."""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def write_template(
    target: Path,
    submission: Submission | None = None,
    *,
    lang: str = "sq",
    region: str | None = None,
    period: str | None = None,
    blank_rows: int = BLANK_ROWS,
) -> None:
    """Write the official workbook to ``target`` (a plain write; callers wrap it atomically).

    Args:
        target: the .xlsx path.
        submission: fill the sheets from it (None: an empty template).
        lang: "sq" (Albanian, the default) or "en" for headers, lists and instructions.
        region, period: pre-fill the Submission sheet of an empty template.
        blank_rows: rows after the data that still get drop-down lists.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:  # pragma: no cover - the [excel] extra is missing
        from krat_core.errors import ExportError

        raise ExportError(NEEDS_OPENPYXL.both()) from None
    from krat_core.format.regions import REGIONS
    from krat_core.importing import (
        INSTRUCTIONS_SHEET,
        LISTS_SHEET,
        SHEETS,
        SUBMISSION_FIELDS,
        SUBMISSION_SHEET,
        bool_label,
        record_rows,
        submission_values,
        text_cell,
    )

    lang = check_language(lang)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="F8CBAD")
    conditional_fill = PatternFill("solid", fgColor="FCE4D6")
    identity_fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook(write_only=True)

    # ---- the drop-down lists (hidden sheet), laid out first so validations can refer to them
    lists_title = LISTS_SHEET.get(lang)
    lists: dict[str, list[str]] = {}
    for sheet in SHEETS.values():
        for column in sheet.columns:
            if column.code_list is not None:
                lists[column.code_list.__name__] = [m.label(lang) for m in column.code_list]
    lists["bool"] = [bool_label(True, lang), bool_label(False, lang)]
    lists["region"] = [f"{code} {r.label(lang)}" for code, r in REGIONS.items()]

    counts = {
        kind: (sum(1 for _ in record_rows(submission, sheet)) if submission else 0)
        for kind, sheet in SHEETS.items()
    }
    last_row = {kind: max(3, 2 + n + blank_rows) for kind, n in counts.items()}
    formulas: set[str] = set()
    for kind, name_field in LABELLED_REFS.items():
        # "id – name" for each row of the kind's sheet, computed by Excel on the hidden sheet
        sheet = SHEETS[kind]
        order = _column_order(sheet)
        name_letter = _letter(order.index(sheet.columns.index(sheet.column(name_field))))
        quoted = _quote(sheet.name(lang))
        key = f"labels:{kind}"
        lists[key] = [
            f'=IF({quoted}!$A{r}="","",{quoted}!$A{r}&" – "&{quoted}!${name_letter}{r})'
            for r in range(3, last_row[kind] + 1)
        ]
        formulas.add(key)
    list_ranges = {
        key: f"{_quote(lists_title)}!${_letter(i)}$2:${_letter(i)}${len(values) + 1}"
        for i, (key, values) in enumerate(lists.items())
    }
    id_ranges = {
        sheet.kind: list_ranges.get(
            f"labels:{sheet.kind}", f"{_quote(sheet.name(lang))}!$A$3:$A${last_row[sheet.kind]}"
        )
        for sheet in SHEETS.values()
        if sheet.parent is None
    }

    def text(value: str) -> str:
        return text_cell(value, xlsx=True)

    # ---- instructions
    ws = workbook.create_sheet(INSTRUCTIONS_SHEET.get(lang))
    for i, width in enumerate((18, 34, 12, 22, 70, 24)):
        ws.column_dimensions[_letter(i)].width = width
    title = WriteOnlyCell(ws, value=TITLE.text(lang))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    sub_region = submission.region if submission else region
    sub_period = submission.period if submission else period
    if sub_region or sub_period:
        name = REGIONS[sub_region].label(lang) if sub_region in REGIONS else (sub_region or "")
        ws.append(
            [
                FOR_REGION.text(
                    lang, region=f"{sub_region or ''} {name}".strip(), period=sub_period or ""
                )
            ]
        )
    ws.append([])
    for step in STEPS:
        ws.append([text(step.text(lang))])
    ws.append([])
    cell = WriteOnlyCell(ws, value=LEGEND_TITLE.text(lang))
    cell.font = bold
    ws.append([cell])
    for colour, meaning in LEGEND:
        swatch = WriteOnlyCell(ws, value=None)
        swatch.fill = PatternFill("solid", fgColor=colour)
        ws.append([swatch, text(meaning.text(lang))])
    ws.append([])
    heading = []
    for label in COLUMN_HEADINGS:
        cell = WriteOnlyCell(ws, value=label.text(lang))
        cell.font = bold
        cell.fill = header_fill
        heading.append(cell)
    ws.append(heading)
    for sheet in SHEETS.values():
        sheet_help = sheet.help(lang)
        cell = WriteOnlyCell(ws, value=text(sheet.name(lang)))
        cell.font = bold
        ws.append([cell, None, None, None, text(sheet_help)])
        for column in sheet.columns:
            described = column.help(lang)
            if column.code_list is not None:
                described = (described + ": " if described else "") + "; ".join(
                    m.label(lang) for m in column.code_list
                )
            ws.append(
                [
                    text(sheet.name(lang)),
                    text(column.header(lang)),
                    YES.text(lang) if column.required else None,
                    FORMATS[column.value_type].text(lang),
                    text(described) if described else None,
                    text(column.example) if column.example else None,
                ]
            )

    # ---- the submission header
    ws = workbook.create_sheet(SUBMISSION_SHEET.get(lang))
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions["D"].width = 60
    ws.freeze_panes = "A2"
    heads = []
    for label in FIELD_HEADINGS:
        cell = WriteOnlyCell(ws, value=label.text(lang))
        cell.font = bold
        cell.fill = header_fill
        heads.append(cell)
    ws.append(heads)
    values: dict[str, Any] = (
        submission_values(submission)
        if submission
        else {
            "region": region,
            "period": period,
        }
    )
    if values.get("region") in REGIONS:
        code = values["region"]
        values["region"] = f"{code} {REGIONS[code].label(lang)}"
    region_check = DataValidation(
        type="list",
        formula1=f"{list_ranges['region']}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    ws.data_validations.append(region_check)
    for number, field in enumerate(SUBMISSION_FIELDS, start=2):
        value = values.get(field.name)
        if field.name == "region":
            region_check.add(f"B{number}")
        ws.append(
            [
                text(field.label(lang)),
                text(str(value)) if value is not None else None,
                field.name,
                text(field.help(lang)),
            ]
        )

    # ---- the record sheets
    year = (sub_period or "")[:4] or None
    town = REGIONS[sub_region].label("sq") if sub_region in REGIONS else None
    region_code = sub_region if sub_region in REGIONS else None
    for sheet in SHEETS.values():
        ws = workbook.create_sheet(sheet.name(lang))
        last = last_row[sheet.kind]
        order = _column_order(sheet)
        columns = [sheet.columns[i] for i in order]
        for index, column in enumerate(columns):
            letter = _letter(index)
            ws.column_dimensions[letter].width = min(
                60, max(column.width, len(column.header(lang)) // 2 + 4)
            )
            if column.value_type == "date":
                ws.column_dimensions[letter].number_format = DATE_FORMAT
            check = _validation(DataValidation, column, list_ranges, id_ranges, lang)
            if check is not None:
                ws.data_validations.append(check)
                check.add(f"{letter}3:{letter}{last}")
        technical = [i for i, c in enumerate(columns) if c.name in TECHNICAL_COLUMNS]
        if technical:
            ws.column_dimensions.group(
                _letter(technical[0]), _letter(technical[-1]), hidden=True, outline_level=1
            )
        ws.freeze_panes = "B3"
        ws.row_dimensions[1].height = 45
        ws.row_dimensions[2].hidden = True
        header_cells = []
        for column in columns:
            conditional = _condition(column, sheet, lang) is not None
            star = " (*)" if conditional else (" *" if column.required else "")
            cell = WriteOnlyCell(ws, value=text(column.header(lang) + star))
            cell.font = bold
            cell.alignment = wrap
            cell.fill = (
                identity_fill
                if column.identity
                else conditional_fill
                if conditional
                else (required_fill if column.required else header_fill)
            )
            note = _comment(column, sheet, lang, region=region_code, year=year, town=town)
            if note:
                cell.comment = Comment(note, "KRAT", width=320, height=140)
            header_cells.append(cell)
        ws.append(header_cells)
        ws.append([column.name for column in columns])
        if submission is None:
            continue
        date_columns = {i for i, c in enumerate(columns) if c.value_type == "date"}
        for values_row in record_rows(submission, sheet):
            row: list[Any] = [columns[j].to_cell(values_row[i], lang) for j, i in enumerate(order)]
            for i in date_columns:
                if row[i] is not None:
                    cell = WriteOnlyCell(ws, value=row[i])
                    cell.number_format = DATE_FORMAT
                    row[i] = cell
            ws.append(row)

    # ---- the lists, hidden
    ws = workbook.create_sheet(lists_title)
    ws.sheet_state = "hidden"
    keys = list(lists)
    ws.append(keys)
    longest = max(len(v) for v in lists.values())
    for i in range(longest):
        ws.append(
            [
                (lists[k][i] if k in formulas else text(lists[k][i])) if i < len(lists[k]) else None
                for k in keys
            ]
        )
    workbook.save(target)


def _column_order(sheet: Sheet) -> list[int]:
    """The indexes of ``sheet``'s columns as the template shows them: technical ones last."""
    indexes = range(len(sheet.columns))
    technical = [i for i in indexes if sheet.columns[i].name in TECHNICAL_COLUMNS]
    return [i for i in indexes if i not in technical] + technical


def _condition(column: Column, sheet: Sheet, lang: str) -> str | None:
    """When a column is required only under a condition, the condition; else None.

    A required field of an optional object (``referral.referred_on``) is required
    once any column of that object is filled; ``minor`` follows from the age.
    The importer's "required and empty" message says the same.
    """
    if column.name in CONDITIONAL:
        return CONDITIONAL[column.name].text(lang)
    if column.required and "." in column.name:
        head = column.name.split(".", 1)[0] + "."
        others = [
            repr(c.header(lang))
            for c in sheet.columns
            if c.name.startswith(head) and c is not column
        ]
        return REQUIRED_WHEN_GROUP.text(lang, others=", ".join(others))
    return None


def _comment(
    column: Column,
    sheet: Sheet,
    lang: str,
    *,
    region: str | None = None,
    year: str | None = None,
    town: str | None = None,
) -> str:
    described = column.help(lang)
    parts = [described] if described else []
    condition = _condition(column, sheet, lang)
    if condition:
        parts.append(condition)
    if column.example:
        from krat_core.importing.columns import localise_example

        example = localise_example(column.example, region=region, year=year, town=town)
        parts.append(EXAMPLE.text(lang, example=example))
    if column.multi:
        parts.append(SEVERAL_VALUES.text(lang))
    if column.name in TECHNICAL_COLUMNS:
        parts.append(TECHNICAL_NOTE.text(lang))
    return "\n".join(parts)


def _validation(
    data_validation: Any, column: Column, lists: dict[str, str], ids: dict[str, str], lang: str
) -> Any:
    source = None
    if column.code_list is not None:
        source = lists[column.code_list.__name__]
    elif column.value_type == "bool":
        source = lists["bool"]
    elif column.ref is not None and column.ref in ids:
        source = ids[column.ref]
    if source is None:
        return None
    return data_validation(
        type="list",
        formula1=f"{source}",
        allow_blank=True,
        showErrorMessage=not column.multi,
        errorStyle="warning",
        error=CODE_ERROR.text(lang),
    )


def _write(dataset: Any, path: Path, options: ExportOptions) -> None:
    from krat_core.errors import ExportError
    from krat_core.format.models import Submission

    if not isinstance(dataset, Submission):
        raise ExportError(ONE_SUBMISSION.both(kind=type(dataset).__name__), source=path)
    write_template(path, dataset, lang=options.lang)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The "template" exporter: a submission as the filled-in official workbook."""
    return [
        Exporter(
            name=NAME,
            suffix=".xlsx",
            media_type=MEDIA_TYPE,
            write=_write,
            title="Official KRAT data-entry workbook (filled in)",
        )
    ]


def template_command() -> click.Command:
    """The ``krat template`` command (click is imported here, when the CLI asks for it)."""
    import click

    @click.command("template", short_help="Write the official data-entry workbook.")
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The workbook to write (.xlsx).",
    )
    @click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        show_default=True,
        help="Language of headers, lists and instructions.",
    )
    @click.option("--region", help="Region to pre-fill: a code AL-01..AL-12 or a name (Elbasan).")
    @click.option("--period", help="Period to pre-fill: a year (2019) or half-year (2019-H1).")
    @click.option(
        "--submission",
        "source",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="Fill the workbook from this canonical submission (JSON).",
    )
    def template(
        output: Path, lang: str, region: str | None, period: str | None, source: Path | None
    ) -> None:
        """Write the official data-entry workbook, empty or filled from a submission.

        Regions fill it in Excel and turn it into a submission with `krat import`.
        """
        from krat_core.atomic import atomic_path
        from krat_core.format.canonical import load_submission
        from krat_core.importing.headers import PERIOD, region_of

        code = region_of(region) if region is not None else None
        if region is not None and code is None:
            raise click.BadParameter(
                NOT_A_REGION.text(lang, value=repr(region)), param_hint="--region"
            )
        if period is not None and not PERIOD.fullmatch(period):
            raise click.BadParameter(
                f"{period!r} is not a year or half-year", param_hint="--period"
            )
        submission = load_submission(source) if source is not None else None
        with atomic_path(output) as tmp:
            write_template(
                tmp,
                submission,
                lang=lang,
                region=code,
                period=period,
            )
        click.echo(WROTE_TEMPLATE.text(lang, path=output))

    return template


@hookimpl
def krat_cli_commands(cli: click.Group) -> None:
    """Add `krat template`."""
    cli.add_command(template_command())
