"""KRAT plugin of the Durrës technical table (Tryeza Teknike Antitrafik, Qarku Durrës).

It adds, through the ``krat`` entry-point group:

- the importer ``durres-register``, which reads the table's own case register
  workbook ("Regjistri i rasteve": Albanian headers, one sheet, its own layout)
  into a KRAT submission for region AL-02;
- the rule ``durres.mobile-unit-needs-institution``, which applies only to
  Durrës (AL-02): a case found by the mobile identification unit must name the
  institution that identified the person;
- the extension field ``durres.register.nr`` (the case's number in the
  register), declared so that KRAT accepts it in a case's ``extensions``.

This module is imported when ``krat`` starts, so it imports nothing heavy:
the workbook library (python-calamine) is imported only when a file is read.
"""

from __future__ import annotations

from krat_core import hookimpl
from krat_core.plugins.descriptors import ExtensionField, Importer, Rule

from krat_durres_register.register import EXTENSION, IMPORTER
from krat_durres_register.rules import MOBILE_UNIT_NEEDS_INSTITUTION

__version__ = "0.1.0"

__all__ = ["__version__", "krat_extensions", "krat_importers", "krat_validators"]


@hookimpl
def krat_importers() -> list[Importer]:
    """The Durrës register importer."""
    return [IMPORTER]


@hookimpl
def krat_validators() -> list[Rule]:
    """The Durrës-only rule."""
    return [MOBILE_UNIT_NEEDS_INSTITUTION]


@hookimpl
def krat_extensions() -> list[ExtensionField]:
    """The register number the importer keeps in each case's extensions."""
    return [
        ExtensionField(
            namespace=EXTENSION,
            name="nr",
            type="integer",
            title_en="Number of the case in the Durrës register",
            title_sq="Numri i rastit në regjistrin e Durrësit",
            kinds=("case",),
            minimum=1,
            maximum=999_999,
        )
    ]
