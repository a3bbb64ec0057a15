"""The Exports page and the export command: who may include interviews not yet verified
(coordinators only; analysts see verified interviews only), and the .xlsx workbooks."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.analysis_data import build, interview
from tests.factories import InterviewerFactory, QuoteFactory
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db

EXPORTS = reverse("admin:themes_exports")
UNVERIFIED = "themes.export_unverified"


def codes(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [r["participant_code"] for r in csv.DictReader(io.StringIO(text, newline=""))]


@pytest.fixture
def data(analyst):
    return build(analyst)


def test_only_the_coordinators_role_may_export_unverified_interviews(analyst, coordinator):
    assert (
        Group.objects.get(name="coordinator")
        .permissions.filter(codename="export_unverified", content_type__app_label="themes")
        .exists()
    )
    assert coordinator.has_perm(UNVERIFIED)
    assert not analyst.has_perm(UNVERIFIED)


def test_analysts_are_not_offered_unverified_interviews(client, analyst):
    client.force_login(analyst)
    page = client.get(EXPORTS).content.decode()
    assert 'name="include_unverified"' not in page
    assert "Only verified interviews are included." in page


def test_coordinators_are_offered_unverified_interviews(client, coordinator):
    client.force_login(coordinator)
    page = client.get(EXPORTS).content.decode()
    assert 'name="include_unverified"' in page


def test_a_forged_choice_of_unverified_interviews_is_ignored_for_an_analyst(client, analyst, data):
    client.force_login(analyst)
    post = {"kind": "interviews", "include_unverified": "on", "format": "csv"}
    assert codes(client.post(EXPORTS, post)) == ["LSI-001", "LSI-002"]
    record = ExportRecord.objects.get()
    assert record.filters["include_unverified"] is False


def test_a_coordinator_may_include_unverified_interviews(client, coordinator, data):
    client.force_login(coordinator)
    post = {"kind": "interviews", "include_unverified": "on", "format": "csv"}
    assert codes(client.post(EXPORTS, post)) == ["LSI-001", "LSI-002", "LSI-003"]
    assert ExportRecord.objects.get().filters["include_unverified"] is True


def cells(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_button_downloads_a_workbook(client, analyst, data):
    client.force_login(analyst)
    response = client.post(EXPORTS, {"kind": "quotes", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().isoformat()
    name = f"quotes_loneliness-2018_made-{today}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    rows = cells(b"".join(response.streaming_content))
    assert rows[0] == ["quote_id", "participant_code", "item", "answer", "text", "tags"]
    record = ExportRecord.objects.get()
    assert (record.file, record.format, record.channel, record.made_by, record.rows) == (
        "quotes.xlsx", "xlsx", "download", analyst, 3,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "interviewer"])
def test_no_workbook_for_anyone_but_analysts_and_coordinators(client, interviewer, data, who):
    if who == "interviewer":
        client.force_login(interviewer)
    response = client.post(EXPORTS, {"kind": "quotes", "format": "xlsx"})
    login = reverse("admin:login") if who == "interviewer" else reverse("login")
    assert response.status_code == 302 and response.url.startswith(login)
    assert not ExportRecord.objects.exists()


def test_a_workbook_that_cannot_be_made_says_why_on_the_page(client, analyst):
    pair = (InterviewerFactory(), InterviewerFactory())
    QuoteFactory(session=interview("LONG-1", pair=pair, answers={}), text="word " * 7000)
    client.force_login(analyst)
    response = client.post(EXPORTS, {"kind": "quotes", "format": "xlsx"})
    assert response.status_code == 200
    assert "Download the CSV file instead" in response.content.decode()
    assert not ExportRecord.objects.exists()


def test_the_command_writes_the_same_workbook_as_the_download(client, coordinator, data, tmp_path):
    client.force_login(coordinator)
    for kind in ("interviews", "quotes", "counts", "theme_counts"):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "--xlsx", "--include-unverified", "--out", str(out))
        post = {"kind": kind, "format": "xlsx", "include_unverified": "on"}
        download = b"".join(client.post(EXPORTS, post).streaming_content)
        assert cells(out.read_bytes()) == cells(download)
    assert set(ExportRecord.objects.values_list("format", flat=True)) == {"xlsx"}


def test_the_command_takes_excel_or_xlsx_not_both(tmp_path):
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("export", "counts", "--excel", "--xlsx", "--out", str(tmp_path / "x"))


def test_the_command_writes_a_workbook_only_to_a_file_or_a_binary_output():
    with pytest.raises(CommandError, match="--out FILE"):
        call_command("export", "counts", "--xlsx", stdout=io.StringIO())


def test_the_page_offers_the_evaluations_answers_the_site_and_dates(client, analyst):
    client.force_login(analyst)
    page = client.get(EXPORTS).content.decode()
    for name in ("where_borough", "where_sees", "where_site", "date_from", "date_to"):
        assert f'name="{name}"' in page
    assert "Borough of residence" in page and 'value="westminster"' in page
    assert 'name="where_companionship"' not in page  # an item, not an "About you" answer


def test_the_page_filters_by_site_and_dates(client, analyst, data):
    client.force_login(analyst)
    post = {"kind": "interviews", "format": "csv", "where_site": "pall_mall"}
    assert codes(client.post(EXPORTS, {**post, "date_from": "2018-04-12"})) == [
        "LSI-001",
        "LSI-002",
    ]
    assert codes(client.post(EXPORTS, {**post, "date_to": "2018-04-11"})) == []
    assert ExportRecord.objects.order_by("pk").last().filters["to"] == "2018-04-11"


def test_a_wrong_date_or_code_is_said_on_the_page_and_nothing_exported(client, analyst, data):
    client.force_login(analyst)
    for wrong in ({"date_from": "12 April"}, {"where_borough": "atlantis"}):
        response = client.post(EXPORTS, {"kind": "counts", "format": "csv", **wrong})
        assert response.status_code == 200
        text = response.content.decode()
        assert (
            "Interview date from needs a date as YYYY-MM-DD (got &#x27;12 April&#x27;)" in text
            or "Borough of residence: &#x27;atlantis&#x27; is not one of the list" in text
        )
    assert not ExportRecord.objects.exists()


def test_the_page_says_which_evaluation_it_exports(client, analyst):
    client.force_login(analyst)
    page = client.get(EXPORTS).content.decode()
    assert "(loneliness-2018, collecting interviews)" in page
    assert 'name="evaluation" value="loneliness-2018"' in page
