"""The rounds' files: ``import_tags --round`` (one coder's codings) and ``export agreement``."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.analysis_data import subtheme
from tests.factories import AnalystFactory, CoordinatorFactory, TagFactory
from tests.round_data import hand_case_round, readable_quotes
from themes.models import CodingRound, ExportRecord, RoundCoding, RoundTag, Tag
from themes.rounds import services
from themes.services import subtheme_retire

pytestmark = pytest.mark.django_db


def write(tmp_path, rows: list[tuple], name="coded.csv"):
    path = tmp_path / name
    lines = ["quote_id,participant_code,item,answer,text,tags"]
    lines += [f"{q},LSI-R01,companionship,often,words,{tags}" for q, tags in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def import_round(path, user, name="Spreadsheet", *extra):
    out = io.StringIO()
    call_command("import_tags", path, "--user", user.username, "--round", name, *extra, stdout=out)
    return out.getvalue()


def test_a_coders_file_makes_the_round_and_codes_only_the_listed_quotes(tmp_path):
    q1, q2, q3 = readable_quotes(3)
    ash, bo = AnalystFactory(), AnalystFactory()
    TagFactory(quote=q1, subtheme=subtheme("other_networks"), tagged_by=ash)
    said = import_round(write(tmp_path, [(q1.pk, "safe_spaces;diverse_groups"), (q2.pk, "")]), ash)
    assert "round 'Spreadsheet', 2 quote(s): 2 tag(s) added, 0 removed" in said
    coding_round = CodingRound.objects.get(name="Spreadsheet")
    assert coding_round.is_open and list(coding_round.coders.all()) == [ash]
    assert set(coding_round.quotes.all()) == {q1, q2}
    # q2 listed with an empty cell: coded "none of these"; q3 not listed: not coded.
    assert set(RoundCoding.objects.values_list("quote_id", flat=True)) == {q1.pk, q2.pk}
    assert RoundTag.objects.filter(quote=q2).count() == 0
    # Each coding's history says who, and that it came from an import.
    made = RoundTag.history.filter(quote_id=q1.pk).first()
    assert made.history_user == ash and made.history_change_reason == "import"
    # The project's tags are untouched.
    assert list(Tag.objects.values_list("quote_id", "subtheme__code")) == [
        (q1.pk, "other_networks")
    ]
    # A second coder joins the same round; a file again replaces that coder's codings only.
    import_round(write(tmp_path, [(q1.pk, "safe_spaces"), (q3.pk, "")]), bo)
    said = import_round(write(tmp_path, [(q1.pk, "safe_spaces")]), ash)
    assert "1 tag(s) added" not in said and "0 tag(s) added, 1 removed" in said
    assert set(coding_round.coders.all()) == {ash, bo}
    assert set(coding_round.quotes.all()) == {q1, q2, q3}
    assert RoundTag.objects.filter(coder=bo).count() == 1


def test_a_bad_file_says_every_problem_and_saves_nothing(tmp_path):
    q1, _ = readable_quotes(2)
    ash = AnalystFactory()
    path = write(tmp_path, [(q1.pk, "safe_spaces;nope"), (999999, ""), (q1.pk, "")])
    with pytest.raises(CommandError) as raised:
        import_round(path, ash)
    message = str(raised.value)
    assert "line 2, column tags: unknown sub-theme 'nope'" in message
    assert "line 3, column quote_id: unknown quote_id" in message
    assert "line 4, column quote_id: this quote is already on line 2" in message
    assert not CodingRound.objects.exists() and not RoundCoding.objects.exists()


def test_a_retired_subtheme_is_refused_in_a_round(tmp_path):
    (q1,) = readable_quotes(1)
    retired = subtheme("safe_spaces")
    TagFactory(quote=q1, subtheme=retired)  # may stay on the project's quote, not in a round
    subtheme_retire(subtheme=retired)
    with pytest.raises(CommandError, match="sub-theme 'safe_spaces' is retired"):
        import_round(write(tmp_path, [(q1.pk, "safe_spaces")]), AnalystFactory())


def test_a_closed_round_or_a_non_coder_is_refused(tmp_path):
    data = hand_case_round()
    services.round_close(coding_round=data["round"], user=data["a"])
    path = write(tmp_path, [(data["quotes"][0].pk, "")])
    with pytest.raises(CommandError, match="is closed"):
        import_round(path, data["a"], "Pilot")
    with pytest.raises(CommandError, match="may code in rounds"):
        import_round(path, CoordinatorFactory(), "Pilot")
    with pytest.raises(CommandError, match="needs the name"):
        import_round(path, data["a"], "  ")


def test_a_dry_run_of_a_round_file_saves_nothing(tmp_path):
    (q1,) = readable_quotes(1)
    said = import_round(
        write(tmp_path, [(q1.pk, "safe_spaces")]), AnalystFactory(), "R", "--dry-run"
    )
    assert "would change" in said
    assert not CodingRound.objects.exists()


EXPECTED_HEAD = "round,theme,subtheme,coders,quotes,agreement,kappa,alpha\n"


def test_export_agreement_writes_the_rows_of_the_contract(tmp_path):
    data = hand_case_round()
    out = tmp_path / "agreement.csv"
    call_command("export", "agreement", "--round", "Pilot", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assert lines[0] == EXPECTED_HEAD
    assert lines[1] == "Pilot,settings,safe_spaces,2,20,85.0,0.659,0.667\n"
    # Nobody used it: agreement 100, kappa and alpha blank.
    assert lines[2] == "Pilot,settings,community_engagement,2,20,100.0,,\n"
    assert lines[13] == "Pilot,settings,,2,20,85.0,0.659,0.667\n"
    assert lines[14] == "Pilot,activities,,2,20,100.0,,\n"
    # Overall: 240 decisions, 3 disagreements; kappa and alpha as for safe_spaces' 3.
    assert lines[17].startswith("Pilot,,,2,20,98.8,")
    assert len(lines) == 18
    record = ExportRecord.objects.get()
    assert record.file == "agreement.csv" and record.rows == 17
    assert record.filters == {"evaluation": "loneliness-2018", "round": "Pilot"}
    # Closed, the file is the kept figures: the same bytes.
    services.round_close(coding_round=data["round"], user=data["a"])
    again = tmp_path / "again.csv"
    call_command("export", "agreement", "--round", "Pilot", "--out", str(again), "--excel")
    assert again.read_bytes() == "\ufeff".encode() + text.encode("utf-8")


def test_export_agreement_as_a_workbook(tmp_path):
    hand_case_round()
    out = tmp_path / "agreement.xlsx"
    call_command("export", "agreement", "--round", "Pilot", "--xlsx", "--out", str(out))
    book = load_workbook(out)
    rows = list(book["agreement"].iter_rows(values_only=True))
    assert rows[0] == tuple(EXPECTED_HEAD.strip().split(","))
    assert rows[1][:5] == ("Pilot", "settings", "safe_spaces", 2, 20)
    assert str(rows[1][6]) == "0.659"
    labels = list(book["labels"].iter_rows(values_only=True))
    assert ("subtheme", "safe_spaces", "Safe spaces") in labels


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agreement"], "needs --round"),
        (["agreement", "--round", "Nope"], "no coding round 'Nope'"),
        (["quotes", "--round", "Pilot"], "agreement export only"),
        (["agreement", "--round", "Pilot", "--where", "borough=westminster"], "no --where"),
    ],
)
def test_export_agreement_refuses_what_it_cannot_do(args, message):
    hand_case_round()
    with pytest.raises(CommandError, match=message):
        call_command("export", *args, stdout=io.StringIO())
