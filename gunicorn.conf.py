"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py``)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Web processes keep no state of their own (sessions and data live in the database),
# so more of them, here or on other machines, serve more people.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
wsgi_app = "ufm.wsgi:application"
