"""Pseudonymisation: the national key, subject_ref, and the documented test vectors."""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from krat_core.cli import cli
from krat_core.combine import CombineInput, combine, dump_national, load_dataset
from krat_core.errors import KeyFileExists, KratError
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.format.models.national import NationalDataset
from krat_core.format.pseudonym import (
    KEY_BYTES,
    key_fingerprint,
    new_key,
    normalise_name,
    read_key,
    subject_ref,
    write_key,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "national-office.md"
VECTOR_KEY = bytes(range(32))

# The test vectors of docs/national-office.md: key 000102...1f.
VECTORS = [
    (
        "Ëngjëll",
        "Çela",
        date(2005, 3, 14),
        "male",
        "555fd0db567c03524bf6091a59126c5445c6848f3ec2bc8bf480e43609698a70",
    ),
    (
        "engjell",
        "cela",
        date(2005, 3, 14),
        "male",
        "555fd0db567c03524bf6091a59126c5445c6848f3ec2bc8bf480e43609698a70",
    ),
    (
        "  ËNGJËLL ",
        "ÇELA",
        date(2005, 3, 14),
        " Male ",
        "555fd0db567c03524bf6091a59126c5445c6848f3ec2bc8bf480e43609698a70",
    ),
]


def test_issue_example_agrees_across_case_diacritics_and_spacing() -> None:
    assert normalise_name("Ëngjëll  Çela") == normalise_name("engjell cela") == "engjell cela"
    assert normalise_name("Anë-Marie") == normalise_name("ane  marie") == "ane marie"
    assert normalise_name("Shpëtim\u2011Arbër") == "shpetim arber"  # non-breaking hyphen
    refs = {subject_ref(VECTOR_KEY, g, f, d, s) for g, f, d, s, _ in VECTORS}
    assert len(refs) == 1


def test_vectors_match_plain_hmac_of_the_documented_message() -> None:
    message = b"engjell|cela|2005-03-14|male"
    expected = hmac.new(VECTOR_KEY, message, hashlib.sha256).hexdigest()
    for given_name, family, born, sex, ref in VECTORS:
        assert subject_ref(VECTOR_KEY, given_name, family, born, sex) == ref == expected
    unknown_birth = hmac.new(VECTOR_KEY, b"drita|shembull||female", hashlib.sha256).hexdigest()
    assert subject_ref(VECTOR_KEY, "Drita", "Shembull", None, "female") == unknown_birth


def _doc_vectors() -> list[list[str]]:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Test vectors", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        parts = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        cells = [c.strip().strip("`").replace("\\|", "|") for c in parts]
        if len(cells) == 6 and re.fullmatch(r"[0-9a-f]{64}", cells[5]):
            rows.append(cells)
    return rows


def test_the_documented_test_vectors_are_what_the_code_computes() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert VECTOR_KEY.hex() in text
    rows = _doc_vectors()
    assert len(rows) >= 6
    for given_name, family, born, sex, message, ref in rows:
        birth = date.fromisoformat(born) if born not in ("", "-") else None
        assert subject_ref(VECTOR_KEY, given_name, family, birth, sex) == ref, rows
        assert hmac.new(VECTOR_KEY, message.encode(), hashlib.sha256).hexdigest() == ref
    assert [r[5] for r in rows[:3]] == [v[4] for v in VECTORS]


_LETTERS = "abcçdeëfghijklmnopqrstuvxyzABCÇDEËFGHIJKLMNOPQRSTUVXYZ"


@settings(max_examples=80)
@given(
    given_name=st.text(_LETTERS, min_size=1, max_size=12),
    family=st.lists(st.text(_LETTERS, min_size=1, max_size=8), min_size=1, max_size=3),
    seps=st.lists(st.sampled_from([" ", "  ", "-", " - ", "\t", "\u2011"]), min_size=2, max_size=2),
    born=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    sex=st.sampled_from(["female", "male", "other", "unknown"]),
)
def test_refs_ignore_case_diacritics_spaces_and_hyphens(
    given_name: str, family: list[str], seps: list[str], born: date | None, sex: str
) -> None:
    plain = " ".join(family)
    messy = seps[0].join(family) + seps[1]
    folded = plain.upper().replace("Ë", "E").replace("Ç", "C")
    key = VECTOR_KEY
    ref = subject_ref(key, given_name, plain, born, sex)
    assert subject_ref(key, f" {given_name.upper()} ", messy, born, sex.upper()) == ref
    assert subject_ref(key, given_name.lower(), folded, born, sex) == ref
    # ... but another key, another birth date or another sex is another person.
    assert subject_ref(bytes(32), given_name, plain, born, sex) != ref
    other_sex = "male" if sex != "male" else "female"
    assert subject_ref(key, given_name, plain, born, other_sex) != ref


def test_bad_key_length_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        subject_ref(b"short", "a", "b", None, "female")
    with pytest.raises(KratError, match="32 bytes"):
        write_key(Path("unused.key"), b"short")


def test_new_keys_are_random_256_bit() -> None:
    first, second = new_key(), new_key()
    assert len(first) == len(second) == KEY_BYTES and first != second


def test_write_key_is_owner_only_hex_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "national.key"
    key = write_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="ascii") == key.hex() + "\n"
    assert read_key(path) == key
    with pytest.raises(KeyFileExists, match="already exists") as refused:
        write_key(path)
    assert "--" not in str(refused.value)
    assert read_key(path) == key
    replaced = write_key(path, overwrite=True)
    assert read_key(path) == replaced != key
    with pytest.raises(KratError, match="folder"):
        write_key(tmp_path)


def test_fingerprint_is_stable_short_and_not_the_key() -> None:
    fp = key_fingerprint(VECTOR_KEY)
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", fp)
    assert fp == key_fingerprint(bytes(range(32))) != key_fingerprint(bytes(32))
    assert fp.replace("-", "") not in VECTOR_KEY.hex()


def test_krat_key_new_cli(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "national.key"
    result = runner.invoke(cli, ["key", "new", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = read_key(path)
    assert key.hex() not in result.output  # the key is never printed
    assert key_fingerprint(key) in result.output
    again = runner.invoke(cli, ["key", "new", "-o", str(path)])
    assert again.exit_code == 2 and "ka tashmë një skedar çelësi" in again.stderr
    again = runner.invoke(cli, ["key", "new", "-o", str(path), "--lang", "en"])
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert "--force" in again.stderr  # the command line names its flag; the library does not
    assert read_key(path) == key
    forced = runner.invoke(cli, ["key", "new", "-o", str(path), "--force"])
    assert forced.exit_code == 0 and read_key(path) != key
    shown = runner.invoke(cli, ["key", "fingerprint", str(path)])
    assert shown.output.strip() == f"Shenja e gishtit: {key_fingerprint(read_key(path))}"
    shown = runner.invoke(cli, ["key", "fingerprint", str(path), "--lang", "en"])
    assert shown.output.strip() == f"Fingerprint: {key_fingerprint(read_key(path))}"
    broken = tmp_path / "broken.key"
    broken.write_text("not a key")
    bad = runner.invoke(cli, ["key", "fingerprint", str(broken), "--lang", "en"])
    assert bad.exit_code == 2 and "not a KRAT key file" in bad.stderr
    assert "Traceback" not in bad.output + bad.stderr


# Invented people of two regional registers: names exist only here, never downstream.
REGISTER = [
    ("AL-02", "Ëngjëll", "Çela", date(2007, 5, 2), "male"),
    ("AL-02", "Blerina", "Shembulli", date(2009, 11, 30), "female"),
    ("AL-10", "engjell", "CELA", date(2007, 5, 2), "male"),  # the same person, typed differently
    ("AL-10", "Mirela-Provë", "Shembullore", None, "female"),
]


def test_names_never_reach_the_national_dataset(national_2024: list[Submission]) -> None:
    key = new_key()
    by_region = {s.region: s for s in national_2024}
    subs = dict(by_region)
    for region in ("AL-02", "AL-10"):
        people = [r for r in REGISTER if r[0] == region]
        cases = list(by_region[region].cases)
        for i, (_, given_name, family, born, sex) in enumerate(people):
            ref = subject_ref(key, given_name, family, born, sex)
            cases[i] = cases[i].model_copy(update={"subject_ref": ref})
        subs[region] = by_region[region].model_copy(update={"cases": cases})
    inputs = []
    for sub in subs.values():
        data = dump_submission(sub)
        inputs.append(CombineInput(f"{sub.region}.json", hashlib.sha256(data).hexdigest(), sub))
    national = combine(inputs).dataset
    data = dump_national(national).decode("utf-8")
    for _, given_name, family, _, _ in REGISTER:
        for word in (given_name, family, normalise_name(given_name), normalise_name(family)):
            assert word.lower() not in data.lower()
    [duplicate] = national.duplicates
    assert duplicate.regions == ["AL-02", "AL-10"]
    assert duplicate.subject_ref == subject_ref(key, "Ëngjëll", "Çela", date(2007, 5, 2), "male")


def _add_identity(cases_csv: Path, given_name: str, family: str, born: str, sex: str) -> None:
    """Give the first case of a regional CSV export identity columns instead of subject_ref."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(cases_csv.read_text(encoding="utf-8-sig"))))
    at = rows[0].index("Referenca e personit (subject_ref)")
    sex_at = rows[0].index("Gjinia")
    age_at = rows[0].index("Mosha në identifikim")
    minor_at = next(i for i, h in enumerate(rows[0]) if h.startswith("I mitur"))
    out = [[*rows[0][: at + 1], "Emri", "Mbiemri", "Datëlindja", *rows[0][at + 1 :]]]
    for n, row in enumerate(rows[1:]):
        if n == 0:
            row[sex_at] = sex
            # the age and minor flag follow from the date of birth (a typed age that
            # disagreed with it would be import.age-mismatch)
            row[age_at] = row[minor_at] = ""
            out.append([*row[:at], "", given_name, family, born, *row[at + 1 :]])
        else:
            out.append([*row[: at + 1], "", "", "", *row[at + 1 :]])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(out)
    cases_csv.write_text(buffer.getvalue(), encoding="utf-8-sig")


def test_register_names_are_pseudonymised_on_import_and_never_reach_the_national_dataset(
    tmp_path: Path, runner: CliRunner, national_2024: list[Submission]
) -> None:
    """A region's register with names -> krat import --key -> krat combine: no name survives."""
    key_file = tmp_path / "national.key"
    assert runner.invoke(cli, ["key", "new", "-o", str(key_file)]).exit_code == 0
    people = {
        "AL-02": ("Ëngjëll", "Çela", "2007-05-02", "mashkull"),
        "AL-10": ("ENGJELL", "cela", "2007-05-02", "mashkull"),  # the same person
    }
    files = []
    for sub in national_2024:
        path = tmp_path / f"{sub.region}.json"
        path.write_bytes(dump_submission(sub))
        if sub.region in people:
            export = tmp_path / f"export-{sub.region}"
            done = runner.invoke(
                cli, ["report", str(path), "-o", str(export), "--format", "csv", "--records"]
            )
            assert done.exit_code == 0, done.output
            _add_identity(export / "records" / "cases.csv", *people[sub.region])
            tables = sorted(str(p) for p in (export / "records").glob("*.csv"))
            refused = runner.invoke(cli, ["import", *tables, "-o", str(path)])
            assert refused.exit_code == 2 and "Emri" in refused.stderr
            assert "Ëngjëll" not in refused.stderr + refused.stdout
            done = runner.invoke(cli, ["import", *tables, "--key", str(key_file), "-o", str(path)])
            assert done.exit_code == 0, done.output
            assert "engj" not in path.read_text(encoding="utf-8").lower()
        files.append(str(path))
    out = tmp_path / "national.json"
    done = runner.invoke(cli, ["combine", *files, "-o", str(out), "--no-validate"])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8").lower()
    for word in ("ëngjëll", "engjell", "çela", '"cela"', "2007-05-02"):
        assert word not in text
    national = load_dataset(out)
    assert isinstance(national, NationalDataset)
    [duplicate] = national.duplicates
    assert duplicate.regions == ["AL-02", "AL-10"]
    key = read_key(key_file)
    assert duplicate.subject_ref == subject_ref(key, "Ëngjëll", "Çela", date(2007, 5, 2), "male")


# --------------------------------------------------------------------------- scheme 2

_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u202e", "\u2066"]
_DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63"]
_APOSTROPHES = ["'", "\u2019", "\u2018", "\u02bc", "`", "\u00b4", "\uff07"]


@settings(max_examples=80)
@given(
    name=st.text(_LETTERS, min_size=2, max_size=12),
    where=st.integers(min_value=0, max_value=12),
    invisible=st.sampled_from(_INVISIBLE),
)
def test_invisible_characters_do_not_change_a_ref(name: str, where: int, invisible: str) -> None:
    hidden = name[:where] + invisible + name[where:]
    assert subject_ref(VECTOR_KEY, hidden, "Shembulli", None, "female") == subject_ref(
        VECTOR_KEY, name, "Shembulli", None, "female"
    )


@pytest.mark.parametrize("dash", _DASHES)
@pytest.mark.parametrize("apostrophe", _APOSTROPHES)
def test_every_dash_and_apostrophe_form_is_the_same(dash: str, apostrophe: str) -> None:
    assert normalise_name(f"Anë{dash}Mari D{apostrophe}Angelo") == "ane mari d'angelo"


def test_control_characters_are_spaces() -> None:
    assert normalise_name("Drita\x00Shembull\x1b") == "drita shembull"


@settings(max_examples=200)
@given(
    parts=st.lists(st.text("ab|\\ -", max_size=5), min_size=4, max_size=4),
    others=st.lists(st.text("ab|\\ -", max_size=5), min_size=4, max_size=4),
)
def test_different_identities_never_share_a_ref(parts: list[str], others: list[str]) -> None:
    # The separator inside a name is escaped, so "a|b" + "c" is not "a" + "b|c".
    def identity(p: list[str]) -> tuple[str, ...]:
        return (normalise_name(p[0]), normalise_name(p[1]), p[3].strip().lower())

    def ref(p: list[str]) -> str:
        return subject_ref(VECTOR_KEY, p[0], p[1], None, p[3])

    if identity(parts) != identity(others):
        assert ref(parts) != ref(others)


def test_a_separator_inside_a_name_cannot_shift_the_parts() -> None:
    one = subject_ref(VECTOR_KEY, "Ana|Shembull", "", None, "female")
    two = subject_ref(VECTOR_KEY, "Ana", "Shembull|", None, "female")
    three = subject_ref(VECTOR_KEY, "Ana", "Shembull", None, "female")
    assert len({one, two, three}) == 3
    escaped = hmac.new(VECTOR_KEY, b"ana\\|shembull|||female", hashlib.sha256).hexdigest()
    assert one == escaped


# Scheme 2 vectors: names that scheme 1 treated inconsistently (key 000102...1f).
SCHEME_2_VECTORS = [
    ("Dri\u200bta", "Shem\u00adbull", None, "female", b"drita|shembull||female"),
    (
        "Anë\u2014Mari",
        "D\u2019Angelo",
        date(1999, 12, 1),
        "female",
        b"ane mari|d'angelo|1999-12-01|female",
    ),
    ("Ana|Maria", "Prov\\e", None, "female", b"ana\\|maria|prov\\\\e||female"),
]


@pytest.mark.parametrize("given_name,family,born,sex,message", SCHEME_2_VECTORS)
def test_scheme_2_vectors(
    given_name: str, family: str, born: date | None, sex: str, message: bytes
) -> None:
    expected = hmac.new(VECTOR_KEY, message, hashlib.sha256).hexdigest()
    assert subject_ref(VECTOR_KEY, given_name, family, born, sex) == expected


def test_unwritable_places_raise_the_promised_errors(tmp_path: Path, national_2024) -> None:
    """write_key raises KeyFileError and write_national NationalWriteError (an ExportError)
    when the place cannot be written, with the operating system's reason, and leave nothing."""
    from krat_core.combine import combine
    from krat_core.combine.national import write_national
    from krat_core.errors import KeyFileError, NationalWriteError
    from krat_core.format.pseudonym import write_key

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(KeyFileError, match="cannot write"):
        write_key(blocker / "national.key")
    from krat_core.combine import CombineInput

    inputs = [CombineInput(f"{s.region}.json", f"{k:064x}", s) for k, s in enumerate(national_2024)]
    dataset = combine(inputs, period="2024").dataset
    with pytest.raises(NationalWriteError, match="cannot write"):
        write_national(blocker / "national-2024.json", dataset)
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
