"""The README's national-office walk-through runs verbatim on the demo's output (issue 14).

The test takes the shell block under "Combining the twelve submissions" from
README.md as written, and runs each line through the ``krat`` command group in
the demo's folder: ``cd`` changes folder, ``*`` is expanded as a shell would,
``#`` starts a comment. Every command must finish (exit 0, or 1 where the
output says something needs attention: the demo plants mistakes and a late
submission) and write what it names.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def shell_block(markdown: str, heading: str) -> list[str]:
    """The command lines of the first ``sh`` block after ``heading``, comments removed."""
    section = markdown.split(heading, 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, f"no sh block under {heading!r}"
    lines = []
    for line in block[1].splitlines():
        words = shlex.split(line, comments=True)
        if words:
            lines.append(words)
    return [shlex.join(words) for words in lines]


def run_lines(lines: list[str], folder: Path) -> list[tuple[str, int, str]]:
    """Run ``krat`` lines as a shell would in ``folder``; ``(line, exit code, output)``."""
    runner = CliRunner()
    here = folder
    done = []
    for line in lines:
        words = shlex.split(line)
        if words[0] == "cd":
            here = here / words[1]
            continue
        assert words[0] == "krat", line
        args: list[str] = []
        for word in words[1:]:
            matches = sorted(glob.glob(str(here / word))) if "*" in word else []
            args.extend(os.path.relpath(m, here) for m in matches) if matches else args.append(word)
        previous = Path.cwd()
        os.chdir(here)
        try:
            result = runner.invoke(cli, args)
        finally:
            os.chdir(previous)
        done.append((line, result.exit_code, result.output))
    return done


@pytest.fixture(scope="module")
def demo_parent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("walk")
    result = CliRunner().invoke(cli, ["demo", "-o", str(parent / "krat-demo"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "krat report national-2024.json" in result.output  # the next command to try
    return parent


def test_the_readme_national_office_walk_through_runs_on_the_demo(demo_parent: Path) -> None:
    lines = shell_block(README.read_text(encoding="utf-8"), "## Combining the twelve submissions")
    assert lines[0] == "cd krat-demo" and len(lines) == 6
    results = run_lines(lines, demo_parent)
    for line, code, output in results:
        assert code in (0, 1), f"{line}: exit {code}\n{output}"
        if code == 1:  # "needs attention" is said, not a crash
            assert "JO I VLEFSHËM" in output or "Kërkon vëmendje" in output, line
    folder = demo_parent / "krat-demo"
    for name in (
        "national.key",
        "template-2024.xlsx",
        "national-2024.json",
        "national-2023.json",
        "analiza-vjetore-2024.docx",
    ):
        assert (folder / name).is_file(), name


GUIDE = Path(__file__).resolve().parents[1] / "docs" / "writing-a-plugin.md"


def test_every_snippet_of_the_plugin_guide_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ```python blocks of docs/writing-a-plugin.md, in order, in one namespace."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "guide"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"writing-a-plugin.md block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message says which block failed
            pytest.fail(f"block {number} of the guide fails: {type(exc).__name__}: {exc}\n{block}")


# --------------------------------------------------------------------------- the CLI's words


@pytest.mark.parametrize(
    "command",
    [
        ["demo"],
        ["key", "new"],
        ["combine"],
        ["schema"],
        ["report"],
        ["import"],
        ["validate"],
        ["template"],
    ],
)
def test_one_output_option_name_with_the_old_one_hidden(command: list[str]) -> None:
    text = CliRunner().invoke(cli, [*command, "--help"]).output
    assert "-o, --output" in text and "--out " not in text and "--out," not in text


def test_the_hidden_alias_still_works(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["key", "new", "--out", str(tmp_path / "k.key")])
    assert done.exit_code == 0 and (tmp_path / "k.key").is_file()
    assert done.output.startswith("U shkrua një çelës")  # the success line follows --lang (sq)
    done = CliRunner().invoke(cli, ["key", "new", "-o", str(tmp_path / "e.key"), "--lang", "en"])
    assert done.output.startswith("Wrote a new 256-bit key")


def test_import_exit_code_agrees_with_what_it_prints(tmp_path: Path) -> None:
    """A bad optional cell keeps its row (no row rejected) but is an error: exit 1, not 0."""
    header = "Kodi i rastit,Referenca e personit (subject_ref),Statusi,Gjinia,"
    header += "Data e identifikimit,Burimi i identifikimit,Mosha,Procedim penal\n"
    row = f"AL-03-C-2024-0001,{'ab' * 32},VMT,femër,7/4/24,policia,16,ndoshta\n"
    path = tmp_path / "rastet.csv"
    path.write_text(header + row, encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["import", str(path), "--region", "Elbasan", "--period", "2024", "--lang", "en"]
    )
    assert "1 error, 0 warnings" in done.output and "was left out" in done.output
    assert "rejected" in done.output and done.exit_code == 1
    lines = [line.split() for line in done.output.splitlines() if "rastet.csv" in line]
    assert lines[0][1:5] == ["1", "1", "0", "0"]  # read, records, rejected, blank


def test_the_readme_embedding_snippet_runs_on_a_demo_submission(
    demo_parent: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = README.read_text(encoding="utf-8").split("## Embedding the library", 1)[1]
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block is not None
    source = demo_parent / "krat-demo" / "submissions" / "AL-02-2024.json"
    (tmp_path / source.name).write_bytes(source.read_bytes())  # (the demo folder stays as it is)
    monkeypatch.chdir(tmp_path)
    exec(compile(block[1], "README.md embedding", "exec"), {"__name__": "readme"})
    assert capsys.readouterr().out.startswith("AL-02 2024")
    assert (tmp_path / "copy.json").read_bytes() == source.read_bytes()
