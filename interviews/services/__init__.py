"""Writes that span several models (HackSoft's services). Views, forms, admin actions and
management commands all call these; no business logic lives in signals or ``save()``.

- ``accounts``: accounts and roles.
- ``consent``: the consent gate (``consent_require``) every write of interview data calls first.
"""
