"""The one-quote tagging page: the question as asked, the answer, the participant's other words,
the codebook with a key for each sub-theme, memos beside the quote, "save and next untagged"
within the list's filters, and the buttons that choose a quote for the report."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from interviews.models import Evaluation, Question
from interviews.schedules import schedule_of
from tests.analysis_data import build, subtheme
from tests.factories import (
    ConsentRecordFactory,
    InterviewSessionFactory,
    QuoteFactory,
    TagFactory,
)
from themes.memo_services import exemplar_choose, memo_save
from themes.models import Exemplar, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(analyst):
    return build(analyst)


def page_url(quote, filters: dict | None = None) -> str:
    url = reverse("admin:interviews_quote_change", args=[quote.pk])
    if filters:
        url += "?" + urlencode({"_changelist_filters": urlencode(filters)})
    return url


def exemplar_url(quote) -> str:
    return reverse("admin:interviews_quote_exemplar", args=[quote.pk])


def test_it_shows_the_question_as_asked_the_answer_and_their_other_words(client, analyst, data):
    q1, q2, *_ = data["quotes"]
    schedule = schedule_of(q1.session.evaluation)
    client.force_login(analyst)
    html = client.get(page_url(q2)).content.decode()
    companionship = schedule.question("companionship")
    assert f'<dd id="quote-question">{companionship.label}</dd>' in html
    assert f'<dd id="quote-answer">{companionship.label_of("often")}</dd>' in html
    assert (
        '<blockquote class="ufm-quote-text" id="quote-text">She said &quot;come round&quot; once.'
    )
    # Their other words, each with its question, in survey order; this one marked.
    context = html[html.index('id="context-heading"') :]
    assert context.index("Nobody calls") < context.index("This quote") < context.index("lunch")
    assert schedule.question("what_helped").label in html
    assert 'aria-current="true"' in html and "<strong>This quote</strong> (above)" in html
    # Never a code where people read, nor another participant's words.
    assert ">often<" not in html and "SECRET" not in html and "WITHDRAWN" not in html


def test_an_open_question_has_no_answer(client, analyst, data):
    client.force_login(analyst)
    html = client.get(page_url(data["quotes"][2])).content.decode()
    assert '<dd id="quote-answer">None (an open question)</dd>' in html


def test_each_subtheme_has_a_visible_key_and_its_description(client, analyst, data):
    client.force_login(analyst)
    html = client.get(page_url(data["quotes"][0])).content.decode()
    # Codebook order: 1–9, then letters.
    assert 'data-ufm-key="1" aria-keyshortcuts="1" checked autofocus' in html
    assert '<kbd class="ufm-key" aria-hidden="true">1</kbd> Safe spaces' in html
    assert (
        '<kbd class="ufm-key" aria-hidden="true">a</kbd> Access to a trusted professional' in html
    )
    assert '<legend class="ufm-theme-legend">People</legend>' in html
    assert "a key worker, doctor or nurse who knows the person" in html
    assert '<script type="module" src="/static/js/tagging.js"></script>' in html


def test_the_page_of_a_second_evaluation_shows_its_own_codebook(client, analyst, crisis_care):
    crisis_care.status = Evaluation.Status.COLLECTING
    crisis_care.save()
    session = InterviewSessionFactory(evaluation=crisis_care, status="verified")
    ConsentRecordFactory(session=session)
    question = schedule_of(crisis_care).quote_questions[0]
    quote = QuoteFactory(session=session, item=question.code)
    client.force_login(analyst)
    html = client.get(page_url(quote)).content.decode()
    assert question.label in html
    first = crisis_care.subthemes.order_by("theme__order", "order", "code").first()
    assert f"</kbd> {first.label}" in html
    assert "Safe spaces" not in html


def test_memos_are_shown_beside_the_quotes_they_are_about(client, analyst, data):
    q1 = data["quotes"][0]
    evaluation = q1.session.evaluation
    companionship = Question.objects.get(evaluation=evaluation, code="companionship")
    often = companionship.choice_list.options.get(code="often")
    hardly = companionship.choice_list.options.get(code="hardly_ever")
    for target, text in [
        ({"subtheme": subtheme("safe_spaces")}, "MEMO on safe spaces."),
        ({"theme": subtheme("safe_spaces").theme}, "MEMO on settings."),
        ({"question": companionship, "option": often}, "MEMO on often."),
        ({"question": companionship, "option": hardly}, "NOT SHOWN: hardly ever."),
        ({"subtheme": subtheme("diverse_groups")}, "NOT SHOWN: untagged sub-theme."),
    ]:
        memo_save(evaluation=evaluation, text=text, user=analyst, target=target)
    client.force_login(analyst)
    html = client.get(page_url(q1)).content.decode()
    for shown in ("MEMO on safe spaces.", "MEMO on settings.", "MEMO on often."):
        assert shown in html
    assert "NOT SHOWN" not in html
    # A memo yet to write: the tagged sub-theme living_with_others has none.
    assert "Write a memo on sub-theme “Living with others" in html
    assert "Edit this memo" in html


def tagging_page_queries(client, quote, django_assert_num_queries) -> None:
    from django.contrib.contenttypes.models import ContentType

    from interviews.schedules import schedule_forget

    # As a server that has just started: nothing read and kept yet.
    schedule_forget()
    ContentType.objects.clear_cache()
    # log-in session, user, their roles and permissions (3); the quote with its interview,
    # question and coded answer (by subquery) (1); the interview's evaluation
    # (1) and its schedule, then kept (3); the form's current tags (1); the participant's words
    # in the interview (1); the quote's report choices (1); the sub-themes and their themes
    # (1); the memos about the quote, their targets and writers joined (1); the content type
    # for the history link, then kept (1).
    with django_assert_num_queries(14):
        assert client.get(page_url(quote)).status_code == 200


def test_the_page_reads_the_same_queries_however_many_words_the_participant_has(
    client, analyst, data, django_assert_num_queries
):
    q1 = data["quotes"][0]
    client.force_login(analyst)
    tagging_page_queries(client, q1, django_assert_num_queries)
    for i in range(12):
        quote = QuoteFactory(session=q1.session, item="isolation", position=10 + i)
        TagFactory(quote=quote, subtheme=subtheme("diverse_groups"), tagged_by=analyst)
        exemplar_choose(quote=quote, user=analyst)
    for code in ("safe_spaces", "living_with_others"):
        memo_save(evaluation=q1.session.evaluation, text="Memo.", user=analyst,
                  target={"subtheme": subtheme(code)})  # fmt: skip
    exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst)
    tagging_page_queries(client, q1, django_assert_num_queries)


# --- save and next untagged ------------------------------------------------------------------


def test_save_and_next_untagged_stays_within_the_lists_filters(client, analyst, data):
    q1, q2, q3, *_ = data["quotes"]
    Tag.objects.filter(quote__in=[q2, q3]).delete()
    client.force_login(analyst)
    # The list was filtered to one question: q3 (what_helped) is untagged but not in it.
    filters = {"item": "companionship", "evaluation": "loneliness-2018"}
    response = client.post(page_url(q1, filters), {"subthemes": [subtheme("safe_spaces").pk],
                                                   "_savenextuntagged": "1"})  # fmt: skip
    assert response.status_code == 302
    assert response.url == page_url(q2, filters)
    # From q2, nothing untagged is left in the filter: back to the list, filters kept.
    response = client.post(page_url(q2, filters), {"subthemes": [subtheme("safe_spaces").pk],
                                                   "_savenextuntagged": "1"})  # fmt: skip
    assert response.url == reverse("admin:interviews_quote_changelist") + "?" + urlencode(filters)
    # Without a filter, q3 is next.
    Tag.objects.filter(quote=q2).delete()
    response = client.post(page_url(q2), {"subthemes": [subtheme("safe_spaces").pk],
                                          "_savenextuntagged": "1"})  # fmt: skip
    assert response.url == page_url(q3)


def test_a_made_up_filter_never_fails(client, analyst, data):
    q1, q2, *_ = data["quotes"]
    Tag.objects.filter(quote=q2).delete()
    client.force_login(analyst)
    response = client.post(page_url(q1, {"nonsense__field": "1"}),
                           {"subthemes": [], "_savenextuntagged": "1"})  # fmt: skip
    assert response.status_code == 302


# --- choosing for the report -----------------------------------------------------------------


def test_buttons_choose_and_unchoose_a_quote_for_the_report(client, analyst, data):
    q1 = data["quotes"][0]
    client.force_login(analyst)
    safe = f"subtheme-{subtheme('safe_spaces').pk}"
    filters = {"item": "companionship"}
    html = client.get(page_url(q1, filters)).content.decode()
    assert f'name="choose" value="{safe}"' in html and 'name="choose" value="answer"' in html
    # No button for a sub-theme the quote is not tagged with.
    assert f'value="subtheme-{subtheme("diverse_groups").pk}"' not in html
    back = page_url(q1, filters)
    url = exemplar_url(q1) + back[back.index("?") :]
    response = client.post(url, {"choose": safe})
    assert response.status_code == 302 and response.url == back
    assert client.post(url, {"choose": "answer"}).status_code == 302
    assert Exemplar.objects.count() == 2
    html = client.get(back).content.decode()
    assert f'name="unchoose" value="{safe}"' in html and "Chosen for the report – undo" in html
    client.post(url, {"unchoose": safe})
    assert list(Exemplar.objects.values_list("tag", flat=True)) == [None]


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "Choose what to use this quote in the report for."),
        ({"choose": "subtheme-x"}, "Choose what to use this quote in the report for."),
        ({"choose": "DIVERSE"}, "Tag this quote with “A diverse choice of groups” first"),
    ],
)
def test_a_refused_choice_says_why_and_changes_nothing(client, analyst, data, post, message):
    q1 = data["quotes"][0]
    if post.get("choose") == "DIVERSE":
        post = {"choose": f"subtheme-{subtheme('diverse_groups').pk}"}
    client.force_login(analyst)
    response = client.post(exemplar_url(q1), post, follow=True)
    assert message in response.content.decode()
    assert not Exemplar.objects.exists()


def test_a_subtheme_of_another_codebook_is_refused(client, analyst, data, crisis_care):
    q1 = data["quotes"][0]
    client.force_login(analyst)
    other = crisis_care.subthemes.first()
    response = client.post(exemplar_url(q1), {"choose": f"subtheme-{other.pk}"}, follow=True)
    assert "Choose what to use this quote in the report for." in response.content.decode()
    assert not Exemplar.objects.exists()


def test_who_may_choose(client, analyst, coordinator, interviewer, data):
    q1, _, _, unverified, withdrawn = data["quotes"]
    post = {"choose": "answer"}
    # Anonymous: log in; interviewers: the admin's log-in; GET: not taken.
    assert client.post(exemplar_url(q1), post).url.startswith(reverse("login"))
    client.force_login(interviewer)
    assert client.post(exemplar_url(q1), post).url.startswith(reverse("admin:login"))
    client.force_login(coordinator)
    assert client.post(exemplar_url(q1), post).status_code == 403
    page = client.get(page_url(q1)).content.decode()
    assert 'name="choose"' not in page and 'type="checkbox"' not in page
    client.force_login(analyst)
    assert client.get(exemplar_url(q1)).status_code == 405
    for hidden in (unverified, withdrawn):
        assert client.post(exemplar_url(hidden), post).status_code == 404
    assert client.post(exemplar_url(q1).replace(str(q1.pk), "999999"), post).status_code == 404
    assert not Exemplar.objects.exists()


def test_save_and_next_untagged_follows_the_lists_search(client, analyst, data):
    q1, q2, q3, *_ = data["quotes"]
    Tag.objects.filter(quote__in=[q2, q3]).delete()
    client.force_login(analyst)
    filters = {"q": "lunch"}  # finds q3 only
    response = client.post(page_url(q1, filters), {"subthemes": [subtheme("safe_spaces").pk],
                                                   "_savenextuntagged": "1"})  # fmt: skip
    assert response.url == page_url(q3, filters)


def test_the_next_untagged_quote_is_of_the_same_evaluation(client, analyst, data, crisis_care):
    q1 = data["quotes"][0]
    # Every loneliness-2018 quote is tagged; an untagged crisis-care quote sorts first.
    session = InterviewSessionFactory(evaluation=crisis_care, status="verified",
                                      participant_code="AAA-001")  # fmt: skip
    ConsentRecordFactory(session=session)
    QuoteFactory(session=session, item=schedule_of(crisis_care).quote_questions[0].code)
    client.force_login(analyst)
    response = client.post(page_url(q1), {"subthemes": [subtheme("safe_spaces").pk],
                                          "_savenextuntagged": "1"})  # fmt: skip
    assert response.url == reverse("admin:interviews_quote_changelist")
