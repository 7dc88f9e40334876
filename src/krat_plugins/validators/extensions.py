"""Built-in rules: no identifiers in extensions (issue 12).

Every record's ``extensions`` are checked against the
fields the installed plugins declare (hook ``krat_extensions``), with
:func:`krat_core.format.extensions.extension_problems`: undeclared keys,
values that are not scalars of their type within bounds, and keys or values
that look like a person's identity. A finding names the field, never the value.
"""

from __future__ import annotations

from typing import Any

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import RECORD_KINDS
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import NONE, Found
from krat_plugins.validators.catalog import rule

__all__ = ["RULES", "krat_validators"]


def _problems(code: str) -> Any:
    def check(record: Any, ctx: RuleContext) -> Found:
        if not record.extensions:
            return NONE  # most records: one call, no generator
        from krat_core.format.extensions import extension_problems

        return [
            Problem(p.pointer, **p.both())
            for p in extension_problems(record.KIND, record.extensions, ctx.extension_fields)
            if p.code == code
        ]

    return check


CODES = ("extension.undeclared", "extension.bad-value", "extension.identity")

RULES: tuple[Rule, ...] = tuple(rule(code, RECORD_KINDS, _problems(code)) for code in CODES)


@hookimpl
def krat_validators() -> list[Rule]:
    """The extension rules."""
    return list(RULES)
