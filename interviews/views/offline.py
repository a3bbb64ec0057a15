"""Interviews without a connection: the service worker's script, the page it shows when a
page is not kept on the device, and log-out, which clears what the device keeps."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# What every kept page needs, fetched when the service worker is installed (the rest of
# /static/ is kept as it is first used).
OFFLINE_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/ufm.css",
    "css/entry.css",
    "favicon.svg",
    "js/entry.js",
    "js/save_retry.js",
    "js/entry/autosave.js",
    "js/entry/conflicts.js",
    "js/entry/fields.js",
    "js/entry/outbox.js",
    "js/entry/outbox_bar.js",
    "js/entry/quotes.js",
    "js/entry/sender.js",
    "js/offline/keep.js",
    "js/offline/page.js",
    "js/offline/review.js",
    "js/offline/shell.js",
)


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that its scope covers every page (the pages it keeps
    and those it answers with the offline page when there is no connection)."""
    statics = [static(path) for path in OFFLINE_STATIC]
    config = {
        "offline": reverse("offline"),
        "statics": statics,
        # A new release (new file names with STATIC_MANIFEST) is a new worker and a new cache.
        "version": hashlib.sha256(" ".join(statics).encode()).hexdigest()[:12],
    }
    body = (
        f"self.UFM_OFFLINE = {json.dumps(config)};\n"
        f"importScripts({json.dumps(static('js/service_worker.js'))});\n"
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that is not kept on the device. Drawn without
    the request: it is kept once for everyone, so it holds nobody's name or data."""
    return HttpResponse(render_to_string("offline.html"))


def log_out(request: HttpRequest) -> HttpResponse:
    """Django's log-out, and the browser told to clear what this site keeps on it (kept pages,
    unsent answers, the service worker): another account on this browser finds nothing. The
    page warns first when answers are still waiting (static/js/offline/shell.js)."""
    response = auth_views.LogoutView.as_view()(request)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response
