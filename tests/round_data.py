"""Coding rounds for the tests: quotes analysts may read, two coders, the hand-worked case."""

from interviews.models import Evaluation
from tests.analysis_data import interview, subtheme
from tests.factories import AnalystFactory, InterviewerFactory, QuoteFactory
from themes.rounds import services


def readable_quotes(n: int, *, code: str = "LSI-R01", **answers) -> list:
    """``n`` quotes of one verified interview with quote consent, in id order."""
    pair = (InterviewerFactory(), InterviewerFactory())
    session = interview(code, pair=pair, answers=answers or {"companionship": "often"})
    return [QuoteFactory(session=session, item="companionship") for _ in range(n)]


def hand_case_round(name: str = "Pilot", code: str = "LSI-R01"):
    """20 quotes; coder A tags quotes 1-7 with safe_spaces, coder B quotes 1-5 and 8; both
    code every quote (the rest "none of these"). kappa 29/44, alpha 2/3 on safe_spaces."""
    quotes = readable_quotes(20, code=code)
    a = AnalystFactory(first_name="Ash")
    b = AnalystFactory(first_name="Bo")
    coding_round = services.round_start(
        evaluation=Evaluation.objects.get(code="loneliness-2018"),
        name=name,
        coders=[a, b],
        quote_ids=[q.pk for q in quotes],
        user=a,
    )
    safe = subtheme("safe_spaces")
    for number, quote in enumerate(quotes, start=1):
        services.round_code(
            coding_round=coding_round, coder=a, quote=quote, subthemes=[safe] if number <= 7 else []
        )
        chosen = [safe] if number <= 5 or number == 8 else []
        services.round_code(coding_round=coding_round, coder=b, quote=quote, subthemes=chosen)
    return {"round": coding_round, "quotes": quotes, "a": a, "b": b}
