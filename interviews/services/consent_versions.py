"""Consent form versions: the one offered for new consents, making one current, retiring one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import ConsentFormVersion, ConsentStatement


def consent_version_current(evaluation) -> ConsentFormVersion | None:
    """The version of the evaluation's consent form offered for new consents, with its
    statements in order."""
    return (
        ConsentFormVersion.objects.filter(
            evaluation=evaluation, is_current=True, retired_at__isnull=True
        )
        .prefetch_related("statements")
        .first()
    )


def consent_version_in_use(version: ConsentFormVersion) -> bool:
    """A version any consent record names is read-only: records must keep meaning what the
    participant heard."""
    return version.pk is not None and version.records.exists()


def consent_statements_problem(*, label: str, statements: list[tuple[str, bool]]) -> str | None:
    """Why a version with these (code, required) statements cannot be offered for new
    consents, or None: the one rule, for the admin's form (before anything is saved) and for
    ``consent_version_make_current``."""
    if not statements:
        return f"Version {label} has no statements yet: add them before offering it."
    quotes = [required for code, required in statements if code == ConsentStatement.QUOTES_CODE]
    if not quotes or quotes[0]:
        # Quote consent is read from this statement everywhere (consent.md: it is optional).
        return (
            f"Version {label} needs a statement with the code "
            f"'{ConsentStatement.QUOTES_CODE}', not required to take part: it is where the "
            "participant says whether their words may be quoted."
        )
    return None


def consent_statements_to_copy(version: ConsentFormVersion) -> list[dict]:
    """A version's statements as a new version starts from them ("copy from the current
    version"), so that only what changed is typed."""
    return list(
        version.statements.order_by("order", "pk").values("order", "code", "text", "required")
    )


@transaction.atomic
def consent_version_make_current(*, version: ConsentFormVersion) -> ConsentFormVersion:
    """Offer this version for new consents of its evaluation; the evaluation's previous
    current one stops being offered."""
    # Locking every version serialises two coordinators doing this at once (the database's
    # one-current constraint would otherwise fail the second with an error page).
    evaluation_id = ConsentFormVersion.objects.values_list("evaluation_id", flat=True).get(
        pk=version.pk
    )
    versions = ConsentFormVersion.objects.filter(evaluation_id=evaluation_id)
    locked = {v.pk: v for v in versions.select_for_update().order_by("pk")}
    version = locked[version.pk]
    if version.retired_at is not None:
        raise ValidationError(
            f"Version {version.label} is retired, so it cannot be offered again. "
            "Add a new version instead."
        )
    problem = consent_statements_problem(
        label=version.label, statements=list(version.statements.values_list("code", "required"))
    )
    if problem:
        raise ValidationError(problem)
    for other in locked.values():
        if other.is_current and other.pk != version.pk:
            other.is_current = False
            other.save(update_fields=["is_current"])
    if not version.is_current:
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


@transaction.atomic
def consent_version_retire(*, version: ConsentFormVersion) -> ConsentFormVersion:
    """Stop offering a version for good. Its consent records keep pointing at it."""
    version = ConsentFormVersion.objects.select_for_update().get(pk=version.pk)
    if version.retired_at is not None:
        raise ValidationError(f"Version {version.label} is already retired.")
    version.retired_at = timezone.now()
    version.is_current = False
    version.save(update_fields=["retired_at", "is_current"])
    return version
