"""`manage.py evaluation_check`: a workbook's problems listed, exit 1; a good one described."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.workbook_examples import EXAMPLE, example_rows, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_it_describes_a_good_workbook(capsys):
    call_command("evaluation_check", str(ROOT / "evaluations" / "loneliness-2018.xlsx"))
    assert capsys.readouterr().out == (
        "The workbook is fine: loneliness-2018 (Loneliness and Social Isolation: mental health "
        "service users' experiences and views), 3 section(s), 19 question(s), 5 consent "
        "statement(s), 12 sub-theme(s).\n"
    )


def test_it_lists_every_problem(tmp_path):
    rows = example_rows()
    rows["settings"][1][0] = "Crisis Care"
    rows["codebook"][2][1] = "Access"
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(rows))
    with pytest.raises(CommandError) as raised:
        call_command("evaluation_check", str(path))
    assert str(raised.value) == (
        "The workbook has 2 problem(s):\n"
        "settings row 2, column form_id: 'Crisis Care' is not an evaluation code: use 2 to 40 "
        "of a-z, 0-9 and '-', like loneliness-2018\n"
        "codebook row 3, column theme_label: row 2 calls this theme 'Getting help'"
    )


def test_it_refuses_a_file_too_large_before_reading_it(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as file:
        file.truncate(6 * 1024 * 1024)
    with pytest.raises(
        CommandError, match=r"the file is 6\.0 MB and a workbook takes at most 5 MB"
    ):
        call_command("evaluation_check", str(path))


def test_it_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.xlsx: No such file"):
        call_command("evaluation_check", str(tmp_path / "missing.xlsx"))


def test_it_exits_1_on_problems(tmp_path):
    path = tmp_path / "not.xlsx"
    path.write_text("type,name\n")
    good = subprocess.run(
        [sys.executable, "manage.py", "evaluation_check", str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    bad = subprocess.run(
        [sys.executable, "manage.py", "evaluation_check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    assert (good.returncode, bad.returncode) == (0, 1)
    assert "this is not an Excel workbook (.xlsx)" in bad.stderr
