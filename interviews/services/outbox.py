"""Changes from a device's outbox: applied in the order they were made, each id only once."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from interviews.models import DeviceChange
from interviews.schedules import schedule_of
from interviews.selectors import session_values
from interviews.services.sessions import SaveResult, _locked, answers_save, normalise_value

# Made on the device (static/js/entry/outbox.js): letters, digits, '-' and '_'.
CHANGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_CHANGES = 500

NOT_UNDERSTOOD = "The changes to save were not understood. Reload the page and try again."


def _checked(changes: Any) -> list[dict[str, Any]]:
    """The list as sent, or ValidationError: each {"id", "field", "old", "new"}."""
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise ValidationError(NOT_UNDERSTOOD)
    for change in changes:
        if (
            not isinstance(change, dict)
            or not isinstance(change.get("id"), str)
            or not CHANGE_ID.match(change["id"])
            or not isinstance(change.get("field"), str)
            or "new" not in change
        ):
            raise ValidationError(NOT_UNDERSTOOD)
    return changes


def _runs(changes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Consecutive changes to different fields go in one save; a field changed again (typed on
    after a send whose answer never came back) starts the next one, so the order holds."""
    runs: list[list[dict[str, Any]]] = []
    fields: set[str] = set()
    for change in changes:
        if not runs or change["field"] in fields:
            runs.append([])
            fields = set()
        runs[-1].append(change)
        fields.add(change["field"])
    return runs


@transaction.atomic
def device_changes_apply(
    *, session, user, version: int, changes: list[dict[str, Any]]
) -> tuple[SaveResult, list[str]]:
    """Apply a device's changes in order with the field-level merge of ``answers_save``, and
    answer which ids the server now holds (``done``): saved, already saved or in conflict.

    An id seen before is not applied again; if it was a conflict, the conflict is reported
    again (the first answer may never have reached the device). A bad change saves nothing of
    the whole list, so the device keeps all of it.
    """
    changes = _checked(changes)
    # The session's row lock first: a second tab sending the same ids waits here, then finds
    # them done (without it, both could pass the look-up and the second hit the constraint).
    session = _locked(session)
    ids = [change["id"] for change in changes]
    seen = dict(
        DeviceChange.objects.filter(session=session, change_id__in=ids).values_list(
            "change_id", "outcome"
        )
    )
    result = SaveResult(version=session.version, saved_at=session.updated_at)
    done: list[str] = []
    asked_again: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    for change in changes:
        if change["id"] in done:
            continue  # the same id twice in one list: once is enough
        done.append(change["id"])
        if seen.get(change["id"]) == DeviceChange.Outcome.CONFLICT:
            asked_again.append(change)
        elif change["id"] not in seen:
            pending.append(change)
    recorded: list[DeviceChange] = []
    for run in _runs(pending):
        saved = answers_save(
            session=session,
            user=user,
            version=version,
            changes={c["field"]: {"old": c.get("old"), "new": c["new"]} for c in run},
        )
        conflicted = {c["field"]: c for c in saved.conflicts}
        for change in run:
            if change["field"] in conflicted:
                outcome = DeviceChange.Outcome.CONFLICT
                result.conflicts.append({**conflicted[change["field"]], "id": change["id"]})
            elif change["field"] in saved.applied:
                outcome = DeviceChange.Outcome.APPLIED
            else:
                outcome = DeviceChange.Outcome.UNCHANGED
            recorded.append(DeviceChange(session=session, change_id=change["id"], outcome=outcome))
        result.applied += [f for f in saved.applied if f not in result.applied]
        result.version, result.saved_at = saved.version, saved.saved_at
    DeviceChange.objects.bulk_create(recorded)
    result.conflicts += _conflicts_again(session, asked_again)
    return result, done


def _conflicts_again(session, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A conflict sent again is answered again, against the value stored now, and still writes
    nothing: only the interviewer's choice on the page does. None if it has since gone."""
    if not changes:
        return []
    schedule = schedule_of(session.evaluation)
    stored = session_values(session)
    conflicts = []
    for change in changes:
        key = change["field"]
        yours = normalise_value(schedule, key, change["new"])
        if key in stored and yours != stored[key]:
            conflicts.append(
                {"field": key, "yours": yours, "theirs": stored[key], "id": change["id"]}
            )
    return conflicts
