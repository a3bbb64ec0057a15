"""Requests holding a NUL character are refused with a 400 before any view runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

UNREADABLE = "That request contained a character we cannot read."
NUL = "\x00"


def nul_characters_dropped(view: Callable) -> Callable:
    """Mark a view that copes with NUL characters in its form fields itself, so that the
    middleware does not refuse its posts (its address and query string are still checked).

    For the pages where people paste a participant's words: a browser sends a pasted NUL as it
    is, and the words must not be refused for a character nobody can see.
    """
    view.nul_characters_dropped = True
    return view


def _holds_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def _form_fields(request: HttpRequest) -> Iterable[str]:
    # The fields of a form post, plain or multipart (the uploaded files are not fields: the
    # imports check them for NUL themselves). Django reads nothing here for other bodies, such
    # as JSON, which its views parse (and the JSON parser refuses a raw NUL). Reading the form
    # this early is what the CSRF check does next anyway, with the same errors for a body too
    # big to read.
    if request.method != "POST":
        return ()
    return (text for key, values in request.POST.lists() for text in (key, *values))


class RefuseNulMiddleware:
    """PostgreSQL refuses NUL in text, so a NUL that reaches a query is a 500 there (a filter
    value, a search, the autocomplete term, the session cookie, the user agent django-axes
    records at log-in). Nobody means to send one, so one rule for every request: the address,
    the query string, the headers and cookies, and the fields of a form post. File uploads and
    JSON bodies are read by their views. Placed before the session and authentication
    middleware, because a NUL in the session cookie fails as soon as anything looks at
    ``request.user``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        headers = (str(value) for key, value in request.META.items() if key.startswith("HTTP_"))
        if _holds_nul(
            [
                request.path,
                *(text for key, values in request.GET.lists() for text in (key, *values)),
                *headers,
                *(text for item in request.COOKIES.items() for text in item),
            ]
        ):
            return self._refuse(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "nul_characters_dropped", False):
            return None
        if _holds_nul(_form_fields(request)):
            return self._refuse(request)
        return None

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        if request.content_type == "application/json":
            return JsonResponse({"error": UNREADABLE}, status=400)
        # Rendered without the request: the page must not look at the user or the session,
        # whose cookie may be what holds the NUL.
        return HttpResponseBadRequest(render_to_string("unreadable.html", {"message": UNREADABLE}))
