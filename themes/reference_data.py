"""The codebook of codebook.md (seeded by a migration, and by the browser tests after a flush)
and what each role may do in this app."""

from ufm.roles import grant_permissions, migrate_permissions

THEMES = [
    ("settings", "Settings"),
    ("activities", "Activities"),
    ("therapy", "Therapy/treatment"),
    ("people", "People"),
]

SUBTHEMES = [
    (
        "settings",
        "safe_spaces",
        "Safe spaces",
        'a centre or group felt as a safe place to belong ("At Oremi they are like my family")',
    ),
    (
        "settings",
        "community_engagement",
        "Engagement with mental health and wider community",
        "inclusion beyond mental-health services: museums, reading groups, neighbours",
    ),
    (
        "settings",
        "living_with_others",
        "Living with others is not the same as being less lonely",
        "lonely while living with family, in a hostel, in a big city",
    ),
    (
        "activities",
        "diverse_groups",
        "A diverse choice of groups",
        "wanting more or different groups: choirs, walking, women's groups, trips",
    ),
    (
        "activities",
        "remove_barriers",
        "Removing barriers to taking part",
        "money, travel, language, confidence, someone to go with",
    ),
    (
        "activities",
        "facilitated_access",
        "Professionals facilitating access and engagement",
        "a worker who suggests, books or goes along to activities",
    ),
    (
        "therapy",
        "medication_impact",
        "Medication impact",
        "medication affecting relationships or social life",
    ),
    (
        "therapy",
        "helpful_therapies",
        "Therapies and treatments that help with loneliness",
        "CBT, DBT, group and one-to-one therapy, waiting times",
    ),
    (
        "therapy",
        "relationship_skills",
        "Skills and strategies for relationships",
        "learning to form and keep relationships, coping strategies",
    ),
    (
        "people",
        "trusted_professional",
        "Access to a trusted professional",
        "a key worker, doctor or nurse who knows the person; staff turnover",
    ),
    (
        "people",
        "time_with_professionals",
        "Time with professionals",
        "length and frequency of contact, 15-minute visits",
    ),
    (
        "people",
        "other_networks",
        "Access to other networks",
        "family, friends, peers and networks beyond mental-health services",
    ),
]


def seed_codebook(apps) -> None:
    Theme = apps.get_model("themes", "Theme")
    SubTheme = apps.get_model("themes", "SubTheme")
    # Migration 0002 runs before evaluations exist (0008 gives the codebook its evaluation);
    # after that (the browser tests' seeding after a flush) it is loneliness-2018's.
    scope = {}
    if any(f.name == "evaluation" for f in Theme._meta.get_fields()):
        Evaluation = apps.get_model("interviews", "Evaluation")
        scope["evaluation"] = Evaluation.objects.get(code="loneliness-2018")
    themes = {}
    for order, (code, label) in enumerate(THEMES, start=1):
        themes[code], _ = Theme.objects.update_or_create(
            code=code, **scope, defaults={"label": label, "order": order}
        )
    for order, (theme, code, label, description) in enumerate(SUBTHEMES, start=1):
        SubTheme.objects.update_or_create(
            code=code,
            **scope,
            defaults={
                "theme": themes[theme],
                "label": label,
                "description": description,
                "order": order,
            },
        )


# The loneliness report's recommendations (codebook.md), each with the codes of its themes.
RECOMMENDATIONS = [
    ("Care and discharge plans include loneliness.", ["people"]),
    (
        "Professionals discuss loneliness, and the impact of medication on it.",
        ["therapy", "people"],
    ),
    ("Signpost people to a diverse choice of activities.", ["activities"]),
    ("Give extra support to overcome the barriers to taking part.", ["activities"]),
    ("Fund safe, regular community groups.", ["settings"]),
    ("Increase access to therapies and treatments.", ["therapy"]),
]
# How the loneliness report reads its score (schedule.md: no standard cut-off; say the one used).
CUTOFFS = [
    (
        "ucla3",
        6,
        "lonely",
        "There is no standard cut-off for this score: the Community Life Survey 2020/21 groups "
        "3-4, 5-7 and 8-9.",
    ),
]

# The shares the loneliness report states under a question's chart (issue 16: people seen per
# week, with the share seeing fewer than three): (question, answer up to, meaning).
SHARES = [("people_per_week", "1-2", "saw fewer than three people a week")]


def seed_report_settings(apps, schema_editor=None) -> None:
    """For a migration (RunPython): loneliness-2018's report settings, with its six
    recommendations linked to their themes and its score's cut-off; nothing when it is not
    there or already has them."""
    Evaluation = apps.get_model("interviews", "Evaluation")
    ReportSettings = apps.get_model("themes", "ReportSettings")
    evaluation = Evaluation.objects.filter(code="loneliness-2018").first()
    if evaluation is None or ReportSettings.objects.filter(evaluation=evaluation).exists():
        return
    settings = ReportSettings.objects.create(evaluation=evaluation)
    themes = {
        t.code: t for t in apps.get_model("themes", "Theme").objects.filter(evaluation=evaluation)
    }
    Recommendation = apps.get_model("themes", "Recommendation")
    for order, (text, codes) in enumerate(RECOMMENDATIONS, start=1):
        recommendation = Recommendation.objects.create(settings=settings, order=order, text=text)
        recommendation.themes.set([themes[code] for code in codes if code in themes])
    Question = apps.get_model("interviews", "Question")
    for code, at_least, meaning, note in CUTOFFS:
        question = Question.objects.filter(evaluation=evaluation, code=code).first()
        if question is not None:
            apps.get_model("themes", "ScoreCutoff").objects.create(
                settings=settings, question=question, at_least=at_least, meaning=meaning, note=note
            )


def seed_report_shares(apps, schema_editor=None) -> None:
    """For a migration (RunPython): loneliness-2018's answer shares (SHARES), on its report
    settings; nothing when they or the question are not there."""
    Question = apps.get_model("interviews", "Question")
    AnswerShare = apps.get_model("themes", "AnswerShare")
    settings = (
        apps.get_model("themes", "ReportSettings")
        .objects.filter(evaluation__code="loneliness-2018")
        .first()
    )
    if settings is None:
        return
    for code, up_to, meaning in SHARES:
        question = Question.objects.filter(evaluation=settings.evaluation, code=code).first()
        if question is None or question.choice_list_id is None:
            continue
        option = question.choice_list.options.filter(code=up_to).first()
        if option is not None:
            AnswerShare.objects.get_or_create(
                settings=settings, question=question, up_to=option, defaults={"meaning": meaning}
            )


# What each role may do with the codebook, tags and exports; the roles themselves (Groups) and
# their other permissions come from interviews/reference_data.py.
# Analysts and coordinators alike: the report page and its files, and its settings (words,
# recommendations, cut-offs, answer shares).
REPORT_PERMISSIONS = [
    "themes.view_report",
    *(
        f"themes.{action}_{model}"
        for model in ("reportsettings", "recommendation", "scorecutoff", "answershare")
        for action in ("add", "change", "delete", "view")
        if (action, model) != ("delete", "reportsettings")
    ),
]

PERMISSIONS = {
    "analyst": [
        "themes.view_theme",
        "themes.view_subtheme",
        "themes.add_tag",
        "themes.change_tag",
        "themes.delete_tag",
        "themes.view_tag",
        "themes.view_exportrecord",
        "themes.write_memos",
        "themes.view_memo",
        "themes.choose_exemplars",
        "themes.view_exemplar",
        # Coding rounds: start, code in, close (and settle, as tagging).
        "themes.view_codinground",
        "themes.add_codinground",
        "themes.code_codinground",
        "themes.close_codinground",
        # The report: its page and files, and its settings (words, recommendations, cut-offs).
        *REPORT_PERMISSIONS,
    ],
    "coordinator": [
        "themes.add_theme",
        "themes.change_theme",
        "themes.view_theme",
        "themes.add_subtheme",
        "themes.change_subtheme",
        "themes.view_subtheme",
        "themes.view_tag",
        "themes.view_exportrecord",
        # Interviews not yet verified, in exports from the web (analysts see verified ones only).
        "themes.export_unverified",
        # Memos and the quotes chosen for the report, to read (they are the analysts' to write).
        "themes.view_memo",
        "themes.view_exemplar",
        # Coding rounds: start and close one, read its figures; never code in one.
        "themes.view_codinground",
        "themes.add_codinground",
        "themes.close_codinground",
        # The report: its page and files, and its settings (words, recommendations, cut-offs).
        *REPORT_PERMISSIONS,
    ],
}


def migrate_roles(apps, schema_editor=None) -> None:
    """For a migration (RunPython): this app's permissions given to the roles."""
    migrate_permissions(apps, PERMISSIONS, app_labels=("themes",))


def create_roles(apps) -> None:
    """This app's permissions given to the roles (which must exist already)."""
    grant_permissions(apps, PERMISSIONS, app_labels=("themes",))
