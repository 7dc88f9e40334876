"""Errors honour the language of the command line (issue 10, item 5).

Every error KRAT raises on purpose carries its message in Albanian and English
(:meth:`krat_core.errors.KratError.localized`); the command line prints the one
of ``--lang``. The first tests run the CLI on typical failures in both
languages; the last one reads the sources and lists every ``raise`` of a
:class:`~krat_core.errors.KratError` whose message is a plain string.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.errors import ExportError, FormatError, KratError, PluginError
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission

SRC = Path(__file__).resolve().parents[1] / "src"


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stderr


# --- the library's errors


def test_plain_string_is_both_languages_and_str_stays_english() -> None:
    plain = FormatError("broken", source="a.json")
    assert str(plain) == "a.json: broken" and plain.message == "broken"
    assert plain.localized("sq") == plain.localized("en") == "a.json: broken"
    both = ExportError({"sq": "nuk u shkrua", "en": "not written"}, source="b.docx")
    assert str(both) == "b.docx: not written" and both.message == "not written"
    assert both.localized("sq") == "b.docx: nuk u shkrua"
    assert both.localized("en") == "b.docx: not written"
    assert both.localized() == "b.docx: nuk u shkrua"  # Albanian by default


def test_plugin_error_names_the_plugin_in_each_language() -> None:
    error = PluginError({"sq": "dështoi", "en": "failed"}, plugin="acme")
    assert str(error) == "plugin 'acme': failed"
    assert error.localized("sq") == "shtojca 'acme': dështoi"


# --- the command line


@pytest.fixture
def submission(tmp_path: Path, durres_2024: Submission) -> Path:
    """A regional submission, as a file."""
    path = tmp_path / "AL-02.json"
    path.write_bytes(dump_submission(durres_2024))
    return path


def _v9(tmp_path: Path, submission: Path) -> Path:
    data = json.loads(submission.read_text(encoding="utf-8"))
    data["schema_version"] = "9.0.0"
    path = tmp_path / "v9.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


CASES = {
    # name: (arguments, a word of the Albanian message, the English sentence)
    "validate-missing": (
        ["validate", "{tmp}/none.json"],
        "nuk ekziston",
        "no such file",
    ),
    "report-missing": (
        ["report", "{tmp}/none.json", "-o", "{tmp}/r.docx"],
        "nuk mund të lexohet",
        "cannot read file",
    ),
    "not-json": (
        ["validate", "{tmp}/bad.json"],
        "nuk është JSON i vlefshëm",
        "not valid JSON",
    ),
    "schema-9": (
        ["validate", "{v9}"],
        "nuk mbështetet",
        "is not supported: this library reads",
    ),
    "unwritable": (
        ["report", "{sub}", "-o", "/proc/x/y.docx"],
        "nuk mund të shkruhet këtu",
        "cannot write here",
    ),
    "key-exists": (
        ["key", "new", "-o", "{tmp}/k.key"],
        "ka tashmë një skedar çelësi",
        "a key file already exists here",
    ),
    "unknown-format": (
        ["report", "{sub}", "--format", "zzz", "-o", "{tmp}/r.docx"],
        "asnjë eksportues nuk quhet",
        "no exporter called",
    ),
}


@pytest.mark.parametrize("lang", ["sq", "en", None])
@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_errors_are_in_the_language_asked_for(
    tmp_path: Path, submission: Path, case: str, lang: str | None
) -> None:
    (tmp_path / "bad.json").write_text("not json", encoding="utf-8")
    (tmp_path / "k.key").write_text("0" * 64, encoding="ascii")
    v9 = _v9(tmp_path, submission)
    arguments, sq_word, en_sentence = CASES[case]
    args = [a.format(tmp=tmp_path, v9=v9, sub=submission) for a in arguments]
    if lang is not None:
        args += ["--lang", lang]
    code, stderr = run(*args)
    assert code == 2, stderr
    line = stderr.strip().splitlines()[-1]
    if lang == "en":
        assert line.startswith("krat: error: "), line
        assert en_sentence in line and sq_word not in line, line
    else:  # Albanian, the default
        assert line.startswith("krat: gabim: "), line
        assert sq_word in line and en_sentence not in line, line


# --- every raise in the sources


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """The names of KratError and every subclass defined in the sources."""
    names = {"KratError"}
    changed = True
    while changed:
        changed = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                    bases |= {b.attr for b in node.bases if isinstance(b, ast.Attribute)}
                    if bases & names:
                        names.add(node.name)
                        changed = True
    return names


# Constructors whose first argument is not a message (they compose both languages).
_NOT_A_MESSAGE = {"UnknownImporter"}
# Functions that return ``{"sq": ..., "en": ...}``.
_BILINGUAL_HELPERS = {"invalid_fields", "os_reason"}


def _string_constants(tree: ast.Module) -> set[str]:
    """Module-level names bound to a plain string (not a Message)."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return found


def _bilingual(node: ast.expr, strings: set[str]) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "both":
            return True
        return isinstance(func, ast.Name) and func.id in _BILINGUAL_HELPERS
    if isinstance(node, ast.Name):
        return node.id not in strings
    if isinstance(node, ast.Attribute):
        return node.attr == "texts"  # a caught KratError's own texts, raised again
    if isinstance(node, ast.Dict):
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        return keys == {"sq", "en"}
    if isinstance(node, ast.DictComp):
        return True
    if isinstance(node, ast.IfExp):
        return _bilingual(node.body, strings) and _bilingual(node.orelse, strings)
    return False


def test_every_error_raised_carries_both_languages() -> None:
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for package in ("krat_core", "krat_plugins")
        for path in sorted((SRC / package).rglob("*.py"))
    }
    errors = _error_classes(trees)
    offenders = []
    for path, tree in trees.items():
        strings = _string_constants(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            again = isinstance(func, ast.Call) and getattr(func.func, "id", None) == "type"
            if (name not in errors or name in _NOT_A_MESSAGE) and not again:
                continue  # not a KratError (``type(exc)(...)`` raises a caught one again)
            args = list(node.exc.args)
            args += [k.value for k in node.exc.keywords if k.arg in ("message", "texts")]
            if not args or not _bilingual(args[0], strings):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
    assert offenders == [], "errors raised with an English-only message:\n" + "\n".join(offenders)


def test_the_check_sees_a_plain_message() -> None:
    tree = ast.parse('raise FormatError("broken", source=name)\n')
    call = tree.body[0].exc  # type: ignore[attr-defined]
    assert not _bilingual(call.args[0], set())
    tree = ast.parse("raise FormatError(BROKEN.both(), source=name)\n")
    assert _bilingual(tree.body[0].exc.args[0], set())  # type: ignore[attr-defined]
    assert issubclass(FormatError, KratError)


def test_a_bilingual_value_fills_each_language_with_its_own_side() -> None:
    from krat_core.errors import os_reason
    from krat_core.format.canonical import CANNOT_READ_FILE

    reason = os_reason(FileNotFoundError(2, "No such file or directory"))
    assert CANNOT_READ_FILE.both(reason=reason) == {
        "sq": "skedari nuk mund të lexohet: nuk ekziston ky skedar ose kjo dosje",
        "en": "cannot read file: No such file or directory",
    }


@pytest.mark.parametrize(
    ("n", "sq"),
    [
        (0, "0 qeliza të publikuara do të ndryshonin"),
        (1, "1 qelizë e publikuar do të ndryshonte"),
        (2, "2 qeliza të publikuara do të ndryshonin"),
    ],
)
def test_counted_error_messages_agree_in_albanian(n: int, sq: str) -> None:
    from krat_core.format.canonical import AND_MORE, INVALID_FIELDS
    from krat_core.reporting.config import UNKNOWN_TABLES
    from krat_core.reporting.register import HELD_BACK

    held = HELD_BACK.both(n=n, threshold=3, created="10.02.2025", output="r.docx")
    assert held["sq"].startswith(sq)
    assert held["en"].startswith(f"{n} published cells would change")
    fields = {0: "0 fusha të pavlefshme", 1: "1 fushë e pavlefshme", 2: "2 fusha të pavlefshme"}
    assert INVALID_FIELDS.text("sq", n=n).startswith(fields[n])
    assert AND_MORE.text("sq", n=n).endswith("1 tjetër" if n == 1 else f"{n} të tjera")
    tables = UNKNOWN_TABLES.text("sq", path="k.toml", names="['x']", n=n)
    assert ("tabelë e panjohur" if n == 1 else "tabela të panjohura") in tables
