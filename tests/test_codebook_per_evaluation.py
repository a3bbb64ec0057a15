"""A quote is tagged only from its own evaluation's codebook, by any way of tagging; sub-themes
merge only within one codebook; a code is unique within each codebook."""

import pytest
from django.core.exceptions import ValidationError

from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.factories import QuoteFactory
from tests.workbook_examples import EXAMPLE
from themes import services
from themes.models import SubTheme, Tag, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis_care():
    return evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation


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
