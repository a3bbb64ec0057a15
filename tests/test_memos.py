"""Memos on sub-themes, themes and item × answer groups: the service and its refusals, the
database's constraints, history, the selectors, the memo pages, and withdrawals (which keep
memos but flag those repeating the withdrawn participant's words)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from interviews.models import Evaluation, Question
from interviews.schedules import schedule_of
from interviews.services.withdrawal import participant_withdraw, withdrawal_preview
from tests.analysis_data import subtheme
from tests.factories import QuoteFactory, complete_session
from themes.memo_services import holds_words_of, memo_save
from themes.memos import memo_for, memos_of, target_code, target_of
from themes.models import Memo

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:themes_memo_changelist")
ADD = reverse("admin:themes_memo_add")


@pytest.fixture
def loneliness():
    return Evaluation.objects.get(code="loneliness-2018")


def answer_group(evaluation, question_code="companionship", answer="often"):
    question = Question.objects.get(evaluation=evaluation, code=question_code)
    option = question.choice_list.options.get(code=answer) if answer else None
    return {"question": question, "option": option}


def write(evaluation, user, text="Three kinds of answer.", **target):
    return memo_save(evaluation=evaluation, text=text, user=user, target=target)


# --- the service -----------------------------------------------------------------------------


def test_a_memo_is_written_then_edited_with_history(loneliness, analyst, coordinator):
    memo = write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    assert (memo.text, memo.written_by) == ("Three kinds of answer.", analyst)
    edited = memo_save(
        evaluation=loneliness,
        text="  Three kinds; a fourth?  ",
        user=coordinator,
        target={"subtheme": subtheme("safe_spaces")},
        seen_at=memo.written_at,
    )
    assert edited.pk == memo.pk and edited.text == "Three kinds; a fourth?"
    versions = list(memo.history.order_by("history_id"))
    assert [(v.text, v.history_user) for v in versions] == [
        ("Three kinds of answer.", analyst),
        ("Three kinds; a fourth?", coordinator),
    ]
    assert Memo.objects.count() == 1


def test_a_change_made_in_between_is_never_overwritten_unseen(loneliness, analyst, coordinator):
    memo = write(loneliness, analyst, theme=subtheme("safe_spaces").theme)
    seen = memo.written_at
    memo_save(evaluation=loneliness, text="Mine.", user=coordinator,
              target={"theme": memo.theme}, seen_at=seen)  # fmt: skip
    with pytest.raises(ValidationError, match=r"changed this memo at .* after you opened it"):
        memo_save(evaluation=loneliness, text="Theirs.", user=analyst,
                  target={"theme": memo.theme}, seen_at=seen)  # fmt: skip
    memo.refresh_from_db()
    assert memo.text == "Mine."


@pytest.mark.parametrize(
    ("target", "text", "message"),
    [
        ({}, "Words", "Choose what the memo is about"),
        ({"theme": "T", "subtheme": "S"}, "Words", "Choose what the memo is about"),
        ({"subtheme": "S"}, "   ", "Write the memo first: it cannot be empty."),
        ({"subtheme": "S"}, "Words", "There is a memo on sub-theme “Safe spaces” already"),
    ],
)
def test_the_service_refuses_with_a_message(loneliness, analyst, target, text, message):
    write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    objects = {"T": subtheme("safe_spaces").theme, "S": subtheme("safe_spaces")}
    target = {name: objects[value] for name, value in target.items()}
    with pytest.raises(ValidationError) as refused:
        memo_save(evaluation=loneliness, text=text, user=analyst, target=target)
    assert message in " ".join(refused.value.messages)
    assert Memo.objects.count() == 1


def test_a_target_of_another_evaluation_or_answer_list_is_refused(loneliness, analyst, crisis_care):
    crisis_subtheme = crisis_care.subthemes.first()
    with pytest.raises(ValidationError, match="part of another evaluation"):
        write(loneliness, analyst, subtheme=crisis_subtheme)
    group = answer_group(loneliness)
    stranger = answer_group(loneliness, "gender", "woman")["option"]
    with pytest.raises(ValidationError, match="is not an answer to"):
        write(loneliness, analyst, question=group["question"], option=stranger)
    assert not Memo.objects.exists()


def test_each_evaluation_has_its_own_memos(loneliness, analyst, crisis_care):
    crisis_subtheme = crisis_care.subthemes.first()
    write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    write(crisis_care, analyst, text="Crisis words.", subtheme=crisis_subtheme)
    assert memo_for(crisis_care, subtheme=crisis_subtheme).text == "Crisis words."
    assert memo_for(crisis_care, subtheme=subtheme("safe_spaces")) is None
    assert list(memos_of(crisis_care)) == [("subtheme", (crisis_subtheme.pk,))]


# --- the database ----------------------------------------------------------------------------


def test_the_database_wants_exactly_one_kind_of_target(loneliness, analyst):
    safe = subtheme("safe_spaces")
    group = answer_group(loneliness)
    for target in (
        {},
        {"subtheme": safe, "theme": safe.theme},
        {"subtheme": safe, **group},
        {"option": group["option"]},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Memo.objects.create(evaluation=loneliness, text="x", written_by=analyst, **target)
    Memo.objects.create(evaluation=loneliness, text="x", written_by=analyst, **group)
    Memo.objects.create(
        evaluation=loneliness, text="x", written_by=analyst, question=group["question"]
    )


def test_the_database_keeps_one_memo_per_target(loneliness, analyst):
    group = answer_group(loneliness)
    for target in ({"subtheme": subtheme("safe_spaces")}, group, {"question": group["question"]}):
        Memo.objects.create(evaluation=loneliness, text="x", written_by=analyst, **target)
        with pytest.raises(IntegrityError), transaction.atomic():
            Memo.objects.create(evaluation=loneliness, text="y", written_by=analyst, **target)


# --- selectors -------------------------------------------------------------------------------


def test_memo_for_and_memos_of_read_one_query(loneliness, analyst, django_assert_num_queries):
    safe = subtheme("safe_spaces")
    group = answer_group(loneliness)
    write(loneliness, analyst, subtheme=safe)
    write(loneliness, analyst, theme=safe.theme)
    write(loneliness, analyst, **group)
    write(loneliness, analyst, question=group["question"])
    with django_assert_num_queries(1):  # the memos, their targets and writers joined
        found = memos_of(loneliness)
        labels = [memo.target_label for memo in found.values()]
    assert set(found) == {
        ("subtheme", (safe.pk,)),
        ("theme", (safe.theme_id,)),
        ("answer", (group["question"].pk, group["option"].pk)),
        ("answer", (group["question"].pk, None)),
    }
    assert "sub-theme “Safe spaces”" in labels
    with django_assert_num_queries(1):
        assert memo_for(loneliness, **group).option == group["option"]
    with django_assert_num_queries(1):
        assert memo_for(loneliness, question=group["question"]).option is None


def test_target_codes_name_only_targets_of_the_evaluation(loneliness, crisis_care):
    safe = subtheme("safe_spaces")
    assert target_of(loneliness, target_code(("subtheme", (safe.pk,)))) == {"subtheme": safe}
    assert target_of(crisis_care, target_code(("subtheme", (safe.pk,)))) is None
    group = answer_group(loneliness)
    code = target_code(("answer", (group["question"].pk, group["option"].pk)))
    assert target_of(loneliness, code) == group
    for nonsense in ("", "subtheme", "subtheme-x", "answer-1-2-3", "theme-99999", "other-1"):
        assert target_of(loneliness, nonsense) is None


# --- the memo pages --------------------------------------------------------------------------


def test_an_analyst_writes_a_memo_from_the_add_page(client, analyst, loneliness):
    client.force_login(analyst)
    group = answer_group(loneliness)
    code = target_code(("answer", (group["question"].pk, group["option"].pk)))
    page = client.get(ADD, {"evaluation": "loneliness-2018", "target": code})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{code}" selected>' in html
    assert "Safe spaces" in html and "(any answer)" in html
    response = client.post(
        f"{ADD}?evaluation=loneliness-2018", {"target": code, "text": "Often: three groups."}
    )
    assert response.status_code == 302
    memo = Memo.objects.get()
    assert (memo.question, memo.option, memo.written_by) == (
        group["question"], group["option"], analyst,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"target": "", "text": "Words"}, "Choose what the memo is about from the list."),
        ({"target": "subtheme-999999", "text": "Words"}, "Choose what the memo is about"),
        ({"target": "SAFE", "text": ""}, "Write the memo first: it cannot be empty."),
    ],
)
def test_the_add_page_says_what_is_wrong_and_saves_nothing(client, analyst, post, message):
    client.force_login(analyst)
    if post["target"] == "SAFE":
        post = {**post, "target": f"subtheme-{subtheme('safe_spaces').pk}"}
    response = client.post(ADD, post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Memo.objects.exists()


def test_the_memo_page_refuses_to_overwrite_a_change_made_in_between(client, analyst, coordinator,
                                                                     loneliness):  # fmt: skip
    memo = write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    client.force_login(analyst)
    url = reverse("admin:themes_memo_change", args=[memo.pk])
    page = client.get(url)
    seen = page.context["adminform"].form["seen"].value()
    assert client.post(url, {"text": "First edit.", "seen": seen}).status_code == 302
    again = client.post(url, {"text": "Second edit, from the old page.", "seen": seen})
    assert again.status_code == 200
    assert "after you opened it" in again.content.decode()
    memo.refresh_from_db()
    assert memo.text == "First edit."


def test_coordinators_read_memos_but_do_not_write_them(client, coordinator, analyst, loneliness):
    memo = write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    client.force_login(coordinator)
    url = reverse("admin:themes_memo_change", args=[memo.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Three kinds of answer." in page.content
    assert client.post(url, {"text": "Changed"}).status_code == 403
    assert client.get(ADD).status_code == 403
    memo.refresh_from_db()
    assert memo.text == "Three kinds of answer."


def changelist_queries(client, django_assert_num_queries) -> None:
    # log-in session, user, their roles and permissions (3); the evaluations for the filter
    # (1); count, the page of memos with their targets and writers joined (2).
    with django_assert_num_queries(6):
        assert client.get(CHANGELIST).status_code == 200


def test_the_memo_list_reads_the_same_queries_for_one_or_many(
    client, analyst, loneliness, django_assert_num_queries
):
    client.force_login(analyst)
    write(loneliness, analyst, subtheme=subtheme("safe_spaces"))
    changelist_queries(client, django_assert_num_queries)
    for code in ("diverse_groups", "medication_impact", "other_networks"):
        write(loneliness, analyst, subtheme=subtheme(code))
        write(loneliness, analyst, theme=subtheme(code).theme)
    for question in schedule_of(loneliness).quote_questions:
        write(loneliness, analyst, question=Question.objects.get(pk=question.id))
    assert Memo.objects.count() > 8
    changelist_queries(client, django_assert_num_queries)
    html = client.get(CHANGELIST).content.decode()
    assert "sub-theme “A diverse choice of groups”" in html and "diverse_groups" not in html


# --- withdrawal ------------------------------------------------------------------------------


def test_words_of_a_quote_are_found_whatever_the_case_and_punctuation():
    quote = "My dog is the one I talk to most days."
    assert holds_words_of("One said: “my dog is the one I talk to” – others…", quote)
    assert holds_words_of("MY DOG IS THE ONE I", quote)
    assert not holds_words_of("Pets matter: dogs, the ones people talk to.", quote)
    assert holds_words_of("They said not at all, really", "Not at all, really.")
    assert not holds_words_of("Not really, said many.", "Not really.")  # too short to tell


@pytest.fixture
def withdrawing(analyst, loneliness):
    session = complete_session(status="verified", participant_code="LSI-070")
    QuoteFactory(session=session, text="My dog is the one I talk to most days.")
    kept = write(
        loneliness, analyst, text="One said “my dog is the one I talk to most days”.",
        subtheme=subtheme("safe_spaces"),
    )  # fmt: skip
    other = write(
        loneliness, analyst, text="Pets come up often.", theme=subtheme("safe_spaces").theme
    )
    return session, kept, other


def test_a_withdrawal_keeps_memos_and_flags_those_with_the_words(withdrawing, coordinator):
    session, kept, other = withdrawing
    assert withdrawal_preview(session).memos_with_words == 1
    participant_withdraw(session=session, withdrawal_date=timezone.localdate(),
                         how_requested="phone", recorded_by=coordinator)  # fmt: skip
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.text == "One said “my dog is the one I talk to most days”."
    assert kept.withdrawn_words_found_at is not None and other.withdrawn_words_found_at is None
    # No copy of the words is kept to say which they were: the memo's own history is as it was.
    assert kept.history.count() == 1


def test_the_withdrawal_page_and_the_memo_page_warn(client, withdrawing, coordinator, analyst):
    session, kept, _ = withdrawing
    client.force_login(coordinator)
    page = client.post(
        reverse("admin:interviews_interviewsession_withdraw"),
        {
            "participant_code": session.participant_code,
            "withdrawal_date": timezone.localdate().isoformat(),
            "how_requested": "phone",
            "preview": "1",
        },
    )
    assert "1 analysts' memo repeats words of these quotes" in page.content.decode()
    participant_withdraw(session=session, withdrawal_date=timezone.localdate(),
                         how_requested="phone", recorded_by=coordinator)  # fmt: skip
    client.force_login(analyst)
    url = reverse("admin:themes_memo_change", args=[kept.pk])
    html = client.get(url).content.decode()
    assert "when a withdrawal was recorded on" in html and 'id="memo-warning"' in html
    assert "Holds a withdrawn participant" in client.get(CHANGELIST).content.decode()
    seen = client.get(url).context["adminform"].form["seen"].value()
    done = client.post(url, {"text": "Pets matter to some.", "seen": seen, "words_checked": "on"})
    assert done.status_code == 302
    kept.refresh_from_db()
    assert kept.withdrawn_words_found_at is None and kept.text == "Pets matter to some."


def test_a_discarded_interview_flags_no_memo(withdrawing):
    from interviews.services.withdrawal import session_delete_with_words

    session, kept, _ = withdrawing
    with transaction.atomic():
        session_delete_with_words(session, reason="started by mistake")
    kept.refresh_from_db()
    assert kept.withdrawn_words_found_at is None


def test_the_add_page_offers_the_chosen_evaluations_targets(client, analyst, crisis_care):
    client.force_login(analyst)
    html = client.get(ADD, {"evaluation": crisis_care.code}).content.decode()
    first = crisis_care.subthemes.select_related("theme").first()
    assert f"{first.theme.label}: {first.label}" in html
    assert "Safe spaces" not in html
    response = client.post(
        f"{ADD}?evaluation={crisis_care.code}",
        {"target": target_code(("subtheme", (first.pk,))), "text": "Crisis memo."},
    )
    assert response.status_code == 302
    assert Memo.objects.get().evaluation == crisis_care


def test_the_withdraw_command_says_which_memos_repeat_the_words(withdrawing):
    import io

    from django.core.management import call_command

    session, kept, _ = withdrawing
    out = io.StringIO()
    call_command("withdraw", session.participant_code, "--date",
                 timezone.localdate().isoformat(), "--how", "phone", stdout=out)  # fmt: skip
    assert "memos that repeat words of these quotes: 1. Memos are kept" in out.getvalue()
    kept.refresh_from_db()
    assert kept.withdrawn_words_found_at is None  # without --yes nothing changes
