"""Demo accounts and a dozen made-up, verified interviews with quotes and tags.

In the themes app because it makes tags (themes may import interviews, never the reverse).
Idempotent: running it again changes nothing. Never run against real data: the demo passwords
are printed and known to everyone.
"""

import datetime
import itertools
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from interviews.models import (
    Answer,
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    Evaluation,
    InterviewSession,
    Quote,
    SessionEvent,
    Site,
    Tick,
)
from interviews.schedules import schedule_of
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

# Made-up words in the spirit of the 2018 interviews, with the sub-themes an analyst gave them:
# the k-th group goes to the k-th question with quotes of the schedule (in survey order, round
# again if there are more questions than groups). Sub-themes not in the codebook are left out.
DEMO_QUOTES: list[list[tuple[str, list[str]]]] = [
    [
        ("Since I moved flat I hardly talk to anyone.", ["living_with_others"]),
        ("The cat is my company most days.", ["other_networks"]),
        ("My key worker left and nobody has replaced her.", ["trusted_professional"]),
    ],
    [
        ("Friends drifted off when I got ill.", ["other_networks"]),
        ("The pills make me too tired to go out with people.", ["medication_impact"]),
    ],
    [
        ("I would not know who to ring.", ["trusted_professional"]),
        ("The nurse only has fifteen minutes, then she's gone.", ["time_with_professionals"]),
    ],
    [
        ("Living in a hostel, you are surrounded but alone.", ["living_with_others"]),
        ("I can't afford the bus to the groups.", ["remove_barriers"]),
    ],
    [
        ("My brother's birthday came and went, nobody told me.", ["other_networks"]),
        ("At the centre they are like my family.", ["safe_spaces"]),
    ],
    [
        ("The gardening group on Thursdays.", ["diverse_groups", "safe_spaces"]),
        (
            "Group therapy taught me how to keep friends.",
            ["helpful_therapies", "relationship_skills"],
        ),
        ("The reading group at the library.", ["community_engagement"]),
    ],
    [
        ("Someone to come with me the first time.", ["facilitated_access", "remove_barriers"]),
        ("More drop-in times at the centre.", ["safe_spaces"]),
        ("A choir or a walking group nearby.", ["diverse_groups"]),
    ],
]
MOST_TICKS = 4  # a tick-all-that-apply question gets 1 to this many ticks


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
        schedule = schedule_of(evaluation)
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
            # Every coded question answered, by an option drawn from its own list.
            answers = [
                (question, rng.choice(question.options))
                for question in schedule.select_questions
                if question.one_answer and question.options
            ]
            ticks = [
                (question, option)
                for question in schedule.select_questions
                if question.many and question.options
                for option in rng.sample(
                    question.options, k=rng.randint(1, min(MOST_TICKS, len(question.options)))
                )
            ]
            quote_consent = number % 6 != 0
            picked = [
                (question, rng.sample(pool, k=rng.randint(1, len(pool))))
                for question, pool in zip(
                    schedule.quote_questions, itertools.cycle(DEMO_QUOTES), strict=False
                )
            ]
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
            for model, chosen in ((Answer, answers), (Tick, ticks)):
                model.objects.bulk_create(
                    model(
                        session=session,
                        question_id=question.id,
                        choice_list_id=question.choice_list_id,
                        option_id=option.id,
                    )
                    for question, option in chosen
                )
            if quote_consent:
                for question, quotes in picked:
                    for position, (text, tag_codes) in enumerate(quotes):
                        quote = Quote.objects.create(
                            session=session, question_id=question.id, position=position, text=text
                        )
                        Tag.objects.bulk_create(
                            Tag(
                                quote=quote,
                                subtheme=subthemes[tag_code],
                                tagged_by=users["analyst"],
                                tagged_at=verified_at,
                            )
                            for tag_code in tag_codes
                            if tag_code in subthemes
                        )
            SessionEvent.objects.create(
                session=session, kind=SessionEvent.Kind.VERIFIED, by=second, note="Demo data"
            )
        return created
