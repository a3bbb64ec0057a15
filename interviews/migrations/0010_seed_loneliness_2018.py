"""Seed the evaluation loneliness-2018 with the schedule the app runs today, frozen here as the
repository's workbook (evaluations/loneliness-2018.xlsx) says it, and make every existing
interview one of it. Coordinators and analysts may view evaluations."""

from django.db import migrations

from interviews.reference_data import migrate_roles

LONELINESS_2018 = {
    "settings": {
        "code": "loneliness-2018",
        "title": "Loneliness and Social Isolation: mental health service users' experiences "
        "and views",
        "version": "2018",
        "participant_code": "^[A-Z0-9-]{2,20}$",
        "withdrawal_days": 14,
        "consent_version": "v1",
        "information_sheet_date": "2018-03-01",
    },
    "sections": [
        (
            "feel",
            "How you feel",
            "schedule",
            [
                {
                    "code": "items_prompt",
                    "label": "The next questions are about how you feel about different aspects of "
                    "your life. For each one, tell me how often you feel that way.",
                    "hint": "",
                    "kind": "note",
                    "required": False,
                    "takes_quotes": False,
                    "choice_list": "",
                    "terms": [],
                },
                {
                    "code": "companionship",
                    "label": "How often do you feel that you lack companionship?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": True,
                    "choice_list": "frequency",
                    "terms": [],
                },
                {
                    "code": "contentment",
                    "label": "Are you content with your friendships and relationships?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": True,
                    "choice_list": "frequency",
                    "terms": [],
                },
                {
                    "code": "help",
                    "label": "Do you have enough people you feel comfortable asking for help?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": True,
                    "choice_list": "frequency",
                    "terms": [],
                },
                {
                    "code": "isolation",
                    "label": "How often do you feel isolated from others?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": True,
                    "choice_list": "frequency",
                    "terms": [],
                },
                {
                    "code": "left_out",
                    "label": "How often do you feel left out?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": True,
                    "choice_list": "frequency",
                    "terms": [],
                },
            ],
        ),
        (
            "helps",
            "What helps",
            "schedule",
            [
                {
                    "code": "what_helped",
                    "label": "What, if anything, has helped you to prevent or reduce feelings of "
                    "loneliness?",
                    "hint": "",
                    "kind": "text",
                    "required": False,
                    "takes_quotes": True,
                    "choice_list": "",
                    "terms": [],
                },
                {
                    "code": "what_else",
                    "label": "What else could help people feel less lonely?",
                    "hint": "",
                    "kind": "text",
                    "required": False,
                    "takes_quotes": True,
                    "choice_list": "",
                    "terms": [],
                },
            ],
        ),
        (
            "about",
            "About you",
            "demographics",
            [
                {
                    "code": "living_arrangement",
                    "label": "Who do you live with?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "living_arrangement",
                    "terms": [],
                },
                {
                    "code": "people_per_week",
                    "label": "About how many people do you see in a usual week?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "people_per_week",
                    "terms": [],
                },
                {
                    "code": "sees",
                    "label": "Who do you see in a usual week? (tick all that apply)",
                    "hint": "",
                    "kind": "select_multiple",
                    "required": False,
                    "takes_quotes": False,
                    "choice_list": "sees",
                    "terms": [],
                },
                {
                    "code": "carer",
                    "label": "Are you a carer for someone?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "yes_no",
                    "terms": [],
                },
                {
                    "code": "disability",
                    "label": "Do you consider yourself to have a disability?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "yes_no",
                    "terms": [],
                },
                {
                    "code": "medication",
                    "label": "Do you take medication for your mental health?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "yes_no",
                    "terms": [],
                },
                {
                    "code": "service",
                    "label": "Which service are you with now?",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "service",
                    "terms": [],
                },
                {
                    "code": "age_band",
                    "label": "Age",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "age_band",
                    "terms": [],
                },
                {
                    "code": "gender",
                    "label": "Gender",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "gender",
                    "terms": [],
                },
                {
                    "code": "ethnicity",
                    "label": "Ethnic group",
                    "hint": 'NHS Data Dictionary "Ethnic Category", 2001 census basis',
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "ethnicity",
                    "terms": [],
                },
                {
                    "code": "borough",
                    "label": "Borough of residence",
                    "hint": "",
                    "kind": "select_one",
                    "required": True,
                    "takes_quotes": False,
                    "choice_list": "borough",
                    "terms": [],
                },
                {
                    "code": "ucla3",
                    "label": "UCLA-3 loneliness score (3 to 9, higher is lonelier)",
                    "hint": "",
                    "kind": "calculate",
                    "required": False,
                    "takes_quotes": False,
                    "choice_list": "",
                    "terms": ["companionship", "isolation", "left_out"],
                },
            ],
        ),
    ],
    "choice_lists": [
        (
            "frequency",
            [
                ("often", "Often", 3),
                ("some_of_the_time", "Some of the time", 2),
                ("hardly_ever", "Hardly ever", 1),
                ("no_answer", "Prefer not to answer", None),
            ],
        ),
        (
            "living_arrangement",
            [
                ("alone", "On my own", None),
                ("partner", "With a partner", None),
                ("family", "With family", None),
                ("friends", "With friends or flatmates", None),
                ("supported_housing", "Supported housing or hostel", None),
                ("other", "Other", None),
            ],
        ),
        (
            "people_per_week",
            [
                ("0", "None", None),
                ("1-2", "1-2", None),
                ("3-5", "3-5", None),
                ("6-10", "6-10", None),
                ("11+", "11 or more", None),
            ],
        ),
        (
            "sees",
            [
                ("friends", "Friends", None),
                ("family", "Family", None),
                ("partner", "Partner", None),
                ("health_professionals", "Health professionals", None),
                ("support_workers", "Support or key workers", None),
                ("peers", "Peers or other service users", None),
                ("neighbours", "Neighbours", None),
                ("colleagues", "Work or study colleagues", None),
                ("faith_community", "Faith community", None),
                ("other", "Other", None),
            ],
        ),
        (
            "yes_no",
            [
                ("yes", "Yes", None),
                ("no", "No", None),
                ("prefer_not_to_say", "Prefer not to say", None),
            ],
        ),
        (
            "service",
            [
                ("secondary", "Secondary care (CMHT)", None),
                ("primary", "Discharged to primary care", None),
            ],
        ),
        (
            "age_band",
            [
                ("18-24", "18-24", None),
                ("25-34", "25-34", None),
                ("35-44", "35-44", None),
                ("45-54", "45-54", None),
                ("55-64", "55-64", None),
                ("65-74", "65-74", None),
                ("75+", "75+", None),
            ],
        ),
        (
            "gender",
            [
                ("woman", "Woman", None),
                ("man", "Man", None),
                ("non_binary", "Non-binary", None),
                ("self_described", "Prefer to self-describe", None),
                ("prefer_not_to_say", "Prefer not to say", None),
            ],
        ),
        (
            "ethnicity",
            [
                ("A", "White: British", None),
                ("B", "White: Irish", None),
                ("C", "White: Any other White background", None),
                ("D", "Mixed: White and Black Caribbean", None),
                ("E", "Mixed: White and Black African", None),
                ("F", "Mixed: White and Asian", None),
                ("G", "Mixed: Any other mixed background", None),
                ("H", "Asian or Asian British: Indian", None),
                ("J", "Asian or Asian British: Pakistani", None),
                ("K", "Asian or Asian British: Bangladeshi", None),
                ("L", "Asian or Asian British: Any other Asian background", None),
                ("M", "Black or Black British: Caribbean", None),
                ("N", "Black or Black British: African", None),
                ("P", "Black or Black British: Any other Black background", None),
                ("R", "Other ethnic groups: Chinese", None),
                ("S", "Other ethnic groups: Any other ethnic group", None),
                ("Z", "Not stated", None),
            ],
        ),
        (
            "borough",
            [
                ("kensington_and_chelsea", "Kensington and Chelsea", None),
                ("westminster", "Westminster", None),
                ("other", "Elsewhere", None),
            ],
        ),
    ],
    "consent": [
        {
            "code": "information",
            "statement": "I have read, or had read to me, the information sheet (version and "
            "date above) and have had the chance to ask questions.",
            "required": True,
        },
        {
            "code": "voluntary",
            "statement": "I understand that taking part is voluntary, that I can stop or "
            "withdraw without giving a reason, and that my care will not be "
            "affected.",
            "required": True,
        },
        {
            "code": "pseudonymous",
            "statement": "I understand that my answers are stored under a code, not my name, and "
            "that no report will identify me.",
            "required": True,
        },
        {
            "code": "storage",
            "statement": "I understand that my answers will be kept securely by The Advocacy "
            "Project and used only for this evaluation.",
            "required": True,
        },
        {
            "code": "quotes",
            "statement": "I agree that my words may be quoted, anonymously and verbatim, in "
            "reports.",
            "required": False,
        },
    ],
    "codebook": [
        {
            "code": "settings",
            "label": "Settings",
            "subthemes": [
                {
                    "code": "safe_spaces",
                    "label": "Safe spaces",
                    "description": "a centre or group felt as a safe place to belong "
                    '("At Oremi they are like my family")',
                },
                {
                    "code": "community_engagement",
                    "label": "Engagement with mental health and wider community",
                    "description": "inclusion beyond mental-health services: museums, "
                    "reading groups, neighbours",
                },
                {
                    "code": "living_with_others",
                    "label": "Living with others is not the same as being less lonely",
                    "description": "lonely while living with family, in a hostel, in a big city",
                },
            ],
        },
        {
            "code": "activities",
            "label": "Activities",
            "subthemes": [
                {
                    "code": "diverse_groups",
                    "label": "A diverse choice of groups",
                    "description": "wanting more or different groups: choirs, walking, "
                    "women's groups, trips",
                },
                {
                    "code": "remove_barriers",
                    "label": "Removing barriers to taking part",
                    "description": "money, travel, language, confidence, someone to go with",
                },
                {
                    "code": "facilitated_access",
                    "label": "Professionals facilitating access and engagement",
                    "description": "a worker who suggests, books or goes along to activities",
                },
            ],
        },
        {
            "code": "therapy",
            "label": "Therapy/treatment",
            "subthemes": [
                {
                    "code": "medication_impact",
                    "label": "Medication impact",
                    "description": "medication affecting relationships or social life",
                },
                {
                    "code": "helpful_therapies",
                    "label": "Therapies and treatments that help with loneliness",
                    "description": "CBT, DBT, group and one-to-one therapy, waiting times",
                },
                {
                    "code": "relationship_skills",
                    "label": "Skills and strategies for relationships",
                    "description": "learning to form and keep relationships, coping strategies",
                },
            ],
        },
        {
            "code": "people",
            "label": "People",
            "subthemes": [
                {
                    "code": "trusted_professional",
                    "label": "Access to a trusted professional",
                    "description": "a key worker, doctor or nurse who knows the person; "
                    "staff turnover",
                },
                {
                    "code": "time_with_professionals",
                    "label": "Time with professionals",
                    "description": "length and frequency of contact, 15-minute visits",
                },
                {
                    "code": "other_networks",
                    "label": "Access to other networks",
                    "description": "family, friends, peers and networks beyond "
                    "mental-health services",
                },
            ],
        },
    ],
}


def seed_loneliness(apps, schema_editor):
    Evaluation = apps.get_model("interviews", "Evaluation")
    Section = apps.get_model("interviews", "Section")
    ChoiceList = apps.get_model("interviews", "ChoiceList")
    AnswerOption = apps.get_model("interviews", "AnswerOption")
    Question = apps.get_model("interviews", "Question")
    CalculationTerm = apps.get_model("interviews", "CalculationTerm")
    InterviewSession = apps.get_model("interviews", "InterviewSession")
    data = LONELINESS_2018
    evaluation = Evaluation.objects.create(
        **data["settings"],
        status="collecting",
        consent=data["consent"],
        codebook=data["codebook"],
    )
    lists = {}
    for position, (name, options) in enumerate(data["choice_lists"]):
        lists[name] = ChoiceList.objects.create(evaluation=evaluation, name=name, position=position)
        AnswerOption.objects.bulk_create(
            AnswerOption(
                choice_list=lists[name], code=code, label=label, position=place, score=score
            )
            for place, (code, label, score) in enumerate(options)
        )
    questions = {}
    position = 0
    for place, (code, title, part, rows) in enumerate(data["sections"]):
        section = Section.objects.create(
            evaluation=evaluation, code=code, title=title, part=part, position=place
        )
        for row in rows:
            question = Question.objects.create(
                evaluation=evaluation,
                section=section,
                code=row["code"],
                label=row["label"],
                hint=row["hint"],
                kind=row["kind"],
                required=row["required"],
                takes_quotes=row["takes_quotes"],
                choice_list=lists.get(row["choice_list"]),
                position=position,
            )
            position += 1
            questions[question.code] = question
            for term_place, term in enumerate(row["terms"]):
                CalculationTerm.objects.create(
                    calculation=question, term=questions[term], position=term_place
                )
    InterviewSession.objects.update(evaluation=evaluation)


def unseed(apps, schema_editor):
    InterviewSession = apps.get_model("interviews", "InterviewSession")
    InterviewSession.objects.update(evaluation=None)
    apps.get_model("interviews", "Evaluation").objects.filter(code="loneliness-2018").delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0009_evaluations")]

    operations = [
        migrations.RunPython(seed_loneliness, unseed),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
