"""The interviews app's stored data, one module a kind: sessions and what they hold
(``sessions``), their coded answers (``answers``), consent and withdrawal (``consent``), log-in
lock-outs (``lockouts``), the ids of changes sent from a device's outbox
(``device_changes``), and each evaluation's stored design (``evaluations``).

Import models from here (``from interviews.models import InterviewSession``); PostgreSQL
triggers of the themes app fire on some of them (see ``themes.summary``).
"""

from interviews.models.answers import Answer, AnswerBase, Tick
from interviews.models.codes import choice_constraint
from interviews.models.consent import (
    ConsentFormVersion,
    ConsentMethod,
    ConsentRecord,
    ConsentResponse,
    ConsentResponseQuerySet,
    ConsentStatement,
    Withdrawal,
    consent_refusals,
)
from interviews.models.device_changes import DeviceChange
from interviews.models.evaluations import (
    AnswerOption,
    CalculationTerm,
    ChoiceList,
    Evaluation,
    EvaluationQuerySet,
    EvaluationStatus,
    Question,
    Section,
)
from interviews.models.lockouts import LogInLockout, LogInLockoutQuerySet
from interviews.models.sessions import (
    InterviewSession,
    InterviewSessionQuerySet,
    Quote,
    QuoteQuerySet,
    SessionAccess,
    SessionEvent,
    SessionEventKind,
    SessionSource,
    SessionStatus,
    Site,
)

__all__ = [
    "Answer",
    "AnswerBase",
    "AnswerOption",
    "CalculationTerm",
    "ChoiceList",
    "ConsentFormVersion",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentResponse",
    "ConsentResponseQuerySet",
    "ConsentStatement",
    "DeviceChange",
    "Evaluation",
    "EvaluationQuerySet",
    "EvaluationStatus",
    "InterviewSession",
    "InterviewSessionQuerySet",
    "LogInLockout",
    "LogInLockoutQuerySet",
    "Question",
    "Quote",
    "QuoteQuerySet",
    "Section",
    "SessionAccess",
    "SessionEvent",
    "SessionEventKind",
    "SessionSource",
    "SessionStatus",
    "Site",
    "Tick",
    "Withdrawal",
    "choice_constraint",
    "consent_refusals",
]
