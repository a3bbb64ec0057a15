"""Reference data every database needs: sites, consent form v1 and the roles.

Called by the data migrations, and by the browser tests after each flush of the database.
``apps`` is the migration's app registry, or ``django.apps.apps``.
"""

import datetime

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
    version, _ = Version.objects.get_or_create(
        label="v1",
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


PERMISSIONS = {
    "interviewer": [
        "interviews.view_site",
        "interviews.view_consentformversion",
        "interviews.view_consentstatement",
        "interviews.add_interviewsession",
        "interviews.change_interviewsession",
        "interviews.view_interviewsession",
        "interviews.add_itemanswer",
        "interviews.change_itemanswer",
        "interviews.delete_itemanswer",
        "interviews.view_itemanswer",
        "interviews.add_quote",
        "interviews.change_quote",
        "interviews.delete_quote",
        "interviews.view_quote",
        "interviews.add_demographics",
        "interviews.change_demographics",
        "interviews.view_demographics",
        "interviews.add_weeklycontact",
        "interviews.delete_weeklycontact",
        "interviews.view_weeklycontact",
        "interviews.add_consentrecord",
        "interviews.view_consentrecord",
        "interviews.add_consentresponse",
        "interviews.view_consentresponse",
    ],
    "analyst": [
        "interviews.view_site",
        "interviews.view_evaluation",
        "interviews.view_interviewsession",
        "interviews.view_itemanswer",
        "interviews.view_quote",
        "interviews.view_demographics",
        "interviews.view_weeklycontact",
        "themes.view_theme",
        "themes.view_subtheme",
        "themes.add_tag",
        "themes.change_tag",
        "themes.delete_tag",
        "themes.view_tag",
        "themes.view_exportrecord",
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
        "interviews.view_itemanswer",
        "interviews.view_quote",
        "interviews.view_demographics",
        "interviews.view_weeklycontact",
        "interviews.view_consentrecord",
        "interviews.view_consentresponse",
        "interviews.add_withdrawal",
        "interviews.view_withdrawal",
        "interviews.view_sessionevent",
        "interviews.view_sessionaccess",
        "interviews.view_loginlockout",
        "interviews.view_evaluation",
        "interviews.unlock_loginlockout",
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
    ],
}


def migrate_roles(apps, schema_editor=None) -> None:
    """For a migration (RunPython): make the permissions that exist at this point, then give
    the roles theirs. Django makes permissions only after all migrations have run, so a
    migration that grants one must make it first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_roles(apps)


def create_roles(apps) -> None:
    """The three roles as Groups with their permissions (which must exist already).

    The migration that first made the roles ran before some models and permissions existed: a
    permission that no model of ``apps`` defines yet is left out, and the migration that adds
    it calls this again. A permission that is defined but missing is a mistake, and fails.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for name in names:
            app_label, codename = name.split(".")
            try:
                perms.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist:
                if _permission_defined(apps, app_label, codename):
                    raise
        group.permissions.set(perms)


def _permission_defined(apps, app_label: str, codename: str) -> bool:
    """Whether a model of ``apps`` (the models as they stand at this migration) defines the
    permission: one of Django's four, or one of its Meta.permissions."""
    for model in apps.get_app_config(app_label).get_models():
        opts = model._meta
        defined = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
        defined |= {name for name, _ in opts.permissions}
        if codename in defined:
            return True
    return False
