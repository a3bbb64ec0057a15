"""The coding rounds' pages: start, the round, blind coding, closing, the meeting, settling and
the download; who may open each, bad input, and pinned query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from interviews.schedules import schedule_of
from tests.analysis_data import subtheme
from tests.factories import AnalystFactory, InterviewerFactory, TagFactory
from tests.round_data import hand_case_round, readable_quotes
from themes.models import CodingRound, ExportRecord, Tag
from themes.rounds import services

pytestmark = pytest.mark.django_db


def url(name: str, coding_round, *args) -> str:
    return reverse(f"admin:themes_codinground_{name}", args=[coding_round.pk, *args])


@pytest.fixture
def data():
    return hand_case_round()


def closed(data):
    services.round_close(coding_round=data["round"], user=data["a"])
    data["round"].refresh_from_db()
    return data["round"]


def checked_boxes(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'value="(\d+)" id="id_subthemes_\d+"[^>]*checked', html)}


# --- start ---------------------------------------------------------------------------------


def test_starting_a_round_with_a_seeded_sample(client):
    quotes = readable_quotes(12)
    a, b = AnalystFactory(first_name="Ash"), AnalystFactory(first_name="Bo")
    client.force_login(a)
    page = client.get(reverse("admin:themes_codinground_add"))
    assert page.status_code == 200
    assert "Ash" in page.content.decode() and "Seed" in page.content.decode()
    response = client.post(
        reverse("admin:themes_codinground_add"),
        {
            "evaluation": "loneliness-2018",
            "name": "May pilot",
            "coders": [a.pk, b.pk],
            "question": "companionship:often",
            "how": "size",
            "size": "5",
            "seed": "1234",
        },
    )
    coding_round = CodingRound.objects.get(name="May pilot")
    assert response.status_code == 302 and response.url == url("change", coding_round)
    assert coding_round.quotes.count() == 5 and coding_round.seed == 1234
    assert set(coding_round.quotes.values_list("pk", flat=True)) <= {q.pk for q in quotes}
    page = client.get(response.url).content.decode()
    assert "seed 1234" in page and "How often do you feel" not in page.split("Quotes")[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"coders": []}, "Coders: This field is required."),
        ({"size": "99"}, "Only 3 quotes match: choose a sample of at most 3."),
        ({"name": ""}, "Name of the round: This field is required."),
        ({"how": "share", "share": "0"}, "Sample share (percent)"),
        ({"seed": "abc"}, "Seed: Enter a whole number."),
    ],
)
def test_bad_input_on_the_start_page_says_what_is_wrong_and_saves_nothing(client, changes, message):
    readable_quotes(3)
    a, b = AnalystFactory(), AnalystFactory()
    client.force_login(a)
    form = {"name": "R", "coders": [a.pk, b.pk], "how": "size", "size": "2", "seed": "1"}
    response = client.post(reverse("admin:themes_codinground_add"), {**form, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CodingRound.objects.exists()


# --- the round and its coding page -----------------------------------------------------------


def test_an_open_rounds_page_shows_progress_never_figures(client, data):
    client.force_login(data["a"])
    page = client.get(url("change", data["round"])).content.decode()
    assert "Quotes each coder has coded" in page and "<td>20</td>" in page
    assert "0.659" not in page and "shown when the round is closed" in page
    assert "Code this round" in page


def test_a_closed_rounds_page_shows_the_kept_table_with_dashes_and_reasons(client, data):
    client.force_login(data["b"])
    page = client.get(url("change", closed(data))).content.decode()
    assert "0.659" in page and "0.667" in page and "85.0" in page
    assert '–<span class="help"> no variation' in page
    assert "The analysis meeting" in page


def test_the_coding_page_is_blind(client, data):
    coding_round, quote = data["round"], data["quotes"][8]
    # A tags quote 9 in the round, and the project has a tag on it: B sees neither.
    groups = subtheme("diverse_groups")
    services.round_code(coding_round=coding_round, coder=data["a"], quote=quote, subthemes=[groups])
    TagFactory(quote=quote, subtheme=subtheme("other_networks"), tagged_by=data["a"])
    client.force_login(data["b"])
    page = client.get(url("code", coding_round) + f"?quote={quote.pk}").content.decode()
    assert "You are coding round Pilot (blind)." in page
    assert quote.text in page
    assert checked_boxes(page) == set()
    # B's own tick on quote 1 is shown to B.
    page = client.get(url("code", coding_round) + f"?quote={data['quotes'][0].pk}")
    assert checked_boxes(page.content.decode()) == {subtheme("safe_spaces").pk}


def test_saving_a_coding_goes_to_the_next_uncoded_quote(client):
    quotes = readable_quotes(2)
    a, b = AnalystFactory(), AnalystFactory()
    coding_round = services.round_start(
        evaluation=schedule_of_evaluation(), name="R", coders=[a, b],
        quote_ids=[q.pk for q in quotes], user=a,
    )  # fmt: skip
    client.force_login(a)
    page = client.get(url("code", coding_round)).content.decode()
    assert quotes[0].text in page and "You have coded 0 of 2" in page
    response = client.post(
        url("code", coding_round),
        {"quote": quotes[0].pk, "subthemes": [subtheme("safe_spaces").pk]},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert quotes[1].text in page and "You have coded 1 of 2" in page
    client.post(url("code", coding_round), {"quote": quotes[1].pk})  # none of these
    page = client.get(url("code", coding_round)).content.decode()
    assert "You have coded every quote of this round (2 of 2)" in page
    assert not Tag.objects.exists()


def test_the_coding_page_is_the_tagging_page_without_what_a_blind_round_hides(client, data):
    from themes.memo_services import exemplar_choose, memo_save

    coding_round, quote = data["round"], data["quotes"][8]
    evaluation = coding_round.evaluation
    TagFactory(quote=quote, subtheme=subtheme("other_networks"), tagged_by=data["a"])
    exemplar_choose(quote=quote, subtheme=subtheme("other_networks"), user=data["a"])
    memo_save(evaluation=evaluation, text="A memo the coder must not see.", user=data["a"],
              target={"subtheme": subtheme("other_networks")})  # fmt: skip
    client.force_login(data["b"])
    page = client.get(url("code", coding_round) + f"?quote={quote.pk}").content.decode()
    question = schedule_of(evaluation).by_id[quote.question_id]
    # The tagging page's pieces: the question as asked, the answer, the participant's words,
    # the sub-themes by theme with descriptions and a visible key, Enter's save button.
    assert 'id="quote-question">' + escape(question.label) in page
    assert 'id="quote-answer"' in page and "Their words in this interview" in page
    assert 'class="ufm-context-current"' in page
    assert 'data-ufm-key="1"' in page and '<kbd class="ufm-key" aria-hidden="true">1</kbd>' in page
    assert (
        escape(subtheme("safe_spaces").description) in page
        and 'legend class="ufm-theme-legend"' in page
    )
    assert "data-ufm-save-next" in page and "js/tagging.js" in page
    assert "Enter saves and opens the next quote of this round you have not coded." in page
    # Blind: no memos, no report choices, no project tags, no participant code.
    assert "A memo the coder must not see." not in page and 'id="memos-heading"' not in page
    assert "Use in the report" not in page and "ufm-report-choice" not in page
    assert checked_boxes(page) == set() and "Tagged:" not in page
    assert quote.session.participant_code not in page


def test_the_coding_page_saves_with_the_tagging_pages_button(client):
    quotes = readable_quotes(2)
    a, b = AnalystFactory(), AnalystFactory()
    coding_round = services.round_start(
        evaluation=schedule_of_evaluation(), name="R", coders=[a, b],
        quote_ids=[q.pk for q in quotes], user=a,
    )  # fmt: skip
    client.force_login(a)
    safe = subtheme("safe_spaces")
    response = client.post(
        url("code", coding_round), {"quote": quotes[0].pk, "subthemes": [safe.pk]}
    )
    assert response.status_code == 302 and response.url == url("code", coding_round)
    page = client.get(response.url).content.decode()
    assert quotes[1].text in page and f'value="{quotes[1].pk}"' in page
    assert list(coding_round.tags.values_list("subtheme", flat=True)) == [safe.pk]
    assert not Tag.objects.exists()


def schedule_of_evaluation():
    from interviews.models import Evaluation

    evaluation = Evaluation.objects.get(code="loneliness-2018")
    schedule_of(evaluation)
    return evaluation


def test_a_coding_of_a_quote_outside_the_round_is_refused(client, data):
    (other,) = readable_quotes(1, code="LSI-R09")
    client.force_login(data["a"])
    response = client.post(url("code", data["round"]), {"quote": other.pk})
    assert response.status_code == 200
    assert "This quote is not one of the round" in response.content.decode()


def test_who_may_open_the_coding_page(client, data, coordinator):
    client.force_login(AnalystFactory())  # an analyst who is not a coder of the round
    assert client.get(url("code", data["round"])).status_code == 403
    client.force_login(coordinator)
    assert client.get(url("code", data["round"])).status_code == 403
    client.force_login(data["a"])
    assert client.get(reverse("admin:themes_codinground_code", args=[999999])).status_code == 404
    client.force_login(InterviewerFactory())
    assert client.get(url("code", data["round"])).status_code == 302
    client.logout()
    assert reverse("login") in client.get(url("code", data["round"])).url


# --- closing, the meeting, settling, the download -------------------------------------------


def test_closing_the_round(client, data, coordinator):
    client.force_login(coordinator)
    assert client.get(url("close", data["round"])).status_code == 200
    assert client.post(url("close", data["round"])).status_code == 200  # not confirmed
    response = client.post(url("close", data["round"]), {"close": "yes"})
    assert response.status_code == 302
    data["round"].refresh_from_db()
    assert not data["round"].is_open and data["round"].closed_by == coordinator


def test_the_meeting_lists_each_disagreement_with_every_coders_tags(client, data):
    client.force_login(data["a"])
    page = client.get(url("meeting", data["round"])).content.decode()
    assert "opens when the round is closed" in page and data["quotes"][5].text not in page
    page = client.get(url("meeting", closed(data))).content.decode()
    # Quotes 6 and 7 (A only) and 8 (B only), under safe spaces; nothing else.
    for number in (6, 7, 8):
        assert data["quotes"][number - 1].text in page
    assert data["quotes"][0].text not in page and data["quotes"][8].text not in page
    assert "Settings: Safe spaces (3)" in page
    assert "<td>Ash</td><td>Tagged</td><td>Safe spaces</td>" in page
    assert "<td>Bo</td><td>Not tagged</td><td>none of these</td>" in page


def test_settling_a_quote_from_the_meeting(client, data, coordinator):
    coding_round, quote = closed(data), data["quotes"][5]
    client.force_login(data["b"])
    settle = url("settle", coding_round, quote.pk)
    assert client.get(settle).status_code == 200
    response = client.post(settle, {"quote": quote.pk, "subthemes": [subtheme("safe_spaces").pk]})
    assert response.status_code == 200 and "Say who agreed" in response.content.decode()
    assert not Tag.objects.exists()
    response = client.post(
        settle,
        {
            "quote": quote.pk,
            "subthemes": [subtheme("safe_spaces").pk],
            "agreed_by": [data["a"].pk, data["b"].pk],
        },
    )
    assert response.status_code == 302 and response.url == url("meeting", coding_round)
    assert list(Tag.objects.values_list("quote_id", "subtheme__code")) == [
        (quote.pk, "safe_spaces")
    ]
    # Coordinators read the meeting but do not tag.
    client.force_login(coordinator)
    assert client.get(url("meeting", coding_round)).status_code == 200
    assert client.get(settle).status_code == 403
    assert client.post(settle, {}).status_code == 403


def test_the_download_is_of_a_closed_round_and_recorded(client, data):
    client.force_login(data["a"])
    assert client.get(url("agreement", data["round"])).status_code == 302  # open: not yet
    response = client.get(url("agreement", closed(data)))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[1] == "Pilot,settings,safe_spaces,2,20,85.0,0.659,0.667"
    record = ExportRecord.objects.get()
    assert record.channel == "download" and record.made_by == data["a"]
    workbook = client.get(url("agreement", data["round"]) + "?format=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportRecord.objects.filter(format="xlsx").count() == 1


# --- pinned query counts -------------------------------------------------------------------


def queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_of_rounds_is_pinned_and_independent_of_rows(client):
    a, b = AnalystFactory(), AnalystFactory()
    quotes = readable_quotes(2)
    schedule_of_evaluation()

    def start(name):
        services.round_start(
            evaluation=schedule_of_evaluation(), name=name, coders=[a, b],
            quote_ids=[q.pk for q in quotes], user=a,
        )  # fmt: skip

    start("one")
    client.force_login(a)
    changelist = reverse("admin:themes_codinground_changelist")
    one = queries(client, changelist)
    for n in range(10):
        start(f"more {n}")
    # log-in session, user, their roles and permissions (3); the filter's evaluations (1);
    # count, the page of rounds with their evaluation and both counts by subquery (2).
    assert queries(client, changelist) == one == PINNED["changelist"]


PINNED = {"changelist": 6, "meeting": 10, "round": 7, "code": 11}


def test_the_meeting_page_is_pinned_and_independent_of_rows(client):
    small = hand_case_round("Small")
    big = hand_case_round("Big", "LSI-R02")
    for quote in big["quotes"][8:]:  # twelve more disagreements, under another sub-theme
        services.round_code(
            coding_round=big["round"], coder=big["a"], quote=quote,
            subthemes=[subtheme("diverse_groups")],
        )  # fmt: skip
    for data in (small, big):
        services.round_close(coding_round=data["round"], user=data["a"])
    client.force_login(small["a"])
    schedule_of_evaluation()
    one = queries(client, url("meeting", small["round"]))
    # log-in session, user, roles and permissions (3); the round with its evaluation and
    # counts (1); the sub-themes with their themes, the coders, the codings, the round's
    # tags, the quotes shown with their coded answer, their project tags (6). The schedule's
    # labels are in memory.
    assert queries(client, url("meeting", big["round"])) == one == PINNED["meeting"]


def test_the_round_page_is_pinned(client):
    small = hand_case_round("Small")
    big = hand_case_round("Big", "LSI-R02")
    big["round"].coders.add(small["a"])
    schedule_of_evaluation()
    client.force_login(small["a"])
    # log-in (3); the round with its evaluation and counts (1); progress: codings counted by
    # coder, the coders (2); is the user a coder (1).
    assert queries(client, url("change", small["round"])) == PINNED["round"]
    assert queries(client, url("change", big["round"])) == PINNED["round"]


def test_the_coding_page_is_pinned(client):
    a, b = AnalystFactory(), AnalystFactory()
    evaluation = schedule_of_evaluation()
    rounds = [
        services.round_start(
            evaluation=evaluation,
            name=f"R{n}",
            coders=[a, b],
            quote_ids=[q.pk for q in readable_quotes(n, code=f"LSI-Q{n:02d}")],
            user=a,
        )
        for n in (2, 30)
    ]
    for coding_round in rounds:
        quote = coding_round.quotes.order_by("pk").first()
        services.round_code(coding_round=coding_round, coder=a, quote=quote, subthemes=[])
    client.force_login(a)
    # log-in (3); the round with its evaluation and counts (1); is the user a coder (1); the
    # next quote not coded by the coder, with its coded answer (1); the coder's own ticks on
    # it (1); the sub-themes with their themes (1); the coder's codings counted, the round's
    # quotes counted (2); the participant's other words, as the tagging page shows them (1).
    # The question's labels are in memory.
    assert [queries(client, url("code", r)) for r in rounds] == [PINNED["code"]] * 2


def test_no_such_round_or_a_quote_not_of_the_round_is_not_found(client, data):
    (other,) = readable_quotes(1, code="LSI-R09")
    coding_round = closed(data)
    client.force_login(data["a"])
    assert client.get(url("settle", coding_round, other.pk)).status_code == 404
    for name in ("change", "meeting", "agreement", "close"):
        missing = reverse(f"admin:themes_codinground_{name}", args=[999999])
        assert client.get(missing).status_code == 404, name
