"""The named database check that a coded field holds one of its codes, used by every model."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def choice_constraint(
    field: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> models.CheckConstraint:
    """A named database check that ``field`` holds one of the codes of ``choices``."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)
