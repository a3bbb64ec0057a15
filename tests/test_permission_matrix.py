"""Who reaches what: every URL of ``ufm.urls`` × every kind of visitor → the expected answer.

The URL list is read from the URL configuration, so a new view that is not in ``MATRIX`` (or, for
a model added to the admin, not in ``ADMIN_TABLE``) fails ``test_every_url_is_in_the_matrix``.

Visitors ("actors"):
    anonymous    not logged in
    outsider     an interviewer who is not one of the session's pair
    pair         an interviewer of the session (the same person on every session below)
    analyst
    coordinator

Outcomes: a status code as text ("200", "403", …), LOGIN (302 to the app's log-in page) or
ADMIN_LOGIN (302 to the admin's log-in page, which is how the admin refuses interviewers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interviews.models import ConsentFormVersion, ConsentRecord, LogInLockout, SessionAccess, Site
from interviews.services import sessions as services
from interviews.services.consent import participant_withdraw
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
from themes.models import ExportRecord, SubTheme, Theme

LOGIN = "login"
ADMIN_LOGIN = "admin login"
ACTORS = ("anonymous", "outsider", "pair", "analyst", "coordinator")


@dataclass(frozen=True)
class Row:
    """One URL: the session it is opened for (if any), then the outcome for each actor, in
    the order of ACTORS, for GET and (where the view writes) for an empty POST."""

    get: tuple[str, ...]
    post: tuple[str, ...] | None = None
    session: str | None = None


def row(get: str, post: str | None = None, *, on: str | None = None) -> Row:
    """``row("L 404 200 403 403", ...)``: one word per actor; L is LOGIN, AL is ADMIN_LOGIN."""

    def parse(words: str) -> tuple[str, ...]:
        short = {"L": LOGIN, "AL": ADMIN_LOGIN}
        outcomes = tuple(short.get(w, w) for w in words.split())
        assert len(outcomes) == len(ACTORS), words
        return outcomes

    return Row(parse(get), parse(post) if post else None, on)


# Sessions the interviewer pages are opened on; "pair" is interviewer 1 of each.
#   draft       consent recorded, nothing answered yet
#   submitted   complete, submitted by the partner, so the pair interviewer is its checker
#   verified    complete and verified (coordinators may reopen it)
#
# An empty POST never writes: it shows who gets as far as the view's own checks (400 "not
# understood", 409 "not in this state"; a form page shows the empty form again, 200).
# fmt: off
MATRIX: dict[str, Row] = {
    # URL name                      GET, then POST: anonymous outsider pair analyst coordinator
    "home":                          row("L 302 302 200 200"),
    "login":                         row("200 302 302 302 302", "200 302 302 302 302"),
    "logout":                        row("L 405 405 405 405", "L 302 302 302 302"),
    "healthz":                       row("200 200 200 200 200"),
    "interviews:my_interviews":      row("L 200 200 403 403"),
    "interviews:start":              row("L 200 200 403 403", "L 200 200 403 403"),
    "interviews:session":            row("L 404 302 403 403", on="draft"),
    "interviews:consent":            row("L 404 200 403 403", "L 404 409 403 403", on="draft"),
    "interviews:section":            row("L 404 200 403 403", "L 404 400 403 403", on="draft"),
    "interviews:autosave":           row("L 405 405 405 405", "L 404 400 403 403", on="draft"),
    "interviews:review":             row("L 404 200 403 403", "L 404 400 403 403", on="draft"),
    "interviews:check":              row("L 404 200 403 403", "L 404 400 403 403", on="submitted"),
    "interviews:reopen":             row("L 403 403 403 200", "L 403 403 403 200", on="verified"),
    # The admin's own pages, and the extra pages of the admin classes.
    "admin:index":                   row("AL AL AL 200 200"),
    "admin:login":                   row("200 200 200 302 302"),
    "admin:logout":                  row("AL 302 302 405 405", "AL 302 302 302 302"),
    "admin:password_change":         row("AL AL AL 200 200"),
    "admin:password_change_done":    row("AL AL AL 200 200"),
    # Without its parameters the autocomplete refuses everyone.
    "admin:autocomplete":            row("AL AL AL 403 403"),
    "admin:jsi18n":                  row("AL AL AL 200 200"),
    # The session's "view on site" link leads to its interviewer page (which checks the pair).
    "admin:view_on_site":            row("AL AL AL 302 302"),
    "admin:app_list":                row("AL AL AL 200 200"),
    "admin:catch_all":               row("AL AL AL 404 404"),
    "admin:interviews_interviewsession_withdraw": row("L AL AL 403 200", "L AL AL 403 400"),
    "admin:interviews_interviewsession_identifiers": row("L AL AL 403 200"),
    "admin:themes_exports":          row("L AL AL 200 200", "L AL AL 200 200"),
    "admin:themes_import_interviews": row("L AL AL 200 200", "L AL AL 200 200"),
    "admin:themes_import_tags":      row("L AL AL 200 403", "L AL AL 200 403"),
    "admin:auth_user_password_change": row("L AL AL 403 200", "L AL AL 403 200"),
}
# fmt: on
# The other parts of the URLs above.
URL_KWARGS = {
    "interviews:section": {"slug": "feel"},
    "admin:app_list": {"app_label": "interviews"},
    "admin:catch_all": {"url": "nowhere/"},
}

# Who may open each admin page of each registered model: A analyst, C coordinator, "-" nobody
# but a superuser. "change" is the object's own page (read-only for those who may only view);
# "history" covers the history list and simple-history's page for one past version.
# fmt: off
ADMIN_TABLE: dict[str, tuple[str, str, str, str, str]] = {
    # model                           changelist  add   change  delete  history
    "auth.user":                      ("C",       "C",  "C",    "-",    "C"),
    "axes.accessattempt":             ("-",       "-",  "-",    "-",    "-"),
    "axes.accesslog":                 ("-",       "-",  "-",    "-",    "-"),
    "axes.accessfailurelog":          ("-",       "-",  "-",    "-",    "-"),
    "interviews.site":                ("AC",      "C",  "AC",   "-",    "AC"),
    "interviews.interviewsession":    ("AC",      "-",  "AC",   "-",    "AC"),
    "interviews.consentformversion":  ("C",       "C",  "C",    "-",    "C"),
    "interviews.consentrecord":       ("C",       "-",  "C",    "-",    "C"),
    "interviews.withdrawal":          ("C",       "C",  "C",    "-",    "C"),
    "interviews.sessionaccess":       ("C",       "-",  "C",    "-",    "C"),
    "interviews.loginlockout":        ("C",       "-",  "C",    "-",    "C"),
    "interviews.quote":               ("AC",      "-",  "AC",   "-",    "AC"),
    "themes.theme":                   ("AC",      "C",  "AC",   "-",    "AC"),
    "themes.subtheme":                ("AC",      "C",  "AC",   "-",    "AC"),
    "themes.tag":                     ("AC",      "-",  "AC",   "A",    "AC"),
    "themes.exportrecord":            ("AC",      "-",  "AC",   "-",    "AC"),
}
# fmt: on
ADMIN_PAGES = ("changelist", "add", "change", "delete", "history")
# Allowed, but answered with a redirect rather than a page.
ADMIN_ALLOWED_STATUS = {
    # Withdrawals are recorded on the withdrawal page, which shows what will be deleted first.
    ("interviews.withdrawal", "add"): "302",
    # admin/<app>/<model>/<id>/ only sends on to the object's change page.
    "object": "302",
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
    keys = {}
    routes = {key for key, _ in url_patterns()}
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for page in ADMIN_PAGES:
            keys[f"{base}_{page}"] = (label, page)
        keys[f"{base}_simple_history"] = (label, "history")
        keys[f"{base}_object"] = (label, "object")
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
        Theme.objects.order_by("order").first(),
        SubTheme.objects.get(code="safe_spaces"),
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
        "interviews.quote": quote,
        "themes.theme": Theme.objects.order_by("order").first(),
        "themes.subtheme": SubTheme.objects.get(code="safe_spaces"),
        "themes.tag": tag,
        "themes.exportrecord": ExportRecord.objects.create(
            file="quotes", made_by=users["analyst"], channel=ExportRecord.Channel.DOWNLOAD
        ),
    }
    return {
        "users": users,
        "sessions": {"draft": draft, "submitted": submitted, "verified": verified},
        "objects": objects,
    }


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
    if key.endswith("_simple_history"):
        return reverse(key, args=[obj.pk, obj.history.earliest().history_id])
    if page == "object":
        return f"{reverse(key.removesuffix('_object') + '_changelist')}{obj.pk}/"
    return reverse(key, args=[obj.pk])


def matrix_url(world, key: str, line: Row) -> str:
    kwargs = dict(URL_KWARGS.get(key, {}))
    if line.session:
        kwargs["pk"] = world["sessions"][line.session].pk
    if key == "admin:view_on_site":
        session = world["sessions"]["verified"]
        kwargs = {
            "content_type_id": ContentType.objects.get_for_model(session).pk,
            "object_id": session.pk,
        }
    if key == "admin:auth_user_password_change":
        kwargs = {"id": world["users"]["outsider"].pk}
    if key == "admin:catch_all":
        return reverse("admin:index") + kwargs["url"]
    return reverse(key, kwargs=kwargs or None)


def expected_admin(label: str, page: str, actor: str) -> str:
    if actor == "anonymous":
        # LoginRequiredMiddleware answers before the admin does.
        return LOGIN
    if actor in ("outsider", "pair"):
        return ADMIN_LOGIN
    if page == "object":
        return ADMIN_ALLOWED_STATUS["object"]
    who = ADMIN_TABLE[label][ADMIN_PAGES.index(page)]
    if actor[0].upper() in who:
        return ADMIN_ALLOWED_STATUS.get((label, page), "200")
    return "403"


def cases():
    for key, line in MATRIX.items():
        for actor, expected in zip(ACTORS, line.get, strict=True):
            yield pytest.param(key, "get", actor, expected, id=f"{key}-GET-{actor}")
        for actor, expected in zip(ACTORS, line.post or (), strict=False):
            yield pytest.param(key, "post", actor, expected, id=f"{key}-POST-{actor}")
    for key, (label, page) in admin_model_urls().items():
        for actor in ACTORS:
            expected = expected_admin(label, page, actor)
            yield pytest.param(key, "get", actor, expected, id=f"{key}-GET-{actor}")
            if page in ("add", "change", "delete") and expected in ("403", LOGIN, ADMIN_LOGIN):
                # Refused writes; the allowed ones are tested with their admin pages.
                yield pytest.param(key, "post", actor, expected, id=f"{key}-POST-{actor}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method", "actor", "expected"), list(cases()))
def test_who_reaches_what(client, world, key, method, actor, expected):
    if actor != "anonymous":
        client.force_login(world["users"][actor])
    if key in MATRIX:
        url = matrix_url(world, key, MATRIX[key])
    else:
        label, page = admin_model_urls()[key]
        url = admin_object_url(world, key, label, page)
    response = getattr(client, method)(url)
    assert outcome(response) == expected, f"{method.upper()} {url} as {actor}: {outcome(response)}"


def test_a_refused_admin_write_changes_nothing(client, db):
    """The matrix's refused POSTs are refused before anything is read from the form."""
    analyst = AnalystFactory()
    site_count = Site.objects.count()
    client.force_login(analyst)
    response = client.post(reverse("admin:interviews_site_add"), {"code": "x", "label": "X"})
    assert response.status_code == 403
    assert Site.objects.count() == site_count
