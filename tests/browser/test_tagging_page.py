"""Tagging by keyboard alone on the one-quote page, and the memo pages, in a real browser at
desktop (1366) and tablet (820) width: axe finds no WCAG 2.2 AA violation and the
Content-Security-Policy blocks nothing."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import Evaluation
from tests.analysis_data import build, subtheme
from tests.browser.conftest import check_accessibility, log_in
from themes.memo_services import memo_save
from themes.models import Memo, Tag

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1366, 820]


def check(page, name: str, csp_violations: list[str]) -> None:
    """Nothing blocked by the Content-Security-Policy, then axe (whose own measuring may trip
    the policy afterwards: forgotten, as in test_analyst_pages)."""
    page.wait_for_load_state("networkidle")
    assert csp_violations == [], name
    check_accessibility(page, name)
    csp_violations.clear()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_analyst_tags_by_keyboard_alone_and_moves_to_the_next_untagged(
    page, analyst, csp_violations, width
):
    data = build(analyst)
    q1, q2, q3, *_ = data["quotes"]
    Tag.objects.filter(quote__in=[q1, q2, q3]).delete()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, analyst)
    page.goto("/admin/interviews/quote/?tagged=no")
    page.get_by_role("link", name=q1.text).click()
    expect(page.get_by_role("heading", name="The quote")).to_be_visible()
    expect(page.locator("#quote-text")).to_have_text(q1.text)
    # Every sub-theme shows its key.
    expect(page.locator("kbd.ufm-key").first).to_have_text("1")
    check(page, f"tagging-{width}", csp_violations)

    page.keyboard.press("1")
    page.keyboard.press("4")
    safe = page.get_by_role("checkbox", name="Safe spaces")
    diverse = page.get_by_role("checkbox", name="A diverse choice of groups")
    expect(safe).to_be_checked()
    expect(diverse).to_be_checked()
    expect(page.locator("#ufm-tagging-status")).to_have_text("Ticked: A diverse choice of groups")
    page.keyboard.press("4")
    expect(diverse).not_to_be_checked()
    page.keyboard.press("4")
    page.keyboard.press("Enter")

    page.wait_for_url(
        re.compile(rf"/admin/interviews/quote/{q2.pk}/change/\?_changelist_filters=tagged%3Dno$")
    )
    expect(page.get_by_text("Saved. This is the next untagged quote.")).to_be_visible()
    expect(page.locator("#quote-text")).to_have_text(q2.text)
    assert set(q1.tags.values_list("subtheme__code", flat=True)) == {
        "safe_spaces",
        "diverse_groups",
    }
    assert set(q1.tags.values_list("tagged_by", flat=True)) == {analyst.pk}
    assert not q2.tags.exists()
    check(page, f"tagging-next-{width}", csp_violations)


@pytest.mark.parametrize("width", WIDTHS)
def test_memos_and_report_choices_from_the_tagging_page(page, analyst, csp_violations, width):
    data = build(analyst)
    q1 = data["quotes"][0]
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, analyst)
    page.goto(f"/admin/interviews/quote/{q1.pk}/change/")
    page.get_by_role("button", name="Use in the report for Safe spaces").click()
    expect(
        page.get_by_text("This quote will be used in the report for “Safe spaces”.")
    ).to_be_visible()
    expect(
        page.get_by_role("button", name="Chosen for the report – undo for Safe spaces")
    ).to_be_visible()
    check(page, f"tagging-chosen-{width}", csp_violations)

    page.get_by_role("link", name="Write a memo on sub-theme “Safe spaces”").click()
    expect(page.get_by_label("About")).to_have_value(f"subtheme-{subtheme('safe_spaces').pk}")
    check(page, f"memo-add-{width}", csp_violations)
    page.get_by_label("Memo").fill("People find safety in three kinds of place.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    check(page, f"memo-list-{width}", csp_violations)

    memo = Memo.objects.get()
    memo.withdrawn_words_found_at = memo.written_at
    Memo.objects.filter(pk=memo.pk).update(withdrawn_words_found_at=memo.written_at)
    page.goto(f"/admin/themes/memo/{memo.pk}/change/")
    expect(page.locator("#memo-warning")).to_contain_text("when a withdrawal was recorded on")
    check(page, f"memo-change-{width}", csp_violations)

    page.goto(f"/admin/interviews/quote/{q1.pk}/change/")
    expect(page.get_by_text("People find safety in three kinds of place.")).to_be_visible()
    check(page, f"tagging-memo-{width}", csp_violations)


def test_a_coordinator_reads_the_tagging_page(page, analyst, coordinator, csp_violations):
    data = build(analyst)
    q1 = data["quotes"][0]
    memo_save(evaluation=Evaluation.objects.get(code="loneliness-2018"), text="A memo.",
              user=analyst, target={"subtheme": subtheme("safe_spaces")})  # fmt: skip
    log_in(page, coordinator)
    page.goto(f"/admin/interviews/quote/{q1.pk}/change/")
    expect(page.get_by_text("Tagged: Safe spaces", exact=False).first).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    check(page, "tagging-coordinator", csp_violations)
