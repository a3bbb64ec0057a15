"""An interview with the connection really cut (a proxy the test stops, so that every request
fails, the service worker's too): moving between sections, reloading, going back, and on
reconnecting the server holding every change exactly once; a conflict with the other device;
log-out with answers waiting; a second account on the same browser seeing nothing."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import DeviceChange, Quote
from interviews.selectors import session_values
from interviews.services import sessions as services
from tests.browser.conftest import check_accessibility, log_in
from tests.browser.cut_proxy import CutProxy
from tests.factories import ConsentRecordFactory, InterviewerFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^Saved \d\d:\d\d$")
NO_CONNECTION = "Warning: Not saved yet – no connection, your answers are kept on this device"
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def proxy(live_server):
    cut = CutProxy(int(live_server.url.rsplit(":", 1)[1]))
    yield cut
    cut.close()


@pytest.fixture
def device(new_context, proxy):
    """A browser (a tablet) that reaches the server through the proxy."""

    def make(**kwargs):
        return new_context(base_url=proxy.url, **kwargs)

    return make


def consented_draft(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    return session


def status(page):
    return page.locator("#save-status")


def waiting(page):
    return page.locator("#outbox-count")


def open_and_keep(page, session, slug="feel", pages=4):
    """Open a section online and wait until the service worker keeps the interview's pages
    (its three sections and the check page)."""
    page.goto(f"/interviews/{session.pk}/section/{slug}/")
    expect(status(page)).to_have_text("Your answers save as you type.")
    for _ in range(75):
        if page.evaluate(KEPT_PAGES, str(session.pk)) >= pages:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker did not keep the interview's pages")


# How many pages of the session the service worker keeps (for whoever is logged in), once it
# is active. Not "once it controls this page": a page whose loading began while the worker was
# still installing (the log-in page registers it) stays uncontrolled, yet the next navigation,
# offline too, goes through the worker, as every navigation in its scope does.
KEPT_PAGES = """async (session) => {
    const registration = await navigator.serviceWorker.getRegistration("/");
    if (!registration || !registration.active || registration.active.state !== "activated") {
        return 0;
    }
    let count = 0;
    for (const name of await caches.keys()) {
        if (name.startsWith("ufm-pages-") && name.endsWith("-" + session)) {
            count += (await (await caches.open(name)).keys()).length;
        }
    }
    return count;
}"""


def outbox_keys(page):
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('ufm-outbox:') "
        "|| k.startsWith('ufm-unsaved:'))"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_a_whole_interview_goes_on_with_the_connection_cut(
    device, proxy, interviewer, partner, viewport
):
    session = consented_draft(interviewer, partner)
    page = device(viewport=viewport).new_page()
    log_in(page, interviewer)
    open_and_keep(page, session)

    proxy.cut()
    page.locator("#quotes-companionship-0").fill("Typed in the café with no wifi.")
    page.locator("#answer-companionship-1").check()
    page.get_by_role("button", name="Next: What helps").click()
    expect(page.get_by_role("heading", name="What helps")).to_be_visible()
    page.get_by_label("Quote 1 for: What else could help").fill("A bus pass.")
    page.get_by_role("button", name="Next: About you").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_role("checkbox", name="Friends").check()
    expect(waiting(page)).to_have_text("4 answers waiting to be sent from this device.")

    page.reload()  # from the device
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Friends")).to_be_checked()
    expect(status(page)).to_have_text(NO_CONNECTION)
    page.get_by_role("button", name="Back : What helps").click()
    expect(page.get_by_label("Quote 1 for: What else could help")).to_have_value("A bus pass.")
    page.go_back()
    expect(page.get_by_role("checkbox", name="Friends")).to_be_checked()
    page.go_back()
    page.go_back()
    expect(page.locator("#quotes-companionship-0")).to_have_value("Typed in the café with no wifi.")
    expect(page.locator("#answer-companionship-1")).to_be_checked()
    check_accessibility(page, f"offline-section-{viewport['width']}")
    assert session_values(session)["quotes:what_else"] == []

    # Pages not kept (My interviews, the admin): our own page, never the browser's.
    page.goto("/interviews/")
    expect(page.get_by_role("heading", name="No connection just now")).to_be_visible()
    expect(page.get_by_role("link", name=session.participant_code)).to_be_visible()
    check_accessibility(page, f"offline-page-{viewport['width']}")
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="No connection just now")).to_be_visible()
    page.get_by_role("link", name=session.participant_code).click()
    expect(page.get_by_role("heading", name="How you feel")).to_be_visible()

    proxy.restore()
    page.get_by_role("button", name="Send now").click()
    expect(status(page)).to_have_text(SAVED)
    expect(waiting(page)).to_have_text("Every answer is on the server.")
    values = session_values(session)
    assert values["quotes:companionship"] == ["Typed in the café with no wifi."]
    assert values["answer:companionship"] == "some_of_the_time"
    assert values["quotes:what_else"] == ["A bus pass."]
    assert values["ticks:sees"] == ["friends"]
    assert Quote.objects.filter(session=session).count() == 2  # each quote exactly once
    sent = DeviceChange.objects.filter(session=session)
    assert sent.count() == sent.values("change_id").distinct().count()
    assert outbox_keys(page) == [f"ufm-outbox:{interviewer.pk}:{session.pk}"]


def test_reconnecting_sends_everything_once_even_after_lost_answers(
    device, proxy, interviewer, partner
):
    """The server saves, but the answer never reaches the device (the connection goes in
    between): sending again, and from a second tab, never duplicates a quote."""
    session = consented_draft(interviewer, partner)
    context = device()
    page = context.new_page()
    log_in(page, interviewer)
    open_and_keep(page, session, "helps")

    def lose_the_answer(route):
        route.fetch()  # the server saves it …
        proxy.cut()  # … and the connection goes before the answer is back
        route.abort("connectionreset")

    page.route("**/autosave/", lose_the_answer)
    page.get_by_label("Quote 1 for: What else could help").fill("Said once.")
    page.keyboard.press("Tab")
    expect(status(page)).to_have_text(NO_CONNECTION)
    page.unroute("**/autosave/")
    assert session_values(session)["quotes:what_else"] == ["Said once."]
    page.get_by_label("Quote 1 for: What else could help").fill("Said once. And again.")

    proxy.restore()
    # A second tab of the interview sends what the first kept (the lost one again, then the
    # words typed after it), and the first tab sees that nothing is waiting any more.
    second = context.new_page()
    second.goto(f"/interviews/{session.pk}/section/helps/")
    expect(status(second)).to_have_text(SAVED)
    expect(second.get_by_label("Quote 1 for: What else could help")).to_have_value(
        "Said once. And again."
    )
    expect(waiting(page)).to_have_text("Every answer is on the server.")
    expect(page.get_by_role("button", name="Send now")).to_be_hidden()
    assert session_values(session)["quotes:what_else"] == ["Said once. And again."]
    assert Quote.objects.filter(session=session).count() == 1
    assert DeviceChange.objects.filter(session=session).count() == 2


def test_two_devices_one_offline_choose_on_a_conflict_when_it_reconnects(
    device, new_context, proxy, interviewer, partner
):
    session = consented_draft(interviewer, partner)
    mine = device().new_page()
    log_in(mine, interviewer)
    open_and_keep(mine, session)
    proxy.cut()
    mine.locator("#answer-companionship-2").check()  # Hardly ever, offline
    mine.locator("#quotes-help-0").fill("My neighbour.")
    expect(status(mine)).to_have_text(NO_CONNECTION)

    theirs = new_context().new_page()  # the partner's tablet has wifi
    log_in(theirs, partner)
    theirs.goto(f"/interviews/{session.pk}/section/feel/")
    theirs.locator("#answer-companionship-0").check()  # Often
    expect(status(theirs)).to_have_text(SAVED)

    proxy.restore()
    mine.get_by_role("button", name="Send now").click()
    conflict = mine.get_by_role("group", name=re.compile("Your partner also changed"))
    expect(conflict).to_contain_text("Your partner saved: Often")
    expect(conflict).to_contain_text("You entered: Hardly ever")
    expect(waiting(mine)).to_have_text("1 answer waiting to be sent from this device.")
    check_accessibility(mine, "offline-conflict")
    assert session_values(session)["quotes:help"] == ["My neighbour."]
    assert session_values(session)["answer:companionship"] == "often"
    conflict.get_by_role("button", name="Keep my answer").click()
    expect(status(mine)).to_have_text(SAVED)
    expect(waiting(mine)).to_have_text("Every answer is on the server.")
    assert session_values(session)["answer:companionship"] == "hardly_ever"


def test_log_out_with_answers_waiting_warns_and_sends_them_first(
    device, proxy, interviewer, partner
):
    session = consented_draft(interviewer, partner)
    page = device().new_page()
    log_in(page, interviewer)
    open_and_keep(page, session, "helps")
    proxy.cut()
    page.get_by_label("Quote 1 for: What else could help").fill("Not lost at log-out.")
    page.keyboard.press("Tab")
    expect(status(page)).to_have_text(NO_CONNECTION)

    page.get_by_role("button", name="Log out").click()
    dialog = page.get_by_role("dialog", name="Answers not sent yet")
    expect(dialog).to_contain_text("1 answer waiting to be sent from this device.")
    check_accessibility(page, "offline-log-out-warning")
    dialog.get_by_role("button", name="Send them now, then log out").click()
    expect(dialog).to_contain_text("Not all sent")
    assert session_values(session)["quotes:what_else"] == []

    proxy.restore()
    dialog.get_by_role("button", name="Send them now, then log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert session_values(session)["quotes:what_else"] == ["Not lost at log-out."]
    assert outbox_keys(page) == []


def test_a_second_account_on_the_same_browser_sees_nothing_of_the_first(
    device, proxy, interviewer, partner
):
    session = consented_draft(interviewer, partner)
    other = InterviewerFactory()
    mine = consented_draft(other, partner)
    context = device()
    page = context.new_page()
    log_in(page, interviewer)
    open_and_keep(page, session)
    page.locator("#quotes-companionship-0").fill("Only for the first account.")
    expect(status(page)).to_have_text(SAVED)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    log_in(page, other)
    open_and_keep(page, mine)
    assert outbox_keys(page) == [f"ufm-outbox:{other.pk}:{mine.pk}"]
    names = page.evaluate("caches.keys()")
    assert [n for n in names if n.startswith("ufm-pages-")] == [f"ufm-pages-{other.pk}-{mine.pk}"]
    proxy.cut()
    page.goto(f"/interviews/{session.pk}/section/feel/")
    expect(page.get_by_role("heading", name="No connection just now")).to_be_visible()
    expect(page.get_by_text("Only for the first account.")).to_have_count(0)
    expect(page.get_by_role("link", name=session.participant_code)).to_have_count(0)


def test_an_account_that_never_logged_out_is_dropped_for_the_next(
    device, proxy, interviewer, partner
):
    """The first person's session ran out (no log-out): the next one's pages say who is
    logged in, and the service worker lets go of the first person's pages."""
    session = consented_draft(interviewer, partner)
    other = InterviewerFactory()
    context = device()
    page = context.new_page()
    log_in(page, interviewer)
    open_and_keep(page, session)
    context.clear_cookies()
    log_in(page, other)
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    for _ in range(75):
        if not page.evaluate("caches.keys().then(ns => ns.some(n => n.startsWith('ufm-pages-')))"):
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError("the first account's pages are still kept")
    proxy.cut()
    page.goto(f"/interviews/{session.pk}/section/feel/")
    expect(page.get_by_role("heading", name="No connection just now")).to_be_visible()


def test_submitting_needs_the_connection_and_says_so(device, proxy, interviewer, partner):
    session = consented_draft(interviewer, partner)
    page = device().new_page()
    log_in(page, interviewer)
    open_and_keep(page, session, "about")
    proxy.cut()
    page.get_by_role("button", name="Next: Check and submit").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.locator("#submit-note")).to_contain_text(
        "Submitting for checking needs the connection"
    )
    check_accessibility(page, "offline-review")
    assert services.InterviewSession.objects.get(pk=session.pk).status == "draft"
