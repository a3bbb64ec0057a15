"""Writes that span several models (HackSoft's services). Views, forms, admin actions and
management commands all call these; no business logic lives in signals or ``save()``.

- ``refusals``: ``Refused``, the one exception for "refused in this state" (a message for the
  person and its HTTP status) that every refusal below derives from.
- ``accounts``: accounts and roles.
- ``lockouts``: unlocking an account the log-in lock-out has locked.
- ``sessions``: starting a session, saving answers, submit, check, return and reopen.
- ``consent_gate``: the consent gate (``consent_require``) every write of interview data calls
  first.
- ``consent``: recording consent (``consent_record``).
- ``session_import``: the interviews import's write of checked rows (``sessions_import``), in
  bulk, through model validation and the consent gate.
- ``consent_versions``: consent form versions (``consent_version_*``).
- ``withdrawal``: withdrawal (``withdrawal_preview``, ``withdrawal_check``,
  ``participant_withdraw``); other apps' copies of the words through ``register_eraser``.
"""
