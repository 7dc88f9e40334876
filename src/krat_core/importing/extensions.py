"""No identifiers in extensions, at import: refused extension fields are left out.

After the importers have read the files, every record's ``extensions`` (and
the submission's own) are checked against the fields the installed plugins
declare (:func:`krat_core.format.extensions.extension_problems`). A field that
is undeclared, not a scalar of its type within its bounds, or looks like a
person's identity never enters the imported submission: it is left out of the
record, and an ``import.extension-refused`` finding (error) names the field
and why, never the value. The record itself is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ExtensionField, ImportResult

__all__ = ["REFUSED", "screen_extensions"]

REFUSED = Message(
    sq="{problem} Fusha u la jashtë regjistrimit të importuar.",
    en="{problem} The field was left out of the imported record.",
)


def _kept(extensions: Mapping[str, Mapping[str, Any]], refused: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for namespace, fields in extensions.items():
        kept = {k: v for k, v in fields.items() if f"{namespace}.{k}" not in refused}
        if kept:
            out[namespace] = kept
    return out


def screen_extensions(
    result: ImportResult, declared: Mapping[str, ExtensionField] | None
) -> ImportResult:
    """``result`` with every refused extension field left out of its records, and an
    ``import.extension-refused`` finding for each (see the module docs)."""
    from krat_core.findings import Finding, Severity
    from krat_core.format.extensions import extension_problems
    from krat_core.format.models import RECORD_LISTS

    submission = result.submission
    updates: dict[str, Any] = {}

    def finding(kind: str, record_id: str | None, p: Any) -> Finding:
        texts = {lang: REFUSED.text(lang, problem=p.text(lang)) for lang in ("sq", "en")}
        return Finding(
            code="import.extension-refused",
            severity=Severity.ERROR,
            message_en=texts["en"],
            message_sq=texts["sq"],
            kind=kind,
            record_id=record_id,
            pointer=p.pointer,
            position=result.locate(kind, record_id, p.pointer) if record_id else None,
            value=None,
        )

    for kind, list_name in RECORD_LISTS.items():
        records = getattr(submission, list_name)
        changed = False
        new: list[Any] = []
        for record in records:
            problems = (
                extension_problems(kind, record.extensions, declared) if record.extensions else []
            )
            if not problems:
                new.append(record)
                continue
            changed = True
            result.findings.extend(finding(kind, record.id, p) for p in problems)
            refused = {p.field for p in problems}
            new.append(record.model_copy(update={"extensions": _kept(record.extensions, refused)}))
        if changed:
            updates[list_name] = new
    if submission.extensions:
        problems = extension_problems("submission", submission.extensions, declared)
        if problems:
            result.findings.extend(finding("submission", None, p) for p in problems)
            updates["extensions"] = _kept(submission.extensions, {p.field for p in problems})
    if updates:
        result.submission = submission.model_copy(update=updates)
    return result
