"""Reference data every database needs: sites, consent form v1 and the roles' permissions here.

Called by the data migrations, and by the browser tests after each flush of the database.
``apps`` is the migration's app registry, or ``django.apps.apps``.
"""

import datetime

from ufm.roles import grant_permissions, migrate_permissions

SITES = [
    ("woodfield_road", "Woodfield Road CMHT"),
    ("pall_mall", "Pall Mall CMHT"),
    ("vauxhall_bridge_road", "Vauxhall Bridge Road CMHT"),
    ("nightingale_place", "1 Nightingale Place CMHT"),
    ("oremi_centre", "Oremi Centre"),
    ("other", "Other location"),
]

STATEMENTS_V1 = [
    (
        "information",
        "I have read, or had read to me, the information sheet (version and date above) and "
        "have had the chance to ask questions.",
        True,
    ),
    (
        "voluntary",
        "I understand that taking part is voluntary, that I can stop or withdraw without giving "
        "a reason, and that my care will not be affected.",
        True,
    ),
    (
        "pseudonymous",
        "I understand that my answers are stored under a code, not my name, and that no report "
        "will identify me.",
        True,
    ),
    (
        "storage",
        "I understand that my answers will be kept securely by The Advocacy Project and used "
        "only for this evaluation.",
        True,
    ),
    ("quotes", "I agree that my words may be quoted, anonymously and verbatim, in reports.", False),
]


def seed_sites_and_consent(apps) -> None:
    Site = apps.get_model("interviews", "Site")
    for order, (code, label) in enumerate(SITES, start=1):
        Site.objects.update_or_create(code=code, defaults={"label": label, "order": order})

    Version = apps.get_model("interviews", "ConsentFormVersion")
    Statement = apps.get_model("interviews", "ConsentStatement")
    # Migration 0002 runs before evaluations exist (0016 gives v1 its evaluation); after that
    # (the browser tests' seeding after a flush) v1 is loneliness-2018's form.
    scope = {}
    if any(f.name == "evaluation" for f in Version._meta.get_fields()):
        Evaluation = apps.get_model("interviews", "Evaluation")
        scope["evaluation"] = Evaluation.objects.get(code="loneliness-2018")
    version, _ = Version.objects.get_or_create(
        label="v1",
        **scope,
        defaults={
            "information_sheet_date": datetime.date(2018, 3, 1),
            "withdrawal_window_days": 14,
            "is_current": True,
        },
    )
    for order, (code, text, required) in enumerate(STATEMENTS_V1, start=1):
        Statement.objects.update_or_create(
            form_version=version,
            code=code,
            defaults={"text": text, "required": required, "order": order},
        )


# What each role may do in this app (and with accounts); themes grants its own
# (themes/reference_data.py). Granted by ``ufm.roles.grant_permissions``.
PERMISSIONS = {
    "interviewer": [
        "interviews.view_site",
        "interviews.view_consentformversion",
        "interviews.view_consentstatement",
        "interviews.add_interviewsession",
        "interviews.change_interviewsession",
        "interviews.view_interviewsession",
        "interviews.add_answer",
        "interviews.change_answer",
        "interviews.delete_answer",
        "interviews.view_answer",
        "interviews.add_tick",
        "interviews.delete_tick",
        "interviews.view_tick",
        "interviews.add_quote",
        "interviews.change_quote",
        "interviews.delete_quote",
        "interviews.view_quote",
        "interviews.add_consentrecord",
        "interviews.view_consentrecord",
        "interviews.add_consentresponse",
        "interviews.view_consentresponse",
        "interviews.enter_interviews",
    ],
    "analyst": [
        "interviews.view_site",
        "interviews.view_evaluation",
        "interviews.view_interviewsession",
        "interviews.view_answer",
        "interviews.view_tick",
        "interviews.view_quote",
        "interviews.use_admin",
        "interviews.import_interviews",
    ],
    "coordinator": [
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "interviews.add_site",
        "interviews.change_site",
        "interviews.view_site",
        "interviews.add_consentformversion",
        "interviews.change_consentformversion",
        "interviews.view_consentformversion",
        "interviews.add_consentstatement",
        "interviews.change_consentstatement",
        "interviews.delete_consentstatement",
        "interviews.view_consentstatement",
        "interviews.change_interviewsession",
        "interviews.view_interviewsession",
        "interviews.view_answer",
        "interviews.view_tick",
        "interviews.view_quote",
        "interviews.view_consentrecord",
        "interviews.view_consentresponse",
        "interviews.add_withdrawal",
        "interviews.view_withdrawal",
        "interviews.view_sessionevent",
        "interviews.use_admin",
        "interviews.import_interviews",
        "interviews.view_every_interviewsession",
        "interviews.reopen_interviewsession",
        "interviews.discard_interviewsession",
        "interviews.review_identifiers",
        "interviews.view_sessionaccess",
        "interviews.view_loginlockout",
        "interviews.view_evaluation",
        "interviews.design_evaluation",
        "interviews.unlock_loginlockout",
    ],
}


# The permissions this app grants: its own and Django's accounts'.
PERMISSION_APPS = ("interviews", "auth")


def migrate_roles(apps, schema_editor=None) -> None:
    """For a migration (RunPython): this app's permissions given to the roles."""
    migrate_permissions(apps, PERMISSIONS, app_labels=PERMISSION_APPS)


def create_roles(apps) -> None:
    """The three roles as Groups, with this app's permissions (which must exist already)."""
    grant_permissions(apps, PERMISSIONS, app_labels=PERMISSION_APPS)
