"""`manage.py evaluation_import`, `evaluation_export` and `evaluation_publish`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interviews.evaluation_design import design_from_db
from interviews.models import Evaluation
from interviews.workbooks import read_sheets, read_workbook
from tests.factories import AnalystFactory
from tests.workbook_examples import EXAMPLE, example_rows, workbook_bytes

pytestmark = pytest.mark.django_db

LONELINESS = Path(__file__).resolve().parent.parent / "evaluations" / "loneliness-2018.xlsx"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_gives_back_the_shipped_loneliness_workbook(tmp_path):
    out = tmp_path / "back.xlsx"
    assert run("evaluation_export", "loneliness-2018", "--out", str(out)) == (
        f"Wrote loneliness-2018 to {out}.\n"
    )
    shipped = read_sheets(LONELINESS.read_bytes())
    back = read_sheets(out.read_bytes())
    # The same sheets, rows and cells.
    assert {name: sheet.rows for name, sheet in back.items()} == {
        name: sheet.rows for name, sheet in shipped.items()
    }
    assert read_workbook(out.read_bytes()) == read_workbook(LONELINESS.read_bytes())


def test_export_names_the_evaluations_there_are(tmp_path):
    with pytest.raises(CommandError, match=r"no evaluation 'nope' \(there are: loneliness-2018\)"):
        run("evaluation_export", "nope", "--out", str(tmp_path / "x.xlsx"))


def test_export_says_when_it_cannot_write(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("evaluation_export", "loneliness-2018", "--out", str(tmp_path / "no" / "x.xlsx"))


def test_import_then_export_round_trips(tmp_path, coordinator):
    said = run("evaluation_import", str(EXAMPLE), "--user", coordinator.username)
    assert said.startswith("The evaluation crisis-care-2026 (Crisis care")
    evaluation = Evaluation.objects.get(code="crisis-care-2026")
    assert evaluation.history.get().history_user == coordinator
    out = tmp_path / "crisis.xlsx"
    run("evaluation_export", "crisis-care-2026", "--out", str(out))
    assert read_workbook(out.read_bytes()) == read_workbook(EXAMPLE.read_bytes())
    assert design_from_db(evaluation) == read_workbook(out.read_bytes())


def test_import_dry_run_saves_nothing():
    said = run("evaluation_import", str(EXAMPLE), "--dry-run")
    assert "would be created" in said
    assert not Evaluation.objects.filter(code="crisis-care-2026").exists()


def test_import_lists_every_problem_and_fails(tmp_path):
    rows = example_rows()
    rows["survey"][3][0] = "select_one nowhere"
    rows["settings"][1][0] = "Bad Code"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes(rows))
    with pytest.raises(CommandError) as failed:
        run("evaluation_import", str(bad))
    message = str(failed.value)
    assert message.startswith("The workbook has 2 problem(s), nothing was saved:\n")
    assert "survey row 4, column type" in message
    assert "settings row 2, column form_id" in message
    assert Evaluation.objects.count() == 1


def test_import_refuses_a_changed_used_code_with_its_place(tmp_path):
    rows = example_rows()
    rows["settings"][1][0] = "loneliness-2018"
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(workbook_bytes(rows))
    with pytest.raises(CommandError, match="the evaluation is published: put it back"):
        run("evaluation_import", str(changed))


def test_import_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("evaluation_import", str(tmp_path / "none.xlsx"))


def test_the_user_must_be_a_coordinator():
    analyst = AnalystFactory()
    with pytest.raises(CommandError, match="is not a coordinator"):
        run("evaluation_import", str(EXAMPLE), "--user", analyst.username)
    with pytest.raises(CommandError, match="no active account called 'ghost'"):
        run("evaluation_publish", "loneliness-2018", "--user", "ghost")


def test_publish(coordinator):
    run("evaluation_import", str(EXAMPLE))
    said = run("evaluation_publish", "crisis-care-2026", "--user", coordinator.username)
    assert said == "crisis-care-2026 is published: it collects interviews now.\n"
    with pytest.raises(CommandError, match="it was published already"):
        run("evaluation_publish", "crisis-care-2026")
    with pytest.raises(CommandError, match="no evaluation 'nope'"):
        run("evaluation_publish", "nope")


def test_status(coordinator):
    run("evaluation_import", str(EXAMPLE))
    with pytest.raises(CommandError, match="is being designed: publish it first"):
        run("evaluation_status", "crisis-care-2026", "analysing")
    run("evaluation_publish", "crisis-care-2026")
    said = run("evaluation_status", "crisis-care-2026", "analysing", "--user", coordinator.username)
    assert said == "crisis-care-2026 is now being analysed.\n"
    assert Evaluation.objects.get(code="crisis-care-2026").history.first().history_user == (
        coordinator
    )
    with pytest.raises(CommandError, match="invalid choice: 'design'"):
        run("evaluation_status", "crisis-care-2026", "design")
    with pytest.raises(CommandError, match="no evaluation 'nope'"):
        run("evaluation_status", "nope", "closed")
