"""The database router that keeps the theme-count summary out of dumpdata and loaddata."""


class ThemeCountSummaryRouter:
    """``themes.ThemeCountSummary`` is made by PostgreSQL's triggers from the tags, not by
    Django (and SQLite has no such table): a dump leaves it out, and loading the tags back
    makes its rows again. Rows loaded beside the tags would clash with the triggers' own."""

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints):
        if app_label == "themes" and model_name == "themecountsummary":
            return False
        return None  # everything else: no opinion, so Django's default
