"""A person whose identity is unknown: the documented way to record one.

Some people are identified without a name (a child found alone, a person who
will not say it). ``subject_ref`` cannot be computed from a name then, and a
made-up name ("Pa emër") would link every such person to every other as one
"duplicate". Instead, the case gets a reference of its own that no name can
produce: :data:`UNKNOWN_IDENTITY_PREFIX` (16 zeros) followed by 48 hexadecimal
characters derived from the case id. It is unique per case, so it is never
matched with another case (in the region, across regions or across years), and
it is recognisable, so such cases are counted (rule ``case.identity-unknown``).

In the template, write ``i panjohur`` (or ``unknown``) in the
"Referenca e personit (subject_ref)" column, or leave the names empty and write
``i panjohur`` as the given name; the importer puts the reference in. An HMAC
from a real name starts with 16 zeros with probability 2^-64.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "UNKNOWN_IDENTITY_PREFIX",
    "UNKNOWN_IDENTITY_WORDS",
    "is_unknown_identity",
    "unknown_identity_ref",
]

UNKNOWN_IDENTITY_PREFIX = "0" * 16
"""How the ``subject_ref`` of a person of unknown identity starts."""

UNKNOWN_IDENTITY_WORDS = frozenset(
    {"i panjohur", "e panjohur", "panjohur", "identitet i panjohur", "pa emer", "unknown"}
)
"""What people write (folded: no case, no accents) to say the identity is unknown."""


def unknown_identity_ref(case_id: str) -> str:
    """The ``subject_ref`` of the person of case ``case_id`` whose identity is unknown."""
    digest = hashlib.sha256(f"krat-identity-unknown|{case_id}".encode()).hexdigest()
    return UNKNOWN_IDENTITY_PREFIX + digest[: 64 - len(UNKNOWN_IDENTITY_PREFIX)]


def is_unknown_identity(subject_ref: str) -> bool:
    """Whether ``subject_ref`` records a person whose identity is unknown."""
    return subject_ref.startswith(UNKNOWN_IDENTITY_PREFIX)
