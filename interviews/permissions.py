"""Who may do what in the interviews app: each permission named once, as ``has_perm`` takes it.

The custom ones are defined by the models' ``Meta.permissions`` (interviews/models.py) and given
to the roles by ``reference_data.PERMISSIONS`` through the migrations. Every check, in views,
services, the admin and commands, is ``user.has_perm(<one of these>)``; superusers have them all.
"""

# Interviewers: the data-entry pages, and being chosen as someone's partner.
ENTER_INTERVIEWS = "interviews.enter_interviews"
# Analysts and coordinators: the admin site (interviewers never see it).
USE_ADMIN = "interviews.use_admin"
# Analysts and coordinators.
IMPORT_INTERVIEWS = "interviews.import_interviews"
# Coordinators: records not yet verified and those of withdrawn participants, for the audit
# trail (analysts see verified records of participants who have not withdrawn).
VIEW_EVERY_SESSION = "interviews.view_every_interviewsession"
# Coordinators.
REOPEN_SESSION = "interviews.reopen_interviewsession"
# Coordinators: a draft started by mistake, after consent (the pair may before it).
DISCARD_SESSION = "interviews.discard_interviewsession"
REVIEW_IDENTIFIERS = "interviews.review_identifiers"
RECORD_WITHDRAWAL = "interviews.add_withdrawal"
UNLOCK_LOCKOUT = "interviews.unlock_loginlockout"
# A record's consent (its interviewers and coordinators) and withdrawal (coordinators): on its
# timeline, and in the admin pages.
VIEW_CONSENT = "interviews.view_consentrecord"
VIEW_WITHDRAWAL = "interviews.view_withdrawal"
# Coordinators: an evaluation's design and life (evaluation_import, evaluation_publish,
# evaluation_status; --user).
DESIGN_EVALUATION = "interviews.design_evaluation"
