"""What the interviews app tells other apps, which it never imports: ``evaluation_stored``
(sender Evaluation; ``evaluation``, ``design``) is sent inside the transaction that stores an
evaluation's workbook, dry runs included, so that the themes app stores the codebook sheet
with it (and a problem it raises undoes the whole import)."""

from django.dispatch import Signal

evaluation_stored = Signal()
