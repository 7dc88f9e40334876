"""Importing files into a submission: picking the importer, guarding against hostile files,
and parsing cell values the way people type them.

The library entry point is :func:`import_files`::

    from krat_core.plugins.descriptors import ImportOptions
    from krat_core.importing.files import import_files
    from krat_core.plugins.manager import load_plugins

    result = import_files([Path("durres-2024.xlsx")], ImportOptions(), load_plugins())
    result.submission            # the records that could be read
    result.findings              # every row that could not, with file, sheet, row, column
    result.counts                # per sheet: rows read = records + rejected; blank rows apart

The value parsers (:func:`parse_date`, :func:`parse_bool`, :func:`parse_int`,
:func:`parse_float`, :func:`parse_code`, :func:`parse_country`, :func:`split_multi`,
:func:`parse_text`) take a cell as a spreadsheet reader returns it (``str``,
``float``, ``int``, ``bool``, ``date``, ``datetime`` or ``None``) and either
return the value or raise :class:`CellProblem` saying what was expected, in
Albanian and English. They are shared by every tabular importer
(see :mod:`krat_core.importing.tabular`) and are public for plugin authors.

The file guards (:func:`check_file`, :func:`check_workbook_zip`,
:func:`decode_text`, :func:`describe_content`) bound the time and memory any
input can cost, against the :class:`~krat_core.plugins.descriptors.ImportLimits`.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from krat_core.errors import ImportFailed, KratError
from krat_core.format.codelists import COUNTRY_CODES, CodeList, fold
from krat_core.safety import FORMULA_PREFIXES

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import Importer, ImportLimits, ImportOptions, ImportResult
    from krat_core.plugins.manager import Registry

__all__ = [
    "FINDING_CODES",
    "HEAD_BYTES",
    "MAX_COLUMNS",
    "CellProblem",
    "IdentityWithoutKey",
    "ImportRefused",
    "check_file",
    "check_workbook_zip",
    "choose_importer",
    "decode_text",
    "describe_content",
    "import_files",
    "merge_results",
    "parse_bool",
    "parse_code",
    "parse_country",
    "parse_date",
    "parse_float",
    "parse_id",
    "parse_int",
    "parse_text",
    "read_head",
    "split_multi",
]

HEAD_BYTES = 8192
"""How much of a file the importers' sniff functions see."""

MAX_COLUMNS = 1024
"""Most columns a sheet may span (a sparse cell far to the right is a memory attack)."""

FINDING_CODES: dict[str, tuple[str, str]] = {
    "import.bad-date": (
        "a cell that should hold a date does not",
        "një qelizë që duhet të ketë datë nuk ka",
    ),
    "import.bad-number": (
        "a cell that should hold a number does not",
        "një qelizë që duhet të ketë numër nuk ka",
    ),
    "import.bad-boolean": (
        "a yes/no cell holds something else",
        "një qelizë po/jo ka diçka tjetër",
    ),
    "import.unknown-code": (
        "a value is not in its code list (by code, Albanian or English label)",
        "një vlerë nuk është në listën e kodeve",
    ),
    "import.bad-id": (
        "an id does not follow the pattern of its kind",
        "një kod nuk ndjek modelin e llojit të vet",
    ),
    "import.bad-text": (
        "a text cell is empty, too long or not text",
        "një qelizë teksti është bosh, shumë e gjatë ose jo tekst",
    ),
    "import.bad-json": (
        "the extensions cell is not a JSON object",
        "qeliza e të dhënave shtesë nuk është objekt JSON",
    ),
    "import.missing-required": ("a required cell is empty", "një qelizë e detyrueshme është bosh"),
    "import.invalid-value": (
        "a value breaks the format's rules",
        "një vlerë shkel rregullat e formatit",
    ),
    "import.duplicate-id": ("a second row with the same id", "një rresht i dytë me të njëjtin kod"),
    "import.orphan-row": (
        "a nested row (assistance, indicator) whose parent row is missing or rejected",
        "një rresht i varur (asistencë, tregues) pa rreshtin prind",
    ),
    "import.identity-without-key": (
        "identity columns (names, date of birth) without the national key: the file is refused",
        "kolona identiteti (emra, datëlindje) pa çelësin kombëtar: skedari refuzohet",
    ),
    "import.unknown-column": (
        "a column the format does not have; its cells are not imported",
        "një kolonë që formati nuk e ka",
    ),
    "import.duplicate-column": (
        "two columns for the same field; the second is ignored",
        "dy kolona për të njëjtën fushë",
    ),
    "import.unknown-sheet": (
        "a sheet or file whose kind is not recognised; it is skipped",
        "një fletë që nuk njihet",
    ),
    "import.header-conflict": (
        "the files and the command line disagree on region or period",
        "skedarët dhe komanda nuk pajtohen për qarkun ose periudhën",
    ),
}
"""Every finding code the built-in importers raise, with a short description (en, sq).

Documented with examples in ``docs/importing.md``.
"""

# --------------------------------------------------------------------------- errors


class ImportRefused(ImportFailed):
    """An input file cannot be read at all; the message exists in English and Albanian.

    ``code`` is a stable code (``import.not-a-workbook``, ``import.zip-bomb``...)
    listed in ``docs/importing.md``.
    """

    def __init__(self, message_en: str, message_sq: str, *, code: str, source: str | Path) -> None:
        self.code = code
        self.message_en = message_en
        self.message_sq = message_sq
        super().__init__(message_en, source=source)

    def localized(self, lang: str = "sq") -> str:
        """``file: message`` in ``lang``."""
        text = self.message_sq if lang == "sq" else self.message_en
        return f"{self.source}: {text}" if self.source else text


class IdentityWithoutKey(ImportRefused):
    """The file has identity columns (names, date of birth) but no pseudonymisation key."""

    def __init__(self, columns: Sequence[str], *, source: str | Path) -> None:
        names = ", ".join(repr(c) for c in columns)
        super().__init__(
            f"has identity columns ({names}) but no pseudonymisation key was given; names never "
            "enter a submission: pass the national key (krat import --key national.key) to turn "
            "them into subject_ref, or remove the columns",
            f"ka kolona identiteti ({names}) por nuk u dha çelësi i pseudonimizimit; emrat nuk "
            "hyjnë kurrë në një dorëzim: jepni çelësin kombëtar (krat import --key national.key) "
            "që të kthehen në subject_ref, ose hiqni kolonat",
            code="import.identity-without-key",
            source=source,
        )


class CellProblem(Exception):
    """A cell's value cannot be used: a stable finding code and what was expected (en, sq)."""

    def __init__(self, code: str, expected_en: str, expected_sq: str) -> None:
        super().__init__(expected_en)
        self.code = code
        self.expected_en = expected_en
        self.expected_sq = expected_sq


# --------------------------------------------------------------------------- cell parsers

_DMY = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\.?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")

_DATE_EN = "a date such as 13.02.2019 or 2019-02-13"
_DATE_SQ = "një datë si 13.02.2019 ose 2019-02-13"


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_date(cell: Any) -> date:
    """A date from a date cell, ``13.02.2019``, ``13/2/2019``, ``2019-02-13`` or an Excel serial.

    Raises :class:`CellProblem` (``import.bad-date``) for anything else,
    including impossible dates such as 31.02.2019.
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 3653 <= cell < 2958466:  # 1910-01-01 .. 9999-12-31 as Excel day numbers
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        raise CellProblem("import.bad-date", _DATE_EN, _DATE_SQ)
    if isinstance(cell, str):
        text = cell.strip()
        match = _DMY.match(text)
        try:
            if match:
                return date(int(match[3]), int(match[2]), int(match[1]))
            match = _YMD.match(text)
            if match:
                return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellProblem("import.bad-date", _DATE_EN, _DATE_SQ)


_TRUE = frozenset({"po", "yes", "true", "1", "e vertete", "vertete", "p", "y"})
_FALSE = frozenset({"jo", "no", "false", "0", "e gabuar", "gabim", "j", "n"})


def parse_bool(cell: Any) -> bool:
    """``True`` for po/yes/true/1 (and TRUE cells), ``False`` for jo/no/false/0.

    Case and accents do not matter. Raises :class:`CellProblem` (``import.bad-boolean``).
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        if cell in (0, 1):
            return bool(cell)
    elif isinstance(cell, str):
        key = fold(cell)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise CellProblem("import.bad-boolean", "po/jo (yes/no)", "po/jo (yes/no)")


def _number_text(text: str) -> str:
    """Normalise a typed number: no spaces, ``,`` or ``.`` as the decimal separator."""
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    return text


def parse_float(cell: Any) -> float:
    """A finite number from a number cell or text (``12,5``, ``1.234,5``, ``1 234``).

    Raises :class:`CellProblem` (``import.bad-number``).
    """
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    elif isinstance(cell, str):
        try:
            value = float(_number_text(cell))
        except ValueError:
            value = float("nan")
    else:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise CellProblem(
            "import.bad-number", "a number such as 12 or 12,5", "një numër si 12 ose 12,5"
        )
    return value


def parse_int(cell: Any) -> int:
    """A whole number from a number cell or text (``12``, ``12,0``, ``1 200``).

    Raises :class:`CellProblem` (``import.bad-number``) for fractions and text.
    """
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    try:
        value = parse_float(cell)
    except CellProblem:
        value = 0.5
    if not value.is_integer():
        raise CellProblem(
            "import.bad-number", "a whole number such as 12", "një numër i plotë si 12"
        )
    return int(value)


C = TypeVar("C", bound=CodeList)


def _choices(code_list: type[CodeList], lang: str) -> str:
    return "; ".join(m.label(lang) for m in code_list)


@functools.lru_cache(maxsize=4096)
def _lookup_code(code_list: type[C], text: str) -> C | None:
    """Memoised :meth:`CodeList.parse`: typed values repeat row after row."""
    return code_list.lookup_table().get(fold(text))


def parse_code(cell: Any, code_list: type[C]) -> C:
    """The member of ``code_list`` that the cell names: code, Albanian or English label, or alias.

    Case, accents and stray spaces do not matter (``vmt``, ``Viktime e mundshme
    e trafikimit``). Raises :class:`CellProblem` (``import.unknown-code``) listing the choices.
    """
    if isinstance(cell, str):
        member: C | None = _lookup_code(code_list, cell) if len(cell) <= 200 else None
        if member is not None:
            return member
    raise CellProblem(
        "import.unknown-code",
        f"one of: {_choices(code_list, 'en')}",
        f"një nga: {_choices(code_list, 'sq')}",
    )


def parse_country(cell: Any) -> str:
    """An ISO 3166-1 alpha-2 country code (``AL``, ``it``, ``XK``), upper-cased.

    Raises :class:`CellProblem` (``import.unknown-code``).
    """
    if isinstance(cell, str):
        code = cell.strip().upper()
        if code in COUNTRY_CODES:
            return code
    raise CellProblem(
        "import.unknown-code",
        "a two-letter ISO country code such as AL, IT, GR, XK",
        "një kod shteti ISO me dy shkronja si AL, IT, GR, XK",
    )


def parse_id(cell: Any) -> str:
    """A record id as typed: stray spaces removed, upper case (``al-02-c-2019-0001`` is accepted).

    The pattern itself is checked by the model; only non-text cells are refused here.
    """
    if isinstance(cell, str):
        text = "".join(cell.split()).upper()
        if text:
            return text
    raise CellProblem(
        "import.bad-id", "an id such as AL-02-C-2019-0001", "një kod si AL-02-C-2019-0001"
    )


_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def parse_text(cell: Any) -> str:
    """Free text exactly as written, with the formula neutralisation of writers undone.

    A writer prefixes ``'`` to text that starts like a formula (see
    :func:`krat_core.safety.neutralise` and :func:`krat_core.importing.tabular.text_cell`);
    one such ``'`` is removed here. Numbers become their plain text (``12``).
    """
    if isinstance(cell, str):
        if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_PREFIXES):
            return cell[1:]
        return cell
    if isinstance(cell, bool):
        raise CellProblem("import.bad-text", "text", "tekst")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    raise CellProblem("import.bad-text", "text", "tekst")


def split_multi(cell: Any) -> list[Any]:
    """The values of a multi-valued cell: ``a; b ;c`` -> ``["a", "b", "c"]``.

    ``;`` and line breaks separate values; empty parts are dropped. A non-text
    cell is one value.
    """
    if isinstance(cell, str):
        if ";" not in cell and "\n" not in cell:
            one = cell.strip()
            return [one] if one else []
        parts = re.split(r"[;\n]", cell)
        return [p.strip() for p in parts if p.strip()]
    if _is_blank(cell):
        return []
    return [cell]


# --------------------------------------------------------------------------- file guards


def describe_content(head: bytes) -> tuple[str, str]:
    """What the first bytes of a file look like, in English and Albanian (for error messages)."""
    if not head:
        return "empty", "bosh"
    signatures = (
        (b"\x89PNG", "a PNG image", "një imazh PNG"),
        (b"\xff\xd8\xff", "a JPEG image", "një imazh JPEG"),
        (b"GIF8", "a GIF image", "një imazh GIF"),
        (b"%PDF", "a PDF document", "një dokument PDF"),
        (
            b"\xd0\xcf\x11\xe0",
            "an old Excel .xls or a password-protected workbook",
            "një skedar i vjetër .xls ose i mbrojtur me fjalëkalim",
        ),
        (b"PK\x03\x04", "a zip archive", "një arkiv zip"),
        (b"PK\x05\x06", "an empty zip archive", "një arkiv zip bosh"),
    )
    for magic, en, sq in signatures:
        if head.startswith(magic):
            return en, sq
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return "JSON text", "tekst JSON"
    if b"\x00" in head:
        return "binary data", "të dhëna binare"
    return "text (CSV?)", "tekst (CSV?)"


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``; :class:`ImportRefused` if it cannot be opened."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise ImportRefused(
            f"cannot open the file: {exc.strerror or exc}",
            f"skedari nuk hapet: {exc.strerror or exc}",
            code="import.unreadable",
            source=path,
        ) from None


def check_file(path: Path, limits: ImportLimits) -> int:
    """Check that ``path`` is a readable, non-empty file within ``limits.max_file_bytes``.

    Returns its size; raises :class:`ImportRefused` otherwise.
    """
    try:
        if not path.is_file():
            raise ImportRefused(
                "no such file (or it is a folder)",
                "nuk ka skedar të tillë (ose është dosje)",
                code="import.unreadable",
                source=path,
            )
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(
            f"cannot read the file: {exc.strerror or exc}",
            f"skedari nuk lexohet: {exc.strerror or exc}",
            code="import.unreadable",
            source=path,
        ) from None
    if size == 0:
        raise ImportRefused(
            "the file is empty", "skedari është bosh", code="import.empty", source=path
        )
    if size > limits.max_file_bytes:
        raise ImportRefused(
            f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,} "
            "(raise it with --max-bytes)",
            f"skedari ka {size:,} bajte; kufiri është {limits.max_file_bytes:,} "
            "(rriteni me --max-bytes)",
            code="import.too-large",
            source=path,
        )
    return size


_PROLOG_LIMIT = 64 * 1024
def _far_refs(limit: int) -> re.Pattern[bytes]:
    """Cell references in column AAA (703) or beyond, or with a row number as long as ``limit``.

    Ordinary sheets give no match, so there is no Python step per cell; the
    literal prefix keeps the single scan at C speed.
    """
    digits = len(str(limit))
    return re.compile(rb' r="([A-Z]{3,}[0-9]+|[A-Z]{1,2}[0-9]{%d,})"' % digits)


_REF = re.compile(rb"([A-Z]+)([0-9]+)")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _doctype_in_prolog(head: bytes) -> bool | None:
    """Whether the XML prolog in ``head`` declares a DOCTYPE; None when ``head`` ends inside it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore").encode("utf-8")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while True:
        while pos < len(text) and text[pos : pos + 1].isspace():
            pos += 1
        rest = text[pos:]
        if rest.startswith(b"<?"):
            end = rest.find(b"?>")
        elif rest.startswith(b"<!--"):
            end = rest.find(b"-->")
        elif rest.startswith(b"<!"):
            return True  # <!DOCTYPE (or any other declaration) before the root element
        elif rest.startswith(b"<") or (rest and len(rest) > 0):
            return False
        else:
            return None
        if end < 0:
            return None
        pos += end + 2


def check_workbook_zip(path: Path, limits: ImportLimits) -> None:
    """Check an .xlsx file before any spreadsheet library touches it.

    - it is a zip archive with an Excel workbook inside (not a renamed CSV, image, .xls);
    - the sizes its directory declares stay under ``limits.max_uncompressed_bytes``
      and each part's compression ratio under ``limits.max_compression_ratio``
      (zip-bomb guard, before decompressing anything);
    - every XML part is then streamed through in 1 MiB chunks, checking that it
      really is that size and intact (CRC), that no part declares a DOCTYPE
      (entity-expansion attacks), and that no worksheet reaches beyond
      ``limits.max_rows`` rows or :data:`MAX_COLUMNS` columns (a sparse far-away
      cell makes readers allocate the whole rectangle).

    Raises :class:`ImportRefused` with a clear message; memory stays bounded by
    the chunk size whatever the file holds.
    """
    head = read_head(path)
    if not head.startswith(b"PK\x03\x04"):
        en, sq = describe_content(head)
        raise ImportRefused(
            f"is not an Excel workbook (.xlsx): it looks like {en}",
            f"nuk është libër Excel (.xlsx): duket si {sq}",
            code="import.not-a-workbook",
            source=path,
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(
            f"is damaged or truncated: the zip archive inside an .xlsx cannot be read ({exc})",
            f"është i dëmtuar ose i cunguar: arkivi zip i .xlsx nuk lexohet ({exc})",
            code="import.damaged",
            source=path,
        ) from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            kind = "an .xlsb or other zip file" if "xl/workbook.bin" in names else "a zip archive"
            raise ImportRefused(
                f"is not an Excel workbook (.xlsx): it is {kind} without xl/workbook.xml",
                "nuk është libër Excel (.xlsx): është arkiv zip pa xl/workbook.xml",
                code="import.not-a-workbook",
                source=path,
            )
        if len(infos) > 10_000:
            raise ImportRefused(
                f"has {len(infos)} parts; a workbook has a few dozen",
                f"ka {len(infos)} pjesë; një libër pune ka disa dhjetëra",
                code="import.zip-bomb",
                source=path,
            )
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_uncompressed_bytes:
            raise ImportRefused(
                f"would expand to {declared:,} bytes; the limit is "
                f"{limits.max_uncompressed_bytes:,} (a zip bomb, or raise --max-uncompressed)",
                f"do të zgjerohej në {declared:,} bajte; kufiri është "
                f"{limits.max_uncompressed_bytes:,}",
                code="import.zip-bomb",
                source=path,
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024**2 and ratio > limits.max_compression_ratio:
                raise ImportRefused(
                    f"part {info.filename} is compressed {ratio:,.0f} to 1; the limit is "
                    f"{limits.max_compression_ratio} to 1 (a zip bomb)",
                    f"pjesa {info.filename} është ngjeshur {ratio:,.0f} me 1; kufiri është "
                    f"{limits.max_compression_ratio} me 1 (bombë zip)",
                    code="import.zip-bomb",
                    source=path,
                )
        budget = limits.max_uncompressed_bytes
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                budget -= _scan_part(archive, info, path, budget, limits)


def _scan_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: Path,
    budget: int,
    limits: ImportLimits,
) -> int:
    """Stream one XML part; return its true size. Raises ImportRefused on any bad sign."""
    sheet = info.filename.startswith("xl/worksheets/")
    total = 0
    prolog = b""
    prolog_done = False
    last_row = 0
    last_col = 0
    limit = limits.max_rows + 10  # a few rows of headers and titles above the data
    far_refs = _far_refs(limit)
    tail = b""
    try:
        with archive.open(info) as part:
            while True:
                chunk = part.read(1024**2)
                if not chunk:
                    break
                total += len(chunk)
                if total > info.file_size or total > budget:
                    raise ImportRefused(
                        f"part {info.filename} expands beyond its declared size (a zip bomb)",
                        f"pjesa {info.filename} zgjerohet përtej madhësisë së deklaruar",
                        code="import.zip-bomb",
                        source=path,
                    )
                if not prolog_done:
                    prolog += chunk[:_PROLOG_LIMIT]
                    verdict = _doctype_in_prolog(prolog)
                    if verdict is True:
                        raise ImportRefused(
                            f"part {info.filename} declares a DOCTYPE; KRAT does not read XML with "
                            "document type declarations (entity expansion attacks)",
                            f"pjesa {info.filename} deklaron DOCTYPE; KRAT nuk lexon XML me "
                            "deklarata DOCTYPE (sulme me zgjerim entitetesh)",
                            code="import.xml-doctype",
                            source=path,
                        )
                    if verdict is False:
                        prolog_done = True
                    elif len(prolog) >= _PROLOG_LIMIT:
                        raise ImportRefused(
                            f"part {info.filename} has an XML prolog over 64 KiB",
                            f"pjesa {info.filename} ka prolog XML mbi 64 KiB",
                            code="import.xml-doctype",
                            source=path,
                        )
                if sheet:
                    # The used area, without a Python step per cell: cell references are
                    # only looked at when their row number is as long as the limit, or
                    # their column is AAA or beyond.
                    window = tail + chunk
                    for ref in set(far_refs.findall(window)):
                        letters, digits = _REF.fullmatch(ref).groups()  # type: ignore[union-attr]
                        last_row = max(last_row, int(digits))
                        last_col = max(last_col, _column_number(letters))
                    cut = window.rfind(b"<")
                    tail = window[cut:] if cut >= 0 and len(window) - cut < 4096 else b""
                    if last_row > limit or last_col > MAX_COLUMNS:
                        raise ImportRefused(
                            f"sheet part {info.filename} reaches row {last_row:,} / column "
                            f"{last_col:,}; the limits are {limits.max_rows:,} rows (--max-rows) "
                            f"and {MAX_COLUMNS} columns",
                            f"fleta {info.filename} shkon deri te rreshti {last_row:,} / kolona "
                            f"{last_col:,}; kufijtë janë {limits.max_rows:,} rreshta (--max-rows) "
                            f"dhe {MAX_COLUMNS} kolona",
                            code="import.too-many-rows",
                            source=path,
                        )
    except ImportRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise ImportRefused(
            f"is damaged, truncated or encrypted: part {info.filename} cannot be read ({exc})",
            f"është i dëmtuar, i cunguar ose i koduar: pjesa {info.filename} nuk lexohet ({exc})",
            code="import.damaged",
            source=path,
        ) from None
    return total


# Letters that are next to impossible in Albanian registers when the text is decoded with
# the wrong Windows code page: Nordic letters for Croatian/Serbian names read as 1252,
# and rare Central European letters for Western text read as 1250.
_UNLIKELY_AS_1252 = frozenset("ÐðÞþÆæØøÅå¤¦¨´¸¼½¾ªºµ")
_UNLIKELY_AS_1250 = frozenset("ŕĺĽľŔĹŢţŘřŮůŰűŐő˘˛˙˝¤¦¨´¸")


def decode_text(raw: bytes, *, source: str | Path) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1250 or Windows-1252.

    Albanian ë and ç are the same bytes in both Windows code pages; between them
    the one that gives fewer implausible letters wins (Croatian ć and Đ read as
    Windows-1252 become æ and Ð), Windows-1252 on a tie.
    Returns ``(text, encoding)``; raises :class:`ImportRefused` for UTF-16 or binary data.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(
            "is UTF-16 text; save it as CSV UTF-8",
            "është tekst UTF-16; ruajeni si CSV UTF-8",
            code="import.bad-encoding",
            source=source,
        )
    else:
        encoding = "utf-8"
    if b"\x00" in raw:
        en, sq = describe_content(raw[:HEAD_BYTES])
        raise ImportRefused(
            f"is not CSV text: it looks like {en}",
            f"nuk është tekst CSV: duket si {sq}",
            code="import.not-csv",
            source=source,
        )
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        pass
    cp1250 = raw.decode("cp1250", "replace")
    cp1252 = raw.decode("cp1252", "replace")
    odd_1250 = sum(ch in _UNLIKELY_AS_1250 for ch in cp1250)
    odd_1252 = sum(ch in _UNLIKELY_AS_1252 for ch in cp1252)
    if odd_1252 > odd_1250:
        return cp1250, "cp1250"
    return cp1252, "cp1252"


# --------------------------------------------------------------------------- choosing an importer


def choose_importer(path: Path, head: bytes, registry: Registry) -> Importer:
    """The importer for ``path``: the one claiming its suffix, else the first whose sniff says yes.

    A file whose suffix an importer claims but whose content it refuses (an
    ``.xlsx`` that is really CSV or an image) is refused with a clear error
    rather than read as something else.
    """
    suffix = path.suffix.lower()
    by_suffix = [imp for imp in registry.importers.values() if suffix in imp.suffixes]
    for importer in by_suffix:
        if importer.claims(path, head):
            return importer
    en, sq = describe_content(head)
    if by_suffix:
        names = ", ".join(imp.name for imp in by_suffix)
        raise ImportRefused(
            f"is named {suffix} but is not a {suffix} file the {names} importer reads: "
            f"it looks like {en}",
            f"quhet {suffix} por nuk është skedar {suffix}: duket si {sq}",
            code="import.wrong-content",
            source=path,
        )
    for importer in registry.importers.values():
        if importer.sniff is not None and importer.claims(path, head):
            return importer
    known = ", ".join(
        f"{imp.name} ({' '.join(imp.suffixes)})" for imp in registry.importers.values()
    )
    raise ImportRefused(
        f"no importer reads this file (it looks like {en}); importers: {known or 'none'}",
        f"asnjë importues nuk e lexon këtë skedar (duket si {sq}); importuesit: {known or 'asnjë'}",
        code="import.no-importer",
        source=path,
    )


def import_files(
    paths: Sequence[str | Path],
    options: ImportOptions,
    registry: Registry,
    *,
    importer: str | None = None,
) -> ImportResult:
    """Read ``paths`` into one submission, choosing each file's importer through ``registry``.

    Args:
        paths: the files: one workbook, a JSON submission, or a CSV file per record kind.
        options: region, period, pseudonymisation key and limits (see :class:`ImportOptions`).
        registry: the loaded plugins (:func:`krat_core.plugins.load_plugins`).
        importer: force this importer by name (``krat import --from NAME``).

    Returns:
        The :class:`ImportResult`: the submission of every row that became a
        record, a finding (with file, sheet, row, column) for every row that did
        not, and per-sheet counts where rows read = records + rejected.

    Raises:
        ImportFailed: a file cannot be read at all (missing, empty, not what its
            name says, damaged, too large, hostile), naming the file.
        PluginError: an importer plugin broke (an exception inside its reader),
            naming the plugin.
    """
    if not paths:
        raise KratError("no input files given")
    files = [Path(p) for p in paths]
    groups: dict[str, tuple[Importer, list[Path]]] = {}
    for path in files:
        check_file(path, options.limits)
        if importer is not None:
            chosen = registry.importers.get(importer)
            if chosen is None:
                known = ", ".join(sorted(registry.importers)) or "none"
                raise KratError(f"no importer named {importer!r}; the importers are: {known}")
        else:
            chosen = choose_importer(path, read_head(path), registry)
        groups.setdefault(chosen.name, (chosen, []))[1].append(path)
    results = [chosen.run(group, options) for chosen, group in groups.values()]
    if len(results) == 1:
        return results[0]
    return merge_results(results)


def merge_results(results: Iterable[ImportResult]) -> ImportResult:
    """Merge the results of several files or importers into one submission.

    The header is the first result's. A record whose id was already read from
    an earlier file is left out with an ``import.duplicate-id`` finding, and its
    sheet's counts say so (rows read = records + rejected still holds).
    """
    from krat_core.findings import Finding, Severity
    from krat_core.format.models import RECORD_LISTS
    from krat_core.plugins.descriptors import ImportResult

    items = list(results)
    lists: dict[str, list[Any]] = {name: [] for name in RECORD_LISTS.values()}
    seen: set[tuple[str, str]] = set()
    merged = ImportResult(submission=items[0].submission)
    for result in items:
        merged.findings.extend(result.findings)
        merged.counts.extend(result.counts)
        for key, header in result.columns.items():
            merged.columns.setdefault(key, header)
        kept: set[tuple[str, str]] = set()
        for kind, list_name in RECORD_LISTS.items():
            for record in getattr(result.submission, list_name):
                key = (kind, record.id)
                where = result.positions.get(key)
                if key not in seen:
                    seen.add(key)
                    kept.add(key)
                    lists[list_name].append(record)
                    continue
                merged.findings.append(
                    Finding(
                        code="import.duplicate-id",
                        severity=Severity.ERROR,
                        message_en=f"{record.id} was already read from another file; "
                        "this row is left out",
                        message_sq=f"{record.id} është lexuar tashmë nga një skedar tjetër; "
                        "ky rresht lihet jashtë",
                        kind=kind, record_id=record.id, pointer="/id", position=where,
                        value=record.id,
                    )
                )
                for count in result.counts:
                    if where is not None and (count.file, count.sheet) == (where.file, where.sheet):
                        count.records -= 1
                        count.rejected += 1
                        break
        for (kind, ref), where in result.positions.items():
            if (kind, ref.partition("/")[0]) in kept:
                merged.positions[(kind, ref)] = where
    merged.submission = items[0].submission.model_copy(update=lists)
    return merged
