"""Changes sent from a device's outbox, by the id the device gave each: each is applied once."""

from __future__ import annotations

from django.db import models

from interviews.models.codes import choice_constraint
from interviews.models.sessions import InterviewSession


class DeviceChangeOutcome(models.TextChoices):
    APPLIED = "applied", "Saved"
    UNCHANGED = "unchanged", "Already saved"
    CONFLICT = "conflict", "Partner changed it first"


class DeviceChange(models.Model):
    """One change a device sent (typed offline, perhaps sent again and again), and what came of
    it. A retry, a second tab or a page reloaded mid-send sends the same id: the server answers
    what it answered the first time and writes nothing again. Holds no words: the answers and
    quotes, with their history, are where the change wrote them."""

    Outcome = DeviceChangeOutcome

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="device_changes"
    )
    change_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=DeviceChangeOutcome.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The rule itself, and the index of the look-up before each save (session, ids).
            models.UniqueConstraint(fields=["session", "change_id"], name="device_change_once"),
            choice_constraint("outcome", DeviceChangeOutcome, "device_change_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.change_id} on {self.session_id}: {self.outcome}"
