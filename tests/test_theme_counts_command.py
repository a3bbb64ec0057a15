"""The theme-count summary made visible: the unmanaged model over it, ``manage.py theme_counts
--check | --rebuild``, and the system check that its trigger functions and triggers exist."""

import importlib
import io
import re
import threading

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from tests.analysis_data import build, interview, subtheme
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory
from themes import summary
from themes.exports_pg import _unpack
from themes.models import SubTheme, Tag, ThemeCountSummary

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the summary is PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="on PostgreSQL the summary is there"
)


def rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM themes_theme_count_summary ORDER BY session_id, question_id")
        return cursor.fetchall()


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def theme_counts(*args: str) -> str:
    out = io.StringIO()
    call_command("theme_counts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(analyst):
    return build(analyst)


@pytest.mark.parametrize(
    ("migration", "functions", "triggers"),
    [
        (summary.MIGRATION, summary.FUNCTIONS, summary.TRIGGERS),
        (summary.ANSWERS_MIGRATION, summary.ANSWERS_FUNCTIONS, summary.ANSWERS_TRIGGERS),
    ],
    ids=["0008", "0017"],
)
def test_the_lists_of_functions_and_triggers_are_the_migrations(migration, functions, triggers):
    """The system check looks for what migrations 0008 and 0017 create: no more, no less."""
    module = importlib.import_module(f"themes.migrations.{migration[1]}")
    sql = module.CREATE
    assert set(re.findall(r"CREATE FUNCTION (\w+)", sql)) == set(functions)
    created = re.findall(r"CREATE TRIGGER (\w+) .*? ON (\w+)", sql, flags=re.DOTALL)
    assert set(created) == set(triggers)
    assert len(triggers) == len(set(triggers))


@on_postgresql
@pytest.mark.django_db
def test_the_model_reads_the_table(data):
    session = data["quotes"][0].session
    mine = ThemeCountSummary.objects.filter(session=session).order_by("question_id")
    assert [(r.session_id, r.question_id, r.answer) for r in mine] == [
        row[:3] for row in rows() if row[0] == session.pk
    ]
    whole = mine.get(question_id=ThemeCountSummary.WHOLE_INTERVIEW)
    subthemes = list(SubTheme.objects.order_by("pk").values_list("pk", flat=True))
    quotes = _unpack(whole.subtheme_quotes, subthemes)
    safe_spaces = subtheme("safe_spaces").pk
    assert (
        quotes[safe_spaces]
        == Tag.objects.filter(quote__session=session, subtheme_id=safe_spaces).count()
    )


@on_postgresql
@pytest.mark.django_db
def test_check_passes_on_a_correct_table(data):
    before = rows()
    output = theme_counts("--check")
    assert "matches a recount from the tags" in output
    assert f"{len(before)} rows for " in output
    assert rows() == before


@on_postgresql
@pytest.mark.django_db
def test_check_fails_on_a_corrupted_table_says_what_differs_and_changes_nothing(data):
    session = data["quotes"][0].session
    # One more quote for the sub-theme in slot 0, on the whole-interview row.
    execute(
        "UPDATE themes_theme_count_summary SET subtheme_quotes = subtheme_quotes + 1 "
        f"WHERE session_id = {session.pk} AND question_id = 0"
    )
    execute(
        "DELETE FROM themes_theme_count_summary "
        f"WHERE session_id = {session.pk} AND question_id <> 0"
    )
    execute("INSERT INTO themes_theme_count_summary VALUES (987654, 0, NULL, 1, 1, 1, 1)")
    corrupted = rows()
    out = io.StringIO()
    with pytest.raises(CommandError, match="differ from a recount"):
        call_command("theme_counts", "--check", stdout=out)
    first = SubTheme.objects.order_by("pk").first()
    had = Tag.objects.filter(quote__session=session, subtheme=first).count()
    assert out.getvalue().splitlines()[:2] == [
        f"interview {session.participant_code}, the whole interview: sub-theme {first.code}: "
        f"quotes {had + 1} in the table, {had} in a recount.",
        f"interview {session.participant_code}, question companionship: missing from the table; "
        "a recount has it.",
    ]
    assert (
        "interview id 987654 (no longer there), the whole interview: in the table, but a "
        "recount has no such row." in out.getvalue()
    )
    assert rows() == corrupted, "the check only looks"


@on_postgresql
@pytest.mark.django_db
def test_check_says_when_the_answers_kept_for_an_interview_differ(data):
    session = data["quotes"][0].session
    execute(
        """UPDATE themes_theme_count_summary SET options = '{"1": 2}' """
        f"WHERE session_id = {session.pk} AND question_id = 0"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 row of the theme-count summary differs"):
        call_command("theme_counts", "--check", stdout=out)
    line = out.getvalue().splitlines()[0]
    assert line.startswith(f"interview {session.participant_code}, the whole interview: answers ")
    assert '"1": 2' in line and "in the table, " in line and line.endswith(" in a recount.")


@on_postgresql
@pytest.mark.django_db
def test_check_says_when_a_number_is_not_a_packed_one(data):
    session = data["quotes"][0].session
    execute(
        "UPDATE themes_theme_count_summary SET theme_people = -1 "
        f"WHERE session_id = {session.pk} AND question_id = 0"
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("theme_counts", "--check", stdout=out)
    assert "theme participants -1 in the table, " in out.getvalue()
    assert "in a recount (packed)." in out.getvalue()


@on_postgresql
@pytest.mark.django_db
def test_check_shows_the_first_differences_and_counts_the_rest(data, monkeypatch):
    monkeypatch.setattr(summary, "SHOWN_DIFFERENCES", 2)
    execute("DELETE FROM themes_theme_count_summary")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^\d+ rows of the theme-count summary differ"):
        call_command("theme_counts", "--check", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert re.fullmatch(r"… and \d+ more\.", lines[2])


@on_postgresql
@pytest.mark.django_db
def test_rebuild_fixes_a_corrupted_table(data):
    correct = rows()
    execute("UPDATE themes_theme_count_summary SET answer = 'often', theme_quotes = 0")
    execute(f"DELETE FROM themes_theme_count_summary WHERE session_id = {correct[0][0]}")
    output = theme_counts("--rebuild")
    assert "answer 'often' in the table, " in output
    assert f"Recounted the theme-count summary: {len(correct)} rows for " in output
    assert re.search(r"; \d+ were different\.$", output.strip())
    assert rows() == correct
    assert "matches a recount" in theme_counts("--check")
    assert "none changed" in theme_counts("--rebuild")


@on_postgresql
def test_rebuild_while_someone_is_tagging_counts_their_tag(reference_data, analyst):
    """A rebuild at any time: it waits for a tagging in progress, and then counts it."""
    pair = (InterviewerFactory(), InterviewerFactory())
    session = interview("LSI-030", pair=pair, answers={"help": "often"})
    quote = QuoteFactory(session=session, item="help")
    TagFactory(quote=quote, subtheme=subtheme("other_networks"), tagged_by=analyst)
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    safe_spaces = subtheme("safe_spaces").pk
    errors: list[Exception] = []
    outputs: list[str] = []

    def rebuild():
        from django.db import connection as own

        try:
            outputs.append(theme_counts("--rebuild"))
        except Exception as error:  # reported below, on the test's own thread
            errors.append(error)
        finally:
            own.close()

    with psycopg.connect(conninfo) as tagging:
        tagging.execute(
            "INSERT INTO themes_tag (quote_id, subtheme_id, tagged_by_id, tagged_at) "
            "VALUES (%s, %s, %s, now())",
            (quote.pk, safe_spaces, analyst.pk),
        )
        worker = threading.Thread(target=rebuild)
        worker.start()
        worker.join(timeout=1)
        assert worker.is_alive(), "the rebuild waits for the tagging"
        tagging.commit()
        worker.join(timeout=60)
    assert not errors
    assert "none changed" in outputs[0]
    whole = ThemeCountSummary.objects.get(
        session=session, question_id=ThemeCountSummary.WHOLE_INTERVIEW
    )
    units = list(SubTheme.objects.order_by("pk").values_list("pk", flat=True))
    assert _unpack(whole.subtheme_quotes, units) == {
        subtheme("other_networks").pk: 1,
        safe_spaces: 1,
    }
    assert "matches a recount" in theme_counts("--check")


@on_sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("action", ["--check", "--rebuild"])
def test_on_sqlite_it_says_the_table_is_postgresqls(action):
    assert "The theme-count summary table is PostgreSQL's" in theme_counts(action)


def test_it_asks_for_check_or_rebuild():
    with pytest.raises(CommandError, match="one of the arguments --check --rebuild is required"):
        call_command("theme_counts")


# ---------------------------------------------------------------------------------------------
# The system check


@on_postgresql
@pytest.mark.django_db
def test_system_check_passes_when_everything_is_there():
    assert summary.check_summary_objects(databases=["default"]) == []
    call_command("check", "--database", "default", stdout=io.StringIO())


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sql", "missing"),
    [
        ("DROP FUNCTION themes_summary_refresh(bigint[])", "function themes_summary_refresh"),
        ("DROP FUNCTION themes_summary_after_tags() CASCADE", "function themes_summary_after_tags"),
        (
            "DROP TRIGGER themes_quote_summary_delete ON interviews_quote",
            "trigger themes_quote_summary_delete on interviews_quote",
        ),
        (
            "ALTER TABLE themes_tag DISABLE TRIGGER themes_tag_summary_insert",
            "trigger themes_tag_summary_insert on themes_tag (disabled)",
        ),
        ("DROP TABLE themes_theme_count_summary", "table themes_theme_count_summary"),
        (
            "DROP TRIGGER themes_summary_whole_answers ON themes_theme_count_summary",
            "trigger themes_summary_whole_answers on themes_theme_count_summary",
        ),
        ("DROP FUNCTION themes_summary_options(bigint)", "function themes_summary_options"),
    ],
    ids=[
        "function",
        "function-and-its-triggers",
        "trigger",
        "disabled",
        "table",
        "answers-trigger",
        "answers-function",
    ],
)
def test_system_check_fails_when_something_is_dropped(sql, missing):
    execute(sql)  # inside the test's transaction: rolled back after it
    errors = summary.check_summary_objects(databases=["default"])
    assert [error.id for error in errors] == ["themes.E001"]
    assert errors[0].msg.startswith("The theme-count summary's database objects are missing: ")
    assert missing in errors[0].msg
    assert "manage.py theme_counts --rebuild" in errors[0].hint
    with pytest.raises(SystemCheckError, match=r"themes\.E001"):
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match=re.escape(missing)):
        theme_counts("--check")


@on_postgresql
@pytest.mark.django_db
def test_system_check_passes_on_a_database_not_migrated_that_far():
    """migrate runs the database checks before it migrates: a fresh database has nothing yet."""
    execute("DROP FUNCTION themes_summary_refresh(bigint[])")
    execute("DELETE FROM django_migrations WHERE app = 'themes' AND name > '0002'")
    assert summary.check_summary_objects(databases=["default"]) == []


@on_postgresql
@pytest.mark.django_db
def test_system_check_wants_0017s_objects_only_once_it_has_run():
    """A database at 0008 but not yet at 0017 (being upgraded) lacks nothing yet; migrate runs
    the check before it migrates, so wanting 0017's objects there would stop the upgrade."""
    execute("DROP TRIGGER themes_summary_whole_answers ON themes_theme_count_summary")
    execute("DROP FUNCTION themes_summary_whole_answers()")
    execute("DROP FUNCTION themes_summary_options(bigint) CASCADE")
    execute("DELETE FROM django_migrations WHERE app = 'themes' AND name >= '0017'")
    assert summary.check_summary_objects(databases=["default"]) == []


@on_sqlite
@pytest.mark.django_db
def test_system_check_has_nothing_to_check_on_sqlite():
    assert summary.check_summary_objects(databases=["default"]) == []
    call_command("check", "--database", "default", stdout=io.StringIO())


def test_system_check_is_registered_as_a_database_check():
    from django.core.checks import registry

    assert summary.check_summary_objects in registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert "database" in summary.check_summary_objects.tags


@pytest.mark.django_db
@pytest.mark.parametrize("labels", [[], ["themes"]], ids=["everything", "themes"])
def test_dumpdata_leaves_the_summary_out(data, labels):
    """Its rows are the triggers' to make: loading them beside the tags would clash, and on
    SQLite there is no table to read."""
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out)
    assert '"model": "themes.tag"' in out.getvalue()
    assert '"model": "themes.themecountsummary"' not in out.getvalue()
