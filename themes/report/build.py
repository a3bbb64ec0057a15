"""The report's content, built once from the export filters (verified interviews only): every
figure from counts.csv's and theme_counts.csv's builders (``themes.export_counts``), so that the
report's numbers are the exports' numbers; the quotes through ``ExportFilters.quotes()`` (quote
consent, withdrawals); memos and chosen quotes through ``themes.report.sources``.

Queries: a fixed number, whatever the number of interviews (see tests/test_report_build.py).
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, F, IntegerField, Max, Min, Q, Value, Window
from django.db.models.functions import RowNumber

from interviews.models import ConsentResponse, InterviewSession, Site
from interviews.schedules import ScheduleQuestion
from interviews.workbooks.design import QuestionKind, SectionPart
from themes.export_counts import counts_rows, theme_counts_rows
from themes.export_filters import SITE, ExportFilters, default_evaluation
from themes.models import ReportSettings, Theme
from themes.report import sources
from themes.report.content import (
    Finding,
    QuoteGroup,
    RecommendationText,
    Report,
    ScoreFinding,
    ThemeFinding,
)
from themes.report.figures import (
    answer_share,
    counted_rows,
    cutoff_sentence,
    question_chart,
    score_chart,
)
from themes.report.suppression import fewer_than, hidden_cells, is_small, too_few


def report_settings_of(evaluation) -> ReportSettings:
    """The evaluation's report settings, or the defaults (unsaved) when none are written."""
    found = (
        ReportSettings.objects.filter(evaluation=evaluation)
        .prefetch_related("recommendations__themes", "cutoffs__question", "shares")
        .first()
    )
    return found or ReportSettings(evaluation=evaluation)


def report_build(*, filters: ExportFilters) -> Report:
    """The report of ``filters``' interviews (verified only: ``include_unverified`` is
    ignored, a report is of checked records)."""
    evaluation = filters.evaluation or default_evaluation()
    filters = replace(filters, include_unverified=False, evaluation=evaluation)
    schedule = filters.schedule
    settings = report_settings_of(evaluation)
    threshold = settings.small_number_threshold
    counted, base = counted_rows(counts_rows(filters))
    facts = _facts(filters)
    if base is None:
        base = facts["n"]
    refusal = ""
    if too_few(base, threshold):
        refusal = (
            f"These filters leave {base} interview{'s' if base != 1 else ''}: fewer than "
            f"{threshold}, so no figures are shown, since they could tell who said what. "
            "Widen the filters to see them."
        )
    figures = not refusal
    memos = sources.memos(evaluation)
    quotes = filters.quotes()
    chosen = sources.chosen_quotes(evaluation, filters)
    said = _quotes_said(quotes, chosen, settings.quotes_limit)

    findings, demographics, scores, charts = [], [], [], []
    for question in schedule.questions:
        if question.part == SectionPart.SCHEDULE and (question.is_select or question.takes_quotes):
            chart = None
            if question.is_select and figures:
                chart = question_chart(
                    question, counted, base=base, threshold=threshold, key=f"{question.code}"
                )
                chart = _with_shares(chart, question, settings, counted, base, threshold)
                charts.append(chart)
            groups = _groups(question, memos, chosen, said)
            findings.append(Finding(question.code, question.label, chart, groups))
        elif question.part == SectionPart.DEMOGRAPHICS and question.is_select and figures:
            chart = question_chart(
                question, counted, base=base, threshold=threshold, key=question.code
            )
            chart = _with_shares(chart, question, settings, counted, base, threshold)
            charts.append(chart)
            demographics.append(Finding(question.code, question.label, chart, ()))
        elif question.is_score and figures:
            chart = score_chart(
                question, counted, base=base, threshold=threshold, key=question.code
            )
            charts.append(chart)
            cutoff = next(
                (c for c in settings_cutoffs(settings) if c.question_id == question.id), None
            )
            sentence = cutoff_sentence(
                chart, counted, question.code, cutoff, base=base, threshold=threshold
            )
            scores.append(ScoreFinding(chart, sentence))

    themes = _themes(filters, evaluation, memos, chosen, threshold, figures)
    return Report(
        title=settings.title or evaluation.title,
        details=tuple(line for line in settings.document_details.splitlines() if line.strip()),
        introduction=_paragraphs(settings.introduction),
        filters=_filter_words(filters),
        threshold=threshold,
        refusal=refusal,
        methodology=_methodology(evaluation, facts, base, threshold, len(themes), figures),
        findings=tuple(findings),
        demographics=tuple(demographics),
        scores=tuple(scores),
        themes=tuple(themes),
        recommendations=tuple(
            RecommendationText(r.text, tuple(t.label for t in r.themes.all()))
            for r in settings_recommendations(settings)
        ),
        charts=tuple(charts),
    )


def settings_cutoffs(settings: ReportSettings) -> list:
    return list(settings.cutoffs.all()) if settings.pk else []


def settings_shares(settings: ReportSettings) -> list:
    return list(settings.shares.all()) if settings.pk else []


def _with_shares(chart, question, settings, counted, base, threshold):
    """``chart`` with the shares the settings state under it (one-answer questions only)."""
    shares = tuple(
        answer_share(question, counted, share, base=base, threshold=threshold)
        for share in settings_shares(settings)
        if share.question_id == question.id and not question.many
    )
    return replace(chart, shares=shares) if shares else chart


def settings_recommendations(settings: ReportSettings) -> list:
    return list(settings.recommendations.all()) if settings.pk else []


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in text.replace("\r", "").split("\n\n") if p.strip())


def _facts(filters: ExportFilters) -> dict:
    """What the methodology says of the interviews: how many, their dates, how they were
    entered and consented; one query. And the sites' names: one more."""
    sessions = filters.sessions()
    quote_consent = ConsentResponse.objects.quote_consents().values("record__session_id")
    facts = sessions.aggregate(
        n=Count("pk"),
        first=Min("interview_date"),
        last=Max("interview_date"),
        imported=Count("pk", filter=Q(source=InterviewSession.Source.IMPORT)),
        signed=Count("pk", filter=Q(consent__method="signed")),
        verbal=Count("pk", filter=Q(consent__method="verbal")),
        quotable=Count("pk", filter=Q(pk__in=quote_consent)),
    )
    facts["sites"] = list(
        Site.objects.filter(pk__in=sessions.values("site_id"))
        .order_by("order", "label")
        .values_list("label", flat=True)
    )
    return facts


def _said(n: int, threshold: int) -> str:
    return fewer_than(threshold) if is_small(n, threshold) else str(n)


def _day(date) -> str:
    return f"{date.day} {date:%B %Y}"


def _methodology(evaluation, facts, base, threshold, theme_count, figures) -> tuple[str, ...]:
    lines = []
    if not facts["n"]:
        return ("No verified interview matches these filters.",)
    sites = ", ".join(facts["sites"])
    lines.append(
        f"This report is of {_said(base, threshold) if figures else base} verified interviews "
        f"held between {_day(facts['first'])} and {_day(facts['last'])}, at {sites}."
    )
    lines.append(
        "Each interview was run by two trained peer interviewers, themselves users of "
        "mental-health services: one asked the questions and typed the participant's own words "
        "as said, and the second checked the record before it was counted."
    )
    if figures and facts["imported"]:
        lines.append(
            f"Of them, {_said(facts['imported'], threshold)} were entered from paper records "
            "checked on paper."
        )
    if figures:
        signed, verbal = facts["signed"], facts["verbal"]
        hidden = hidden_cells([signed, verbal], threshold=threshold, partition=True)
        how = [
            f"{fewer_than(threshold) if h else n} {word}"
            for n, h, word in ((signed, hidden[0], "signed"), (verbal, hidden[1], "verbal"))
            if n
        ]
        lines.append(
            "Every participant gave informed consent before anything was recorded "
            f"({' and '.join(how)}), and could withdraw; a withdrawn participant is in nothing "
            "here."
        )
        lines.append(
            f"{_said(facts['quotable'], threshold)} agreed that their words may be quoted: "
            "only their words appear in this report."
        )
    lines.append(
        f"What people said was tagged with the evaluation's codebook ({theme_count} key themes, "
        f"each with its sub-themes), from the schedule “{evaluation.title}”, version "
        f"{evaluation.version}."
    )
    for a in sources.agreement(evaluation):
        lines.append(
            f"Coding round {a.round}: {a.coders} coders agreed on {a.agreement}% of {a.quotes} "
            f"quotes (Cohen's kappa {a.kappa or 'not defined'}, Krippendorff's alpha "
            f"{a.alpha or 'not defined'})."
        )
    return tuple(lines)


def _quotes_said(quotes, chosen: dict, limit: int) -> dict[tuple, tuple[list[str], int]]:
    """{(question id, answer option id or None): (the first ``limit`` quotes not chosen, in
    the order entered, how many quotes not chosen there are)}: ranked and counted by the
    database, a window per question and coded answer. Two queries: the quotes of coded
    questions joined to their session's answer to the same question (a join, not a lookup per
    quote: 5 times faster at 5,600 interviews), and those of open questions."""
    chosen_ids = [pk for texts in chosen.values() for pk, _ in texts]
    quotes = quotes.exclude(pk__in=chosen_ids)
    coded = quotes.filter(session__answers__question=F("question")).annotate(
        answer_id=F("session__answers__option_id")
    )
    open_ = quotes.filter(question__kind=QuestionKind.TEXT).annotate(
        answer_id=Value(None, output_field=IntegerField())
    )
    said: dict[tuple, tuple[list, int]] = {}
    for part, group in ((coded, [F("question_id"), F("answer_id")]), (open_, [F("question_id")])):
        rows = (
            part.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=group,
                    order_by=[F("session_id"), F("position"), F("pk")],
                ),
                total=Window(Count("pk"), partition_by=group),
            )
            .filter(rank__lte=max(limit, 1))
            .values_list("question_id", "answer_id", "rank", "total", "text")
            .order_by()
        )
        for question_id, answer_id, rank, total, text in rows:
            entry = said.setdefault((question_id, answer_id), ([], total))
            if rank <= limit:
                entry[0].append((rank, text))
    return {key: ([t for _, t in sorted(texts)], total) for key, (texts, total) in said.items()}


def _groups(question: ScheduleQuestion, memos, chosen, said) -> tuple[QuoteGroup, ...]:
    """What people said to ``question``: one group per coded answer in the fixed order (open
    questions: one group), empty ones left out."""
    if question.kind == QuestionKind.TEXT or not question.options:
        parts = [(("question", question.code), "What people said", None)]
    else:
        parts = [
            (("answer", question.code, o.code), f"People who answered “{o.label}”", o.id)
            for o in question.options
        ]
    groups = []
    for key, label, option_id in parts:
        texts, total = said.get((question.id, option_id), ([], 0))
        picked = tuple(text for _, text in chosen.get(key, []))
        group = QuoteGroup(label, memos.get(key, ""), picked, tuple(texts), total - len(texts))
        if not group.is_empty:
            groups.append(group)
    return tuple(groups)


def _themes(filters, evaluation, memos, chosen, threshold, figures) -> list[ThemeFinding]:
    """Each key theme with its sub-themes: participants and quotes from theme_counts.csv's
    rows (by = all), as published."""
    counts = {
        (theme, subtheme): (quotes, people)
        for by, _group, theme, subtheme, quotes, people in list(theme_counts_rows(filters))[1:]
        if by == "all"
    }

    def finding(key, obj, theme_code, sub_code, subthemes=()) -> ThemeFinding:
        quotes, people = counts.get((theme_code, sub_code), (0, 0))
        return ThemeFinding(
            label=obj.label,
            description=obj.description,
            participants=_said(people, threshold) if figures else "",
            quotes=_said(quotes, threshold) if figures else "",
            memo=memos.get(key, ""),
            chosen=tuple(text for _, text in chosen.get(key, [])),
            subthemes=tuple(subthemes),
        )

    found = []
    themes = Theme.objects.filter(evaluation=evaluation, is_active=True).prefetch_related(
        "subthemes"
    )
    for theme in themes.order_by("order", "code"):
        subs = [
            finding(("subtheme", s.code), s, theme.code, s.code)
            for s in sorted(theme.subthemes.all(), key=lambda s: (s.order, s.code))
            if (theme.code, s.code) in counts
        ]
        found.append(finding(("theme", theme.code), theme, theme.code, "", subs))
    return found


def _filter_words(filters: ExportFilters) -> tuple[str, ...]:
    """The filters as people read them: question and answer labels, the site's name."""
    words = []
    sites = {}
    if any(variable == SITE for variable, _ in filters.where):
        sites = dict(Site.objects.values_list("code", "label"))
    for variable, code in filters.where:
        if variable == SITE:
            words.append(f"Site: {sites.get(code, code)}")
        else:
            question = filters.schedule.question(variable)
            words.append(f"{question.label}: {question.label_of(code)}")
    if filters.date_from:
        words.append(f"Interviewed on or after {_day(filters.date_from)}")
    if filters.date_to:
        words.append(f"Interviewed on or before {_day(filters.date_to)}")
    return tuple(words)
