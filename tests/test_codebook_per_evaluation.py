"""A quote is tagged only from its own evaluation's codebook, by any way of tagging; sub-themes
merge only within one codebook; a code is unique within each codebook."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import QuoteFactory
from themes import services
from themes.models import SubTheme, Tag, Theme

pytestmark = pytest.mark.django_db


def test_a_quote_is_never_tagged_from_another_codebook(crisis_care, analyst):
    quote = QuoteFactory()  # loneliness-2018
    other = SubTheme.objects.of(crisis_care).get(code="speed")
    with pytest.raises(ValidationError, match="another evaluation's codebook"):
        services.tags_add(quotes=[quote], subthemes=[other], user=analyst)
    with pytest.raises(ValidationError, match="another evaluation's codebook"):
        services.tags_replace(wanted={quote.pk: {other.pk}}, user=analyst)
    assert not Tag.objects.exists()
    own = SubTheme.objects.get(evaluation=quote.session.evaluation, code="safe_spaces")
    assert services.tags_add(quotes=[quote], subthemes=[own], user=analyst) == 1
    crisis_quote = QuoteFactory(session__evaluation=crisis_care, item="helped_most")
    assert services.tags_replace(
        wanted={quote.pk: {own.pk}, crisis_quote.pk: {other.pk}}, user=analyst
    ) == (1, 0)


def test_sub_themes_merge_only_within_one_codebook(crisis_care):
    own = SubTheme.objects.get(evaluation__code="loneliness-2018", code="safe_spaces")
    other = SubTheme.objects.of(crisis_care).get(code="speed")
    with pytest.raises(ValidationError, match="same codebook"):
        services.subtheme_merge(source=own, target=other)
    own.refresh_from_db()
    assert own.merged_into is None and own.is_active


def test_a_code_is_new_within_its_codebook_only(client, coordinator, crisis_care):
    client.force_login(coordinator)
    people = Theme.objects.get(evaluation=crisis_care, code="people")
    data = {"theme": people.pk, "code": "speed", "label": "Again", "order": 9, "is_active": "on"}
    response = client.post("/admin/themes/subtheme/add/", data)
    assert response.status_code == 200
    assert "The codebook already has a sub-theme with the code speed." in response.text
    # A code of the loneliness codebook is free in this one.
    data["code"] = "safe_spaces"
    response = client.post("/admin/themes/subtheme/add/", data)
    assert response.status_code == 302
    created = SubTheme.objects.get(evaluation=crisis_care, code="safe_spaces")
    assert created.theme == people


def _verified_quote(evaluation, item, **kwargs):
    from interviews.models import InterviewSession
    from tests.factories import ConsentRecordFactory, InterviewSessionFactory

    session = InterviewSessionFactory(
        evaluation=evaluation, status=InterviewSession.Status.VERIFIED, **kwargs
    )
    ConsentRecordFactory(session=session)
    return QuoteFactory(session=session, item=item)


def test_the_quotes_list_shows_one_evaluation_and_its_codebook(client, analyst, crisis_care):
    from interviews.models import Evaluation

    Evaluation.objects.filter(pk=crisis_care.pk).update(status=Evaluation.Status.COLLECTING)
    loneliness_quote = _verified_quote(Evaluation.objects.get(code="loneliness-2018"), "help")
    crisis_quote = _verified_quote(crisis_care, "helped_most", participant_code="CC-001")
    client.force_login(analyst)
    # Two collecting: the default is the first by code (crisis-care-2026).
    page = client.get("/admin/interviews/quote/")
    assert list(page.context["cl"].result_list) == [crisis_quote]
    page = client.get("/admin/interviews/quote/?evaluation=loneliness-2018")
    assert list(page.context["cl"].result_list) == [loneliness_quote]
    assert "What helped most?" not in page.text  # the question filter is loneliness's
    # Adding tags offers that evaluation's codebook only.
    page = client.post(
        "/admin/interviews/quote/?evaluation=crisis-care-2026",
        {"action": "add_tags", "_selected_action": [crisis_quote.pk]},
    )
    offered = {s.code for s in page.context["form"].fields["subthemes"].queryset}
    assert offered == {"speed", "right_place", "being_heard", "continuity"}
    # A quote's own page, too.
    page = client.get(f"/admin/interviews/quote/{crisis_quote.pk}/change/")
    assert {s.code for s in page.context["adminform"].form.fields["subthemes"].queryset} == offered


def test_the_tags_file_names_its_own_evaluations_sub_themes(crisis_care, analyst):
    from interviews.models import Evaluation
    from themes.tag_import import tags_import
    from ufm.import_rows import ImportFailed

    quote = _verified_quote(crisis_care, "helped_most", participant_code="CC-001")
    text = f"quote_id,tags\n{quote.pk},safe_spaces\n"
    with pytest.raises(ImportFailed) as failed:
        tags_import(text=text, user=analyst, evaluation=crisis_care)
    assert "safe_spaces" in str(failed.value.problems[0])
    result = tags_import(
        text=f"quote_id,tags\n{quote.pk},speed\n", user=analyst, evaluation=crisis_care
    )
    assert result.added == 1
    # Named in the loneliness evaluation's file, the quote is unknown.
    with pytest.raises(ImportFailed):
        tags_import(
            text=text, user=analyst, evaluation=Evaluation.objects.get(code="loneliness-2018")
        )


def test_the_tags_page_says_whose_quotes_and_offers_the_others(client, analyst, crisis_care):
    from interviews.models import Evaluation

    Evaluation.objects.filter(pk=crisis_care.pk).update(status=Evaluation.Status.COLLECTING)
    client.force_login(analyst)
    page = client.get(reverse("admin:themes_import_tags")).content.decode()
    assert "The quotes of <strong>Crisis care" in page
    assert "?evaluation=loneliness-2018" in page
    page = client.get(reverse("admin:themes_import_tags") + "?evaluation=loneliness-2018")
    assert "The quotes of <strong>Loneliness" in page.content.decode()
