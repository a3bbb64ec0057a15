"""The quotes list as words (themes/admin/quotes.py): labels of the question, answer, site and
sub-themes, never their codes; tags as chips under their theme's name; search by the words of
the quotes; the bulk tagging actions; a second evaluation's labels."""

import re

import pytest
from django.urls import reverse

from interviews.schedules import schedule_of
from tests.analysis_data import build, subtheme
from tests.factories import InterviewerFactory, TagFactory
from tests.test_export_evaluations import crisis_interview, crisis_subtheme
from themes.export_filters import default_evaluation
from themes.models import Tag

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:interviews_quote_changelist"


@pytest.fixture
def data(analyst):
    return build(analyst)


def result_table(client, **query) -> str:
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<table id="result_list">')
    return html[start : html.index("</table>", start)]


def cells(table: str, field: str) -> list[str]:
    """The text of each row's cell of one column, tags stripped and spaces folded."""
    found = re.findall(rf'<t[dh] class="field-{field}[^"]*">(.*?)</t[dh]>', table, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def test_every_column_is_in_words(client, analyst, data):
    client.force_login(analyst)
    table = result_table(client)
    schedule = schedule_of(default_evaluation())
    companionship = schedule.question("companionship")
    assert cells(table, "question_label") == [
        companionship.label,
        companionship.label,
        schedule.question("what_helped").label,
    ]
    assert cells(table, "answer_label") == [
        companionship.option("often").label,
        companionship.option("often").label,
        "None (open question)",
    ]
    assert cells(table, "participant") == ["LSI-001 Pall Mall CMHT"] * 3
    assert cells(table, "tag_list") == [
        f"Settings: {subtheme('safe_spaces').label} {subtheme('living_with_others').label}",
        f"People: {subtheme('other_networks').label}",
        f"Settings: {subtheme('safe_spaces').label}",
    ]
    for code in ("safe_spaces", "living_with_others", "other_networks", "pall_mall"):
        assert not re.search(rf"\b{code}\b", re.sub(r'href="[^"]*"', "", table)), code


def test_the_words_come_first_and_a_quote_untagged_says_so(client, analyst, data):
    Tag.objects.filter(quote=data["quotes"][2]).delete()
    client.force_login(analyst)
    table = result_table(client)
    heads = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', table)
    assert heads[:2] == ["words", "question_label"]
    assert cells(table, "tag_list")[2] == "Untagged"


def test_chips_are_grouped_by_theme_in_codebook_order(client, analyst, data):
    q1 = data["quotes"][0]
    TagFactory(quote=q1, subtheme=subtheme("trusted_professional"), tagged_by=analyst)
    TagFactory(quote=q1, subtheme=subtheme("diverse_groups"), tagged_by=analyst)
    client.force_login(analyst)
    first = cells(result_table(client), "tag_list")[0]
    assert first == (
        f"Settings: {subtheme('safe_spaces').label} {subtheme('living_with_others').label} "
        f"Activities: {subtheme('diverse_groups').label} "
        f"People: {subtheme('trusted_professional').label}"
    )


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lunch", [2]),
        ("LUNCH club", [2]),  # any case, every word
        ("Sundays nobody", [0]),  # words in any order
        ("come round", [1]),
        ("lunch Sundays", []),  # both words in one quote
        ("WITHDRAWN", []),  # never the words of a withdrawn participant
        ("SECRET", []),  # nor of one who did not agree to be quoted
    ],
)
def test_search_finds_words_in_quotes(client, analyst, data, words, expected):
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST), {"q": words})
    assert list(response.context["cl"].result_list) == [data["quotes"][i] for i in expected]


def test_bulk_tagging_still_works_from_the_list(client, analyst, data):
    _, q2, q3, *_ = data["quotes"]
    client.force_login(analyst)
    post = {"action": "add_tags", "_selected_action": [q2.pk, q3.pk], "apply": "yes",
            "subthemes": [subtheme("trusted_professional").pk]}  # fmt: skip
    assert client.post(reverse(CHANGELIST), post).status_code == 302
    assert Tag.objects.filter(subtheme__code="trusted_professional").count() == 2
    # In codebook order.
    table = result_table(client)
    assert (
        f"People: {subtheme('trusted_professional').label} {subtheme('other_networks').label}"
        in (cells(table, "tag_list"))
    )


def test_a_second_evaluations_quotes_are_in_its_own_words(client, analyst, crisis_care):
    pair = (InterviewerFactory(), InterviewerFactory())
    _, (q1, q2) = crisis_interview(
        crisis_care,
        "CC-001",
        pair=pair,
        answers={"seen_quickly": "agree"},
        quotes=[("helped_most", "A nurse who stayed."), ("seen_quickly", "Within the hour.")],
    )
    speed = crisis_subtheme(crisis_care, "speed")
    TagFactory(quote=q2, subtheme=speed, tagged_by=analyst)
    client.force_login(analyst)
    table = result_table(client, evaluation=crisis_care.code)
    schedule = schedule_of(crisis_care)
    seen = schedule.question("seen_quickly")
    assert set(cells(table, "question_label")) == {
        schedule.question("helped_most").label,
        seen.label,
    }
    assert seen.option("agree").label in cells(table, "answer_label")
    assert f"{speed.theme.label}: {speed.label}" in cells(table, "tag_list")
    assert q1.text in table
