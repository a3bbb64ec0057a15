"""The quotes list opened from a number of the analysis home says that number without counting
its quotes again (themes.admin.home.home_listed_count), and it is always the number of quotes
the list holds; any other list, or a list after a change, is counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Site
from tests.analysis_data import build, interview, subtheme
from tests.factories import QuoteFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counts_stamp_row")]

HOME = reverse("admin:themes_analysis_home")
QUOTES = reverse("admin:interviews_quote_changelist")


@pytest.fixture
def data(analyst):
    built = build(analyst)
    # A second participant, at another site, with another answer, so that the numbers differ.
    pair = (built["sessions"][0].interviewer_1, built["sessions"][0].interviewer_2)
    other_site = Site.objects.exclude(pk=built["sessions"][0].site_id).order_by("pk").first()
    other = interview("LSI-020", pair=pair, answers={"companionship": "hardly_ever"})
    other.site = other_site
    other.save()
    for text, code in [("Nobody comes.", "other_networks"), ("The day centre.", "safe_spaces")]:
        quote = QuoteFactory(session=other, item="companionship", text=text)
        TagFactory(quote=quote, subtheme=subtheme(code), tagged_by=analyst)
    QuoteFactory(session=other, item="isolation", text="Nobody at all, untagged.")
    return built


def opened(client, url: str) -> tuple[int, bool]:
    """(the number the list at ``url`` says, whether it counted its quotes to say it), after
    checking that number against the list's quotes counted one by one."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == len(changelist.queryset), url
    return changelist.result_count, any("COUNT(" in q["sql"] for q in ctx.captured_queries)


def home_links(client, **query) -> list[str]:
    response = client.get(HOME, query)
    assert response.status_code == 200
    links = [u for p in response.context["progress"] for u in (p.tagged_url, p.untagged_url)]
    for table in response.context["tables"]:
        for row in table.rows:
            links += [cell.url for cell in row.cells]
    return links


def test_every_list_the_home_links_to_says_the_homes_number_without_counting(client, analyst, data):
    client.force_login(analyst)
    links = home_links(client)
    assert len(links) > 50
    numbers = {}
    for url in links:
        numbers[url], counted = opened(client, url)
        assert not counted, url
    assert sorted(set(numbers.values()))[-1] >= 3  # not only zeros


def test_so_do_the_lists_of_a_question_theme_or_sub_theme(client, analyst, data):
    client.force_login(analyst)
    home_links(client)
    for query in [
        "",
        "?p=1&o=2",
        "?item=companionship",
        "?item=companionship&tagged=no",
        "?tagged=yes",
        "?theme=people",
        "?item=companionship&theme=settings",
        "?subtheme=safe_spaces",
        "?item=companionship&answer=hardly_ever&subtheme=safe_spaces",
        "?theme=nothing_of_this_name",
    ]:
        _, counted = opened(client, QUOTES + query)
        assert counted == (query == "?theme=nothing_of_this_name"), query


@pytest.mark.parametrize(
    "query",
    [
        "?q=Nobody",
        "?answer=often",
        "?item=companionship&answer=often",
        "?theme=people&subtheme=safe_spaces",
        "?tagged=no&theme=settings",
        "?item=companionship&answer=none&theme=settings",
        "?item=companionship&item=what_helped",
        "?borough=westminster",
        "?date_from=2018-01-01",
        "?item=sees",
    ],
)
def test_any_other_list_is_counted(client, analyst, data, query):
    client.force_login(analyst)
    home_links(client)
    assert opened(client, QUOTES + query)[1]


def test_a_list_of_one_site_is_the_homes_of_that_site(client, analyst, data):
    client.force_login(analyst)
    site = data["sessions"][0].site.code
    url = f"{QUOTES}?site={site}&theme=settings"
    home_links(client)
    everywhere = opened(client, f"{QUOTES}?theme=settings")
    assert everywhere == (3, False)
    assert opened(client, url) == (2, True)  # the home of every site does not say it
    from django.core.cache import caches

    caches["counts"].clear()
    home_links(client, where_site=site)
    assert opened(client, url) == (2, False)


def test_after_a_change_the_list_counts_again(client, analyst, data):
    client.force_login(analyst)
    home_links(client)
    url = f"{QUOTES}?subtheme=other_networks"
    assert opened(client, url) == (2, False)
    TagFactory(quote=data["quotes"][2], subtheme=subtheme("other_networks"), tagged_by=analyst)
    assert opened(client, url) == (3, True)


def list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_of_a_list_from_the_home_is_pinned_and_independent_of_rows(
    client, analyst, data
):
    """Log-in session, user, roles and permissions (3); the evaluations (1); the choices of
    the theme, sub-theme and site filters (3); the counts stamp (1), then the page of quotes
    and their tags (2): no count, and on PostgreSQL no lock taken for one."""
    from django.core.cache import caches

    client.force_login(analyst)
    url = f"{QUOTES}?item=companionship&answer=hardly_ever&subtheme=safe_spaces"
    home_links(client)
    few = list_queries(client, url)
    pair = (data["sessions"][0].interviewer_1, data["sessions"][0].interviewer_2)
    for i in range(12):
        more = interview(f"LSI-1{i:02d}", pair=pair, answers={"companionship": "hardly_ever"})
        quote = QuoteFactory(session=more, item="companionship", text=f"Words {i}.")
        TagFactory(quote=quote, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
    caches["counts"].clear()
    home_links(client)
    assert opened(client, url) == (13, False)
    caches["counts"].clear()
    home_links(client)
    assert list_queries(client, url) == few == 3 + 1 + 3 + 1 + 2
