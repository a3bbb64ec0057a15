"""The per-interview theme counts that PostgreSQL keeps for theme_counts.csv."""

from django.db import models


class ThemeCountSummary(models.Model):
    """One interview's tag counts for one quote question, or for the whole interview
    (question_id 0): what theme_counts.csv adds up on PostgreSQL (``themes.exports_pg``).
    PostgreSQL only.

    The table is made and kept by themes migration 0008, not by Django (``managed = False``):
    PL/pgSQL triggers on tags, quotes, answers, interviews and the codebook recount an
    interview's rows in the same transaction as any change, so every path (services, admin,
    imports, withdrawals, raw SQL, COPY) leaves them as a recount from the tags would. Nothing
    in the app writes to it; ``manage.py theme_counts --check`` compares it with a recount,
    ``--rebuild`` recounts it, and the system check themes.E001 finds its triggers missing.
    SQLite has no such table: there the export counts the tags directly.

    The four counts are packed numbers, so that one ``sum()`` adds every sub-theme at once:
    sub-themes and themes are each ranked by id from 0, and the count of the one in slot k is
    worth 10^(10k) (``exports_pg._unpack`` reads them). The whole interview's row also holds
    its answers (``options``). Numbers only: never words or names.
    """

    # Packed numbers are PostgreSQL numerics of any length; max_digits is only for Django.
    PACKED = {"max_digits": 1000, "decimal_places": 0}
    WHOLE_INTERVIEW = 0  # the question_id of an interview's row over all its quotes

    pk = models.CompositePrimaryKey("session", "question_id")
    session = models.ForeignKey(
        "interviews.InterviewSession",
        on_delete=models.DO_NOTHING,  # the triggers delete the rows with the interview
        db_constraint=False,
        related_name="+",
    )
    # A number, not a key to Question: 0 (the whole interview) is no question's id.
    question_id = models.BigIntegerField(
        help_text="A quote question's id, or 0 for the whole interview."
    )
    # NULL, as in the table: '' would be a code, and no answer is not a code.
    answer = models.CharField(  # noqa: DJ001
        max_length=100,
        null=True,
        help_text="The code of the interview's answer to the question; NULL for the whole "
        "interview, an open question or none.",
    )
    subtheme_quotes = models.DecimalField(
        **PACKED, help_text="Quotes tagged with each sub-theme (packed)."
    )
    subtheme_people = models.DecimalField(
        **PACKED, help_text="1 for each sub-theme on any of those quotes (packed)."
    )
    theme_quotes = models.DecimalField(
        **PACKED, help_text="Quotes with any sub-theme of each theme (packed)."
    )
    theme_people = models.DecimalField(
        **PACKED, help_text="1 for each theme on any of those quotes (packed)."
    )
    # Kept on the whole interview's row by the triggers of themes migration 0017, so that the
    # counts by demographic need not read the answers table.
    options = models.JSONField(
        null=True,
        help_text="The whole interview's answers, as question id to option id; NULL on a "
        "question's row.",
    )

    class Meta:
        managed = False
        db_table = "themes_theme_count_summary"
        # Kept by the database alone: nobody is granted adding, changing or deleting rows.
        default_permissions = ()

    def __str__(self) -> str:
        if self.question_id == self.WHOLE_INTERVIEW:
            return f"{self.session_id} (whole interview)"
        return f"{self.session_id} question {self.question_id}"
