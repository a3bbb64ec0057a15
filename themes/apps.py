"""The themes app: the codebook, tagging and exports; its database system checks, and its
part of every withdrawal and of every evaluation stored."""

from django.apps import AppConfig
from django.core import checks


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes and tagging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from interviews.services.withdrawal import register_eraser
        from interviews.signals import evaluation_stored
        from themes.codebook_store import codebook_on_evaluation_stored
        from themes.counts_stamp_check import check_stamp_triggers
        from themes.memo_services import memos_count_for_session, memos_flag_for_session
        from themes.rounds.services import (
            round_rows_count_for_session,
            round_rows_erase_for_session,
        )
        from themes.services import tags_count_for_session, tags_erase_for_session
        from themes.summary import check_summary_objects

        # A database check: run by migrate and by `manage.py check --database default`.
        checks.register(check_summary_objects, checks.Tags.database)
        checks.register(check_stamp_triggers, checks.Tags.database)
        # interviews may not import themes: a withdrawal reaches tags through this hook.
        register_eraser(count=tags_count_for_session, erase=tags_erase_for_session)
        # After the tags (which take their exemplars with them): the other exemplars go, and
        # memos holding the participant's words are flagged.
        register_eraser(count=memos_count_for_session, erase=memos_flag_for_session)
        register_eraser(count=round_rows_count_for_session, erase=round_rows_erase_for_session)
        # Storing an evaluation's workbook stores its codebook sheet here, in the same
        # transaction.
        evaluation_stored.connect(codebook_on_evaluation_stored, dispatch_uid="themes.codebook")
