"""The analysis home (themes/admin/home.py): who may open it, what it shows (labels, never
codes), that its numbers are theme_counts.csv's, that every number opens the list of exactly
those quotes, and that its query count does not grow with the rows."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Quote
from interviews.schedules import schedule_of
from tests.analysis_data import build, interview, subtheme
from tests.factories import (
    InterviewerFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
)
from tests.test_export_evaluations import crisis_interview, crisis_subtheme
from themes.export_counts import theme_counts_rows
from themes.export_filters import ExportFilters, default_evaluation
from themes.models import SubTheme, Tag, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counts_stamp_row")]

HOME = "admin:themes_analysis_home"
CHANGELIST = "admin:interviews_quote_changelist"


@pytest.fixture
def data(analyst):
    return build(analyst)


def home(client, **query):
    response = client.get(reverse(HOME), query)
    assert response.status_code == 200
    return response


# --- who may open it ---------------------------------------------------------------------------


def test_it_works_for_analysts_and_coordinators(client, analyst, coordinator, data):
    for user in (analyst, coordinator):
        client.force_login(user)
        response = home(client)
        assert b"Tagging progress" in response.content


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse(HOME))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_interviewers_are_sent_to_the_admins_log_in(client, interviewer):
    client.force_login(interviewer)
    response = client.get(reverse(HOME))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_it_requires_the_quotes_lists_permission(client):
    """Someone who may use the admin but not read quotes: 403, as the quotes list answers."""
    user = UserFactory(is_staff=True)
    group = Group.objects.create(name="admin only")
    group.permissions.set(
        Group.objects.get(name="coordinator").permissions.filter(codename="use_admin")
    )
    user.groups.add(group)
    client.force_login(user)
    assert client.get(reverse(HOME)).status_code == 403
    assert client.get(reverse(CHANGELIST)).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_shows(client, analyst, method):
    client.force_login(analyst)
    assert getattr(client, method)(reverse(HOME)).status_code == 405


def test_an_unknown_evaluation_is_not_found(client, analyst, data):
    client.force_login(analyst)
    response = client.get(reverse(HOME), {"evaluation": "no-such-study"})
    assert response.status_code == 404


def test_coordinators_find_it_on_the_admin_index_and_analysts_land_on_it(
    client, analyst, coordinator
):
    client.force_login(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse(HOME)}">Analysis home</a>' in index
    assert client.get(reverse("home")).status_code == 200  # coordinators keep the start page
    client.force_login(analyst)
    assert client.get(reverse("home")).url == reverse(HOME)


# --- what it shows -----------------------------------------------------------------------------


def test_it_shows_labels_never_codes(client, analyst, data):
    client.force_login(analyst)
    page = home(client).content.decode()
    schedule = schedule_of(default_evaluation())
    companionship = schedule.question("companionship")
    assert companionship.label in page
    assert companionship.option("often").label in page
    assert "Safe spaces" in page and "Settings" in page
    main = page[page.index('id="content-main"') :]
    for code in ("some_of_the_time", "hardly_ever", "safe_spaces", "living_with_others"):
        # Codes appear only in the links' addresses, never as text.
        assert f">{code}<" not in main and f" {code} " not in main
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page


def test_progress_counts_tagged_and_untagged_quotes_of_the_list(client, analyst, data):
    q3 = data["quotes"][2]
    Tag.objects.filter(quote=q3).delete()
    client.force_login(analyst)
    progress = home(client).context["progress"]
    total = progress[-1]
    # Three quotes are the analysts': not the unverified, withdrawn or not-consented ones.
    assert (total.question, total.tagged, total.untagged) == (None, 2, 1)
    by_question = {p.question.code: (p.tagged, p.untagged) for p in progress[:-1]}
    assert by_question["companionship"] == (2, 0)
    assert by_question["what_helped"] == (0, 1)
    assert [p.question.code for p in progress[:-1]] == [
        q.code for q in schedule_of(default_evaluation()).quote_questions
    ]
    for line in progress:
        assert listed(client, line.tagged_url) == line.tagged
        assert listed(client, line.untagged_url) == line.untagged


def listed(client, url: str) -> int:
    """How many quotes the quotes list shows at ``url``: the number it says (which, once the
    home has been counted, is the home's own, tests/test_list_counts_from_home.py) checked
    against its quotes counted one by one."""
    response = client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == len(changelist.queryset), url
    return changelist.result_count


def csv_counts(evaluation) -> dict[tuple, tuple[int, int]]:
    """theme_counts.csv of ``evaluation`` as {(by, group, theme, subtheme): (quotes, people)}."""
    text = io.StringIO()
    csv.writer(text).writerows(theme_counts_rows(ExportFilters(evaluation=evaluation)))
    rows = csv.DictReader(io.StringIO(text.getvalue()))
    return {
        (r["by"], r["group"], r["theme"], r["subtheme"]): (int(r["quotes"]), int(r["participants"]))
        for r in rows
    }


def assert_home_is_theme_counts(client, evaluation) -> int:
    """Every number of the home's codebook tables is theme_counts.csv's (0 where the file has
    no row), and its link lists that many quotes. Returns how many numbers were compared."""
    expected = csv_counts(evaluation)
    tables = home(client, evaluation=evaluation.code).context["tables"]
    compared = 0
    for table in tables:
        for row in table.rows:
            theme = row.unit if row.is_theme else row.unit.theme
            sub = "" if row.is_theme else row.unit.code
            for (by, key), cell in zip(table.groups, row.cells, strict=True):
                group = ":".join(key)  # "" for all, the question's code, or its code:answer
                assert (cell.quotes, cell.participants) == expected.get(
                    (by, group, theme.code, sub), (0, 0)
                ), (by, group, theme.code, sub)
                if cell.quotes:
                    assert listed(client, cell.url) == cell.quotes, cell.url
                compared += 1
    return compared


def test_the_numbers_are_theme_counts_csvs_and_each_opens_those_quotes(client, analyst, data):
    _, q2, q3, *_ = data["quotes"]
    TagFactory(quote=q3, subtheme=subtheme("other_networks"), tagged_by=analyst)
    # A second participant, whose answer to companionship differs from the first's.
    pair = (q2.session.interviewer_1, q2.session.interviewer_2)
    other = interview("LSI-010", pair=pair, answers={"companionship": "hardly_ever"})
    quote = QuoteFactory(session=other, item="companionship", text="Nobody at all.")
    TagFactory(quote=quote, subtheme=subtheme("other_networks"), tagged_by=analyst)
    client.force_login(analyst)
    assert assert_home_is_theme_counts(client, default_evaluation()) > 50
    people = home(client).context["tables"][0]
    row = next(r for r in people.rows if r.label == subtheme("other_networks").label)
    assert (row.cells[0].quotes, row.cells[0].participants) == (3, 2)


def test_a_second_evaluation_shows_its_own_codebook_and_counts(client, analyst, crisis_care):
    build(analyst)
    pair = (InterviewerFactory(username="cc_a"), InterviewerFactory(username="cc_b"))
    _, (_, q2) = crisis_interview(
        crisis_care,
        "CC-001",
        pair=pair,
        answers={"seen_quickly": "agree", "felt_safe": "agree"},
        quotes=[("helped_most", "A nurse who stayed."), ("seen_quickly", "Within the hour.")],
    )
    TagFactory(quote=q2, subtheme=crisis_subtheme(crisis_care, "speed"), tagged_by=analyst)
    client.force_login(analyst)
    response = home(client, evaluation=crisis_care.code)
    page = response.content.decode()
    assert crisis_care.title in page
    assert crisis_subtheme(crisis_care, "speed").label in page
    assert "Safe spaces" not in page  # loneliness-2018's codebook is not this one's
    assert response.context["progress"][-1].total == 2
    assert assert_home_is_theme_counts(client, crisis_care) > 0
    # And the other evaluation is linked.
    assert f'href="?evaluation={default_evaluation().code}"' in page


# --- query count -------------------------------------------------------------------------------


def make_tagged_quotes(n: int, prefix: str) -> None:
    pair = (InterviewerFactory(), InterviewerFactory())
    safe, networks = subtheme("safe_spaces"), subtheme("other_networks")
    for i in range(n):
        session = interview(
            f"{prefix}-{i:03d}", pair=pair, answers={"companionship": "often"}, borough="other"
        )
        ItemAnswerFactory(session=session, item="isolation", answer="hardly_ever")
        for item in ("companionship", "isolation", "what_helped"):
            quote = QuoteFactory(session=session, item=item)
            TagFactory(quote=quote, subtheme=safe if i % 2 else networks)


def home_queries(client) -> int:
    schedule_of(default_evaluation())  # a running server has the schedule in memory
    with CaptureQueriesContext(connection) as ctx:
        home(client)
    return len(ctx.captured_queries)


# log-in session, user, their roles and permissions (3); the evaluations (1); the sites (the
# filter form's choices, 1); tagged and
# untagged quotes per question (1; on PostgreSQL in a savepoint with three SET LOCALs, 6); the
# codebook: themes, sub-themes, those one may tag with (3); the counts of theme_count_tables
# without demographics: on SQLite two grouped queries (themes, sub-themes) for each of all,
# item and answer (6), on PostgreSQL one statement, planned as the progress (6); the quotes
# chosen for the report, grouped (1); the counts stamp (1), read before counting; on PostgreSQL,
# the lock taken while counting and let go (2).
ON_PG = connection.vendor == "postgresql"
HOME_QUERIES = 3 + 1 + 1 + (6 if ON_PG else 1) + 3 + 6 + 1 + 1 + (2 if ON_PG else 0)
# Visited again with nothing changed: log-in (3), evaluations (1), sites (1), the stamp (1);
# nothing counted again.
HOME_QUERIES_KEPT = 3 + 1 + 1 + 1


def test_the_query_count_is_pinned_and_independent_of_rows(client, analyst):
    client.force_login(analyst)
    make_tagged_quotes(1, "ONE")
    one = home_queries(client)
    kept_one = home_queries(client)
    make_tagged_quotes(12, "MORE")
    assert home_queries(client) == one == HOME_QUERIES
    assert home_queries(client) == kept_one == HOME_QUERIES_KEPT


def test_no_quote_without_consent_or_of_a_withdrawn_participant_is_counted(client, analyst, data):
    client.force_login(analyst)
    response = home(client)
    counted = sum(line.total for line in response.context["progress"][:-1])
    assert counted == Quote.objects.for_analysis().count() == 3
    all_quotes = response.context["tables"][0]
    safe = next(r for r in all_quotes.rows if r.label == "Safe spaces")
    # q1 and q3 of LSI-001; the unverified and the withdrawn interviews' tags are not counted.
    assert (safe.cells[0].quotes, safe.cells[0].participants) == (2, 1)
    assert SubTheme.objects.filter(code="safe_spaces").exists() and Theme.objects.exists()


def test_the_quotes_chosen_for_the_report_are_counted_per_group(client, analyst, data):
    """A quote chosen for its sub-theme counts in that sub-theme's row; one chosen for its
    question × answer in that answer's column head."""
    from tests.analysis_data import subtheme
    from themes.memo_services import exemplar_choose

    quote = data["quotes"][0]  # companionship, "often"; tagged safe_spaces
    exemplar_choose(quote=quote, subtheme=subtheme("safe_spaces"), user=analyst)
    exemplar_choose(quote=quote, user=analyst)
    client.force_login(analyst)
    html = home(client).content.decode()
    assert html.count("1 chosen for the report") == 2
    assert "0 chosen for the report" in html  # the other sub-themes and answers


def test_the_filters_narrow_every_number_and_every_link(client, analyst, data):
    """exchange.md's filters (site, dates, one-answer demographics) on the home: the numbers
    are those of the filtered interviews, and each link opens the list with the same filters."""
    client.force_login(analyst)
    everyone = home(client).context_data
    assert everyone["progress"][-1].total > 0
    before = home(client, date_to="2000-01-01").context_data
    assert before["progress"][-1].total == 0
    site = data["sessions"][0].site.code
    narrowed = home(client, where_site=site, date_from="2018-01-01").context_data
    link = narrowed["progress"][-1].tagged_url
    assert f"site={site}" in link and "date_from=2018-01-01" in link
    listed = client.get(link)
    assert listed.status_code == 200
    assert listed.context_data["cl"].result_count == narrowed["progress"][-1].tagged


def test_bad_filters_say_what_is_wrong_and_count_nothing(client, analyst, data):
    client.force_login(analyst)
    response = home(client, date_from="2018-06-30", date_to="2018-05-01")
    assert response.status_code == 200
    assert "no interview can be in that range" in response.content.decode()
    assert response.context_data["progress"] == [] and response.context_data["tables"] == []
