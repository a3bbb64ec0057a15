"""Autosave: the section pages' changes as people type, and a device's outbox when it is back
online (each change with the id the device made, applied once)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, JsonResponse, RawPostDataException
from django.utils import timezone
from django.views.decorators.http import require_POST

from interviews.schedules import schedule_of
from interviews.selectors import display_value, question_text
from interviews.services import sessions as services
from interviews.services.outbox import device_changes_apply
from interviews.services.refusals import Refused
from interviews.views.access import get_session_for_interviewer
from interviews.views.entry import TOO_BIG
from interviews.views.presenter import _quote_warnings
from ufm.json_input import json_parse


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save changes: {"version": n, "changes": {field: {"old", "new"}}}, or from a device's
    outbox {"version": n, "changes": [{"id", "field", "old", "new"}, …]} in the order made.

    Answers {"version", "saved_at", "saved_at_display", "applied", "conflicts", "warnings"},
    and for a list ``done``: every id the server now holds (saved, already saved before, or in
    conflict), which the device may forget. ``warnings`` is {quote field: [warning or null, one
    per saved quote]} for quotes that may identify someone: they are saved, and the page asks
    the interviewer to check them. Errors are {"error": message} with 400 (not understood or
    too big), 403, 404 or 409 (locked, or no consent). Nothing is written unless every change
    is valid.
    """
    try:
        interview = get_session_for_interviewer(request, pk, people=False)
    except PermissionDenied as error:
        return _json_error(str(error), 403)
    except Http404:
        return _json_error("There is no such interview, or it is not one of yours.", 404)
    try:
        payload = json_parse(request.body)
        version = payload["version"]
        changes = payload["changes"]
        if not isinstance(version, int) or not isinstance(changes, dict | list):
            raise ValueError
    except RequestDataTooBig:
        return _json_error(TOO_BIG, 400)
    except (ValueError, KeyError, TypeError, RawPostDataException):
        # RawPostDataException: a form post, already read as a form by the CSRF check.
        return _json_error("The save was not understood. Reload the page and try again.", 400)
    done = None
    try:
        if isinstance(changes, list):
            result, done = device_changes_apply(
                session=interview, user=request.user, version=version, changes=changes
            )
            # The warnings are for the latest value of each field sent.
            changes = {c["field"]: c for c in changes}
        else:
            result = services.answers_save(
                session=interview, user=request.user, version=version, changes=changes
            )
    except ValidationError as error:
        messages_ = (
            [m for ms in error.message_dict.values() for m in ms]
            if hasattr(error, "error_dict")
            else error.messages
        )
        return _json_error(" ".join(messages_), 400)
    except Refused as error:
        # The page stops autosaving a locked record: saving again cannot help.
        locked = {"locked": True} if isinstance(error, services.SessionLocked) else {}
        return _json_error(error.message, error.status, **locked)
    conflicted = {c["field"] for c in result.conflicts}
    schedule = schedule_of(interview.evaluation)
    return JsonResponse(
        {
            "version": result.version,
            "saved_at": result.saved_at.isoformat(),
            "saved_at_display": timezone.localtime(result.saved_at).strftime("%H:%M"),
            "applied": result.applied,
            **({"done": done} if done is not None else {}),
            "conflicts": [
                {
                    **c,
                    "question": question_text(schedule, c["field"]),
                    "yours_display": display_value(schedule, c["field"], c["yours"]),
                    "theirs_display": display_value(schedule, c["field"], c["theirs"]),
                }
                for c in result.conflicts
            ],
            "warnings": _quote_warnings(
                schedule, {k: v for k, v in changes.items() if k not in conflicted}
            ),
        }
    )
