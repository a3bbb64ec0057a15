"""Benchmarks at 100 and 1,000 times the 2018 study (5,600 and 56,000 interviews).

    make bench   # or: .venv/bin/python bench/run.py [--sizes 5600 56000] [--load-seconds 120]

Needs the local PostgreSQL (127.0.0.1:5432, user postgres). Makes its own database
``ufm_bench`` (or the one named by ``UFM_BENCH_DB``, e.g. ``ufm_g_bench``), fills it with
bench/generate.py, and measures, in the same run:

- export throughput: our `manage.py export` against PostgreSQL's own
  COPY (SELECT … the same columns …) TO STDOUT WITH CSV HEADER, as a ratio;
- peak memory (RSS) of the export process at each size;
- counts.csv and theme_counts.csv: time and number of queries at each size;
- the web app under load (bench/load.py): gunicorn with the production config.

Writes bench/RESULTS.md (figures, machine, date, commands) and prints the table.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Another name lets two checkouts measure side by side; generate.py refuses other names.
BENCH_DB = os.environ.get("UFM_BENCH_DB", "ufm_bench")
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE_URL = f"{PG}/{BENCH_DB}"
PYTHON = sys.executable
REPEATS = 3
OUT = ROOT / "bench" / "out"

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": "benchmark-only-key-not-for-production-0123456789abcdef",
    "DEBUG": "0",
    "STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def psql(command: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/{database}", "-c", command],
        check=True,
        capture_output=True,
    )


def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=ENV, cwd=ROOT, check=True, **kwargs
    )


def measured(command: list[str], stdout_path: Path | None = None) -> tuple[float, int]:
    """Run a command; wall seconds and its peak resident memory in MiB (from wait4)."""
    target = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV, cwd=ROOT, stdout=target)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if stdout_path:
        target.close()
    if status != 0:
        raise RuntimeError(f"{command} failed with status {status}")
    return seconds, usage.ru_maxrss // 1024


def median_of(runs: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


REFERENCE_SCRIPT = """
import sys
import django
django.setup()
from themes import exports_pg
from themes.export_filters import ExportFilters
sys.stdout.write(exports_pg.select_for(sys.argv[1], ExportFilters()))
"""


def reference_select(kind: str) -> str:
    """The SELECT our export hands to COPY, for the same filters (verified, not withdrawn).
    Asked of a separate process, so that this one stays small: a child's peak memory as the
    kernel reports it includes what it shared with its parent before it started the command."""
    return subprocess.run(
        [PYTHON, "-c", REFERENCE_SCRIPT, kind],
        env={**ENV, "DJANGO_SETTINGS_MODULE": "ufm.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def same_rows(ours: Path, reference: Path) -> bool:
    """The two files' bytes after their header lines, compared piece by piece."""
    with open(ours, "rb") as a, open(reference, "rb") as b:
        a.readline(), b.readline()
        while True:
            x, y = a.read(1 << 20), b.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def export_figures(size: int) -> dict:
    figures = {}
    for kind in ("quotes", "interviews"):
        ours_file = OUT / f"{kind}-{size}.csv"
        copy_file = OUT / f"{kind}-{size}-copy.csv"
        select = reference_select(kind)
        copy_command = [
            "psql", "-X", "-q", DATABASE_URL, "-c",
            f"COPY ({select}) TO STDOUT WITH CSV HEADER",
        ]  # fmt: skip
        ours_command = [PYTHON, "manage.py", "export", kind, "--out", str(ours_file)]
        copy_runs, ours_runs = [], []
        for _ in range(REPEATS):  # interleaved, so a noisy neighbour hits both alike
            copy_runs.append(measured(copy_command, copy_file))
            ours_runs.append(measured(ours_command))
        copy_seconds, _ = median_of(copy_runs)
        ours_seconds, ours_rss = median_of(ours_runs)
        figures[kind] = {
            "copy_s": round(copy_seconds, 3),
            "ours_s": round(ours_seconds, 3),
            "ratio": round(ours_seconds / copy_seconds, 2),
            "rss_mib": ours_rss,
            "bytes": ours_file.stat().st_size,
            # Only the header's names may differ (COPY names the columns its own way).
            "same_rows_as_copy": same_rows(ours_file, copy_file),
        }
    return figures


COUNTS_SCRIPT = """
import json, sys, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from themes.export_filters import ExportFilters
from themes.exports import EXPORTS
result = {}
for kind in ("counts", "theme_counts"):
    runs = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            rows = sum(1 for _ in EXPORTS[kind](ExportFilters()))
            runs.append(time.perf_counter() - started)
    queries = len(ctx.captured_queries)
    result[kind] = {"s": round(sorted(runs)[1], 3), "queries": queries, "rows": rows}
print(json.dumps(result))
"""


def counts_figures() -> dict:
    output = subprocess.run(
        [PYTHON, "-c", COUNTS_SCRIPT],
        env={**ENV, "DJANGO_SETTINGS_MODULE": "ufm.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare(size: int) -> float:
    psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    psql(f"CREATE DATABASE {BENCH_DB}")
    manage("migrate", "--noinput", "-v0")
    started = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / "bench" / "generate.py"), str(size)], env=ENV, check=True)
    seconds = time.perf_counter() - started
    # A live database is vacuumed long before it is this size; without this, autovacuum's first
    # pass over the freshly written tables lands inside the timed runs.
    psql("VACUUM (ANALYZE)", BENCH_DB)
    # Nor has it the generated gigabytes still to write out: without a checkpoint here, the
    # checkpointer writes them during the timed runs, competing for the disk they read.
    psql("CHECKPOINT", BENCH_DB)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="UFM Interviews benchmarks")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5600, 56000])
    # Two minutes: in one minute the five analysts open ~30 filtered lists, and the p95 of 30
    # is their second slowest, which swung from 168 to 318 ms between runs of the same code.
    parser.add_argument("--load-seconds", type=int, default=120)
    parser.add_argument("--no-load", action="store_true", help="skip the web load test")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    from bench import machine, report

    results = {"machine": machine.describe(), "sizes": {}, "command": " ".join(sys.argv)}
    for size in args.sizes:
        print(f"== {size} interviews", flush=True)
        generated_s = prepare(size)
        results["sizes"][size] = {
            "generate_s": round(generated_s, 1),
            "exports": export_figures(size),
            "counts": counts_figures(),
        }
        print(json.dumps(results["sizes"][size], indent=2), flush=True)
    if not args.no_load:
        from bench import load

        print(f"== web load at {max(args.sizes)} interviews, {args.load_seconds} s", flush=True)
        results["load"] = load.run(seconds=args.load_seconds, env=ENV, database_url=DATABASE_URL)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    text = report.render(results)
    results_md = ROOT / "bench" / "RESULTS.md"
    results_md.write_text(text + kept_sections(results_md))
    print(text)


def kept_sections(results_md: Path) -> str:
    """The sections other bench scripts keep in RESULTS.md between their marker comments
    (``<!-- bench/NAME: begin … -->`` … ``<!-- bench/NAME: end -->``, e.g. bench/imports.py's),
    which this run does not measure and so must not drop."""
    if not results_md.exists():
        return ""
    current = results_md.read_text(encoding="utf-8")
    found = re.finditer(r"<!-- (bench/[\w.]+): begin.*?-->.*?<!-- \1: end -->", current, re.S)
    return "".join("\n" + match.group(0) + "\n" for match in found)


if __name__ == "__main__":
    main()
