"""The interviewers' pages, one module per job (the coordinators' reopen page is in the admin).

- ``access``: fetching a session for the user (404 or 403), the access log, and ``refused``,
  the one answer to what a service refused (its message, with its status).
- ``home``: the interviewer's home (my interviews) and starting a session.
- ``consent``: the consent step, the first thing the pair does in every session.
- ``discard``: discarding an interview started by mistake, before consent.
- ``entry``: where a session continues, the schedule's sections.
- ``autosave``: saving as people type, and a device's outbox once it is back online.
- ``offline``: the service worker's script, the offline page, log-out clearing the device.
- ``checking``: review and submit, the partner's check.
- ``presenter``: the template-data builders the pages share.

Every page works without JavaScript: Back, Next and the quote buttons are plain form posts
that save first. static/js/entry/autosave.js adds saving as people type, and with the service
worker (static/js/service_worker.js) keeps an interview going without a connection.
"""
