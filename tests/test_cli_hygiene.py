"""Issue 11, item 9: a closed pipe ends quietly; values from files are shown escaped.

Atomic, private, fsynced outputs are tested in tests/test_atomic.py; here the
command line is checked end to end.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.cli.common import escape_controls
from krat_core.demo.synthetic import generate_submission
from krat_core.format.canonical import dump_submission


def test_escape_controls_keeps_text_and_escapes_what_a_terminal_obeys() -> None:
    assert escape_controls("Durrës\tok\n") == "Durrës\tok\n"
    assert escape_controls("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert escape_controls("\x00\x07\r\x7f\x9b") == "\\x00\\x07\\x0d\\x7f\\x9b"
    assert escape_controls("x\u202ey\u2028z") == "x\\u202ey\\u2028z"


def _big_submission(tmp_path: Path) -> Path:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(generate_submission("AL-02", 2024, cases=40)))
    return path


@pytest.mark.parametrize("command", ["import", "validate", "combine"])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, command: str) -> None:
    source = tmp_path / "AL-02-2024.json"
    sub = generate_submission("AL-02", 2024, cases=2000, activities=0)
    wrong = [c.model_copy(update={"age_at_identification": 5, "minor": False}) for c in sub.cases]
    source.write_bytes(dump_submission(sub.model_copy(update={"cases": wrong})))
    args = {
        "import": ["import", str(source), "--show", "100000"],
        "validate": ["validate", str(source)],
        "combine": ["combine", "-o", str(tmp_path / "n.json"), str(source)],
    }[command]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from krat_core.cli import main; main()", *args, "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "KRAT_PLUGINS": ""},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert "Exception ignored" not in stderr and "BrokenPipe" not in stderr, stderr
    assert code in (0, 1, 141), (code, stderr)


def test_a_file_name_with_escape_sequences_is_shown_escaped(
    tmp_path: Path, runner: CliRunner
) -> None:
    evil = tmp_path / "evil\x1b[2J\rAL-02 forged.json"
    evil.write_bytes(dump_submission(generate_submission("AL-02", 2024, cases=2)))
    national = tmp_path / "national.json"
    result = runner.invoke(cli, ["combine", "-o", str(national), str(evil), "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    result = runner.invoke(cli, ["validate", str(national), "--lang", "en"])
    assert "\x1b" not in result.output and "\r" not in result.output
    assert "evil\\x1b[2J\\x0dAL-02 forged.json" in result.output


def test_outputs_with_case_data_are_private(tmp_path: Path, runner: CliRunner) -> None:
    source = _big_submission(tmp_path)
    out = tmp_path / "s.json"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_output_naming_a_device_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    source = _big_submission(tmp_path)
    result = runner.invoke(cli, ["import", str(source), "-o", "/dev/null"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
