"""What an export covers: the --where filters, parsed and checked, and the rows they allow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from interviews import schedule
from interviews.models import InterviewSession, Quote


class FilterError(ValueError):
    """A --where filter that names an unknown variable or code."""


@dataclass(frozen=True)
class ExportFilters:
    """What an export is limited to: verified only unless asked, and demographic filters."""

    include_unverified: bool = False
    where: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, *, include_unverified: bool, where: Iterable[str]) -> ExportFilters:
        """From the command's ``--where VARIABLE=CODE`` strings; FilterError when wrong."""
        pairs = []
        for text in where:
            variable, sep, code = text.partition("=")
            variable, code = variable.strip(), code.strip()
            if not sep:
                raise FilterError(
                    f"--where needs VARIABLE=CODE, e.g. borough=westminster (got '{text}')"
                )
            choices = schedule.DEMOGRAPHIC_CHOICES.get(variable)
            if choices is None:
                raise FilterError(
                    f"'{variable}' is not a demographic variable; use one of: "
                    f"{', '.join(schedule.DEMOGRAPHIC_CHOICES)} (got '{text}')"
                )
            if code not in choices.values:
                raise FilterError(
                    f"'{code}' is not a code of {variable}; use one of: "
                    f"{', '.join(choices.values)} (got '{text}')"
                )
            pairs.append((variable, code))
        return cls(include_unverified=include_unverified, where=tuple(pairs))

    def as_json(self) -> dict:
        return {
            "include_unverified": self.include_unverified,
            "where": [f"{variable}={code}" for variable, code in self.where],
        }

    def sessions(self) -> QuerySet:
        """The interviews an export covers: never withdrawn, never with a refused consent;
        verified unless asked otherwise; matching every --where filter ("and")."""
        qs = InterviewSession.objects.for_analysis(
            include_unverified=self.include_unverified
        ).without_refused_consent()
        for variable, code in self.where:
            if variable == "sees":
                qs = qs.filter(
                    Exists(WeeklyContact.objects.filter(session=OuterRef("pk"), code=code))
                )
            else:
                qs = qs.filter(**{f"demographics__{variable}": code})
        return qs

    def quotes(self) -> QuerySet:
        """The quotes an export may show: those of ``sessions()`` with quote consent."""
        return Quote.objects.for_analysis(include_unverified=self.include_unverified).filter(
            session__in=self.sessions().values("pk")
        )
