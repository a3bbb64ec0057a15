"""The whole-interview row of the theme-count summary (migration 0008) keeps the interview's
answers, so that theme_counts.csv counts by demographic without reading the answers table.

By demographic, the export used to pivot every answer of every interview (560,000 rows at
56,000 interviews) into one row per interview before adding up the counts: two fifths of its
time. Now each interview's whole-interview row holds its answers as ``options``, a JSON object
of question id to option id (numbers only, e.g. {"9": 41, "12": 57}), which the export reads
in the same scan as the counts (``themes.exports_pg.theme_counts_tables``).

The row gets them as it is written, whoever writes it (a BEFORE INSERT trigger on the table
itself, so every recount of 0008 is covered as it is), and again whenever one of the
interview's answers is added, changed or deleted (themes_summary_answers, called by 0008's
answer triggers, now also rewrites the whole-interview row). A used code never changes
(interviews 0015), so an option id cannot go stale. ``manage.py theme_counts --check``
compares them with a recount like every other column.
"""

import importlib
import re

from django.db import migrations, models

run_on_postgresql = importlib.import_module(
    "themes.migrations.0003_theme_count_summary"
).run_on_postgresql
BEFORE = importlib.import_module("themes.migrations.0008_theme_count_summary_by_question")

SUMMARY = BEFORE.SUMMARY
WHOLE_INTERVIEW = 0


def function_of_0008(name: str) -> str:
    """0008's definition of one function, to put it back when this migration is undone."""
    found = re.search(rf"CREATE FUNCTION {name}\(.*?END \$\$;", BEFORE.CREATE, flags=re.S)
    return found.group(0).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


# 0008's themes_summary_answers, which then also rewrites the whole-interview rows of the
# interviews whose answers changed (it already holds their locks).
ANSWERS_FUNCTION = function_of_0008("themes_summary_answers").replace(
    "\nEND $$;",
    f"""
    UPDATE {SUMMARY} c
    SET options = themes_summary_options(c.session_id)
    WHERE c.question_id = {WHOLE_INTERVIEW} AND c.session_id = ANY(changed_sessions);
END $$;""",
)

CREATE = f"""
ALTER TABLE {SUMMARY} ADD COLUMN options jsonb;

-- An interview's answers as {{"question id": option id}}: what its whole-interview row keeps.
CREATE FUNCTION themes_summary_options(interview bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_object_agg(a.question_id::text, a.option_id), '{{}}'::jsonb)
    FROM interviews_answer a WHERE a.session_id = interview
$$;

CREATE FUNCTION themes_summary_whole_answers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.question_id = {WHOLE_INTERVIEW} THEN
        NEW.options := themes_summary_options(NEW.session_id);
    ELSE
        NEW.options := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER themes_summary_whole_answers BEFORE INSERT ON {SUMMARY}
    FOR EACH ROW EXECUTE FUNCTION themes_summary_whole_answers();

{ANSWERS_FUNCTION}

UPDATE {SUMMARY} SET options = themes_summary_options(session_id)
WHERE question_id = {WHOLE_INTERVIEW};
"""

DROP = f"""
{function_of_0008("themes_summary_answers")}
DROP TRIGGER themes_summary_whole_answers ON {SUMMARY};
DROP FUNCTION themes_summary_whole_answers();
DROP FUNCTION themes_summary_options(bigint);
ALTER TABLE {SUMMARY} DROP COLUMN options;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0016_counts_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))
            ],
            state_operations=[
                migrations.AddField(
                    model_name="themecountsummary",
                    name="options",
                    field=models.JSONField(
                        null=True,
                        help_text="The whole interview's answers, as question id to option "
                        "id; NULL on a question's row.",
                    ),
                ),
            ],
        ),
    ]
