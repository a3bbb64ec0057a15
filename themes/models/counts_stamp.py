"""The counts stamp: a token the database changes whenever anything the analysts' counts read
changes, so that counts kept in memory (``themes.counts_cache``) are known to be current."""

from django.db import models


class CountsStamp(models.Model):
    """One row, made by themes migration 0016, whose ``token`` database triggers set to a new
    random number in the same transaction as any change to what the analysis home counts: tags,
    chosen quotes, the codebook, withdrawals, consent, the schedule and sites, interviews that
    are not drafts (their status, site, date or deletion), and the quotes, answers and ticks of
    such interviews. Drafts being typed never change it, so autosaves leave the counts kept.

    A token names one state of the data: a change rolled back returns to the token before it,
    and a random number is never given twice, so a token never means two states. Without the
    row (a test database flushed between tests) nothing is kept. Numbers only, never words."""

    token = models.BigIntegerField()

    class Meta:
        db_table = "themes_counts_stamp"

    def __str__(self) -> str:
        return f"counts stamp {self.token}"
