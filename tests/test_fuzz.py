"""Bad input never hurts: random and malformed CSV files at both imports (functions, commands,
admin upload pages) and random posts at the interviewers' pages and autosave.

Whatever comes in: never an unhandled exception (so never a 500: exceptions propagate out of
the test client and fail the test loudly), never a partial write, always a message.

Each example runs inside its own savepoint, rolled back at its end, so that an example that
happens to be valid does not change what the next one starts from.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interviews.interview_import import interviews_import
from interviews.models import Evaluation, InterviewSession
from interviews.schedules import Schedule, schedule_of
from interviews.selectors import all_fields, section_fields, session_values
from interviews.services import sessions as services
from tests.factories import (
    AnalystFactory,
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    QuoteFactory,
    complete_session,
)
from tests.test_import_limits import ROW as LONELINESS_ROW
from themes.tag_import import tags_import
from ufm.import_rows import ImportFailed, decode

pytestmark = pytest.mark.django_db

# FUZZ_EXAMPLES=500 for a longer hunt than the suite's.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "interviews-example.csv"
PAGE_STATUSES = {200, 302, 400, 403, 404, 405, 409, 413}
# The columns of loneliness-2018's interviews.csv, in order.
INTERVIEW_COLUMNS = tuple(LONELINESS_ROW)

# What breaks parsers and databases: NUL (PostgreSQL refuses it in text), other control
# characters, digits that are not ASCII, numbers too big for any integer column, CSV quoting,
# formula prefixes, right-to-left marks, very long cells.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r",
    "\n",
    "\r\n",
    '"',
    '""',
    ",",
    ";",
    ";;",
    "²",
    "٣",
    "-1",
    "0",
    "99999999999999999999999",
    "1e9",
    "=HYPERLINK(1)",
    "\u202e",
    "\ufeff",
    "x" * 6000,
    "LSI-001",
    "2018-02-30",
    "9999-12-31",
]
# Text as people and files produce it: no lone surrogates (they cannot be in a UTF-8 file or
# a form post), otherwise anything.
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def content_counts() -> dict[str, int]:
    """Rows of every table of the two content apps (history included), but the access log,
    which a page view adds to by design, and the theme-count summary (unmanaged: PostgreSQL's
    triggers keep it from the tags, which are counted)."""
    return {
        model._meta.label: model.objects.count()
        for app in ("interviews", "themes")
        for model in apps.get_app_config(app).get_models()
        if model._meta.model_name != "sessionaccess" and model._meta.managed
    }


# ---------------------------------------------------------------------------------------------
# CSV files


def example_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"), newline="")))


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def interview_files(draw) -> str:
    """interviews.csv: the example's rows with some cells, columns or lines spoiled."""
    header = list(INTERVIEW_COLUMNS)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 4)) == 0:
        del header[draw(st.integers(0, len(header) - 1))]
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(TEXT))
    base = example_rows()
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        record = dict(draw(st.sampled_from(base)))
        for column in draw(st.lists(st.sampled_from(INTERVIEW_COLUMNS), max_size=4)):
            record[column] = draw(TEXT)
        cells = [record.get(c, "") for c in header]
        if draw(st.integers(0, 5)) == 0:
            cells = cells[: draw(st.integers(0, len(cells)))]
        rows.append(cells)
    text = to_csv(header, rows)
    if draw(st.integers(0, 5)) == 0:
        # A line of garbage somewhere, unbalanced quotes included.
        lines = text.split("\r\n")
        lines.insert(draw(st.integers(0, len(lines))), draw(TEXT) + '"')
        text = "\r\n".join(lines)
    return text


@st.composite
def tag_files(draw) -> str:
    header = draw(st.sampled_from([["quote_id", "tags"], ["tags", "quote_id"], ["quote_id"], []]))
    codes = ["safe_spaces", "living_with_others", "other_networks", "nope", ""]
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        quote_id = draw(
            st.one_of(
                st.sampled_from(TAG_IDS).map(str),
                st.integers(-5, 10**20).map(str),
                TEXT,
            )
        )
        tags = ";".join(draw(st.lists(st.one_of(st.sampled_from(codes), TEXT), max_size=3)))
        record = {"quote_id": quote_id, "tags": tags}
        rows.append([record[c] for c in header])
    return to_csv(header, rows)


# Filled in by the ``taggable`` fixture: ids of real quotes, for the tag files.
TAG_IDS: list[int] = []


@pytest.fixture
def import_data(db):
    for name in ("interviewer_a", "interviewer_b", "interviewer_c"):
        InterviewerFactory(username=name)
    analyst = AnalystFactory()
    verified = complete_session()
    quote = QuoteFactory(session=verified)
    services.session_submit(session=verified, user=verified.interviewer_1)
    services.session_verify(session=verified, user=verified.interviewer_2)
    draft_quote = QuoteFactory(session=ConsentRecordFactory().session)
    TAG_IDS[:] = [quote.pk, draft_quote.pk]
    return analyst


def assert_refused_or_whole(run, before: dict[str, int]) -> None:
    """The import either succeeds whole or is refused with problems and writes nothing."""
    try:
        result = run()
    except ImportFailed as failed:
        assert failed.problems
        assert all(str(problem).strip() for problem in failed.problems)
        assert content_counts() == before
    else:
        assert result.rows >= 0


# Inputs that were 500s once (see the regression tests in test_imports.py).
OVER_THE_CSV_LIMIT = ",".join(INTERVIEW_COLUMNS) + '\n"' + "x" * 200_000
WITH_NUL = EXAMPLE.read_text(encoding="utf-8").replace("hardly talk", "hardly\x00 talk")


@FUZZ
@given(text=interview_files())
@example(text=OVER_THE_CSV_LIMIT)
@example(text=WITH_NUL)
def test_interviews_import_refuses_bad_files_whole(import_data, text):
    with rolled_back():
        before = content_counts()
        assert_refused_or_whole(
            lambda: interviews_import(text=text, file_name="fuzz.csv", user=None), before
        )


@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(repr)))
def test_imports_refuse_any_text_whole(import_data, text):
    with rolled_back():
        before = content_counts()
        assert_refused_or_whole(
            lambda: interviews_import(text=text, file_name="fuzz.csv", user=None), before
        )
        assert_refused_or_whole(lambda: tags_import(text=text, user=import_data), before)


@FUZZ
@given(text=tag_files())
@example(text="quote_id,tags\n²,safe_spaces\n")
@example(text="quote_id,tags\n99999999999999999999999,safe_spaces\n")
def test_tags_import_refuses_bad_files_whole(import_data, text):
    with rolled_back():
        before = content_counts()
        assert_refused_or_whole(lambda: tags_import(text=text, user=import_data), before)


@FUZZ
@given(data=st.binary(max_size=200))
def test_decoding_any_bytes_gives_text_or_a_problem(data):
    try:
        assert isinstance(decode(data), str)
    except ImportFailed as failed:
        assert "UTF-8" in str(failed.problems[0])


@settings(FUZZ, max_examples=15)
@given(data=st.one_of(interview_files().map(lambda t: t.encode()), st.binary(max_size=200)))
def test_the_import_commands_refuse_bad_files_with_a_message(import_data, tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    with rolled_back():
        before = content_counts()
        for command, options in (
            ("import_interviews", {}),
            ("import_tags", {"user": import_data.username}),
        ):
            try:
                call_command(command, str(path), stdout=io.StringIO(), **options)
            except CommandError as error:
                assert str(error).strip()
                assert content_counts() == before
            before = content_counts()


@settings(FUZZ, max_examples=15)
@given(data=st.one_of(interview_files().map(lambda t: t.encode()), st.binary(max_size=200)))
def test_the_upload_pages_answer_bad_files_with_a_message(import_data, client, data):
    client.force_login(import_data)
    for name in ("admin:interviews_interviewsession_import", "admin:themes_import_tags"):
        with rolled_back():
            before = content_counts()
            upload = SimpleUploadedFile("fuzz.csv", data, content_type="text/csv")
            response = client.post(reverse(name), {"file": upload})
            assert response.status_code == 200
            page = response.content.decode()
            # A dry run: nothing is saved until "Import" is pressed.
            assert content_counts() == before
            assert (
                "There is a problem" in page
                or "The file is fine" in page
                or "errornote" in page
                or "ufm-error-summary" in page
            )


# ---------------------------------------------------------------------------------------------
# The interviewers' pages


@pytest.fixture
def pair_draft(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    return session


def stored(session: InterviewSession) -> tuple[dict, int]:
    fresh = InterviewSession.objects.get(pk=session.pk)
    return session_values(fresh), fresh.version


def loneliness() -> Schedule:
    """The schedule the fuzzed session runs. Read when a strategy is first drawn (inside a
    test, where the database is open): keys and codes come from the evaluation, not from
    names written here."""
    return schedule_of(Evaluation.objects.get(code="loneliness-2018"))


def _answer_codes() -> list[str]:
    return sorted({o.code for q in loneliness().select_questions for o in q.options})


def _tick_codes() -> list[str]:
    return sorted({o.code for q in loneliness().select_questions if q.many for o in q.options})


def _quote_codes() -> list[str]:
    return [q.code for q in loneliness().quote_questions]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
# Values as the pages send them, and values no page would send.
FIELD_VALUE = st.one_of(
    st.deferred(lambda: st.sampled_from(_answer_codes())),
    st.lists(TEXT, max_size=3),
    st.lists(st.deferred(lambda: st.sampled_from(_tick_codes())), max_size=3),
    JSON,
    # Lone surrogates arrive inside JSON as "\\ud800" escapes.
    st.sampled_from(["\ud800", ["\udfff quote"]]),
)
# JSON nested deeper than any page sends, up to past Python's recursion limit.
DEEP_JSON = st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * depth)
FIELD = st.one_of(st.deferred(lambda: st.sampled_from(all_fields(loneliness()))), TEXT)
CHANGES = st.dictionaries(
    FIELD,
    st.one_of(st.fixed_dictionaries({"old": FIELD_VALUE, "new": FIELD_VALUE}), JSON),
    max_size=4,
)


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {"version": st.one_of(st.integers(), JSON), "changes": st.one_of(CHANGES, JSON)}
        ).map(json.dumps),
        JSON.map(json.dumps),
        st.text(max_size=50),
        DEEP_JSON,
    )
)
@example(body="[" * 100_000 + "]" * 100_000)
@example(
    body=json.dumps({"version": 0, "changes": {"quotes:help": {"old": [], "new": ["\ud800"]}}})
)
@example(body=json.dumps({"version": 0, "changes": {"quotes:help": {"old": [], "new": ["\x00"]}}}))
def test_autosave_answers_anything_without_a_500(client, pair_draft, body):
    with rolled_back():
        before = stored(pair_draft)
        response = client.post(
            reverse("interviews:autosave", args=[pair_draft.pk]),
            body.encode("utf-8", "surrogatepass"),
            content_type="application/json",
        )
        assert response.status_code in PAGE_STATUSES
        if response.status_code >= 400:
            assert response.json()["error"].strip()
            assert stored(pair_draft) == before


def form_posts(slug: str) -> st.SearchStrategy[dict]:
    return st.deferred(lambda: _form_posts(slug))


def _form_posts(slug: str) -> st.SearchStrategy[dict]:
    keys = section_fields(loneliness(), slug, with_quotes=True)
    values = st.one_of(TEXT, st.lists(TEXT, max_size=3))
    quote_codes = _quote_codes()
    return st.fixed_dictionaries(
        {},
        optional={
            **{key: values for key in keys},
            "original": st.one_of(JSON.map(json.dumps), TEXT, DEEP_JSON),
            "version": st.one_of(st.integers().map(str), TEXT),
            "go": st.one_of(st.sampled_from(["back", "next", "stay"]), TEXT),
            "add_quote": st.one_of(st.sampled_from(quote_codes), TEXT),
            "remove_quote": st.one_of(st.sampled_from([f"{c}:0" for c in quote_codes]), TEXT),
            "action": st.one_of(st.sampled_from(["verify", "return"]), TEXT),
            "note": TEXT,
        },
    )


def assert_answered(response) -> None:
    assert response.status_code in PAGE_STATUSES
    if response.status_code >= 400:
        page = response.content.decode()
        assert "<h1" in page or "error" in page.lower()


@FUZZ
@given(slug=st.sampled_from(["feel", "helps", "about"]), data=st.data())
def test_section_pages_answer_any_post_without_a_500(client, pair_draft, slug, data):
    post = data.draw(form_posts(slug))
    if data.draw(st.booleans()):
        # The page's own hidden fields, so that more posts get as far as saving.
        post.setdefault("original", json.dumps(session_values(pair_draft)))
        post.setdefault("version", str(pair_draft.version))
    with rolled_back():
        before = stored(pair_draft)
        response = client.post(reverse("interviews:section", args=[pair_draft.pk, slug]), post)
        assert_answered(response)
        if response.status_code >= 400:
            assert stored(pair_draft) == before


@FUZZ
@given(data=st.data())
def test_start_answers_any_post_without_a_500(client, interviewer, partner, data):
    client.force_login(interviewer)
    post = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "participant_code": st.one_of(st.just("LSI-900"), TEXT),
                "interview_date": st.one_of(st.just("2018-04-12"), TEXT),
                "site": st.one_of(st.integers(-1, 10**20).map(str), TEXT),
                "partner": st.one_of(st.just(str(partner.pk)), st.integers().map(str), TEXT),
            },
        )
    )
    with rolled_back():
        before = content_counts()
        response = client.post(reverse("interviews:start"), post)
        assert_answered(response)
        if response.status_code != 302:
            assert content_counts() == before


@FUZZ
@given(data=st.data())
def test_consent_answers_any_post_without_a_500(client, interviewer, partner, data):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    statements = ["information", "voluntary", "pseudonymous", "storage", "quotes"]
    yes_no = st.one_of(st.sampled_from(["yes", "no"]), TEXT)
    post = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "form_version": st.one_of(st.integers().map(str), TEXT),
                "method": st.one_of(st.sampled_from(["signed", "verbal"]), TEXT),
                "consent_date": st.one_of(st.just("2018-04-12"), TEXT),
                "witnessed": st.one_of(st.just("on"), TEXT),
                **{f"statement_{code}": yes_no for code in statements},
            },
        )
    )
    with rolled_back():
        before = content_counts()
        response = client.post(reverse("interviews:consent", args=[session.pk]), post)
        assert_answered(response)
        if response.status_code != 302:
            assert content_counts() == before


@FUZZ
@given(post=form_posts("feel"))
def test_check_and_review_answer_any_post_without_a_500(client, interviewer, partner, post):
    submitted = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=submitted, user=partner)
    draft = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    for name, session in (("interviews:check", submitted), ("interviews:review", draft)):
        with rolled_back():
            before = (stored(session), InterviewSession.objects.get(pk=session.pk).status)
            response = client.post(reverse(name, args=[session.pk]), post)
            assert_answered(response)
            if response.status_code >= 400:
                after = (stored(session), InterviewSession.objects.get(pk=session.pk).status)
                assert after == before
