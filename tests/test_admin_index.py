"""The admin index links the pages that are not lists of one model, for those who may use them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPORTS = reverse("admin:themes_exports")
IMPORT_INTERVIEWS = reverse("admin:interviews_interviewsession_import")
IMPORT_TAGS = reverse("admin:themes_import_tags")
REVIEW = reverse("admin:interviews_interviewsession_identifiers")
UPLOAD_WORKBOOK = reverse("admin:interviews_evaluation_upload")


def links_on_index(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_analysts_find_exports_and_both_imports_on_the_index(client, analyst):
    page = links_on_index(client, analyst)
    assert f'<a href="{EXPORTS}">Exports</a>' in page
    assert f'<a href="{IMPORT_INTERVIEWS}">Import interviews</a>' in page
    assert f'<a href="{IMPORT_TAGS}">Import tags</a>' in page
    # The review of quotes and designing evaluations are the coordinators' (analysts get a 403
    # there).
    assert REVIEW not in page
    assert UPLOAD_WORKBOOK not in page


def test_coordinators_find_exports_import_interviews_and_the_privacy_review(client, coordinator):
    page = links_on_index(client, coordinator)
    assert f'<a href="{EXPORTS}">Exports</a>' in page
    assert f'<a href="{IMPORT_INTERVIEWS}">Import interviews</a>' in page
    assert f'<a href="{REVIEW}">Quotes that may identify someone</a>' in page
    assert f'<a href="{UPLOAD_WORKBOOK}">Upload a workbook</a>' in page
    # Coordinators do not tag, so the tags import (403 for them) is not offered.
    assert IMPORT_TAGS not in page


@pytest.mark.parametrize("url", [EXPORTS, IMPORT_INTERVIEWS, IMPORT_TAGS, REVIEW, UPLOAD_WORKBOOK])
def test_every_linked_page_opens_for_the_people_it_is_offered_to(client, analyst, coordinator, url):
    for user in (analyst, coordinator):
        page = links_on_index(client, user)
        if f'href="{url}"' in page:
            assert client.get(url).status_code == 200, (user, url)
        else:
            assert client.get(url).status_code == 403, (user, url)


def test_the_index_is_not_for_interviewers_or_anonymous_visitors(client, interviewer):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    client.force_login(interviewer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
