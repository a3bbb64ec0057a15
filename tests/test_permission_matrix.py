"""Who reaches what: every URL of ``ufm.urls`` × every visitor × every method → the answer.

The URL list is read from the URL configuration, so a new view that is not in ``MATRIX`` (or, for
a model added to the admin, not in ``ADMIN_TABLE``) fails ``test_every_url_is_in_the_matrix``.

Visitors ("actors"):
    anonymous    not logged in
    outsider     an interviewer who is not one of the session's pair
    pair         an interviewer of the session (the same person on every session below)
    analyst
    coordinator

Methods: every URL is sent GET, POST, PUT and DELETE by every actor. A refused write is 403, a
method the page does not take 405 (the admin takes only GET, HEAD and POST, see
``ufm.admin.UFMAdminSite.admin_view``); an allowed POST gets whatever the page answers to an
empty POST.

Outcomes: a status code as text ("200", "403", …), LOGIN (302 to the app's log-in page) or
ADMIN_LOGIN (302 to the admin's log-in page, which is how the admin refuses interviewers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    Evaluation,
    LogInLockout,
    SessionAccess,
    Site,
)
from interviews.services import sessions as services
from interviews.services.withdrawal import participant_withdraw
from tests.factories import (
    AnalystFactory,
    ConsentRecordFactory,
    CoordinatorFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    QuoteFactory,
    TagFactory,
    complete_session,
)
from themes.models import ExportRecord, Memo, ReportSettings, SubTheme, Theme
from themes.rounds import services as round_services

LOGIN = "login"
ADMIN_LOGIN = "admin login"
ACTORS = ("anonymous", "outsider", "pair", "analyst", "coordinator")
METHODS = ("GET", "POST", "PUT", "DELETE")


@dataclass(frozen=True)
class Row:
    """One URL: the outcome for each actor, in the order of ACTORS, for each of METHODS, and
    the session it is opened for (if any)."""

    outcomes: dict[str, tuple[str, ...]]
    session: str | None = None


def parse(words: str) -> tuple[str, ...]:
    """``"L 404 200 403 403"``: one word per actor; L is LOGIN, AL is ADMIN_LOGIN."""
    short = {"L": LOGIN, "AL": ADMIN_LOGIN}
    outcomes = tuple(short.get(w, w) for w in words.split())
    assert len(outcomes) == len(ACTORS), words
    return outcomes


def row(get: str, post: str, put: str, delete: str | None = None, *, on: str | None = None) -> Row:
    """``row(GET, POST, PUT)``; DELETE is answered as PUT unless given."""
    words = (get, post, put, delete or put)
    return Row({method: parse(w) for method, w in zip(METHODS, words, strict=True)}, on)


# What a page that does not take the method answers: 405, once anonymous visitors are sent to
# log in (LoginRequiredMiddleware, before any view). AL: the admin site's own pages send them
# to the admin's log-in page. The log-in pages, the health check, the favicon, the service worker
# and the offline page are open to all.
L405 = "L 405 405 405 405"
AL405 = "AL 405 405 405 405"
ALL405 = "405 405 405 405 405"

# Sessions the interviewer pages are opened on; "pair" is interviewer 1 of each.
#   draft       consent recorded, nothing answered yet
#   submitted   complete, submitted by the partner, so the pair interviewer is its checker
#   verified    complete and verified (coordinators may reopen it)
#
# An empty POST never writes: it shows who gets as far as the view's own checks (400 "not
# understood", 409 "not in this state"; a form page shows the empty form again, 200).
# fmt: off
MATRIX: dict[str, Row] = {
    # URL name: GET, POST, PUT (and DELETE), each for: anonymous outsider pair analyst coordinator
    "home":                     row("L 302 302 302 200", L405, L405),
    "login":                    row("200 302 302 302 302", "200 302 302 302 302", ALL405),
    "logout":                   row(L405, "L 302 302 302 302", L405),
    "healthz":                  row("200 200 200 200 200", ALL405, ALL405),
    "favicon":                  row("302 302 302 302 302", ALL405, ALL405),
    # The service worker and the page it shows offline: the same for everyone, nobody's data.
    "service_worker":           row("200 200 200 200 200", ALL405, ALL405),
    "offline":                  row("200 200 200 200 200", ALL405, ALL405),
    "interviews:my_interviews": row("L 200 200 403 403", L405, L405),
    "interviews:start":         row("L 200 200 403 403", "L 200 200 403 403", L405),
    "interviews:session":       row("L 404 302 403 403", L405, L405, on="draft"),
    "interviews:consent":       row("L 404 200 403 403", "L 404 409 403 403", L405, on="draft"),
    "interviews:discard":       row("L 404 409 403 403", "L 404 409 403 403", L405, on="draft"),
    "interviews:section":       row("L 404 200 403 403", "L 404 400 403 403", L405, on="draft"),
    "interviews:autosave":      row(L405, "L 404 400 403 403", L405, on="draft"),
    "interviews:review":        row("L 404 200 403 403", "L 404 400 403 403", L405, on="draft"),
    "interviews:check":         row("L 404 200 403 403", "L 404 400 403 403", L405, on="submitted"),
    # The admin's own pages, and the extra pages of the admin classes. A POST to a page that
    # only shows something is answered as a GET: it reads, it writes nothing.
    "admin:index":              row("AL AL AL 200 200", "AL AL AL 200 200", AL405),
    # An empty POST: the form again, with what is missing.
    "admin:login":              row("200 200 200 302 302", "200 200 200 200 200", ALL405),
    "admin:logout":             row("AL 302 302 405 405", "AL 302 302 302 302", AL405),
    "admin:password_change":    row("AL AL AL 200 200", "AL AL AL 200 200", AL405),
    "admin:password_change_done": row("AL AL AL 200 200", "AL AL AL 405 405", AL405),
    # Without its parameters the autocomplete refuses everyone.
    "admin:autocomplete":       row("AL AL AL 403 403", "AL AL AL 405 405", AL405),
    "admin:jsi18n":             row("AL AL AL 200 200", "AL AL AL 405 405", AL405),
    # The session's "view on site" link leads to its interviewer page (which checks the pair).
    "admin:view_on_site":       row("AL AL AL 302 302", "AL AL AL 302 302", AL405),
    "admin:app_list":           row("AL AL AL 200 200", "AL AL AL 200 200", AL405),
    "admin:catch_all":          row("AL AL AL 404 404", "AL AL AL 404 404", AL405),
    "admin:interviews_interviewsession_withdraw":
                                row("L AL AL 403 200", "L AL AL 403 400", L405),
    "admin:interviews_interviewsession_identifiers":
                                row("L AL AL 403 200", "L AL AL 403 200", L405),
    # The interview's timeline only shows: GET (and HEAD), whoever asks.
    "admin:interviews_interviewsession_timeline":
                                row("L AL AL 200 200", "L AL AL 405 405", L405, on="verified"),
    "admin:interviews_interviewsession_import":
                                row("L AL AL 200 200", "L AL AL 200 200", L405),
    # An empty POST (the form unbound) shows the form again.
    "admin:interviews_interviewsession_reopen":
                                row("L AL AL 403 200", "L AL AL 403 200", L405, on="verified"),
    "admin:interviews_interviewsession_discard":
                                row("L AL AL 403 200", "L AL AL 403 200", L405, on="draft"),
    # Designing an evaluation is a coordinator's; an empty POST shows the form, with what is
    # missing.
    "admin:interviews_evaluation_upload":
                                row("L AL AL 403 200", "L AL AL 403 200", L405),
    "admin:themes_exports":     row("L AL AL 200 200", "L AL AL 200 200", L405),
    # The analysis home only shows: GET (and HEAD), for whoever may open the quotes list.
    "admin:themes_analysis_home": row("L AL AL 200 200", "L AL AL 405 405", L405),
    # The import page's old address sends its visitors to the new one.
    "admin:themes_import_interviews": row("L AL AL 302 302", "L AL AL 302 302", L405),
    "admin:themes_import_tags": row("L AL AL 200 403", "L AL AL 200 403", L405),
    "admin:auth_user_password_change": row("L AL AL 403 200", "L AL AL 403 200", L405),
    # Choosing a quote for the report is an analyst's, by a button (POST only); an empty POST
    # chooses nothing and goes back to the quote's page with a message.
    "admin:interviews_quote_exemplar": row("L AL AL 405 405", "L AL AL 302 403", L405),
    # Coding rounds (ROUND_PAGES says which round each opens). Only a round's coders code
    # (the analyst is one; coordinators never code); an empty POST shows the page again.
    "admin:themes_codinground_code": row("L AL AL 200 403", "L AL AL 200 403", L405),
    # An empty POST is not the confirmation: the page again.
    "admin:themes_codinground_close": row("L AL AL 200 200", "L AL AL 200 200", L405),
    # The meeting and the download only show: a POST is answered as a GET.
    "admin:themes_codinground_meeting": row("L AL AL 200 200", "L AL AL 200 200", L405),
    "admin:themes_codinground_agreement": row("L AL AL 200 200", "L AL AL 200 200", L405),
    # Settling tags quotes (analysts); an empty POST shows the form with what is missing.
    "admin:themes_codinground_settle": row("L AL AL 200 403", "L AL AL 200 403", L405),
    # The report and its two downloads only show: GET (and HEAD).
    "admin:themes_report":      row("L AL AL 200 200", "L AL AL 405 405", L405),
    "admin:themes_report_docx": row("L AL AL 200 200", "L AL AL 405 405", L405),
    "admin:themes_report_charts": row("L AL AL 200 200", "L AL AL 405 405", L405),
}
# fmt: on
# The round each coding round page is opened for (an open one is coded and closed, a closed
# one met about and downloaded).
ROUND_PAGES = {
    "admin:themes_codinground_code": "open",
    "admin:themes_codinground_close": "open",
    "admin:themes_codinground_meeting": "closed",
    "admin:themes_codinground_agreement": "closed",
    "admin:themes_codinground_settle": "closed",
}
# The other parts of the URLs above.
URL_KWARGS = {
    "interviews:section": {"slug": "feel"},
    "admin:app_list": {"app_label": "interviews"},
    "admin:catch_all": {"url": "nowhere/"},
}

# Who may GET, then after "/" who may POST to, each admin page of each registered model: A
# analyst, C coordinator, "-" nobody but a superuser; one part when both are the same.
#   changelist  a POST runs an action or saves the editable columns
#   change      the object's own page (read-only for those who may only view)
#   history     the history list (a POST is answered as a GET)
#   version     simple-history's page for one past version: never written from (reverting is
#               off, see ufm.admin.HistoryAdmin); "" for an admin without history pages
# Interviewers (outsider, pair) are sent to the admin's log-in page and anonymous visitors to
# the app's; PUT and DELETE are answered ADMIN_OTHER_METHODS on every page.
# fmt: off
ADMIN_TABLE: dict[str, tuple[str, str, str, str, str, str]] = {
    # model                          changelist add   change  delete history version
    "auth.user":                     ("C",      "C",  "C",    "-",   "C",    "C/-"),
    "axes.accessattempt":            ("-",      "-",  "-",    "-",   "-",    ""),
    "axes.accesslog":                ("-",      "-",  "-",    "-",   "-",    ""),
    "axes.accessfailurelog":         ("-",      "-",  "-",    "-",   "-",    ""),
    "interviews.site":               ("AC/C",   "C",  "AC/C", "-",   "AC",   "AC/-"),
    "interviews.interviewsession":   ("AC/-",   "-",  "AC/-", "-",   "AC",   "AC/-"),
    "interviews.consentformversion": ("C",      "C",  "C/-",  "-",   "C",    "C/-"),
    "interviews.consentrecord":      ("C/-",    "-",  "C/-",  "-",   "C",    "C/-"),
    "interviews.withdrawal":         ("C/-",    "C",  "C/-",  "-",   "C",    "C/-"),
    "interviews.sessionaccess":      ("C/-",    "-",  "C/-",  "-",   "C",    ""),
    "interviews.loginlockout":       ("C",      "-",  "C/-",  "-",   "C",    ""),
    "interviews.evaluation":         ("AC/-",   "-",  "AC/-", "-",   "AC",   "AC/-"),
    "interviews.quote":              ("AC/A",   "-",  "AC/A", "-",   "AC",   "AC/-"),
    "themes.theme":                  ("AC/C",   "C",  "AC/C", "-",   "AC",   "AC/-"),
    "themes.subtheme":               ("AC/C",   "C",  "AC/C", "-",   "AC",   "AC/-"),
    "themes.tag":                    ("AC/A",   "-",  "AC/-", "A",   "AC",   "AC/-"),
    "themes.exportrecord":           ("AC/-",   "-",  "AC/-", "-",   "AC",   ""),
    "themes.memo":                   ("AC/A",   "A",  "AC/A", "-",   "AC",   "AC/-"),
    "themes.codinground":            ("AC/-",   "AC", "AC/-", "-",   "AC",   "AC/-"),
    "themes.reportsettings":         ("AC",     "AC", "AC",   "-",   "AC",   "AC/-"),
}
# fmt: on
ADMIN_PAGES = ("changelist", "add", "change", "delete", "history", "version")
ADMIN_OTHER_METHODS = parse(L405)
# Allowed, and answered with something other than a page (200).
ADMIN_ALLOWED_STATUS = {
    # Withdrawals are recorded on the withdrawal page, which shows what will be deleted first.
    ("interviews.withdrawal", "add", "GET"): "302",
    ("interviews.withdrawal", "add", "POST"): "302",
    # A quote's tags are all its form holds: an empty form is a valid "no tags", and saved.
    ("interviews.quote", "change", "POST"): "302",
    # admin/<app>/<model>/<id>/ only sends on to the object's change page.
    ("object", "GET"): "302",
    ("object", "POST"): "302",
}


# ---------------------------------------------------------------------------------------------
# The URL configuration, read


def url_patterns(resolver=None, prefix="", namespace=""):
    """(key, route) for every pattern: its name with namespace, or for the few unnamed ones a
    name of our own (``admin:<app>_<model>_object`` and ``admin:catch_all``)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name
            if name is None:
                found = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
                name = f"{found[1]}_{found[2]}_object" if found else "catch_all"
            yield (f"{namespace}:{name}" if namespace else name), route


def admin_model_urls() -> dict[str, tuple[str, str]]:
    """URL key → (model label, page) for the pages the admin makes for each registered model."""
    # The URL name of each page: Django's admin names them by page, simple-history its own.
    names = {
        **{page: page for page in ADMIN_PAGES},
        "version": "simple_history",
        "object": "object",
    }
    keys = {}
    routes = {key for key, _ in url_patterns()}
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for page, name in names.items():
            keys[f"{base}_{name}"] = (label, page)
    # simple-history's page for one past version exists only for its admin classes.
    return {key: value for key, value in keys.items() if key in routes}


def test_every_url_is_in_the_matrix():
    model_urls = admin_model_urls()
    missing = [
        f"{key} ({route})"
        for key, route in url_patterns()
        if key not in MATRIX and key not in model_urls
    ]
    assert not missing, "Add these URLs to MATRIX in this file: " + ", ".join(missing)


def test_every_admin_model_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_TABLE), (
        f"Not in ADMIN_TABLE: {sorted(registered - set(ADMIN_TABLE))}; "
        f"no longer in the admin: {sorted(set(ADMIN_TABLE) - registered)}"
    )


def test_the_version_column_is_filled_for_the_admins_with_history():
    with_versions = {label for label, page in admin_model_urls().values() if page == "version"}
    column = ADMIN_PAGES.index("version")
    filled = {label for label, cells in ADMIN_TABLE.items() if cells[column]}
    assert with_versions == filled, "Say in ADMIN_TABLE's version column who may see them"


def test_every_matrix_line_is_a_url():
    keys = {key for key, _ in url_patterns()}
    assert set(MATRIX) <= keys, sorted(set(MATRIX) - keys)


# ---------------------------------------------------------------------------------------------
# The data: built once for the module, rolled back at its end


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Each test's own transaction nests inside this one (as a savepoint), so what a test
    # writes is undone after it and this data after the module.
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> dict:
    # An unusable password: the tests log in with force_login, and the shared hashed password
    # of the factories must not be made here with the slow default hasher.
    pair = InterviewerFactory(password="!")
    partner = InterviewerFactory(password="!")
    users = {
        "outsider": InterviewerFactory(password="!"),
        "pair": pair,
        "analyst": AnalystFactory(password="!"),
        "coordinator": CoordinatorFactory(password="!"),
    }
    draft = InterviewSessionFactory(interviewer_1=pair, interviewer_2=partner)
    ConsentRecordFactory(session=draft)
    submitted = complete_session(interviewer_1=pair, interviewer_2=partner)
    services.session_submit(session=submitted, user=partner)
    verified = complete_session(interviewer_1=pair, interviewer_2=partner)
    quote = QuoteFactory(session=verified)
    services.session_submit(session=verified, user=partner)
    services.session_verify(session=verified, user=pair)
    tag = TagFactory(quote=quote, tagged_by=users["analyst"])
    rounds = {
        name: round_services.round_start(
            evaluation=Evaluation.objects.get(code="loneliness-2018"),
            name=name,
            coders=[users["analyst"], AnalystFactory(password="!")],
            quote_ids=[quote.pk],
            user=users["analyst"],
        )
        for name in ("open", "closed")
    }
    round_services.round_close(coding_round=rounds["closed"], user=users["coordinator"])
    withdrawn = ConsentRecordFactory(
        session=InterviewSessionFactory(interviewer_1=pair, interviewer_2=partner)
    ).session
    withdrawal = participant_withdraw(
        session=withdrawn,
        withdrawal_date=withdrawn.interview_date,
        how_requested="phone",
        recorded_by=users["coordinator"],
    )
    # Seeded by migrations, which record no history: one change each gives a past version.
    for seeded in (
        Site.objects.get(code="pall_mall"),
        ConsentFormVersion.objects.get(label="v1"),
        Evaluation.objects.get(code="loneliness-2018"),
        Theme.objects.order_by("order").first(),
        SubTheme.objects.get(code="safe_spaces"),
        ReportSettings.objects.get(evaluation__code="loneliness-2018"),
    ):
        seeded.save()
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.1", failures_since_start=1
    )
    objects = {
        "auth.user": users["outsider"],
        "axes.accessattempt": attempt,
        "axes.accesslog": AccessLog.objects.create(username="someone", ip_address="10.0.0.1"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.1"
        ),
        "interviews.site": Site.objects.get(code="pall_mall"),
        "interviews.interviewsession": verified,
        "interviews.consentformversion": ConsentFormVersion.objects.get(label="v1"),
        "interviews.consentrecord": ConsentRecord.objects.get(session=verified),
        "interviews.withdrawal": withdrawal,
        "interviews.sessionaccess": SessionAccess.objects.create(
            session=verified, user=pair, path="/interviews/"
        ),
        "interviews.loginlockout": LogInLockout.objects.get(pk=attempt.pk),
        "interviews.evaluation": Evaluation.objects.get(code="loneliness-2018"),
        "interviews.quote": quote,
        "themes.theme": Theme.objects.order_by("order").first(),
        "themes.subtheme": SubTheme.objects.get(code="safe_spaces"),
        "themes.tag": tag,
        "themes.reportsettings": ReportSettings.objects.get(evaluation__code="loneliness-2018"),
        "themes.exportrecord": ExportRecord.objects.create(
            file="quotes", made_by=users["analyst"], channel=ExportRecord.Channel.DOWNLOAD
        ),
        "themes.memo": Memo.objects.create(
            evaluation=Evaluation.objects.get(code="loneliness-2018"),
            subtheme=SubTheme.objects.get(code="safe_spaces"),
            text="A memo.",
            written_by=users["analyst"],
        ),
        "themes.codinground": rounds["open"],
    }
    return {
        "users": users,
        "logins": {actor: logged_in(user) for actor, user in users.items()},
        "sessions": {"draft": draft, "submitted": submitted, "verified": verified},
        "rounds": rounds,
        "quote": quote,
        "objects": objects,
    }


def logged_in(user) -> str:
    """A session key for ``user``, made once for the module: logging in afresh for each of
    the thousands of requests would cost more than most of the requests themselves. What a
    request does to its session (a log-out ends it) is undone with the rest of its test."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


# ---------------------------------------------------------------------------------------------
# The requests


def outcome(response) -> str:
    if response.status_code == 302:
        if response.url.startswith(reverse("admin:login") + "?"):
            return ADMIN_LOGIN
        if response.url.startswith(reverse("login") + "?"):
            return LOGIN
    return str(response.status_code)


def admin_object_url(world, key: str, label: str, page: str) -> str:
    obj = world["objects"][label]
    if page in ("changelist", "add"):
        return reverse(key)
    if page == "version":
        return reverse(key, args=[obj.pk, obj.history.earliest().history_id])
    if page == "object":
        return f"{reverse(key.removesuffix('_object') + '_changelist')}{obj.pk}/"
    return reverse(key, args=[obj.pk])


def matrix_url(world, key: str, line: Row) -> str:
    kwargs = dict(URL_KWARGS.get(key, {}))
    if line.session:
        # The interviewers' pages name the session pk, the admin's pages object_id.
        name = "object_id" if key.startswith("admin:") else "pk"
        kwargs[name] = world["sessions"][line.session].pk
    if key == "admin:view_on_site":
        session = world["sessions"]["verified"]
        kwargs = {
            "content_type_id": ContentType.objects.get_for_model(session).pk,
            "object_id": session.pk,
        }
    if key == "admin:auth_user_password_change":
        kwargs = {"id": world["users"]["outsider"].pk}
    if key == "admin:interviews_quote_exemplar":
        kwargs = {"object_id": world["objects"]["interviews.quote"].pk}
    if key in ROUND_PAGES:
        kwargs = {"object_id": world["rounds"][ROUND_PAGES[key]].pk}
        if key == "admin:themes_codinground_settle":
            kwargs["quote_id"] = world["quote"].pk
    if key == "admin:catch_all":
        return reverse("admin:index") + kwargs["url"]
    return reverse(key, kwargs=kwargs or None)


def expected_admin(label: str, page: str, method: str, actor: str) -> str:
    if method not in ("GET", "POST"):
        return ADMIN_OTHER_METHODS[ACTORS.index(actor)]
    if actor == "anonymous":
        # LoginRequiredMiddleware answers before the admin does.
        return LOGIN
    if actor in ("outsider", "pair"):
        return ADMIN_LOGIN
    if page == "object":
        return ADMIN_ALLOWED_STATUS[("object", method)]
    cell = ADMIN_TABLE[label][ADMIN_PAGES.index(page)]
    may_get, _, may_post = cell.partition("/")
    who = may_get if method == "GET" else (may_post or may_get)
    if actor[0].upper() in who:
        return ADMIN_ALLOWED_STATUS.get((label, page, method), "200")
    return "403"


def cases():
    for key, line in MATRIX.items():
        for method in METHODS:
            for actor, expected in zip(ACTORS, line.outcomes[method], strict=True):
                yield pytest.param(key, method, actor, expected, id=f"{key}-{method}-{actor}")
    for key, (label, page) in admin_model_urls().items():
        for method in METHODS:
            for actor in ACTORS:
                expected = expected_admin(label, page, method, actor)
                yield pytest.param(key, method, actor, expected, id=f"{key}-{method}-{actor}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method", "actor", "expected"), list(cases()))
def test_who_reaches_what(client, world, key, method, actor, expected):
    if actor != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["logins"][actor]
    if key in MATRIX:
        url = matrix_url(world, key, MATRIX[key])
    else:
        label, page = admin_model_urls()[key]
        url = admin_object_url(world, key, label, page)
    response = client.generic(method, url)
    assert outcome(response) == expected, f"{method} {url} as {actor}: {outcome(response)}"


def test_a_refused_admin_write_changes_nothing(client, db):
    """The matrix's refused POSTs are refused before anything is read from the form."""
    analyst = AnalystFactory()
    site_count = Site.objects.count()
    client.force_login(analyst)
    response = client.post(reverse("admin:interviews_site_add"), {"code": "x", "label": "X"})
    assert response.status_code == 403
    assert Site.objects.count() == site_count
