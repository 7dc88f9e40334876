"""The report configuration file: who issues the report, and the cover's details.

A TOML file (``krat.toml``, given with ``krat report --config``), every key
optional::

    [report]
    issuer = "Zyra e Koordinatorit Kombëtar kundër Trafikimit të Personave"
    issuer_en = "Office of the National Anti-Trafficking Coordinator"
    place = "Tiranë"
    document_number = "Nr. 112/3 Prot."
    signatory = "Emri Mbiemri"
    signatory_title = "Koordinatori Kombëtar"
    signatory_title_en = "National Coordinator"
    logo = "logo.png"          # PNG or JPEG, relative to this file
    archive = "krat-archive.sqlite"   # or "postgresql://...": the archive `krat report` reads

Without an issuer, the cover names the National Anti-Trafficking Coordinator
(national report) or the region's committee (regional report). ``issuer_en``
and ``signatory_title_en`` are used in English reports (the Albanian text
otherwise). An unknown key or a value of the wrong type is an error
(:class:`~krat_core.errors.ReportConfigError`), so a misspelt key is never
silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from krat_core.errors import ReportConfigError
from krat_core.messages import Message, Plural

CONFIG_UNREADABLE = Message(
    sq="{path}: konfigurimi i raportit nuk mund të lexohet: {error}",
    en="{path}: cannot read the report configuration: {error}",
)
NOT_TOML = Message(
    sq="{path}: nuk është skedar TOML: {error}", en="{path}: not a TOML file: {error}"
)
UNKNOWN_TABLES = Message(
    sq=Plural(
        one="{path}: tabelë e panjohur {names}; cilësimet shkojnë nën [report]",
        other="{path}: tabela të panjohura {names}; cilësimet shkojnë nën [report]",
    ),
    en=Plural(
        one="{path}: unknown table(s) {names}; the settings go under [report]",
        other="{path}: unknown table(s) {names}; the settings go under [report]",
    ),
)
REPORT_NOT_A_TABLE = Message(
    sq="{path}: 'report' duhet të jetë tabelë ([report])",
    en="{path}: 'report' must be a table ([report])",
)
UNKNOWN_KEYS = Message(
    sq=Plural(
        one="{path}: çelës i panjohur {names} në [report]; çelësat e njohur: {known}",
        other="{path}: çelësa të panjohur {names} në [report]; çelësat e njohur: {known}",
    ),
    en=Plural(
        one="{path}: unknown key(s) {names} in [report]; known keys: {known}",
        other="{path}: unknown key(s) {names} in [report]; known keys: {known}",
    ),
)
NOT_A_TEXT = Message(
    sq="{path}: [report] {key} duhet të jetë tekst jo bosh",
    en="{path}: [report] {key} must be a non-empty text",
)
NO_LOGO = Message(
    sq="{path}: logoja {logo} nuk ekziston", en="{path}: the logo {logo} does not exist"
)

__all__ = ["ReportConfig", "load_config"]


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """The details a report's cover and signature block show (all optional)."""

    issuer: str | None = None
    """Who issues the report, in Albanian."""
    issuer_en: str | None = None
    """Who issues the report, in English (default: ``issuer``)."""
    place: str | None = None
    """The place on the date line ("Tiranë, 10.02.2025")."""
    document_number: str | None = None
    """The protocol number of the document."""
    signatory: str | None = None
    """The name of the person who signs."""
    signatory_title: str | None = None
    """Their function, in Albanian."""
    signatory_title_en: str | None = None
    """Their function, in English (default: ``signatory_title``)."""
    logo: Path | None = None
    """A PNG or JPEG image shown on the cover."""
    archive: str | None = None
    """The archive ``krat report`` reads when no ``--db`` is given: an SQLite file
    (relative to the configuration file) or a ``postgresql://`` URL."""

    def issuer_text(self, lang: str) -> str | None:
        """The issuer in ``lang`` (English falls back to the Albanian text)."""
        return (self.issuer_en or self.issuer) if lang == "en" else self.issuer

    def signatory_title_text(self, lang: str) -> str | None:
        """The signatory's function in ``lang``."""
        if lang == "en":
            return self.signatory_title_en or self.signatory_title
        return self.signatory_title


def load_config(path: str | Path) -> ReportConfig:
    """Read the report configuration file ``path`` (TOML, a ``[report]`` table).

    Raises:
        ReportConfigError: the file cannot be read, is not TOML, has an unknown
            key, a value that is not text, or names a logo that does not exist.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportConfigError(CONFIG_UNREADABLE.both(path=path, error=exc)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportConfigError(NOT_TOML.both(path=path, error=exc)) from None
    unknown_tables = set(data) - {"report"}
    if unknown_tables:
        raise ReportConfigError(
            UNKNOWN_TABLES.both(path=path, names=sorted(unknown_tables), n=len(unknown_tables))
        )
    table: Any = data.get("report", {})
    if not isinstance(table, dict):
        raise ReportConfigError(REPORT_NOT_A_TABLE.both(path=path))
    known = {f.name for f in fields(ReportConfig)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ReportConfigError(
            UNKNOWN_KEYS.both(path=path, names=unknown, known=sorted(known), n=len(unknown))
        )
    values: dict[str, Any] = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ReportConfigError(NOT_A_TEXT.both(path=path, key=key))
        values[key] = value.strip()
    if "archive" in values and "://" not in values["archive"]:
        values["archive"] = str((path.parent / values["archive"]).resolve())
    if "logo" in values:
        logo = (path.parent / values["logo"]).resolve()
        if not logo.is_file():
            raise ReportConfigError(NO_LOGO.both(path=path, logo=repr(values["logo"])))
        values["logo"] = logo
    return ReportConfig(**values)
