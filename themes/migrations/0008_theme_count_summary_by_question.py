"""theme_counts.csv on PostgreSQL, for any evaluation: per-interview tag counts kept ready by the
database, on the answer tables of interviews 0014/0015 (0007 dropped 0003's, which read the old
ones).

Counting every tag for every export took about 7 s at 56,000 interviews (900,000 tags); the
target is 1 s. So PostgreSQL keeps, for each interview with tagged quotes, one row per quote
question and one for the whole interview (question_id 0), holding the number of quotes tagged
with each sub-theme and each theme, and whether there are any (``themes_theme_count_summary``).
The export then adds up one row per interview, whatever the filters (``themes.exports_pg``).

The whole interview is question_id 0 rather than NULL: the column is part of the primary key,
which PostgreSQL keeps NOT NULL, and ids start at 1, so 0 never meets a question in a join.

Triggers keep the rows exact in the same transaction as the change, so no path can forget
them: the tag services, a merge, an import, a withdrawal, a quote deleted while a record is
reopened, bulk COPY. The code of each question row's answer (interviews_answer to its
interviews_answeroption) is copied onto the row for the by-answer counts; a used code never
changes (interviews 0015), so the copy cannot go stale that way.

The counts of a row are packed into one number so that a single sum() adds all of them:
the unit in slot k (sub-themes and themes each ranked by id, from 0) is worth 10^(10k). A cell
can reach 9,999,999,999 before it would carry into the next. Deleting a sub-theme or theme, or
moving a sub-theme to another theme, changes the slots, and so rebuilds every row.

SQLite has no such table: there the export counts the tags directly (``themes.export_counts``).

Django knows the table as ``themes.ThemeCountSummary`` (unmanaged, migration 0009). The system
check themes.E001 finds these functions or triggers missing; ``manage.py theme_counts --check``
compares the table with a recount, and ``--rebuild`` recounts it (``themes.summary``).
"""

import importlib

from django.db import migrations

# The same runner as 0003: PostgreSQL only, without parameters so that format()'s % stays.
run_on_postgresql = importlib.import_module(
    "themes.migrations.0003_theme_count_summary"
).run_on_postgresql

SUMMARY = "themes_theme_count_summary"

CREATE = f"""
CREATE TABLE {SUMMARY} (
    session_id bigint NOT NULL,
    -- A quote question (interviews_question.id), or 0 for the whole interview: a key
    -- column cannot be NULL, and no question has the id 0.
    question_id bigint NOT NULL,
    -- The code of the interview's answer to that question (interviews_answeroption.code),
    -- for the by-answer counts; NULL for 0, for an open question and for no answer.
    answer varchar(100),
    subtheme_quotes numeric NOT NULL,
    subtheme_people numeric NOT NULL,
    theme_quotes numeric NOT NULL,
    theme_people numeric NOT NULL,
    -- One row per interview and question; its index serves the triggers, which delete and
    -- update an interview's rows by session_id (and question_id, for answers).
    CONSTRAINT theme_count_summary_pk PRIMARY KEY (session_id, question_id)
);

-- Recount the given interviews, or every interview when sessions is NULL.
CREATE FUNCTION themes_summary_refresh(sessions bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF sessions IS NULL THEN
        -- Waits for refreshes of single interviews to finish, and keeps new ones out.
        LOCK TABLE {SUMMARY} IN EXCLUSIVE MODE;
        DELETE FROM {SUMMARY};
    ELSE
        IF cardinality(sessions) = 0 THEN
            RETURN;
        END IF;
        -- Two analysts tagging quotes of one interview at once would both delete its rows
        -- and insert new ones: the second insert would fail. Take turns per interview.
        PERFORM 1 FROM interviews_interviewsession
            WHERE id = ANY(sessions) ORDER BY id FOR NO KEY UPDATE;
        DELETE FROM {SUMMARY} WHERE session_id = ANY(sessions);
    END IF;
    -- Planned afresh each time (EXECUTE), so one interview's recount reads its tags by
    -- index and a recount of all of them reads the tables once.
    EXECUTE format($insert$
    INSERT INTO {SUMMARY}
        (session_id, question_id, answer, subtheme_quotes, subtheme_people, theme_quotes,
         theme_people)
    WITH subtheme_slot AS (
        SELECT id, theme_id, row_number() OVER (ORDER BY id) - 1 AS slot
        FROM themes_subtheme
    ),
    theme_slot AS (
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM themes_theme
    ),
    tagged AS (
        SELECT q.session_id, q.question_id, t.quote_id, ss.slot AS subtheme, ts.slot AS theme
        FROM themes_tag t
        JOIN interviews_quote q ON q.id = t.quote_id
        JOIN subtheme_slot ss ON ss.id = t.subtheme_id
        JOIN theme_slot ts ON ts.id = ss.theme_id
        WHERE %s
    ),
    per_subtheme AS (
        -- A quote has a sub-theme at most once, so tags are quotes.
        SELECT session_id, COALESCE(question_id, 0) AS question_id, subtheme AS slot, count(*) AS n
        FROM tagged
        GROUP BY GROUPING SETS ((session_id, question_id, subtheme), (session_id, subtheme))
    ),
    per_theme AS (
        -- Two sub-themes of one theme on a quote: the theme counts the quote once.
        SELECT session_id, COALESCE(question_id, 0) AS question_id, theme AS slot,
               count(DISTINCT quote_id) AS n
        FROM tagged
        GROUP BY GROUPING SETS ((session_id, question_id, theme), (session_id, theme))
    ),
    subtheme_packed AS (
        SELECT session_id, question_id,
               sum(n * ('1' || repeat('0', 10 * slot::int))::numeric) AS quotes,
               sum(('1' || repeat('0', 10 * slot::int))::numeric) AS people
        FROM per_subtheme GROUP BY session_id, question_id
    ),
    theme_packed AS (
        SELECT session_id, question_id,
               sum(n * ('1' || repeat('0', 10 * slot::int))::numeric) AS quotes,
               sum(('1' || repeat('0', 10 * slot::int))::numeric) AS people
        FROM per_theme GROUP BY session_id, question_id
    )
    SELECT s.session_id, s.question_id, o.code, s.quotes, s.people, t.quotes, t.people
    FROM subtheme_packed s
    JOIN theme_packed t ON t.session_id = s.session_id AND t.question_id = s.question_id
    LEFT JOIN interviews_answer a
        ON a.session_id = s.session_id AND a.question_id = s.question_id
    LEFT JOIN interviews_answeroption o ON o.id = a.option_id
    $insert$, CASE WHEN sessions IS NULL THEN 'true' ELSE 'q.session_id = ANY($1)' END)
    USING sessions;
END $$;

-- Copy answers onto the question rows of the given (interview, question) pairs.
CREATE FUNCTION themes_summary_answers(changed_sessions bigint[], changed_questions bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(changed_sessions) = 0 THEN
        RETURN;
    END IF;
    -- In turn with themes_summary_refresh, so neither writes over the other's answer.
    PERFORM 1 FROM interviews_interviewsession
        WHERE id = ANY(changed_sessions) ORDER BY id FOR NO KEY UPDATE;
    UPDATE {SUMMARY} c
    SET answer = (
        SELECT o.code FROM interviews_answer a
        JOIN interviews_answeroption o ON o.id = a.option_id
        WHERE a.session_id = c.session_id AND a.question_id = c.question_id
    )
    FROM unnest(changed_sessions, changed_questions) AS changed(session_id, question_id)
    WHERE c.session_id = changed.session_id AND c.question_id = changed.question_id;
END $$;

CREATE FUNCTION themes_summary_after_tags() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM themes_summary_refresh(ARRAY(
            SELECT DISTINCT q.session_id FROM new_tags n
            JOIN interviews_quote q ON q.id = n.quote_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM themes_summary_refresh(ARRAY(
            SELECT DISTINCT q.session_id FROM old_tags o
            JOIN interviews_quote q ON q.id = o.quote_id));
    ELSE
        PERFORM themes_summary_refresh(ARRAY(
            SELECT q.session_id FROM old_tags o JOIN interviews_quote q ON q.id = o.quote_id
            UNION
            SELECT q.session_id FROM new_tags n JOIN interviews_quote q ON q.id = n.quote_id));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER themes_tag_summary_insert AFTER INSERT ON themes_tag
    REFERENCING NEW TABLE AS new_tags
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_tags();
CREATE TRIGGER themes_tag_summary_delete AFTER DELETE ON themes_tag
    REFERENCING OLD TABLE AS old_tags
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_tags();
CREATE TRIGGER themes_tag_summary_update AFTER UPDATE ON themes_tag
    REFERENCING OLD TABLE AS old_tags NEW TABLE AS new_tags
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_tags();

CREATE FUNCTION themes_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {SUMMARY};
    RETURN NULL;
END $$;

CREATE TRIGGER themes_tag_summary_truncate AFTER TRUNCATE ON themes_tag
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_truncate();

-- Django deletes a quote's tags before the quote; this covers any other order.
CREATE FUNCTION themes_summary_after_quotes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM themes_summary_refresh(ARRAY(SELECT DISTINCT session_id FROM old_quotes));
    RETURN NULL;
END $$;

CREATE TRIGGER themes_quote_summary_delete AFTER DELETE ON interviews_quote
    REFERENCING OLD TABLE AS old_quotes
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_quotes();

-- A quote moved to another interview or question (nothing does this today; an import might).
CREATE FUNCTION themes_summary_quote_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM themes_summary_refresh(ARRAY[OLD.session_id, NEW.session_id]);
    RETURN NULL;
END $$;

CREATE TRIGGER themes_quote_summary_moved AFTER UPDATE ON interviews_quote
    FOR EACH ROW
    WHEN (OLD.session_id IS DISTINCT FROM NEW.session_id
          OR OLD.question_id IS DISTINCT FROM NEW.question_id)
    EXECUTE FUNCTION themes_summary_quote_moved();

CREATE FUNCTION themes_summary_after_answers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM themes_summary_answers(
            ARRAY(SELECT session_id FROM new_answers ORDER BY session_id, question_id),
            ARRAY(SELECT question_id FROM new_answers ORDER BY session_id, question_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM themes_summary_answers(
            ARRAY(SELECT session_id FROM old_answers ORDER BY session_id, question_id),
            ARRAY(SELECT question_id FROM old_answers ORDER BY session_id, question_id));
    ELSE
        PERFORM themes_summary_answers(
            ARRAY(SELECT session_id FROM (
                SELECT session_id, question_id FROM old_answers
                UNION SELECT session_id, question_id FROM new_answers
            ) k ORDER BY session_id, question_id),
            ARRAY(SELECT question_id FROM (
                SELECT session_id, question_id FROM old_answers
                UNION SELECT session_id, question_id FROM new_answers
            ) k ORDER BY session_id, question_id));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER themes_answer_summary_insert AFTER INSERT ON interviews_answer
    REFERENCING NEW TABLE AS new_answers
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_answers();
CREATE TRIGGER themes_answer_summary_delete AFTER DELETE ON interviews_answer
    REFERENCING OLD TABLE AS old_answers
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_answers();
CREATE TRIGGER themes_answer_summary_update AFTER UPDATE ON interviews_answer
    REFERENCING OLD TABLE AS old_answers NEW TABLE AS new_answers
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_answers();

CREATE FUNCTION themes_summary_after_sessions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {SUMMARY} WHERE session_id IN (SELECT id FROM old_sessions);
    RETURN NULL;
END $$;

CREATE TRIGGER themes_session_summary_delete AFTER DELETE ON interviews_interviewsession
    REFERENCING OLD TABLE AS old_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_sessions();

-- The codebook. Slots are ranks by id: a new sub-theme or theme takes the next id and so the
-- next slot, and leaves every row as it is, unless it was given a smaller id than some other.
CREATE FUNCTION themes_summary_after_codebook_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    shifted boolean;
BEGIN
    EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM %I t WHERE t.id > (SELECT min(id) FROM new_units) '
        'AND t.id NOT IN (SELECT id FROM new_units))', TG_TABLE_NAME)
    INTO shifted;
    IF shifted THEN
        PERFORM themes_summary_refresh(NULL);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION themes_summary_rebuild() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM themes_summary_refresh(NULL);
    RETURN NULL;
END $$;

CREATE TRIGGER themes_subtheme_summary_insert AFTER INSERT ON themes_subtheme
    REFERENCING NEW TABLE AS new_units
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_codebook_insert();
CREATE TRIGGER themes_theme_summary_insert AFTER INSERT ON themes_theme
    REFERENCING NEW TABLE AS new_units
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_after_codebook_insert();
CREATE TRIGGER themes_subtheme_summary_delete AFTER DELETE ON themes_subtheme
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_rebuild();
CREATE TRIGGER themes_theme_summary_delete AFTER DELETE ON themes_theme
    FOR EACH STATEMENT EXECUTE FUNCTION themes_summary_rebuild();
CREATE TRIGGER themes_subtheme_summary_moved AFTER UPDATE ON themes_subtheme
    FOR EACH ROW WHEN (OLD.theme_id IS DISTINCT FROM NEW.theme_id OR OLD.id <> NEW.id)
    EXECUTE FUNCTION themes_summary_rebuild();

SELECT themes_summary_refresh(NULL);
"""

DROP = f"""
DROP TRIGGER themes_subtheme_summary_moved ON themes_subtheme;
DROP TRIGGER themes_theme_summary_delete ON themes_theme;
DROP TRIGGER themes_subtheme_summary_delete ON themes_subtheme;
DROP TRIGGER themes_theme_summary_insert ON themes_theme;
DROP TRIGGER themes_subtheme_summary_insert ON themes_subtheme;
DROP TRIGGER themes_session_summary_delete ON interviews_interviewsession;
DROP TRIGGER themes_answer_summary_update ON interviews_answer;
DROP TRIGGER themes_answer_summary_delete ON interviews_answer;
DROP TRIGGER themes_answer_summary_insert ON interviews_answer;
DROP TRIGGER themes_quote_summary_moved ON interviews_quote;
DROP TRIGGER themes_quote_summary_delete ON interviews_quote;
DROP TRIGGER themes_tag_summary_truncate ON themes_tag;
DROP TRIGGER themes_tag_summary_update ON themes_tag;
DROP TRIGGER themes_tag_summary_delete ON themes_tag;
DROP TRIGGER themes_tag_summary_insert ON themes_tag;
DROP FUNCTION themes_summary_rebuild();
DROP FUNCTION themes_summary_after_codebook_insert();
DROP FUNCTION themes_summary_after_sessions();
DROP FUNCTION themes_summary_after_answers();
DROP FUNCTION themes_summary_quote_moved();
DROP FUNCTION themes_summary_after_quotes();
DROP FUNCTION themes_summary_truncate();
DROP FUNCTION themes_summary_after_tags();
DROP FUNCTION themes_summary_answers(bigint[], bigint[]);
DROP FUNCTION themes_summary_refresh(bigint[]);
DROP TABLE {SUMMARY};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0007_summary_before_answers"),
        ("interviews", "0015_answers_checked"),
    ]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
