"""Create the three roles as Groups with their permissions."""

from django.db import migrations

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
        "themes.add_theme",
        "themes.change_theme",
        "themes.view_theme",
        "themes.add_subtheme",
        "themes.change_subtheme",
        "themes.view_subtheme",
        "themes.view_tag",
        "themes.view_exportrecord",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for name in names:
            app_label, codename = name.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0002_seed_sites_and_consent_v1"),
        ("themes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
