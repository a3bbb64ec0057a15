"""The analysts' workspace in the admin: quotes to tag, the codebook, exports and imports.

Importing the modules registers their admins, so Django's autodiscovery (which imports
``themes.admin``) finds every one.
"""

from themes.admin import codebook, files, memos, quotes, report, rounds

__all__ = ["codebook", "files", "memos", "quotes", "report", "rounds"]
