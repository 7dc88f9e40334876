"""Hostile-file guards: bound the time and memory any input file can cost, before parsing.

:func:`check_file` (exists, not empty, not too large), :func:`read_head` and
:func:`describe_content` (what a file really is, for error messages),
:func:`check_workbook_zip` (an .xlsx is a bounded, intact, DOCTYPE-free zip with
no sheet reaching past the row and column limits: zip bombs, entity expansion and
sparse far-away cells are refused before any spreadsheet library touches the
file), and :func:`decode_text` (CSV bytes to text: UTF-8 or a Windows code page).
The limits are an :class:`~krat_core.plugins.descriptors.ImportLimits`; every
refusal is an :class:`~krat_core.errors.ImportRefused` with a stable code.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from krat_core.errors import ImportRefused
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.importing.cells import in_both_languages
from krat_core.messages import Message, Plural

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ImportLimits

__all__ = [
    "HEAD_BYTES",
    "MAX_COLUMNS",
    "cap_findings",
    "check_file",
    "check_workbook_zip",
    "decode_text",
    "describe_content",
    "more_like_this",
    "read_head",
]

HEAD_BYTES = 8192
"""How much of a file the importers' sniff functions see."""

MAX_COLUMNS = 1024
"""Most columns a sheet may span (a sparse cell far to the right is a memory attack)."""

# --------------------------------------------------------------------------- file guards


def refusal(
    message: Message, *, code: str, source: str | Path | None, **values: object
) -> ImportRefused:
    """An :class:`~krat_core.errors.ImportRefused` with ``message`` in both languages.

    Values are filled in as by :func:`~krat_core.importing.cells.in_both_languages`: a
    :class:`~krat_core.messages.Message` (such as what :func:`describe_content`
    returns) is put in each language.
    """
    return ImportRefused(
        in_both_languages(message, **values),
        code=code,
        source=source,
    )


TEXT_CONTENT = Message(sq="tekst (CSV?)", en="text (CSV?)")
"""What :func:`describe_content` says of text that is not JSON (maybe CSV)."""
_EMPTY = Message(sq="bosh", en="empty")
_JSON_CONTENT = Message(sq="tekst JSON", en="JSON text")
_BINARY = Message(sq="të dhëna binare", en="binary data")
_SIGNATURES = (
    (b"\x89PNG", Message(sq="një imazh PNG", en="a PNG image")),
    (b"\xff\xd8\xff", Message(sq="një imazh JPEG", en="a JPEG image")),
    (b"GIF8", Message(sq="një imazh GIF", en="a GIF image")),
    (b"%PDF", Message(sq="një dokument PDF", en="a PDF document")),
    (
        b"\xd0\xcf\x11\xe0",
        Message(
            sq="një skedar i vjetër .xls ose i mbrojtur me fjalëkalim",
            en="an old Excel .xls or a password-protected workbook",
        ),
    ),
    (b"PK\x03\x04", Message(sq="një arkiv zip", en="a zip archive")),
    (b"PK\x05\x06", Message(sq="një arkiv zip bosh", en="an empty zip archive")),
)


def describe_content(head: bytes) -> Message:
    """What the first bytes of a file look like, in both languages (for error messages)."""
    if not head:
        return _EMPTY
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return _JSON_CONTENT
    if b"\x00" in head:
        return _BINARY
    return TEXT_CONTENT


CANNOT_OPEN = Message(sq="skedari nuk hapet: {reason}", en="cannot open the file: {reason}")
NO_SUCH_FILE = Message(
    sq="nuk ka skedar të tillë (ose është dosje)", en="no such file (or it is a folder)"
)
CANNOT_READ = Message(sq="skedari nuk lexohet: {reason}", en="cannot read the file: {reason}")
EMPTY_FILE = Message(sq="skedari është bosh", en="the file is empty")
TOO_LARGE = Message(
    sq="skedari ka {size:,} bajte; kufiri është {limit:,}",
    en="the file is {size:,} bytes; the limit is {limit:,}",
)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``; :class:`ImportRefused` if it cannot be opened."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise refusal(
            CANNOT_OPEN, reason=exc.strerror or exc, code="import.unreadable", source=path
        ) from None


def check_file(path: Path, limits: ImportLimits) -> int:
    """Check that ``path`` is a readable, non-empty file within ``limits.max_file_bytes``.

    Returns its size; raises :class:`ImportRefused` otherwise.
    """
    try:
        if not path.is_file():
            raise refusal(NO_SUCH_FILE, code="import.unreadable", source=path)
        size = path.stat().st_size
    except OSError as exc:
        raise refusal(
            CANNOT_READ, reason=exc.strerror or exc, code="import.unreadable", source=path
        ) from None
    if size == 0:
        raise refusal(EMPTY_FILE, code="import.empty", source=path)
    if size > limits.max_file_bytes:
        raise refusal(
            TOO_LARGE, size=size, limit=limits.max_file_bytes, code="import.too-large", source=path
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


NOT_A_WORKBOOK = Message(
    sq="nuk është libër Excel (.xlsx): duket si {what}",
    en="is not an Excel workbook (.xlsx): it looks like {what}",
)
DAMAGED_ZIP = Message(
    sq="është i dëmtuar ose i cunguar: arkivi zip i .xlsx nuk lexohet ({error})",
    en="is damaged or truncated: the zip archive inside an .xlsx cannot be read ({error})",
)
_XLSB = Message(sq="skedar .xlsb ose zip tjetër", en="an .xlsb or other zip file")
_ZIP = Message(sq="arkiv zip", en="a zip archive")
ZIP_NOT_WORKBOOK = Message(
    sq="nuk është libër Excel (.xlsx): është {kind} pa xl/workbook.xml",
    en="is not an Excel workbook (.xlsx): it is {kind} without xl/workbook.xml",
)
TOO_MANY_PARTS = Message(
    sq="ka {n} pjesë; një libër pune ka disa dhjetëra",
    en="has {n} parts; a workbook has a few dozen",
)
EXPANDS_TOO_FAR = Message(
    sq="do të zgjerohej në {size:,} bajte; kufiri është {limit:,}",
    en="would expand to {size:,} bytes; the limit is {limit:,}",
)
COMPRESSED_TOO_MUCH = Message(
    sq="pjesa {part} është ngjeshur {ratio:,.0f} me 1; kufiri është {limit} me 1 (bombë zip)",
    en="part {part} is compressed {ratio:,.0f} to 1; the limit is {limit} to 1 (a zip bomb)",
)


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
        raise refusal(
            NOT_A_WORKBOOK, what=describe_content(head), code="import.not-a-workbook", source=path
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refusal(DAMAGED_ZIP, error=exc, code="import.damaged", source=path) from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            kind = _XLSB if "xl/workbook.bin" in names else _ZIP
            raise refusal(ZIP_NOT_WORKBOOK, kind=kind, code="import.not-a-workbook", source=path)
        if len(infos) > 10_000:
            raise refusal(TOO_MANY_PARTS, n=len(infos), code="import.zip-bomb", source=path)
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_uncompressed_bytes:
            raise refusal(
                EXPANDS_TOO_FAR,
                size=declared,
                limit=limits.max_uncompressed_bytes,
                code="import.zip-bomb",
                source=path,
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024**2 and ratio > limits.max_compression_ratio:
                raise refusal(
                    COMPRESSED_TOO_MUCH,
                    part=info.filename,
                    ratio=ratio,
                    limit=limits.max_compression_ratio,
                    code="import.zip-bomb",
                    source=path,
                )
        budget = limits.max_uncompressed_bytes
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                budget -= _scan_part(archive, info, path, budget, limits)


BEYOND_DECLARED = Message(
    sq="pjesa {part} zgjerohet përtej madhësisë së deklaruar",
    en="part {part} expands beyond its declared size (a zip bomb)",
)
DOCTYPE = Message(
    sq="pjesa {part} deklaron DOCTYPE; KRAT nuk lexon XML me deklarata DOCTYPE "
    "(sulme me zgjerim entitetesh)",
    en="part {part} declares a DOCTYPE; KRAT does not read XML with document type "
    "declarations (entity expansion attacks)",
)
LONG_PROLOG = Message(
    sq="pjesa {part} ka prolog XML mbi 64 KiB", en="part {part} has an XML prolog over 64 KiB"
)
SHEET_TOO_BIG = Message(
    sq=Plural(
        one="fleta {part} shkon deri te rreshti {row:,} / kolona {column:,}; kufijtë janë "
        "{n:,} rresht dhe {columns:,} kolona",
        other="fleta {part} shkon deri te rreshti {row:,} / kolona {column:,}; kufijtë janë "
        "{n:,} rreshta dhe {columns:,} kolona",
    ),
    en=Plural(
        one="sheet part {part} reaches row {row:,} / column {column:,}; the limits are "
        "{n:,} row and {columns:,} columns",
        other="sheet part {part} reaches row {row:,} / column {column:,}; the limits are "
        "{n:,} rows and {columns:,} columns",
    ),
)
DAMAGED_PART = Message(
    sq="është i dëmtuar, i cunguar ose i koduar: pjesa {part} nuk lexohet ({error})",
    en="is damaged, truncated or encrypted: part {part} cannot be read ({error})",
)


FINDINGS_PER_CODE = 1000
"""Findings kept per code in one import; the rest are summarised in one finding whose
``extra["more"]`` counts them (issue 11: a million bad rows must not cost gigabytes)."""
MORE_LIKE_THIS = Message(
    sq=Plural(
        one="... dhe {n:,} gjetje tjetër si kjo ({code}); korrigjoni të parat dhe importoni sërish",
        other="... dhe {n:,} gjetje të tjera si këto ({code}); korrigjoni të parat dhe "
        "importoni sërish",
    ),
    en=Plural(
        one="... and {n:,} more finding like this ({code}); correct the first ones and "
        "import again",
        other="... and {n:,} more findings like this ({code}); correct the first ones and "
        "import again",
    ),
)

MAX_SHARED_STRINGS = 2_000_000
"""Most distinct strings a workbook may hold (``xl/sharedStrings.xml``): each costs memory
in the reader whether a cell uses it or not (issue 11)."""
MAX_SHARED_STRINGS_BYTES = 256 * 1024**2
"""Largest shared-strings part, uncompressed."""
_ROW_TAG = re.compile(rb"<row[\s>/]")
_CELL_TAG = re.compile(rb"<c[\s>/]")
_SI_TAG = re.compile(rb"<si[\s>/]")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}[0-9]{1,7}:([A-Z]{1,3})([0-9]{1,7})"')
BYTES = Message(
    sq=Plural(one="{n:,} bajt", other="{n:,} bajte"),
    en=Plural(one="{n:,} byte", other="{n:,} bytes"),
)
STRINGS = Message(
    sq=Plural(one="{n:,} tekst", other="{n:,} tekste"),
    en=Plural(one="{n:,} string", other="{n:,} strings"),
)
MORE_STRINGS = Message(
    sq=Plural(one="mbi {n:,} tekst", other="mbi {n:,} tekste"),
    en=Plural(one="over {n:,} string", other="over {n:,} strings"),
)
TOO_MANY_STRINGS = Message(
    sq="pjesa {part} ka {what}; kufiri është {limit} (një libër pune me tekste të shumta "
    "do të mbushte kujtesën)",
    en="part {part} holds {what}; the limit is {limit} (a workbook of that many texts would "
    "exhaust memory)",
)


def _scan_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: Path,
    budget: int,
    limits: ImportLimits,
) -> int:
    """Stream one XML part; return its true size. Raises ImportRefused on any bad sign."""
    sheet = info.filename.startswith("xl/worksheets/")
    strings = info.filename == "xl/sharedStrings.xml"
    n_strings = 0
    rows_seen = 0
    row_cells = 0
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
                    raise refusal(
                        BEYOND_DECLARED, part=info.filename, code="import.zip-bomb", source=path
                    )
                if not prolog_done:
                    prolog += chunk[:_PROLOG_LIMIT]
                    verdict = _doctype_in_prolog(prolog)
                    if verdict is True:
                        raise refusal(
                            DOCTYPE, part=info.filename, code="import.xml-doctype", source=path
                        )
                    if verdict is False:
                        prolog_done = True
                    elif len(prolog) >= _PROLOG_LIMIT:
                        raise refusal(
                            LONG_PROLOG, part=info.filename, code="import.xml-doctype", source=path
                        )
                if strings and total > MAX_SHARED_STRINGS_BYTES:
                    raise refusal(
                        TOO_MANY_STRINGS,
                        part=info.filename,
                        what=BYTES.both(n=total),
                        limit=BYTES.both(n=MAX_SHARED_STRINGS_BYTES),
                        code="import.too-many-strings",
                        source=path,
                    )
                if strings:
                    window = tail + chunk
                    cut = window.rfind(b"<")
                    body, tail = (window[:cut], window[cut:]) if cut >= 0 else (window, b"")
                    n_strings += len(_SI_TAG.findall(body))
                    if n_strings > MAX_SHARED_STRINGS:
                        raise refusal(
                            TOO_MANY_STRINGS,
                            part=info.filename,
                            what=MORE_STRINGS.both(n=n_strings),
                            limit=STRINGS.both(n=MAX_SHARED_STRINGS),
                            code="import.too-many-strings",
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
                    dimension = _DIMENSION.search(window)
                    if dimension is not None:  # readers size their grid by it
                        last_col = max(last_col, _column_number(dimension.group(1)))
                        last_row = max(last_row, int(dimension.group(2)))
                    cut = window.rfind(b"<")
                    body = window[:cut] if cut >= 0 else window
                    tail = window[cut:] if cut >= 0 and len(window) - cut < 4096 else b""
                    # Rows and cells without an ``r`` reference are placed one after the
                    # other: count them (issue 11; a row of 250,000 ``<c/>`` is a 2 KB file).
                    row_tags = len(_ROW_TAG.findall(body))
                    rows_seen += row_tags
                    last_row = max(last_row, rows_seen)
                    cells = len(_CELL_TAG.findall(body))
                    if cells != body.count(b'<c r="'):
                        for number, segment in enumerate(_ROW_TAG.split(body)):
                            if number:
                                row_cells = 0
                            row_cells += len(_CELL_TAG.findall(segment))
                            last_col = max(last_col, row_cells)
                    if last_row > limit or last_col > MAX_COLUMNS:
                        raise refusal(
                            SHEET_TOO_BIG,
                            part=info.filename,
                            row=last_row,
                            column=last_col,
                            n=limits.max_rows,
                            columns=MAX_COLUMNS,
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
        raise refusal(
            DAMAGED_PART, part=info.filename, error=exc, code="import.damaged", source=path
        ) from None
    return total


# Letters that are next to impossible in Albanian registers when the text is decoded with
# the wrong Windows code page: Nordic letters for Croatian/Serbian names read as 1252,
# and rare Central European letters for Western text read as 1250.
_UNLIKELY_AS_1252 = frozenset("ÐðÞþÆæØøÅå¤¦¨´¸¼½¾ªºµ")
_UNLIKELY_AS_1250 = frozenset("ŕĺĽľŔĹŢţŘřŮůŰűŐő˘˛˙˝¤¦¨´¸")


UTF16 = Message(
    sq="është tekst UTF-16; ruajeni si CSV UTF-8", en="is UTF-16 text; save it as CSV UTF-8"
)
NOT_CSV = Message(
    sq="nuk është tekst CSV: duket si {what}", en="is not CSV text: it looks like {what}"
)


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
        raise refusal(UTF16, code="import.bad-encoding", source=source)
    else:
        encoding = "utf-8"
    if b"\x00" in raw:
        raise refusal(
            NOT_CSV, what=describe_content(raw[:HEAD_BYTES]), code="import.not-csv", source=source
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


def cap_findings(findings: list[Finding]) -> list[Finding]:
    """``findings`` with at most :data:`FINDINGS_PER_CODE` kept per code, the rest
    counted in one summary finding per code (``extra["more"]``), as the built-in
    readers do while they read. Applied to every importer's result, a plugin's
    included, so no importer can hand on a million findings. A summary already
    made (it carries ``extra["more"]``) is kept and not counted."""
    kept: list[Finding] = []
    per_code: dict[str, int] = {}
    more: dict[str, tuple[int, Finding]] = {}
    for finding in findings:
        if "more" in finding.extra:
            kept.append(finding)
            continue
        n = per_code.get(finding.code, 0)
        if n < FINDINGS_PER_CODE:
            per_code[finding.code] = n + 1
            kept.append(finding)
        else:
            dropped, first = more.get(finding.code, (0, finding))
            more[finding.code] = (dropped + 1, first)
    for code, (n, first) in sorted(more.items()):
        where = first.position
        at = SourcePosition(where.file, where.sheet) if where is not None else None
        kept.append(more_like_this(code, n, first.severity, at, kind=first.kind))
    return kept


def more_like_this(
    code: str, n: int, severity: Severity, where: SourcePosition | None, *, kind: str | None = None
) -> Finding:
    """The one finding that counts the ``n`` findings of ``code`` not kept
    (``extra["more"]``): "... and 999,000 more findings like this"."""
    return Finding(
        code=code,
        severity=severity,
        message_en=MORE_LIKE_THIS.text("en", n=n, code=code),
        message_sq=MORE_LIKE_THIS.text("sq", n=n, code=code),
        kind=kind,
        position=where,
        extra={"more": n},
    )
