"""Benchmark of the interviews.csv import: 10,000 interviews checked and imported, and big files.

    .venv/bin/python bench/imports.py [--interviews 10000] [--no-sqlite]

Standalone (not part of `make bench` or `make test`). Needs the local PostgreSQL at
127.0.0.1:5432 (user postgres); makes its own database ``ufm_h_bench`` and drops it at the end.
It generates interviews.csv (every item and demographic, about seven quotes an interview, the
shape of an export), then times `manage.py import_interviews` as a person runs it:

- the check (``--dry-run``: every row checked, nothing written), median of three, against the
  target of 20 s on PostgreSQL; then the real import (checked again, then written), once;
- the same check on SQLite, for comparison (no target);
- a file of bad rows just under IMPORT_MAX_MEGABYTES (time, peak memory, size of the message),
  and one of 86 MB, over it (refused before it is read).

No reference exists in the same run that does the same work (a COPY of the rows would skip the
checks, the consent gate and the history), so the figures are seconds against the targets.
The results replace this script's section of bench/RESULTS.md, between its marker comments.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import machine  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "ufm_h_bench"
PYTHON = sys.executable
OUT = ROOT / "bench" / "out" / "imports"
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN = "<!-- bench/imports.py: begin (this section is rewritten by bench/imports.py) -->"
END = "<!-- bench/imports.py: end -->"
TARGET_CHECK_S = 20.0
LIMIT_MB = 20
INTERVIEWERS = 20

BASE_ENV = {
    **os.environ,
    "SECRET_KEY": "benchmark-only-key-not-for-production-0123456789abcdef",
    "DEBUG": "0",
    "STATIC_MANIFEST": "0",
    "IMPORT_MAX_MEGABYTES": str(LIMIT_MB),
}
PG_ENV = {**BASE_ENV, "DATABASE_URL": f"{PG}/{BENCH_DB}"}

SAMPLE = (
    "I feel alone most evenings, since the centre closed; nobody rings. My key worker changed "
    "again and I had to start from the beginning. The group on Thursdays helps, they say come "
    "back next week and mean it. Money for the bus is hard, and the pills make me tired."
)
WORDS = SAMPLE.split()
HEADER = (
    "participant_code,interview_date,site,interviewer_1,interviewer_2,consent_form_version,"
    "consent_date,consent_method,consent_quotes,companionship,companionship_quotes,contentment,"
    "contentment_quotes,help,help_quotes,isolation,isolation_quotes,left_out,left_out_quotes,"
    "what_helped_quotes,what_else_quotes,living_arrangement,people_per_week,sees,carer,"
    "disability,medication,service,age_band,gender,ethnicity,borough"
)
COLUMNS = HEADER.split(",")
CHOICES = {
    "site": ["woodfield_road", "pall_mall", "vauxhall_bridge_road", "oremi_centre", "other"],
    "answer": ["hardly_ever", "some_of_the_time", "often", "no_answer"],
    "living_arrangement": ["alone", "family", "supported_housing"],
    "people_per_week": ["0", "1-2", "3-5", "6-10"],
    "yes_no": ["yes", "no", "prefer_not_to_say"],
    "service": ["primary", "secondary"],
    "age_band": ["18-24", "25-34", "45-54", "65-74"],
    "gender": ["woman", "man", "prefer_not_to_say"],
    "ethnicity": ["A", "M", "Z"],
    "borough": ["westminster", "kensington_and_chelsea"],
    "sees": ["family", "friends", "peers", "support_workers", "health_professionals"],
}


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/postgres", "-c", command],
        check=True,
        capture_output=True,
    )


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True)


def prepare(env: dict) -> None:
    """A migrated database with the interviewer accounts the file names."""
    manage(env, "migrate", "--noinput", "-v0")
    accounts = (
        "from django.contrib.auth.models import Group, User\n"
        "group = Group.objects.get(name='interviewer')\n"
        f"for n in range({INTERVIEWERS}):\n"
        "    user = User.objects.create_user(f'bench_interviewer_{n}')\n"
        "    user.groups.add(group)\n"
    )
    manage(env, "shell", "-v", "0", "-c", accounts)


def quotes(rng: random.Random, most: int) -> str:
    lines = []
    for _ in range(rng.randint(0, most)):
        start = rng.randrange(len(WORDS))
        lines.append(" ".join(WORDS[(start + i) % len(WORDS)] for i in range(rng.randint(6, 30))))
    return "\n".join(lines)


def write_interviews(path: Path, count: int, seed: int = 10_000) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for n in range(count):
            first, second = rng.sample(range(INTERVIEWERS), 2)
            day = f"20{18 + n % 7}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            quoted = rng.random() > 0.05
            row = {
                "participant_code": f"BI-{n:06d}",
                "interview_date": day,
                "site": rng.choice(CHOICES["site"]),
                "interviewer_1": f"bench_interviewer_{first}",
                "interviewer_2": f"bench_interviewer_{second}",
                "consent_form_version": "v1",
                "consent_date": day,
                "consent_method": rng.choice(["signed", "verbal"]),
                "consent_quotes": "yes" if quoted else "no",
                "living_arrangement": rng.choice(CHOICES["living_arrangement"]),
                "people_per_week": rng.choice(CHOICES["people_per_week"]),
                "sees": ";".join(rng.sample(CHOICES["sees"], rng.randint(0, 3))),
                "carer": rng.choice(CHOICES["yes_no"]),
                "disability": rng.choice(CHOICES["yes_no"]),
                "medication": rng.choice(CHOICES["yes_no"]),
                "service": rng.choice(CHOICES["service"]),
                "age_band": rng.choice(CHOICES["age_band"]),
                "gender": rng.choice(CHOICES["gender"]),
                "ethnicity": rng.choice(CHOICES["ethnicity"]),
                "borough": rng.choice(CHOICES["borough"]),
            }
            for column in COLUMNS:
                if column.endswith("_quotes") and column != "consent_quotes":
                    row[column] = quotes(rng, 2) if quoted else ""
                elif column not in row:
                    row[column] = rng.choice(CHOICES["answer"])
            writer.writerow([row[c] for c in COLUMNS])


def write_bad(path: Path, megabytes: float) -> int:
    """Rows of real length, each with two bad cells (an unknown site and answer), to size."""
    good = OUT / "one.csv"
    write_interviews(good, 50, seed=1)
    with good.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        n = 0
        while out.tell() < target - 4096:
            row = {**rows[n % len(rows)], "site": "mars", "companionship": "always"}
            writer.writerow({**row, "participant_code": f"X-{n:07d}"})
            n += 1
    return n


def run(env: dict, *args: str) -> dict:
    """One `manage.py import_interviews`: wall seconds, peak memory (MiB, from wait4), exit
    status, and what it printed (its size and last line)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [PYTHON, "manage.py", "import_interviews", *args],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        printed = output.read()
    lines = printed.decode("utf-8", "replace").strip().splitlines()
    return {
        "s": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "status": os.waitstatus_to_exitcode(status),
        "rss_mib": usage.ru_maxrss // 1024,
        "output_bytes": len(printed),
        "last_line": lines[-1] if lines else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite check")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    good = OUT / f"interviews-{args.interviews}.csv"
    write_interviews(good, args.interviews)
    bad = OUT / "bad-rows.csv"
    bad_rows = write_bad(bad, LIMIT_MB - 0.5)
    huge = OUT / "bad-rows-86mb.csv"
    write_bad(huge, 86)
    figures: dict = {
        "file_mb": round(good.stat().st_size / 1024 / 1024, 1),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }

    psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    psql(f"CREATE DATABASE {BENCH_DB}")
    try:
        prepare(PG_ENV)
        print("== PostgreSQL: the check, three times", flush=True)
        checks = [run(PG_ENV, str(good), "--dry-run") for _ in range(3)]
        assert all(c["status"] == 0 for c in checks), checks
        assert f"{args.interviews} interview(s) would be imported" in checks[0]["last_line"]
        figures["check_pg_s"] = statistics.median(c["s"] for c in checks)
        figures["check_pg_cpu"] = statistics.median(c["cpu_s"] for c in checks)
        figures["check_pg_rss"] = max(c["rss_mib"] for c in checks)
        print("== PostgreSQL: the import", flush=True)
        imported = run(PG_ENV, str(good))
        assert imported["status"] == 0, imported
        assert f"Imported {args.interviews} interview(s)" in imported["last_line"], imported
        figures["import_pg_s"] = imported["s"]
        figures["import_pg_cpu"] = imported["cpu_s"]
        print("== PostgreSQL: bad rows at the limit, and over it", flush=True)
        figures["bad"] = run(PG_ENV, str(bad), "--dry-run")
        figures["bad"]["mb"] = round(bad.stat().st_size / 1024 / 1024, 1)
        figures["bad"]["rows"] = bad_rows
        figures["huge"] = run(PG_ENV, str(huge), "--dry-run")
        figures["huge"]["mb"] = round(huge.stat().st_size / 1024 / 1024, 1)
    finally:
        psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")

    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            sqlite_env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
            prepare(sqlite_env)
            print("== SQLite: the check", flush=True)
            checked = run(sqlite_env, str(good), "--dry-run")
            figures["check_sqlite_s"], figures["check_sqlite_cpu"] = checked["s"], checked["cpu_s"]

    text = render(figures, args.interviews)
    write_section(text)
    print(text)


def render(f: dict, count: int) -> str:
    about = machine.describe()
    passed = f["check_pg_s"] < TARGET_CHECK_S
    bad, huge = f["bad"], f["huge"]
    rows = [
        "## Imports (bench/imports.py)",
        "",
        f"Measured {about['date']} on {about['cores']} cores, {about['memory']} memory, "
        f"Python {about['python']}, {about['postgresql']}; load average {f['load']} at the "
        "start. Each figure is the whole `manage.py import_interviews` process (start-up "
        "included), as a person runs it, in wall seconds and, in brackets, the seconds of CPU "
        "it used itself (the database's own work is not in those); the check is the median of "
        "3. No run does the same work another way, so the figures are seconds against the "
        "targets. The machine is shared, so expect noise.",
        "",
        "| what | target | measured | result |",
        "|---|---|---|---|",
        f"| check (`--dry-run`) of {count:,} interviews ({f['file_mb']} MB) on PostgreSQL | "
        f"< {TARGET_CHECK_S:.0f} s | {f['check_pg_s']:.1f} s ({f['check_pg_cpu']} s), peak "
        f"{f['check_pg_rss']} MiB | "
        f"{'pass' if passed else 'FAIL'} |",
        f"| import of the same file on PostgreSQL (checked again, then written) | — | "
        f"{f['import_pg_s']:.1f} s ({f['import_pg_cpu']} s) | — |",
    ]
    if "check_sqlite_s" in f:
        rows.append(
            f"| check of the same file on SQLite | — | {f['check_sqlite_s']:.1f} s "
            f"({f['check_sqlite_cpu']} s) | — |"
        )
    rows += [
        f"| {bad['rows']:,} bad rows ({bad['mb']} MB, under the {LIMIT_MB} MB limit): memory | "
        f"< 1 GiB | peak {bad['rss_mib']} MiB in {bad['s']:.1f} s | "
        f"{'pass' if bad['rss_mib'] < 1024 and bad['status'] else 'FAIL'} |",
        f"| the same: what it prints | 200 problems and a count | {bad['output_bytes']:,} bytes, "
        f"ending “{bad['last_line'][:60]}” | "
        f"{'pass' if bad['output_bytes'] < 100_000 else 'FAIL'} |",
        f"| a file of {huge['mb']:.0f} MB | refused unread | {huge['s']:.1f} s, peak "
        f"{huge['rss_mib']} MiB | {'pass' if huge['status'] and huge['s'] < 5 else 'FAIL'} |",
        "",
        "Before (issue 11): 10,000 interviews took 65 s to check on SQLite and 118 s on "
        "PostgreSQL (one query or more per row and cell), and the confirm repeated all of it; "
        "an 86 MB file of bad rows took 2.35 GB, 114 s and a 63 MB page.",
    ]
    return "\n".join(rows) + "\n"


def write_section(text: str) -> None:
    """Replace this script's section of RESULTS.md, or add it at the end."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    section = f"{BEGIN}\n{text}{END}\n"
    if BEGIN in current and END in current:
        before, rest = current.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
