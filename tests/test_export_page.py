"""The Exports page: who may include interviews not yet verified (coordinators only; analysts
see verified interviews only), and what each button sends."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.analysis_data import build
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
