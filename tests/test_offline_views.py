"""The service worker's script, the offline page and log-out clearing what the browser keeps."""

import pytest
from django.contrib.staticfiles import finders

from interviews.views.offline import OFFLINE_STATIC
from tests.entry_pages import page_url

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_at_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'importScripts("/static/js/service_worker.js")' in body
    assert '"offline": "/offline/"' in body


def test_every_file_the_service_worker_keeps_exists():
    for path in (*OFFLINE_STATIC, "js/service_worker.js"):
        assert finders.find(path), path


def test_the_offline_page_holds_nobodys_data(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.get("/offline/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "No connection just now" in text
    assert "What needs the connection" in text
    assert interviewer.username not in text
    assert draft.participant_code not in text
    assert "data-user" not in text  # the page says nothing to the service worker
    assert "csrfmiddlewaretoken" not in text


def test_log_out_tells_the_browser_to_clear_what_it_keeps(client, interviewer):
    client.force_login(interviewer)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_log_out_refuses_a_get_and_clears_nothing(client, interviewer):
    client.force_login(interviewer)
    response = client.get("/logout/")
    assert response.status_code == 405
    assert "Clear-Site-Data" not in response


def test_pages_say_who_is_logged_in_for_the_service_worker(client, draft, interviewer):
    client.force_login(interviewer)
    page = client.get(page_url("section", draft, "feel")).content.decode()
    assert f'data-user="{interviewer.pk}"' in page
    assert 'id="conflict-template"' in page
    assert f'data-href="{page_url("section", draft, "helps")}"' in page
    assert client.get("/login/").status_code == 302  # logged in: sent on
    client.logout()
    assert 'data-user=""' in client.get("/login/").content.decode()


def test_my_interviews_lists_the_drafts_this_device_may_keep(client, draft, submitted, interviewer):
    client.force_login(interviewer)
    page = client.get("/interviews/").content.decode()
    assert f'data-drafts="{draft.pk} "' in page
