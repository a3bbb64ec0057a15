"""A quote's own History button (issue 14): it lists the quote's audit history (simple-history's,
which every path writes; the admin's own log holds only what its forms save), to read only."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from interviews.models import InterviewSession, Quote
from tests.factories import ConsentRecordFactory, InterviewSessionFactory, QuoteFactory
from ufm.history import history_user

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    content = response.content.decode()
    content = content[content.index('id="content"') :]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", content)))


def quote_in(status: str, interviewer) -> Quote:
    session = InterviewSessionFactory(status=status, interviewer_1=interviewer)
    ConsentRecordFactory(session=session)
    with history_user(interviewer):
        quote = QuoteFactory(session=session, text="Words one")
        quote.text = "Words two"
        quote.save()
    return quote


def history_url(quote: Quote) -> str:
    return reverse("admin:interviews_quote_history", args=[quote.pk])


@pytest.mark.parametrize("reader", ["analyst", "coordinator"])
def test_a_quotes_history_lists_its_changes(client, request, reader, interviewer):
    interviewer.first_name = "Sam P"
    interviewer.save()
    quote = quote_in(InterviewSession.Status.VERIFIED, interviewer)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(history_url(quote))
    assert response.status_code == 200
    text = text_of(response)
    assert "doesn’t have a change history" not in text
    assert "Text: Words one → Words two" in text
    assert "Sam P" in text
    assert "by a command on the server" in text  # where: no web request here


def test_the_quote_page_links_to_it(client, analyst, interviewer):
    quote = quote_in(InterviewSession.Status.VERIFIED, interviewer)
    client.force_login(analyst)
    change = client.get(reverse("admin:interviews_quote_change", args=[quote.pk]))
    assert history_url(quote) in change.content.decode()


def test_analysts_cannot_read_the_history_of_a_quote_they_may_not_read(
    client, analyst, interviewer
):
    quote = quote_in(InterviewSession.Status.DRAFT, interviewer)
    client.force_login(analyst)
    assert client.get(history_url(quote)).status_code == 404


def test_a_past_version_is_never_written_back(client, analyst, coordinator, interviewer):
    quote = quote_in(InterviewSession.Status.VERIFIED, interviewer)
    version = quote.history.earliest()
    url = reverse("admin:interviews_quote_simple_history", args=[quote.pk, version.history_id])
    for user in (analyst, coordinator):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert "Words one" in text_of(page)
        assert "Save" not in text_of(page)
        assert client.post(url, {"subthemes": []}).status_code == 403
    quote.refresh_from_db()
    assert quote.text == "Words two"
