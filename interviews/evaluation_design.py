"""A stored evaluation read back as its EvaluationDesign: what exports and re-imports compare."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from interviews.models import Evaluation
from interviews.workbooks import (
    Choice,
    ChoiceList,
    ConsentStatement,
    EvaluationDesign,
    Question,
    QuestionKind,
    Section,
    SectionPart,
    Settings,
    SubTheme,
    Theme,
)

DESIGN_PREFETCH = (
    "sections__questions__terms__term",
    "sections__questions__choice_list",
    "choice_lists__options",
)


def design_from_db(evaluation: Evaluation) -> EvaluationDesign:
    """The design as stored; ``write_workbook`` of it is the evaluation's workbook. Seven
    queries, however big the design."""
    prefetch_related_objects([evaluation], *DESIGN_PREFETCH)
    settings = Settings(
        form_id=evaluation.code,
        title=evaluation.title,
        version=evaluation.version,
        participant_code=evaluation.participant_code,
        consent_version=evaluation.consent_version,
        information_sheet_date=evaluation.information_sheet_date,
        withdrawal_days=evaluation.withdrawal_days,
    )
    sections = tuple(
        Section(
            code=section.code,
            label=section.title,
            part=SectionPart(section.part),
            questions=tuple(
                Question(
                    kind=QuestionKind(q.kind),
                    code=q.code,
                    label=q.label,
                    hint=q.hint,
                    required=q.required,
                    choice_list=q.choice_list.name if q.choice_list else "",
                    quotes=q.takes_quotes,
                    terms=tuple(t.term.code for t in q.terms.all()),
                )
                for q in section.questions.all()
            ),
        )
        for section in evaluation.sections.all()
    )
    choice_lists = tuple(
        ChoiceList(cl.name, tuple(Choice(o.code, o.label, o.score) for o in cl.options.all()))
        for cl in evaluation.choice_lists.all()
    )
    return EvaluationDesign(
        settings=settings,
        sections=sections,
        choice_lists=choice_lists,
        consent=tuple(ConsentStatement(**row) for row in evaluation.consent),
        codebook=tuple(
            Theme(t["code"], t["label"], tuple(SubTheme(**sub) for sub in t["subthemes"]))
            for t in evaluation.codebook
        ),
    )


def consent_rows(design: EvaluationDesign) -> list[dict]:
    """The consent sheet as ``Evaluation.consent`` keeps it."""
    return [
        {"code": c.code, "statement": c.statement, "required": c.required} for c in design.consent
    ]


def codebook_rows(design: EvaluationDesign) -> list[dict]:
    """The codebook sheet as ``Evaluation.codebook`` keeps it."""
    return [
        {
            "code": t.code,
            "label": t.label,
            "subthemes": [
                {"code": s.code, "label": s.label, "description": s.description}
                for s in t.subthemes
            ],
        }
        for t in design.codebook
    ]
