"""Fill a PostgreSQL benchmark database with N realistic interviews, fast (COPY, not the ORM).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ufm_bench python bench/generate.py 5600

Every interview is verified, consented, and answers every select_one question of the current
evaluation's schedule (items and demographics, an option drawn from each question's own list),
0 to 4 ticks of each tick-all question, about 10 quotes over its questions with quotes and about
15 tags. Nothing here names a question: all comes from the schedule (``schedule_of``). The
content tables are emptied first, so the database name must start with "ufm_bench" or end with
"_bench": this never runs against real data.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ufm.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-for-production-0123456789abcdef")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402

from interviews.models import ConsentFormVersion, Evaluation, Site  # noqa: E402
from interviews.schedules import schedule_of  # noqa: E402
from themes.models import SubTheme  # noqa: E402

CONTENT_TABLES = [
    "themes_tag",
    "themes_historicaltag",
    "themes_exportrecord",
    "interviews_quote",
    "interviews_historicalquote",
    "interviews_answer",
    "interviews_historicalanswer",
    "interviews_tick",
    "interviews_historicaltick",
    "interviews_consentresponse",
    "interviews_historicalconsentresponse",
    "interviews_consentrecord",
    "interviews_historicalconsentrecord",
    "interviews_withdrawal",
    "interviews_sessionevent",
    "interviews_sessionaccess",
    "interviews_interviewsession",
    "interviews_historicalinterviewsession",
]

SAMPLE_TEXT = (
    "I feel alone most evenings, since the centre closed; nobody rings. My key worker "
    "changed again and I had to start from the beginning. The group on Thursdays helps, "
    'they say "come back next week" and mean it. Money for the bus is hard, and the '
    "pills make me tired. My sister lives far away. Walking with someone would help, "
    "or a choir. At Oremi they are like my family. Fifteen minutes is not enough time."
)
WORDS = SAMPLE_TEXT.split()

BENCH_PASSWORD = "bench-password-2026"


def quote_text(rng: random.Random) -> str:
    words = rng.randint(6, 40)
    start = rng.randrange(len(WORDS))
    text = " ".join(WORDS[(start + i) % len(WORDS)] for i in range(words))
    if rng.random() < 0.1:
        text += ' And then, later, said: "' + " ".join(rng.sample(WORDS, 5)) + '"'
    return text[0].upper() + text[1:]


def ensure_users() -> tuple[list[int], list[int]]:
    User = get_user_model()
    interviewers, analysts = [], []
    for role, count, target in (("interviewer", 20, interviewers), ("analyst", 5, analysts)):
        group = Group.objects.get(name=role)
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"bench_{role}_{number}", defaults={"is_staff": role == "analyst"}
            )
            if created:
                user.set_password(BENCH_PASSWORD)
                user.save()
                user.groups.add(group)
            target.append(user.pk)
    return interviewers, analysts


def generate(total: int, seed: int = 56) -> dict[str, int]:
    rng = random.Random(seed)
    interviewers, analysts = ensure_users()
    sites = list(Site.objects.values_list("pk", flat=True))
    evaluation = Evaluation.objects.current()
    version = ConsentFormVersion.objects.get(evaluation=evaluation, is_current=True)
    schedule = schedule_of(evaluation)
    one_answer = [q for q in schedule.select_questions if q.one_answer and q.options]
    many = [q for q in schedule.select_questions if q.many and q.options]
    quote_questions = [q.id for q in schedule.quote_questions]
    statements = list(version.statements.values_list("pk", "code"))
    subthemes = list(SubTheme.objects.of(evaluation).values_list("pk", flat=True))
    now = datetime.datetime.now(datetime.UTC)
    counts = dict.fromkeys(["sessions", "answers", "ticks", "quotes", "tags"], 0)

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(CONTENT_TABLES)} RESTART IDENTITY CASCADE")
        raw = cursor.connection  # psycopg 3 connection: COPY FROM STDIN
        with raw.cursor() as cur:
            with cur.copy(
                "COPY interviews_interviewsession (id, evaluation_id, participant_code, "
                "interview_date, site_id, interviewer_1_id, interviewer_2_id, status, version, "
                "source, source_file, submitted_by_id, submitted_at, verified_by_id, verified_at, "
                "return_note, created_at, updated_at, practice) FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    first, second = rng.sample(interviewers, 2)
                    day = datetime.date(2018, 1, 1) + datetime.timedelta(days=sid % 2900)
                    copy.write_row(
                        (
                            sid,
                            evaluation.pk,
                            f"B-{sid:07d}",
                            day,
                            rng.choice(sites),
                            first,
                            second,
                            "verified",
                            3,
                            "app",
                            "",
                            first,
                            now,
                            second,
                            now,
                            "",
                            now,
                            now,
                            False,
                        )
                    )
            counts["sessions"] = total
            with cur.copy(
                "COPY interviews_consentrecord (id, session_id, form_version_id, consent_date, "
                "method, recorded_by_id, witness_id, recorded_at) FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    copy.write_row(
                        (
                            sid,
                            sid,
                            version.pk,
                            datetime.date(2018, 1, 1),
                            "signed",
                            interviewers[0],
                            interviewers[1],
                            now,
                        )
                    )
            with cur.copy(
                "COPY interviews_consentresponse (record_id, statement_id, agreed) FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    quotes_ok = sid % 20 != 0  # one in twenty says no to being quoted
                    for pk, code in statements:
                        copy.write_row((sid, pk, quotes_ok if code == "quotes" else True))
            with cur.copy(
                "COPY interviews_answer (session_id, question_id, choice_list_id, option_id) "
                "FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    for question in one_answer:
                        option = rng.choice(question.options)
                        copy.write_row((sid, question.id, question.choice_list_id, option.id))
                        counts["answers"] += 1
            with cur.copy(
                "COPY interviews_tick (session_id, question_id, choice_list_id, option_id) "
                "FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    for question in many:
                        ticked = rng.sample(
                            question.options, rng.randint(0, min(4, len(question.options)))
                        )
                        for option in ticked:
                            row = (sid, question.id, question.choice_list_id, option.id)
                            copy.write_row(row)
                            counts["ticks"] += 1
            quote_id = 0
            tags = []
            with cur.copy(
                "COPY interviews_quote (id, session_id, question_id, position, text, "
                "created_at, updated_at) FROM STDIN"
            ) as copy:
                for sid in range(1, total + 1):
                    for position in range(rng.randint(8, 12)):
                        quote_id += 1
                        question = rng.choice(quote_questions)
                        row = (quote_id, sid, question, position, quote_text(rng), now, now)
                        copy.write_row(row)
                        # Analysis under way: about one quote in ten not tagged yet.
                        tag_count = rng.choice((0, 1, 1, 1, 2, 2, 2, 2, 2, 2))
                        for subtheme in rng.sample(subthemes, tag_count):
                            tags.append((quote_id, subtheme, rng.choice(analysts), now))
            counts["quotes"] = quote_id
            with cur.copy(
                "COPY themes_tag (quote_id, subtheme_id, tagged_by_id, tagged_at) FROM STDIN"
            ) as copy:
                for row in tags:
                    copy.write_row(row)
            counts["tags"] = len(tags)
        for table in (
            "interviews_interviewsession",
            "interviews_consentrecord",
            "interviews_quote",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return counts


def is_bench_database(name: str) -> bool:
    """Whether a database is one made for benchmarks, which generate() may empty."""
    return name.startswith("ufm_bench") or name.endswith("_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("interviews", type=int)
    args = parser.parse_args()
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not is_bench_database(str(name)):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database whose name starts with ufm_bench "
            "or ends with _bench."
        )
    started = time.perf_counter()
    counts = generate(args.interviews)
    seconds = time.perf_counter() - started
    print(f"Generated in {seconds:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
