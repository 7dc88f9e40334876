r"""Pseudonymisation: ``subject_ref`` as a keyed hash of normalised identity attributes.

The national office holds a 256-bit key and gives it to the regions. A region
computes ``subject_ref = HMAC-SHA256(key, normalised identity)`` at import time;
names never enter the exchange format. The same person reported by two
regions gets the same ``subject_ref``; without the key nobody can link a
``subject_ref`` to a name by trying names.

Normalisation (so ``Ëngjëll  Çela`` and ``engjell cela`` agree): invisible
characters removed (zero-width spaces and joiners, soft hyphens, byte-order
marks, bidi controls: Unicode category Cf) and control characters turned into
spaces; every dash and the minus sign turned into a space; every apostrophe
form (’ ‘ ʼ ` ´ ...) turned into ``'``; then Unicode NFKD, case-folded,
diacritics removed (ë -> e, ç -> c), runs of white space collapsed to one
space, trimmed.

The message hashed is ``given|family|YYYY-MM-DD|sex`` in UTF-8 (date empty
when unknown), where a ``\`` or ``|`` inside a part is escaped as ``\\`` or
``\|``: the encoding is injective, so two different identities can never
produce the same message. This is scheme 2 (:data:`SCHEME`); it gives the
same ``subject_ref`` as scheme 1 for every name without a ``|``, a ``\``, an
invisible character, an unusual dash or a typographic apostrophe, so only
such names change (docs/national-office.md says how a region re-keys them).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from datetime import date
from pathlib import Path

from krat_core.format.codelists import fold
from krat_core.messages import Message

__all__ = [
    "KEY_BYTES",
    "SCHEME",
    "key_fingerprint",
    "new_key",
    "normalise_name",
    "read_key",
    "subject_ref",
    "write_key",
]

KEY_BYTES = 32
"""Length of the national key: 256 bits."""

SCHEME = 2
"""The pseudonymisation scheme: 2 escapes separators and ignores invisible characters."""

KEY_UNREADABLE = Message(
    sq="skedari i çelësit nuk mund të lexohet: {reason}",
    en="cannot read the key file: {reason}",
)
NOT_A_KEY_FILE = Message(
    sq="nuk është skedar çelësi KRAT: priten {digits} shifra heksadecimale",
    en="not a KRAT key file: expected {digits} hexadecimal characters",
)
KEY_LENGTH = Message(
    sq="çelësi i pseudonimizimit duhet të ketë {size} bajt, ka {got}",
    en="the pseudonymisation key must be {size} bytes, got {got}",
)
KEY_PATH_IS_FOLDER = Message(
    sq="është dosje, jo emër skedari çelësi", en="is a folder, not a key file name"
)
KEY_FILE_EXISTS = Message(
    sq="këtu ka tashmë një skedar çelësi; ai mbahet (zëvendësimi i çelësit kombëtar prish "
    "përputhjen me vitet e mëparshme)",
    en="a key file already exists here; it is kept (replacing the national key breaks "
    "matching with earlier years)",
)

_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_APOSTROPHES = frozenset("'’‘‛ʼʹʻʽ`´′＇")
_MINUS = "\u2212\u2796\ufe63\uff0d"


def _unify(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width space/joiners, soft hyphen, BOM, bidi controls
        return ""
    if category in ("Cc", "Zl", "Zp") or category == "Pd" or ch in _MINUS:
        return " "
    if ch in _APOSTROPHES:
        return "'"
    return ch


def normalise_name(name: str) -> str:
    """Fold a name for matching (see the module's docstring for every step).

    ``normalise_name("Anë\u00ad-Mari ’O") == "ane mari 'o"``: no case, no diacritics, no
    invisible characters, dashes as spaces, one apostrophe form, single spaces.
    """
    unified = "".join(_unify(ch) for ch in name)
    return fold(_SEPARATORS.sub(" ", unified))


def _escape(part: str) -> str:
    return part.replace("\\", "\\\\").replace("|", "\\|")


def subject_ref(
    key: bytes, given_name: str, family_name: str, birth_date: date | None, sex: str
) -> str:
    """The pseudonymous reference of a person: 64 lower-case hex characters.

    ``sex`` is the machine code (``female``, ``male``, ``other``, ``unknown``).
    Raises :class:`ValueError` for a key that is not 32 bytes.
    """
    if len(key) != KEY_BYTES:
        raise ValueError(f"the pseudonymisation key must be {KEY_BYTES} bytes, got {len(key)}")
    message = "|".join(
        _escape(part)
        for part in (
            normalise_name(given_name),
            normalise_name(family_name),
            birth_date.isoformat() if birth_date else "",
            sex.strip().lower(),
        )
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def read_key(path: str | os.PathLike[str]) -> bytes:
    """Read a national key file written by ``krat key new``.

    The file holds the key as 64 hexadecimal characters (and an optional final
    newline). Raises :class:`~krat_core.errors.KeyFileError` naming the file when
    it cannot be read or does not hold a 256-bit key; the key is never echoed.
    """
    from krat_core.errors import KeyFileError, os_reason

    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = (
            {"sq": os_reason(exc)["sq"], "en": str(exc)}
            if isinstance(exc, OSError)
            else {"sq": "nuk është tekst ASCII", "en": str(exc)}
        )
        raise KeyFileError(KEY_UNREADABLE.both(reason=reason), source=Path(path)) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(NOT_A_KEY_FILE.both(digits=KEY_BYTES * 2), source=Path(path))
    return key


def new_key() -> bytes:
    """A new national key: 32 random bytes from the operating system (:mod:`secrets`)."""
    return secrets.token_bytes(KEY_BYTES)


def write_key(
    path: str | os.PathLike[str], key: bytes | None = None, *, overwrite: bool = False
) -> bytes:
    """Write a key file readable only by its owner (mode 0o600) and return the key.

    The file holds the key as 64 lower-case hexadecimal characters and a newline,
    the format :func:`read_key` reads. ``key`` defaults to :func:`new_key`. The file
    is written atomically, so no other user ever sees it with wider permissions.
    An existing file is never replaced unless ``overwrite`` is true: losing the
    national key means ``subject_ref`` values of past years can no longer be matched.
    Raises :class:`~krat_core.errors.KeyFileExists` when the file exists, and
    :class:`~krat_core.errors.KeyFileError` when it cannot be written or ``key`` is not 32 bytes.
    """
    from krat_core.atomic import write_bytes_atomic
    from krat_core.errors import ExportError, KeyFileError, KeyFileExists

    key = new_key() if key is None else key
    if len(key) != KEY_BYTES:
        raise KeyFileError(KEY_LENGTH.both(size=KEY_BYTES, got=len(key)))
    target = Path(path)
    if target.is_dir():
        raise KeyFileError(KEY_PATH_IS_FOLDER.both(), source=target)
    if target.exists() and not overwrite:
        raise KeyFileExists(KEY_FILE_EXISTS.both(), source=target)
    try:
        write_bytes_atomic(target, key.hex().encode("ascii") + b"\n", mode=0o600)
    except ExportError as exc:  # the atomic writer's, with the reason: as the type promised
        raise KeyFileError(exc.texts, source=target) from None
    return key


def key_fingerprint(key: bytes) -> str:
    """A short, shareable fingerprint of a key: 16 hex characters in groups of four.

    Regions compare it with the one the national office publishes, to check they
    hold the right key, without the key itself ever being shown or sent.
    """
    digest = hashlib.sha256(b"krat key fingerprint\x00" + key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))
