"""Writing an EvaluationDesign as its workbook: the profile's sheets, rows and columns."""

from __future__ import annotations

import io

from interviews.workbooks.design import EvaluationDesign, Question, QuestionKind
from interviews.workbooks.sheets import COLUMNS

# XLSForm's usual order of sheets, then ours.
SHEET_ORDER = ("survey", "choices", "settings", "consent", "codebook")


def write_workbook(design: EvaluationDesign) -> bytes:
    """The .xlsx file of a design; ``read_workbook`` of it gives the design back."""
    import openpyxl  # imported when used: importing it at start-up slows every command and worker
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    rows = design_rows(design)
    for name in SHEET_ORDER:
        sheet = workbook.create_sheet(name)
        header = COLUMNS[name][0] + COLUMNS[name][1]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows[name]:
            sheet.append([_cell(values.get(column)) for column in header])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # A label that starts with "=" is words, not a formula for Excel to work out.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        for index, column in enumerate(header, start=1):
            longest = max([len(column)] + [len(str(v.get(column, ""))) for v in rows[name]])
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(longest + 2, 10), 80)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def design_rows(design: EvaluationDesign) -> dict[str, list[dict[str, object]]]:
    """Each sheet's rows as {column: value}; blank cells left out."""
    s = design.settings
    settings = {
        "form_id": s.form_id,
        "form_title": s.title,
        "version": s.version,
        "ufm_participant_code": s.participant_code,
        "ufm_consent_version": s.consent_version,
        "ufm_information_sheet_date": s.information_sheet_date.isoformat()
        if s.information_sheet_date
        else "",
        "ufm_withdrawal_days": s.withdrawal_days,
    }
    survey: list[dict[str, object]] = []
    for section in design.sections:
        survey.append(
            {
                "type": "begin_group",
                "name": section.code,
                "label": section.label,
                "ufm_part": section.part.value,
            }
        )
        survey += [_question_row(q) for q in section.questions]
        survey.append({"type": "end_group"})
    choices = [
        {"list_name": cl.name, "name": c.code, "label": c.label, "score": c.score}
        for cl in design.choice_lists
        for c in cl.choices
    ]
    consent = [
        {"code": c.code, "statement": c.statement, "required": "yes" if c.required else "no"}
        for c in design.consent
    ]
    codebook = [
        {
            "theme": t.code,
            "theme_label": t.label,
            "subtheme": sub.code,
            "subtheme_label": sub.label,
            "description": sub.description,
        }
        for t in design.codebook
        for sub in t.subthemes
    ]
    return {
        "survey": survey,
        "choices": choices,
        "settings": [settings],
        "consent": consent,
        "codebook": codebook,
    }


def _cell(value: object) -> object:
    """A value as a cell: blank when there is none (a score of 0 is a value)."""
    return None if value is None or value == "" else value


def _question_row(q: Question) -> dict[str, object]:
    kind = f"{q.kind} {q.choice_list}" if q.choice_list else str(q.kind)
    row: dict[str, object] = {"type": kind, "name": q.code, "label": q.label, "hint": q.hint}
    if q.required:
        row["required"] = "yes"
    if q.kind == QuestionKind.SELECT_ONE and q.quotes:
        row["ufm_quotes"] = "yes"
    if q.terms:
        row["calculation"] = " + ".join(f"${{{term}}}" for term in q.terms)
    return row
