"""KRAT plugin of the Durrës technical table (Tryeza Teknike Antitrafik, Qarku Durrës).

It adds, through the ``krat`` entry-point group:

- the importer ``durres-register``, which reads the table's own case register
  workbook ("Regjistri i rasteve": Albanian headers, one sheet, its own layout)
  into a KRAT submission for region AL-02;
- the rule ``durres.mobile-unit-needs-institution``, which applies only to
  Durrës (AL-02): a case found by the mobile identification unit must name the
  institution that identified the person.

This module is imported when ``krat`` starts, so it imports nothing heavy:
the workbook library (python-calamine) is imported only when a file is read.
"""

from __future__ import annotations

from krat_core import hookimpl
from krat_core.plugins.descriptors import Importer, Rule

from krat_durres_register.register import IMPORTER
from krat_durres_register.rules import MOBILE_UNIT_NEEDS_INSTITUTION

__version__ = "0.1.0"

__all__ = ["__version__", "krat_importers", "krat_validators"]


@hookimpl
def krat_importers() -> list[Importer]:
    """The Durrës register importer."""
    return [IMPORTER]


@hookimpl
def krat_validators() -> list[Rule]:
    """The Durrës-only rule."""
    return [MOBILE_UNIT_NEEDS_INSTITUTION]
