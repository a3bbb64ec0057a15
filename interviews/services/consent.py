"""Consent: the gate every write path asks, and the consent workflow's writes."""

from __future__ import annotations

from interviews.models import ConsentRecord, InterviewSession


class ConsentRequired(Exception):
    """Raised when interview data would be stored for a session without valid consent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def consent_problem(session: InterviewSession) -> str | None:
    """Why no interview data may be stored for this session, or None when it may.

    The single gate every write path asks: data-entry pages, autosave, admin, imports.
    """
    if session.pk is None:
        return "Record consent before entering any answers."
    if InterviewSession.objects.filter(pk=session.pk, withdrawal__isnull=False).exists():
        return "This participant has withdrawn. Nothing more can be stored for them."
    record = (
        ConsentRecord.objects.filter(session_id=session.pk)
        .prefetch_related("responses__statement", "form_version__statements")
        .first()
    )
    if record is None:
        return "Record consent before entering any answers."
    agreed = {r.statement_id for r in record.responses.all() if r.agreed}
    for statement in record.form_version.statements.all():
        if statement.required and statement.pk not in agreed:
            return (
                "The participant did not agree to every statement needed to take part, "
                "so no answers can be stored for this interview."
            )
    return None


def consent_require(session: InterviewSession) -> None:
    """Raise ConsentRequired unless interview data may be stored for the session."""
    problem = consent_problem(session)
    if problem:
        raise ConsentRequired(problem)


def quotes_allowed(session: InterviewSession) -> bool:
    """Whether the participant agreed that their words may be quoted."""
    return ConsentRecord.objects.filter(
        session_id=session.pk,
        responses__statement__code="quotes",
        responses__agreed=True,
    ).exists()
