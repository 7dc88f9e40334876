"""Importing: from a source file to a :class:`~krat_core.format.Submission` and findings.

One import path for the stage::

    from krat_core.importing import import_files, parse_date, read_tables, SHEETS

The modules, in the order a file flows through them:

- ``pipeline``: :func:`import_files` chooses each file's importer and merges the results;
- ``guards``: hostile-file checks (size, zip bombs, DOCTYPEs, far-away cells), CSV decoding;
- ``cells``: value parsers for what people type in a cell, :class:`CellProblem`;
- ``columns``: :class:`Column` and :class:`Sheet`, how a field maps to a cell both ways;
- ``sheets``: the tables of columns per record kind (:data:`SHEETS`), checked against the models;
- ``headers``: which sheet a header row belongs to, and the submission header;
- ``reader``: :func:`read_tables`, rows to records, findings and counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.importing.cells import (
        EMPTY_MARKERS,
        TWO_DIGIT_YEAR_PIVOT,
        CellProblem,
        display_cell,
        in_both_languages,
        is_empty_marker,
        parse_bool,
        parse_code,
        parse_country,
        parse_date,
        parse_datetime,
        parse_float,
        parse_id,
        parse_int,
        parse_json_object,
        parse_text,
        split_multi,
    )
    from krat_core.importing.columns import (
        Column,
        HeaderField,
        Sheet,
        SheetName,
        ValueType,
        bool_label,
        ooxml_escape,
        text_cell,
    )
    from krat_core.importing.guards import (
        HEAD_BYTES,
        MAX_COLUMNS,
        check_file,
        check_workbook_zip,
        decode_text,
        describe_content,
        read_head,
        refusal,
    )
    from krat_core.importing.headers import build_submission, find_sheet, region_of
    from krat_core.importing.kit import (
        HEADER_SEARCH_ROWS,
        build_record,
        cell_finding,
        file_note,
        find_header_row,
        read_sheet,
        sheet_names,
    )
    from krat_core.importing.pipeline import (
        FINDING_CODES,
        choose_importer,
        import_files,
        merge_results,
    )
    from krat_core.importing.reader import Table, read_tables
    from krat_core.importing.sheets import (
        INSTRUCTIONS_SHEET,
        LISTS_SHEET,
        NESTED_SHEETS,
        SHEETS,
        SUBMISSION_FIELDS,
        SUBMISSION_SHEET,
        record_rows,
        submission_values,
    )

_EXPORTS = {
    # the pipeline
    "FINDING_CODES": "pipeline",
    "choose_importer": "pipeline",
    "import_files": "pipeline",
    "merge_results": "pipeline",
    # hostile-file guards
    "HEAD_BYTES": "guards",
    "MAX_COLUMNS": "guards",
    "check_file": "guards",
    "check_workbook_zip": "guards",
    "decode_text": "guards",
    "describe_content": "guards",
    "read_head": "guards",
    "refusal": "guards",
    # cell parsers
    "CellProblem": "cells",
    "display_cell": "cells",
    "in_both_languages": "cells",
    "parse_bool": "cells",
    "parse_code": "cells",
    "parse_country": "cells",
    "parse_date": "cells",
    "parse_datetime": "cells",
    "parse_float": "cells",
    "parse_id": "cells",
    "parse_int": "cells",
    "parse_json_object": "cells",
    "parse_text": "cells",
    "split_multi": "cells",
    # columns and sheets
    "Column": "columns",
    "HeaderField": "columns",
    "Sheet": "columns",
    "SheetName": "columns",
    "ValueType": "columns",
    "bool_label": "columns",
    "ooxml_escape": "columns",
    "text_cell": "columns",
    "INSTRUCTIONS_SHEET": "sheets",
    "LISTS_SHEET": "sheets",
    "NESTED_SHEETS": "sheets",
    "SHEETS": "sheets",
    "SUBMISSION_FIELDS": "sheets",
    "SUBMISSION_SHEET": "sheets",
    "record_rows": "sheets",
    "submission_values": "sheets",
    # headers and the reader
    "build_submission": "headers",
    "find_sheet": "headers",
    "region_of": "headers",
    "Table": "reader",
    # the plugin author's kit
    "HEADER_SEARCH_ROWS": "kit",
    "build_record": "kit",
    "cell_finding": "kit",
    "file_note": "kit",
    "find_header_row": "kit",
    "read_sheet": "kit",
    "sheet_names": "kit",
    "EMPTY_MARKERS": "cells",
    "TWO_DIGIT_YEAR_PIVOT": "cells",
    "is_empty_marker": "cells",
    "read_tables": "reader",
}
__all__ = [
    "EMPTY_MARKERS",
    "FINDING_CODES",
    "HEADER_SEARCH_ROWS",
    "HEAD_BYTES",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "MAX_COLUMNS",
    "NESTED_SHEETS",
    "SHEETS",
    "SUBMISSION_FIELDS",
    "SUBMISSION_SHEET",
    "TWO_DIGIT_YEAR_PIVOT",
    "CellProblem",
    "Column",
    "HeaderField",
    "Sheet",
    "SheetName",
    "Table",
    "ValueType",
    "bool_label",
    "build_record",
    "build_submission",
    "cell_finding",
    "check_file",
    "check_workbook_zip",
    "choose_importer",
    "decode_text",
    "describe_content",
    "display_cell",
    "file_note",
    "find_header_row",
    "find_sheet",
    "import_files",
    "in_both_languages",
    "is_empty_marker",
    "merge_results",
    "ooxml_escape",
    "parse_bool",
    "parse_code",
    "parse_country",
    "parse_date",
    "parse_datetime",
    "parse_float",
    "parse_id",
    "parse_int",
    "parse_json_object",
    "parse_text",
    "read_head",
    "read_sheet",
    "read_tables",
    "record_rows",
    "refusal",
    "region_of",
    "sheet_names",
    "split_multi",
    "submission_values",
    "text_cell",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
