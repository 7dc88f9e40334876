"""Test kit for plugin authors: contract checks, ready-made test classes and pytest fixtures.

Installed with ``krat`` and registered as a pytest plugin (the ``pytest11``
entry point), so its fixtures are available in every test of a project that
has ``krat`` installed. It imports nothing heavy at start-up.

Check an importer or an exporter in one call::

    from krat_core.plugins.testing import check_exporter, check_importer

    def test_my_importer(tmp_path):
        good = write_good_register(tmp_path / "good.xlsx")       # your synthetic fixture
        bad = write_register_with_bad_rows(tmp_path / "bad.xlsx")
        check_importer(my_importer(), [good], [bad], expected_rows={"good.xlsx": 20})

    def test_my_exporter(tmp_path):
        check_exporter(my_exporter(), tmp_path=tmp_path)

or inherit every contract test as its own test (so a failure says which)::

    from krat_core.plugins.testing import ImporterContract

    class TestDurresImporter(ImporterContract):
        @pytest.fixture
        def importer(self):
            return durres_importer()

        @pytest.fixture
        def good_files(self, tmp_path):
            return [write_good_register(tmp_path / "good.xlsx")]

        @pytest.fixture
        def bad_files(self, tmp_path):
            return [write_register_with_bad_rows(tmp_path / "bad.xlsx")]

What the contract asks of an **importer**:

1. its descriptor is valid (the same checks as when the registry loads it);
2. it reads what it claims: ``claims(path, head)`` is true for every good file
   (and, with a ``sniff`` function, false for garbage with its own suffix);
3. good files read without error findings, and read the rows you expect;
4. it never loses a row: for every sheet ``rows_read == records + rejected``,
   and every rejected row has an error finding at that row;
5. bad rows are reported as findings with file, sheet (where there is one),
   row and column, instead of raising;
6. broken files (empty, garbage, truncated) raise only
   :class:`~krat_core.errors.KratError`, never anything else;
7. what it reads round-trips through the canonical JSON
   (:func:`~krat_core.format.canonical.dump_submission` and
   :func:`~krat_core.format.canonical.load_submission`).

What it asks of an **exporter**: a valid descriptor; it writes one non-empty
file, at the path it is given and nowhere else; it does not change the data
it is given; a writer that fails leaves no file (and an older file at the
target untouched); optionally, the output is reproducible and reads back
through an importer to the same submission.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from krat_core.messages import Message, Plural

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import (
        Exporter,
        ExportOptions,
        Importer,
        ImportOptions,
        ImportResult,
    )
    from krat_core.plugins.manager import Registry

__all__ = [
    "ContractError",
    "ExporterContract",
    "ImporterContract",
    "broken_variants",
    "check_descriptor",
    "check_exporter",
    "check_importer",
    "check_importer_claims",
    "check_importer_reads_bad_rows",
    "check_importer_reads_good_files",
    "check_importer_survives_broken_files",
    "check_no_identity_leak",
    "check_records_counted",
    "check_round_trip",
    "check_rows_accounted",
    "krat_registry",
    "krat_submission",
]

HEAD_BYTES = 8192
"""How much of a file ``sniff`` is shown (the same as the CLI)."""


class ContractError(AssertionError):
    """A plugin breaks the contract; the message says which rule and where."""


def _fail(message: str) -> ContractError:
    return ContractError(message)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def _options(options: ImportOptions | None) -> ImportOptions:
    from krat_core.plugins.descriptors import ImportOptions

    return options if options is not None else ImportOptions()


@contextmanager
def _workdir(tmp_path: Path | None) -> Iterator[Path]:
    if tmp_path is not None:
        folder = Path(tempfile.mkdtemp(dir=tmp_path, prefix="krat-contract-"))
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="krat-contract-") as name:
        yield Path(name)


# --------------------------------------------------------------------------- importers


def check_descriptor(item: Importer | Exporter) -> None:
    """The descriptor passes the checks the registry makes when it loads a plugin."""
    from krat_core.plugins.descriptors import descriptor_problem

    problem = descriptor_problem(item)
    if problem:
        raise _fail(f"invalid descriptor: {problem}")


def check_importer_claims(importer: Importer, files: Sequence[Path]) -> None:
    """The importer recognises each of ``files`` (its suffix, and its ``sniff`` if it has one)."""
    for path in files:
        path = Path(path)
        if path.suffix.lower() not in importer.suffixes:
            raise _fail(
                f"importer {importer.name!r} does not list the suffix of {path.name} "
                f"in its suffixes {importer.suffixes!r}"
            )
        if not importer.claims(path, _head(path)):
            raise _fail(f"importer {importer.name!r}: sniff() does not recognise {path.name}")


def check_rows_accounted(result: ImportResult, importer_name: str = "importer") -> None:
    """Never lose a row: per sheet ``rows_read == records + rejected``, each rejection explained.

    Every rejected row must have at least one error finding positioned at that
    file, sheet and row.
    """
    from krat_core.findings import Severity

    if not result.counts:
        raise _fail(f"{importer_name}: ImportResult.counts is empty; say how many rows you read")
    errors_at: dict[tuple[str, str | None], set[int]] = {}
    summarised: dict[tuple[str, str | None], int] = {}
    for finding in result.findings:
        pos = finding.position
        if finding.severity is Severity.ERROR and pos is not None and pos.row is not None:
            errors_at.setdefault((Path(pos.file).name, pos.sheet), set()).add(pos.row)
        more = finding.extra.get("more") if finding.extra else None
        if isinstance(more, int) and pos is not None:  # findings over the per-code cap
            key = (Path(pos.file).name, pos.sheet)
            summarised[key] = summarised.get(key, 0) + more
    for count in result.counts:
        where = f"{count.file}" + (f", sheet {count.sheet!r}" if count.sheet else "")
        if count.rows_read != count.records + count.rejected:
            raise _fail(
                f"{importer_name} lost rows in {where}: rows_read={count.rows_read} but "
                f"records={count.records} + rejected={count.rejected}"
            )
        if min(count.rows_read, count.records, count.rejected, count.blank) < 0:
            raise _fail(f"{importer_name}: negative count in {where}: {count}")
        rows = errors_at.get((Path(count.file).name, count.sheet), set())
        covered = len(rows) + summarised.get((Path(count.file).name, count.sheet), 0)
        if count.rejected > covered:
            rejected = REJECTED_ROWS.text("en", n=count.rejected, where=where)
            marked = MARKED_ROWS.text("en", n=len(rows))
            raise _fail(f"{importer_name} {rejected} but only {marked}")


REJECTED_ROWS = Message(
    sq=Plural(one="refuzoi {n} rresht në {where}", other="refuzoi {n} rreshta në {where}"),
    en=Plural(one="rejected {n} row in {where}", other="rejected {n} rows in {where}"),
)
MARKED_ROWS = Message(
    sq=Plural(
        one="{n} rresht ka gjetje gabimi me atë pozicion",
        other="{n} rreshta kanë gjetje gabimi me atë pozicion",
    ),
    en=Plural(
        one="{n} row has an error finding with that position",
        other="{n} rows have an error finding with that position",
    ),
)
"""Contract failures are for the plugin's developer, in English (as pytest reports them)."""


def check_records_counted(result: ImportResult, importer: Importer) -> None:
    """The records actually in the submission are the records the importer's counts report.

    The same reconciliation ``krat import`` makes
    (:func:`krat_core.importing.pipeline.check_counts`): the sum of the counts'
    ``records`` is the number of records present (top-level, or top-level plus
    nested assistance and indicator rows).
    """
    from krat_core.errors import PluginError
    from krat_core.importing.pipeline import check_counts

    try:
        check_counts(result, importer)
    except PluginError as exc:
        raise _fail(str(exc)) from None


def check_no_identity_leak(result: ImportResult, identity_values: Sequence[str]) -> None:
    """No value of an identity column (a name, a date of birth) appears anywhere in the output.

    Identity columns are read only to compute ``subject_ref``; their values must
    not reach the records, the extensions or the findings' messages and values.
    The comparison ignores case; values shorter than 3 characters are not checked
    (they would match by chance).
    """
    from krat_core.format.canonical import dump_json, dump_submission

    texts = [
        dump_submission(result.submission).decode("utf-8"),
        dump_json([f.to_dict() for f in result.findings]).decode("utf-8"),
    ]
    haystack = "\n".join(texts).casefold()
    for value in identity_values:
        needle = str(value).strip().casefold()
        if len(needle) >= 3 and needle in haystack:
            raise _fail(
                f"the value {value!r} of an identity column appears in the output (records, "
                "extensions or findings): identity values may only become subject_ref"
            )


def check_round_trip(submission: Submission) -> None:
    """The submission survives canonical JSON unchanged, and the JSON is stable."""
    from krat_core.format.canonical import dump_submission, load_submission

    data = dump_submission(submission)
    back = load_submission(data)
    if back != submission:
        raise _fail("the submission changes when written to canonical JSON and read back")
    if dump_submission(back) != data:
        raise _fail("canonical JSON of the submission is not stable: two dumps differ")


def check_importer_reads_good_files(
    importer: Importer,
    good_files: Sequence[Path],
    *,
    options: ImportOptions | None = None,
    expected_rows: Mapping[str, int] | None = None,
    identity_values: Sequence[str] = (),
) -> ImportResult:
    """Good files read without raising and without error findings; rows as expected.

    ``expected_rows`` maps a file name to the number of data rows you put in it
    (blank rows not counted), so a row the importer skips silently is caught.
    The records present must match the importer's counts
    (:func:`check_records_counted`), and none of ``identity_values`` (the names
    and dates of birth you put in identity columns) may appear in the output
    (:func:`check_no_identity_leak`).
    """
    from krat_core.findings import Severity

    paths = [Path(p) for p in good_files]
    result = importer.run(paths, _options(options))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        where = first.position.describe() if first.position else "(no position)"
        raise _fail(
            f"importer {importer.name!r} found {len(errors)} errors in good files, first: "
            f"{first.code} at {where}: {first.message_en}"
        )
    check_rows_accounted(result, f"importer {importer.name!r}")
    check_records_counted(result, importer)
    check_no_identity_leak(result, identity_values)
    if result.rows_read == 0:
        raise _fail(f"importer {importer.name!r} read no rows from {[p.name for p in paths]}")
    for name, expected in (expected_rows or {}).items():
        read = sum(c.rows_read for c in result.counts if Path(c.file).name == name)
        if read != expected:
            raise _fail(
                f"importer {importer.name!r} read {read} data rows from {name}, expected {expected}"
            )
    check_round_trip(result.submission)
    return result


def check_importer_reads_bad_rows(
    importer: Importer,
    bad_file: Path,
    *,
    options: ImportOptions | None = None,
    identity_values: Sequence[str] = (),
) -> ImportResult:
    """A file with bad rows reads without raising; each problem is a positioned finding."""
    from krat_core.errors import KratError

    bad_file = Path(bad_file)
    try:
        result = importer.run([bad_file], _options(options))
    except KratError as exc:
        raise _fail(
            f"importer {importer.name!r} raised on {bad_file.name} instead of reporting the "
            f"bad rows as findings: {exc}"
        ) from exc
    check_rows_accounted(result, f"importer {importer.name!r}")
    check_records_counted(result, importer)
    check_no_identity_leak(result, identity_values)
    if not result.findings:
        raise _fail(f"importer {importer.name!r} found nothing wrong in {bad_file.name}")
    for finding in result.findings:
        pos = finding.position
        if pos is None or pos.row is None:
            raise _fail(
                f"importer {importer.name!r}: finding {finding.code} ({finding.message_en}) "
                "has no file and row position"
            )
        if Path(pos.file).name != bad_file.name:
            raise _fail(f"finding {finding.code} names file {pos.file!r}, not {bad_file.name!r}")
        if not (finding.message_en and finding.message_sq):
            raise _fail(f"finding {finding.code} needs a message in English and in Albanian")
    if not any(f.position and f.position.column for f in result.findings):
        raise _fail(f"importer {importer.name!r}: no finding names the column of the bad cell")
    check_round_trip(result.submission)
    return result


def broken_variants(importer: Importer, good_file: Path | None, folder: Path) -> list[Path]:
    """Files no importer can read: empty, garbage bytes, and a truncated good file."""
    suffix = importer.suffixes[0] if importer.suffixes else ".bin"
    variants = {
        "empty": b"",
        "garbage": bytes(range(256)) * 8,
        "text": "Nr.;Data\n1;2024-13-45\n".encode("utf-16"),
    }
    if good_file is not None:
        data = Path(good_file).read_bytes()
        variants["truncated"] = data[: max(1, len(data) // 2)]
    paths = []
    for label, content in variants.items():
        path = folder / f"broken-{label}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    return paths


def check_importer_survives_broken_files(
    importer: Importer,
    good_file: Path | None = None,
    *,
    options: ImportOptions | None = None,
    tmp_path: Path | None = None,
) -> None:
    """Empty, garbage and truncated files raise only ``KratError`` (or give findings).

    With a ``sniff`` function, the importer must not claim garbage bytes.
    """
    from krat_core.errors import KratError, PluginError
    from krat_core.plugins.descriptors import ImportResult

    with _workdir(tmp_path) as folder:
        for path in broken_variants(importer, good_file, folder):
            garbage = importer.sniff is not None and path.stem == "broken-garbage"
            if garbage and importer.claims(path, _head(path)):
                raise _fail(f"importer {importer.name!r}: sniff() claims garbage bytes")
            try:
                result = importer.run([path], _options(options))
            except PluginError as exc:
                raise _fail(
                    f"importer {importer.name!r} crashed on {path.name} instead of raising "
                    f"ImportFailed: {exc}"
                ) from exc
            except KratError:
                continue
            assert isinstance(result, ImportResult)
            if result.counts:
                check_rows_accounted(result, f"importer {importer.name!r}")


def check_importer(
    importer: Importer,
    good_files: Sequence[Path],
    bad_files: Sequence[Path] = (),
    *,
    options: ImportOptions | None = None,
    expected_rows: Mapping[str, int] | None = None,
    tmp_path: Path | None = None,
    identity_values: Sequence[str] = (),
) -> None:
    """Run the whole importer contract (see the module documentation).

    ``identity_values``: the names and dates of birth (as text) in the identity
    columns of your files; none may appear in the output.

    Raises:
        ContractError: (an ``AssertionError``) saying which rule is broken, and where.
    """
    if not good_files:
        raise _fail("check_importer needs at least one good file")
    check_descriptor(importer)
    check_importer_claims(importer, [*good_files, *bad_files])
    check_importer_reads_good_files(
        importer,
        good_files,
        options=options,
        expected_rows=expected_rows,
        identity_values=identity_values,
    )
    for bad in bad_files:
        check_importer_reads_bad_rows(
            importer, bad, options=options, identity_values=identity_values
        )
    check_importer_survives_broken_files(
        importer, good_files[0], options=options, tmp_path=tmp_path
    )


# --------------------------------------------------------------------------- exporters


def _fingerprint(dataset: Any) -> bytes:
    from krat_core.format.canonical import dump_json

    if hasattr(dataset, "model_dump"):
        return dump_json(dataset.model_dump(mode="json"))
    return repr(dataset).encode("utf-8")


def check_exporter(
    exporter: Exporter,
    dataset: Any = None,
    *,
    options: ExportOptions | None = None,
    tmp_path: Path | None = None,
    reproducible: bool = False,
    read_back: Importer | None = None,
) -> Path:
    """Run the exporter contract (see the module documentation); return the file written.

    Args:
        exporter: the descriptor to check.
        dataset: what to write (default: a synthetic Durrës submission for 2024).
        options: export options (default: ``ExportOptions()``).
        tmp_path: folder for outputs (default: a temporary folder, removed after,
            so the returned path no longer exists).
        reproducible: also require two exports to be byte-identical.
        read_back: an importer that must read the output back to an equal submission.
    """
    from dataclasses import replace

    from krat_core.errors import ExportError

    check_descriptor(exporter)
    if dataset is None:
        from krat_core.demo.synthetic import generate_submission

        dataset = generate_submission("AL-02", 2024)
    before = _fingerprint(dataset)
    with _workdir(tmp_path) as folder:
        target = folder / f"output{exporter.suffix}"
        exporter.export(dataset, target, options)
        if _fingerprint(dataset) != before:
            raise _fail(f"exporter {exporter.name!r} changed the data it was given")
        stray = sorted(p.name for p in folder.iterdir() if p != target)
        if stray:
            raise _fail(
                f"exporter {exporter.name!r} wrote {stray} besides the path it was given "
                "(write only to `path`, and never derive the format from its suffix)"
            )
        if not exporter.directory and (not target.is_file() or target.stat().st_size == 0):
            raise _fail(f"exporter {exporter.name!r} wrote no file at {target.name}")
        if reproducible:
            again = exporter.export(dataset, folder / f"again{exporter.suffix}", options)
            if again.read_bytes() != target.read_bytes():
                raise _fail(f"exporter {exporter.name!r}: two exports of the same data differ")
            again.unlink()
        if read_back is not None:
            from krat_core.format.canonical import dump_submission

            result = read_back.run([target], _options(None))
            if dump_submission(result.submission) != dump_submission(dataset):
                raise _fail(
                    f"importer {read_back.name!r} does not read back what exporter "
                    f"{exporter.name!r} wrote"
                )

        def crash_after_writing(data: Any, path: Path, opts: ExportOptions) -> None:
            exporter.write(data, path, opts)
            raise RuntimeError("simulated failure after writing")

        failing = replace(exporter, write=crash_after_writing)
        kept = target.read_bytes() if target.is_file() else None
        try:
            failing.export(dataset, target, options)
        except ExportError:
            pass
        else:  # pragma: no cover - export() always raises here
            raise _fail("a failing writer did not raise")
        leftovers = sorted(p.name for p in folder.iterdir() if p != target)
        if leftovers:
            raise _fail(f"a failing export of {exporter.name!r} left {leftovers} behind")
        if kept is not None and target.read_bytes() != kept:
            raise _fail(f"a failing export of {exporter.name!r} changed the existing file")
    return target


# --------------------------------------------------------------------------- contract classes


class ImporterContract:
    """Inherit in a ``Test...`` class to run every importer contract check as its own test.

    Provide the fixtures ``importer`` (the :class:`~krat_core.plugins.descriptors.Importer`),
    ``good_files`` and ``bad_files`` (lists of paths). Optionally override
    ``import_options`` and ``expected_rows`` (file name -> data rows).
    """

    @pytest.fixture
    def import_options(self) -> ImportOptions | None:
        """Options given to the importer (default ``ImportOptions()``)."""
        return None

    @pytest.fixture
    def expected_rows(self) -> Mapping[str, int] | None:
        """Data rows you put in each good file, by file name (None: not checked)."""
        return None

    @pytest.fixture
    def identity_values(self) -> Sequence[str]:
        """Values of identity columns in your files; none may reach the output."""
        return ()

    def test_descriptor_is_valid(self, importer: Importer) -> None:
        check_descriptor(importer)

    def test_reads_what_it_claims(
        self, importer: Importer, good_files: Sequence[Path], bad_files: Sequence[Path]
    ) -> None:
        check_importer_claims(importer, [*good_files, *bad_files])

    def test_good_files_read_cleanly_and_round_trip(
        self,
        importer: Importer,
        good_files: Sequence[Path],
        import_options: ImportOptions | None,
        expected_rows: Mapping[str, int] | None,
        identity_values: Sequence[str],
    ) -> None:
        check_importer_reads_good_files(
            importer,
            good_files,
            options=import_options,
            expected_rows=expected_rows,
            identity_values=identity_values,
        )

    def test_bad_rows_become_findings_with_positions(
        self,
        importer: Importer,
        bad_files: Sequence[Path],
        import_options: ImportOptions | None,
        identity_values: Sequence[str],
    ) -> None:
        if not bad_files:
            raise _fail("provide at least one file with bad rows in the bad_files fixture")
        for bad in bad_files:
            check_importer_reads_bad_rows(
                importer, bad, options=import_options, identity_values=identity_values
            )

    def test_broken_files_raise_only_krat_errors(
        self,
        importer: Importer,
        good_files: Sequence[Path],
        import_options: ImportOptions | None,
        tmp_path: Path,
    ) -> None:
        check_importer_survives_broken_files(
            importer, good_files[0], options=import_options, tmp_path=tmp_path
        )


class ExporterContract:
    """Inherit in a ``Test...`` class to run the exporter contract.

    Provide the fixture ``exporter``; optionally override ``dataset``,
    ``export_options``, ``reproducible`` and ``read_back`` (an importer).
    """

    @pytest.fixture
    def dataset(self) -> Any:
        """What to export (default: a synthetic Durrës submission for 2024)."""
        from krat_core.demo.synthetic import generate_submission

        return generate_submission("AL-02", 2024)

    @pytest.fixture
    def export_options(self) -> ExportOptions | None:
        """Options given to the writer (default ``ExportOptions()``)."""
        return None

    @pytest.fixture
    def reproducible(self) -> bool:
        """Whether two exports must be byte-identical."""
        return False

    @pytest.fixture
    def read_back(self) -> Importer | None:
        """An importer that must read the output back to an equal submission."""
        return None

    def test_exporter_contract(
        self,
        exporter: Exporter,
        dataset: Any,
        export_options: ExportOptions | None,
        reproducible: bool,
        read_back: Importer | None,
        tmp_path: Path,
    ) -> None:
        check_exporter(
            exporter,
            dataset,
            options=export_options,
            tmp_path=tmp_path,
            reproducible=reproducible,
            read_back=read_back,
        )


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def krat_submission() -> Callable[..., Submission]:
    """Factory of synthetic submissions: ``krat_submission("AL-02", 2024, cases=30)``."""
    from krat_core.demo.synthetic import generate_submission

    return generate_submission


@pytest.fixture
def krat_registry() -> Callable[..., Registry]:
    """Factory of plugin registries: ``krat_registry()`` loads what is installed.

    ``krat_registry(plugins=[("mine", my_module)], entry_points=False)`` loads
    only your plugin; ``env={"KRAT_PLUGINS": "durres-register"}`` restricts.
    """
    from krat_core.plugins.manager import load_plugins

    return load_plugins
