"""Writes that span several models (HackSoft's services). Views, forms, admin actions and
management commands all call these; no business logic lives in signals or ``save()``.

- ``accounts``: accounts and roles.
- ``lockouts``: unlocking an account the log-in lock-out has locked.
- ``consent``: the consent gate (``consent_require`` / ``@requires_consent``) every write of
  interview data calls first; recording consent; consent form versions; withdrawal;
  ``participant_code_problem`` for the start-a-session page and imports.
"""
