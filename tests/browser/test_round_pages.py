"""The coding rounds' pages in a real browser, at a desktop's and a tablet's width: start a
round, its page open and closed, blind coding (by keyboard alone), closing, the meeting and
settling. axe finds no WCAG 2.2 AA violation and the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from interviews.models import Evaluation
from tests.browser.conftest import check_state, log_in
from tests.factories import AnalystFactory
from tests.round_data import hand_case_round, readable_quotes
from themes.models import CodingRound, RoundTag, Tag
from themes.rounds import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 820], ids=["desktop", "tablet"])
def test_the_round_pages_are_accessible(new_context, width):
    page = new_context(viewport={"width": width, "height": 1000}).new_page()
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    data = hand_case_round()
    log_in(page, data["a"])
    name = f"round-{width}"

    page.goto("/admin/themes/codinground/add/")
    expect(page.get_by_role("heading", name="Start a coding round")).to_be_visible()
    check_state(page, f"{name}-start", seen)
    page.get_by_label("Name of the round").fill("Browser round")
    ash, bo = (f"{u.first_name} ({u.username})" for u in (data["a"], data["b"]))
    page.get_by_role("checkbox", name=ash).check()
    page.get_by_role("checkbox", name=bo).check()
    page.get_by_label("A random sample of this many quotes").check()
    page.get_by_label("Sample size").fill("4")
    page.get_by_label("Seed").fill("2026")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_text("Started the round 'Browser round'.")).to_be_visible()
    expect(page.get_by_text("seed 2026").first).to_be_visible()
    check_state(page, f"{name}-round-open", seen)

    started = CodingRound.objects.get(name="Browser round")
    page.get_by_role("link", name="Code this round’s quotes (blind)").click()
    expect(page.get_by_text("You are coding round Browser round (blind).")).to_be_visible()
    check_state(page, f"{name}-code", seen)
    page.get_by_label("Safe spaces").check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text("You have coded 1 of 4 quotes.")).to_be_visible()

    page.goto(f"/admin/themes/codinground/{started.pk}/close/")
    check_state(page, f"{name}-close", seen)
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("Agreement by sub-theme, by theme and overall")).to_be_visible()
    check_state(page, f"{name}-round-closed", seen)

    pilot = data["round"]
    page.goto(f"/admin/themes/codinground/{pilot.pk}/close/")
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("0.659").first).to_be_visible()
    check_state(page, f"{name}-round-figures", seen)
    page.get_by_role("link", name="The analysis meeting").click()
    expect(page.get_by_role("heading", name="Settings: Safe spaces (3)")).to_be_visible()
    check_state(page, f"{name}-meeting", seen)
    page.get_by_role("link", name="Settle this quote").first.click()
    check_state(page, f"{name}-settle", seen)
    page.get_by_role("checkbox", name="Safe spaces").check()
    page.get_by_role("checkbox", name=bo).check()
    page.get_by_role("button", name="Save the team’s tags").click()
    expect(page.get_by_text("Settled: 1 tag(s) added, 0 removed.")).to_be_visible()
    assert Tag.objects.count() == 1


@pytest.mark.parametrize("width", [1366, 820], ids=["desktop", "tablet"])
def test_a_coder_codes_a_round_by_keyboard_alone(new_context, width):
    page = new_context(viewport={"width": width, "height": 1000}).new_page()
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    quotes = readable_quotes(2, code="LSI-R02")
    ash, bo = AnalystFactory(first_name="Ash"), AnalystFactory(first_name="Bo")
    coding_round = services.round_start(
        evaluation=Evaluation.objects.get(code="loneliness-2018"),
        name="Keys",
        coders=[ash, bo],
        quote_ids=[q.pk for q in quotes],
        user=ash,
    )
    log_in(page, ash)
    page.goto(f"/admin/themes/codinground/{coding_round.pk}/code/")
    expect(page.get_by_text("You are coding round Keys (blind).")).to_be_visible()
    expect(page.locator("#quote-text")).to_have_text(quotes[0].text)
    expect(page.get_by_role("heading", name="Their words in this interview")).to_be_visible()
    expect(page.locator("kbd.ufm-key").first).to_have_text("1")
    check_state(page, f"round-keys-{width}", seen)

    page.keyboard.press("1")
    safe = page.get_by_role("checkbox", name="Safe spaces")
    expect(safe).to_be_checked()
    expect(page.locator("#ufm-tagging-status")).to_have_text("Ticked: Safe spaces")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have coded 1 of 2 quotes.")).to_be_visible()
    expect(page.locator("#quote-text")).to_have_text(quotes[1].text)
    check_state(page, f"round-keys-next-{width}", seen)
    page.keyboard.press("Enter")  # none of these
    expect(page.get_by_text("You have coded every quote of this round (2 of 2).")).to_be_visible()
    assert list(RoundTag.objects.values_list("quote", "subtheme__code")) == [
        (quotes[0].pk, "safe_spaces")
    ]
    assert not Tag.objects.exists()
