"""Demo accounts and a dozen made-up, verified interviews with quotes and tags.

In the themes app because it makes tags (themes may import interviews, never the reverse).
Idempotent: running it again changes nothing. Never run against real data: the demo passwords
are printed and known to everyone.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from interviews import schedule
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    Evaluation,
    InterviewSession,
    Quote,
    SessionEvent,
    Site,
)
from interviews.services.accounts import account_create, account_update
from themes.models import SubTheme, Tag
from ufm.roles import Role

DEMO_PASSWORD = "ufm-demo-2026"
# Username, display name, role.
DEMO_ACCOUNTS = [
    ("interviewer_a", "Ann A", Role.INTERVIEWER),
    ("interviewer_b", "Ben B", Role.INTERVIEWER),
    ("interviewer_c", "Cara C", Role.INTERVIEWER),
    ("analyst", "Ali Analyst", Role.ANALYST),
    ("coordinator", "Coco Coordinator", Role.COORDINATOR),
]
DEMO_INTERVIEWS = 12

# Made-up words in the spirit of the 2018 interviews, with the sub-themes an analyst gave them.
DEMO_QUOTES: dict[str, list[tuple[str, list[str]]]] = {
    "companionship": [
        ("Since I moved flat I hardly talk to anyone.", ["living_with_others"]),
        ("The cat is my company most days.", ["other_networks"]),
        ("My key worker left and nobody has replaced her.", ["trusted_professional"]),
    ],
    "contentment": [
        ("Friends drifted off when I got ill.", ["other_networks"]),
        ("The pills make me too tired to go out with people.", ["medication_impact"]),
    ],
    "help": [
        ("I would not know who to ring.", ["trusted_professional"]),
        ("The nurse only has fifteen minutes, then she's gone.", ["time_with_professionals"]),
    ],
    "isolation": [
        ("Living in a hostel, you are surrounded but alone.", ["living_with_others"]),
        ("I can't afford the bus to the groups.", ["remove_barriers"]),
    ],
    "left_out": [
        ("My brother's birthday came and went, nobody told me.", ["other_networks"]),
        ("At the centre they are like my family.", ["safe_spaces"]),
    ],
    "what_helped": [
        ("The gardening group on Thursdays.", ["diverse_groups", "safe_spaces"]),
        (
            "Group therapy taught me how to keep friends.",
            ["helpful_therapies", "relationship_skills"],
        ),
        ("The reading group at the library.", ["community_engagement"]),
    ],
    "what_else": [
        ("Someone to come with me the first time.", ["facilitated_access", "remove_barriers"]),
        ("More drop-in times at the centre.", ["safe_spaces"]),
        ("A choir or a walking group nearby.", ["diverse_groups"]),
    ],
}


class Command(BaseCommand):
    help = "Create the demo accounts and about a dozen verified demo interviews (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            users = self.ensure_accounts()
            created = self.ensure_interviews(users)
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for username, name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<15} {role.label:<12} shown as {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo interviews: {created} created, {DEMO_INTERVIEWS - created} already there."
            )
        )

    def ensure_accounts(self) -> dict:
        users = {}
        for username, name, role in DEMO_ACCOUNTS:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                user = account_create(
                    username=username, display_name=name, role=role, password=DEMO_PASSWORD
                )
            elif not user.first_name:
                # Demo accounts made before they had display names.
                account_update(account=user, display_name=name, role=role, is_active=True)
            users[username] = user
        return users

    def ensure_interviews(self, users: dict) -> int:
        rng = random.Random(2018)
        sites = list(Site.objects.filter(code__in=["woodfield_road", "pall_mall", "oremi_centre"]))
        version = ConsentFormVersion.objects.get(label="v1")
        evaluation = Evaluation.objects.current()
        statements = list(version.statements.all())
        subthemes = {s.code: s for s in SubTheme.objects.all()}
        pairs = [
            (users["interviewer_a"], users["interviewer_b"]),
            (users["interviewer_b"], users["interviewer_a"]),
            (users["interviewer_a"], users["interviewer_c"]),
        ]
        created = 0
        for number in range(1, DEMO_INTERVIEWS + 1):
            # Draw every random choice, even for interviews that exist, so each interview's
            # content does not depend on which ones were already there.
            first, second = pairs[number % len(pairs)]
            day = datetime.date(2018, 4, 2) + datetime.timedelta(days=3 * number)
            site = sites[number % len(sites)]
            answers = {item: rng.choice(schedule.Answer.values) for item in schedule.Item.values}
            demographics = {
                q.code: rng.choice(q.choices.values) for q in schedule.ONE_ANSWER_DEMOGRAPHICS
            }
            sees = rng.sample(schedule.Sees.values, k=rng.randint(1, 4))
            quote_consent = number % 6 != 0
            picked = {
                item: rng.sample(pool, k=rng.randint(1, len(pool)))
                for item, pool in DEMO_QUOTES.items()
            }
            code = f"DEMO-{number:03d}"
            if InterviewSession.objects.filter(participant_code=code).exists():
                continue
            created += 1
            verified_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
            session = InterviewSession.objects.create(
                evaluation=evaluation,
                participant_code=code,
                interview_date=day,
                site=site,
                interviewer_1=first,
                interviewer_2=second,
                status=InterviewSession.Status.VERIFIED,
                submitted_by=first,
                submitted_at=verified_at,
                verified_by=second,
                verified_at=verified_at,
            )
            record = ConsentRecord.objects.create(
                session=session,
                form_version=version,
                consent_date=day,
                method=ConsentRecord.Method.SIGNED,
                recorded_by=first,
                witness=second,
            )
            ConsentResponse.objects.bulk_create(
                ConsentResponse(
                    record=record,
                    statement=statement,
                    agreed=statement.required or quote_consent,
                )
                for statement in statements
            )
            ItemAnswer.objects.bulk_create(
                ItemAnswer(session=session, item=item, answer=answer)
                for item, answer in answers.items()
            )
            Demographics.objects.create(session=session, **demographics)
            WeeklyContact.objects.bulk_create(
                WeeklyContact(session=session, code=code) for code in sees
            )
            if quote_consent:
                for item, quotes in picked.items():
                    for position, (text, tag_codes) in enumerate(quotes):
                        quote = Quote.objects.create(
                            session=session, item=item, position=position, text=text
                        )
                        Tag.objects.bulk_create(
                            Tag(
                                quote=quote,
                                subtheme=subthemes[tag_code],
                                tagged_by=users["analyst"],
                                tagged_at=verified_at,
                            )
                            for tag_code in tag_codes
                        )
            SessionEvent.objects.create(
                session=session, kind=SessionEvent.Kind.VERIFIED, by=second, note="Demo data"
            )
        return created
