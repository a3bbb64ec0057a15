"""The web app under load: gunicorn (production config) on PostgreSQL, driven from loopback.

50 simulated interviewers each work on their own draft interview (consented, paired), moving
between the three sections and autosaving as people type; 5 analysts page and filter the
quotes changelist in the admin, open the analysis home, and follow its numbers to the quotes
list filtered by question, answer and theme or sub-theme ("filtered quotes"). Each simulated
person waits between requests as a person would. Log-ins, and the page each person lands on
after one (the analysts' is the analysis home), come before the measure. Every request loop is
bounded by the duration and only ever talks to 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ufm_bench python bench/load.py [SECONDS]
        [--interviewers N] [--analysts N]

(a database filled by bench/generate.py; bench/run.py runs it after the exports).
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8031
PASSWORD = "load-test-password-2026"
INTERVIEWERS = 50
ANALYSTS = 5
SECTIONS = ("feel", "helps", "about")
QUOTE_FIELDS = ("quotes:companionship", "quotes:isolation", "quotes:what_helped")
ANSWER_FIELDS = ("answer:companionship", "answer:help", "answer:left_out")
ANSWERS = ("often", "some_of_the_time", "hardly_ever", "no_answer")
CHANGELIST_QUERIES = (
    "",
    "?p=2",
    "?p=15",  # the list counts to 2,000 quotes: 20 pages of 100
    "?item=companionship",
    "?item=what_helped&p=3",
    "?theme=people",
    "?tagged=no",
    "?borough=westminster",
    "?q=bus",
)
QUOTES = "/admin/interviews/quote/"
ANALYSIS_HOME = f"{QUOTES}analysis/"
# What the analysis home's numbers link to: one question's quotes with one answer and one theme
# or sub-theme (themes/analysis_home.py), and its "tag the untagged quotes".
FILTERED_QUERIES = (
    "?item=companionship&answer=often&theme=people",
    "?item=isolation&answer=hardly_ever&subtheme=other_networks",
    "?item=left_out&answer=some_of_the_time&subtheme=safe_spaces",
    "?item=what_helped&theme=activities",
    "?item=companionship&tagged=no",
    "?subtheme=trusted_professional&p=2",
)

SETUP_SCRIPT = """
import django, json
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from interviews.models import Evaluation, InterviewSession, Site
from tests.factories import ConsentRecordFactory

User = get_user_model()
password = "%(password)s"
with transaction.atomic():
    InterviewSession.objects.filter(participant_code__startswith="LOAD-").delete()
    interviewer_group = Group.objects.get(name="interviewer")
    people = []
    for n in range(1, %(interviewers)d + 1):
        user, _ = User.objects.get_or_create(username=f"load_interviewer_{n}")
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.add(interviewer_group)
        people.append(user)
    analysts = []
    for n in range(1, %(analysts)d + 1):
        user, _ = User.objects.get_or_create(
            username=f"load_analyst_{n}", defaults={"is_staff": True}
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="analyst"))
        analysts.append(user.username)
    site = Site.objects.first()
    sessions = {}
    for i, person in enumerate(people):
        partner = people[(i + 1) %% len(people)]
        session = InterviewSession.objects.create(
            evaluation=Evaluation.objects.current(),
            participant_code=f"LOAD-{i + 1:03d}", interview_date="2026-11-01", site=site,
            interviewer_1=person, interviewer_2=partner,
        )
        ConsentRecordFactory(session=session)
        sessions[person.username] = session.pk
print(json.dumps({"sessions": sessions, "analysts": analysts}))
"""


class Client:
    """One person's browser: a keep-alive connection, cookies and the CSRF token."""

    def __init__(self) -> None:
        self.connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, str]:
        """The answer's status, body and where it redirects to (its path, or "")."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()  # a worker recycled the connection: reconnect once
                if attempt == 2:
                    raise
        location = ""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            elif header.lower() == "location":
                parts = urllib.parse.urlsplit(value)  # only ever this server: keep the path
                location = parts.path + (f"?{parts.query}" if parts.query else "")
        return response.status, data, location

    def log_in(self, username: str) -> None:
        self.request("GET", "/login/")
        body = urllib.parse.urlencode(
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        status, _, location = self.request(
            "POST", "/login/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"log-in of {username} answered {status}")
        # Then where a browser goes next: the start page sends each person on to their own
        # (interviewers to their interviews, analysts to the analysis home), as after any
        # log-in, so the pages people land on are opened before the measure begins.
        for _ in range(3):
            status, _, location = self.request("GET", location)
            if status != 302:
                break
        if status != 200:
            raise RuntimeError(f"the page after the log-in of {username} answered {status}")


class Recorder:
    """Each request's time, counted only for requests that began once the measure began
    (``since``): one begun during the log-ins and answered after them is not steady state."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.since: float | None = None

    def timed(self, name: str, call, expect=(200,)):
        started = time.perf_counter()
        try:
            status, data, _ = call()
        except Exception:  # a refused or broken connection is an error of the app under load
            status, data = 0, b""
        elapsed = time.perf_counter() - started
        if self.since is None or started < self.since:
            return status, data
        with self.lock:
            self.times.setdefault(name, []).append(elapsed)
            if status not in expect:
                self.errors[name] = self.errors.get(name, 0) + 1
        return status, data

    def summary(self) -> dict:
        result = {}
        for name, values in sorted(self.times.items()):
            values = sorted(values)

            def pct(p: float, values=values) -> float:
                return round(1000 * values[min(len(values) - 1, int(p * len(values)))], 1)

            result[name] = {
                "requests": len(values),
                "p50_ms": round(1000 * statistics.median(values), 1),
                "p95_ms": pct(0.95),
                "p99_ms": pct(0.99),
                "errors": self.errors.get(name, 0),
            }
        return result


def logged_in(client: Client, username: str, ready: threading.Semaphore) -> None:
    """Log in (and open the page after it), then say so, whether or not it worked."""
    try:
        client.log_in(username)
    finally:
        ready.release()


def interviewer(username: str, session_pk: int, stop, recorder: Recorder, ready, seed: int):
    rng = random.Random(seed)
    client = Client()
    logged_in(client, username, ready)
    version = 1
    known: dict[str, object] = {}
    while not stop.is_set():
        section = rng.choice(SECTIONS)
        recorder.timed(
            "section page",
            lambda section=section: client.request(
                "GET", f"/interviews/{session_pk}/section/{section}/"
            ),
        )
        for _ in range(rng.randint(3, 6)):  # a few saves while people talk, then move on
            time.sleep(rng.uniform(1.0, 3.0))
            if stop.is_set():
                return
            if rng.random() < 0.7:
                field = rng.choice(QUOTE_FIELDS)
                old = known.get(field, [])
                new = [*old[:-1], (old[-1] if old else "") + " and then I went home"][-3:]
                new = [text[-300:] for text in new]
            else:
                field = rng.choice(ANSWER_FIELDS)
                old = known.get(field, "")
                new = rng.choice(ANSWERS)
            body = json.dumps({"version": version, "changes": {field: {"old": old, "new": new}}})
            status, data = recorder.timed(
                "autosave",
                lambda body=body: client.request(
                    "POST",
                    f"/interviews/{session_pk}/autosave/",
                    body,
                    {"Content-Type": "application/json"},
                ),
            )
            if status == 200:
                answer = json.loads(data)
                version = answer["version"]
                if field in answer["applied"]:
                    known[field] = new


def analyst(username: str, stop, recorder: Recorder, ready, seed: int):
    rng = random.Random(seed)
    client = Client()
    logged_in(client, username, ready)
    turn = 0
    while not stop.is_set():
        # Three pages of the list, then the home, then one of its numbers, and again.
        turn += 1
        if turn % 5 == 4:
            name, path = "analysis home", ANALYSIS_HOME
        elif turn % 5 == 0:
            name, path = "filtered quotes", QUOTES + rng.choice(FILTERED_QUERIES)
        else:
            name, path = "quotes changelist", QUOTES + rng.choice(CHANGELIST_QUERIES)
        recorder.timed(name, lambda path=path: client.request("GET", path))
        time.sleep(rng.uniform(1.0, 3.0))


def wait_until_up(process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def run(
    *,
    seconds: int,
    env: dict,
    database_url: str,
    interviewers: int = INTERVIEWERS,
    analysts: int = ANALYSTS,
    warm_up: int = 5,
) -> dict:
    env = {**env, "DJANGO_SETTINGS_MODULE": "ufm.settings"}
    setup = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP_SCRIPT
            % {"password": PASSWORD, "interviewers": interviewers, "analysts": analysts},
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    people = json.loads(setup.stdout.strip().splitlines()[-1])
    gunicorn_env = {
        **env,
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "LOG_LEVEL": "ERROR",
        # whitenoise warns that no collected static files exist: the load never asks for any.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
         "--access-logfile", "/dev/null"],
        env=gunicorn_env,
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(server)
        recorder = Recorder()
        stop, ready = threading.Event(), threading.Semaphore(0)
        threads = [
            threading.Thread(
                target=interviewer, args=(name, pk, stop, recorder, ready, i), daemon=True
            )
            for i, (name, pk) in enumerate(sorted(people["sessions"].items()))
        ] + [
            threading.Thread(
                target=analyst, args=(name, stop, recorder, ready, 100 + i), daemon=True
            )
            for i, name in enumerate(people["analysts"])
        ]
        # Log-ins (a deliberately slow password hash each) are not part of the measure:
        # start everyone, wait until all have logged in and a few seconds more, then count
        # only the requests begun from then on.
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 300
        for _ in threads:
            ready.acquire(timeout=max(0.0, deadline - time.monotonic()))
        time.sleep(warm_up)
        recorder.since = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        workers = int(gunicorn_env.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1))
        return {
            "seconds": seconds,
            "users": f"{interviewers} interviewers and {analysts} analysts",
            "workers": workers,
            "threads": int(gunicorn_env.get("GUNICORN_THREADS", "2")),
            "endpoints": recorder.summary(),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    url = os.environ.get("DATABASE_URL", "")
    if not re.search(r"/ufm_bench\w*$", url):
        sys.exit("Set DATABASE_URL to a benchmark database (name starting with ufm_bench).")
    parser = argparse.ArgumentParser(description="The web app under load")
    parser.add_argument("seconds", type=int, nargs="?", default=60)
    parser.add_argument("--interviewers", type=int, default=INTERVIEWERS)
    parser.add_argument("--analysts", type=int, default=ANALYSTS)
    parser.add_argument(
        "--warm-up",
        type=int,
        default=5,
        help="seconds after the last log-in, not measured",
    )
    args = parser.parse_args()
    figures = run(
        seconds=args.seconds,
        env={**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" * 10)},
        database_url=url,
        interviewers=args.interviewers,
        analysts=args.analysts,
        warm_up=args.warm_up,
    )
    print(json.dumps(figures, indent=2))
