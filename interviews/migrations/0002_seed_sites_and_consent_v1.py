"""Seed the sites of schedule.md and consent form version v1 of consent.md."""

import datetime

from django.db import migrations

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


def seed(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
