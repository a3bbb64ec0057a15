"""Interviews at two sites on four days, for the filters' tests (site, interview dates)."""

import datetime

from interviews.models import InterviewSession
from tests.analysis_data import interview, subtheme
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory, site

# Participant, site, interview date, borough: two of the four at Pall Mall within May and June.
PEOPLE = [
    ("FLT-A", "pall_mall", datetime.date(2018, 5, 1), "westminster"),
    ("FLT-B", "pall_mall", datetime.date(2018, 6, 30), "kensington_and_chelsea"),
    ("FLT-C", "oremi_centre", datetime.date(2018, 6, 15), "westminster"),
    ("FLT-D", "pall_mall", datetime.date(2018, 7, 1), "westminster"),
]


def filter_people(analyst, people=PEOPLE) -> dict[str, InterviewSession]:
    """The interviews of ``people``, verified, each with one tagged quote of its own words."""
    pair = (InterviewerFactory(), InterviewerFactory())
    made = {}
    for code, where, day, borough in people:
        session = interview(code, pair=pair, answers={"companionship": "often"}, borough=borough)
        InterviewSession.objects.filter(pk=session.pk).update(site=site(where), interview_date=day)
        quote = QuoteFactory(session=session, item="companionship", text=f"Words of {code}.")
        TagFactory(quote=quote, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
        made[code] = session
    return made
