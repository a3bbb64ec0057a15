"""The report at a given size: the admin page and the Word file, each timed with the peak memory
of its process (targets: under 10 s and 300 MB at 56,000 interviews).

    UFM_BENCH_DB=ufm_report_bench .venv/bin/python bench/report_timing.py 5600 [--generate]

With --generate the database is made afresh and filled by bench/generate.py first (as run.py's
``prepare``). Not run by run.py: the lead adds it to RESULTS.md.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import BENCH_DB, PYTHON, ROOT, measured, prepare

TARGET_S = 10.0
URLS = {
    "page": "/admin/themes/reportsettings/report/",
    "docx": "/admin/themes/reportsettings/report/report.docx",
}
TARGET_MIB = 300

# The page as an analyst's browser asks for it, in a process of its own (its peak memory is the
# page's): Django's test client against the production settings, with a superuser made for it.
PAGE_SCRIPT = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ufm.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
user, _ = get_user_model().objects.get_or_create(
    username="bench_report", defaults={"is_staff": True, "is_superuser": True}
)
client = Client()
client.force_login(user)
started = time.perf_counter()
response = client.get(URL, HTTP_HOST="127.0.0.1")
assert response.status_code == 200, response.status_code
print(round(time.perf_counter() - started, 2))
"""


def report_timings(size: int, *, generate: bool = False) -> dict:
    """{"page": {...}, "docx": {...}} at ``size`` interviews: the request's own seconds, the
    whole process's (Django's start-up included), its peak RSS in MiB, and pass/fail on the
    request's seconds and the peak memory; and the ``report`` command's."""
    if generate:
        prepare(size)
    results = {"size": size, "database": BENCH_DB}
    with tempfile.TemporaryDirectory() as folder:
        for kind, url in URLS.items():
            out = Path(folder) / f"{kind}.txt"
            script = PAGE_SCRIPT.replace("URL", repr(url))
            seconds, mib = measured([PYTHON, "-c", script], stdout_path=out)
            request_s = float(out.read_text().strip().splitlines()[-1])
            results[kind] = {
                "process_s": round(seconds, 2),
                "request_s": request_s,
                "rss_mib": mib,
                "passes": request_s < TARGET_S and mib < TARGET_MIB,
            }
        # The command, start-up included, for the record.
        docx = Path(folder) / "report.docx"
        seconds, mib = measured([PYTHON, str(ROOT / "manage.py"), "report", "--out", str(docx)])
        results["command_docx"] = {"process_s": round(seconds, 2), "rss_mib": mib}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args()
    print(json.dumps(report_timings(args.size, generate=args.generate), indent=2))


if __name__ == "__main__":
    main()
