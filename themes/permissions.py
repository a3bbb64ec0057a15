"""Who may do what in the themes app: each permission named once, as ``has_perm`` takes it.

Given to the roles by ``themes.reference_data.PERMISSIONS`` through the migrations; every check
is ``user.has_perm(<one of these>)`` (superusers have them all).
"""

# Analysts: tag quotes, and import an edited quotes.csv's tags.
TAG_QUOTES = "themes.add_tag"
# Coordinators: interviews not yet verified, in exports from the web.
EXPORT_UNVERIFIED = "themes.export_unverified"
# Analysts: write and edit memos (everyone who reads quotes reads memos: themes.view_memo).
WRITE_MEMOS = "themes.write_memos"
VIEW_MEMOS = "themes.view_memo"
# Analysts: choose the quotes to use in the report.
CHOOSE_EXEMPLARS = "themes.choose_exemplars"
# Analysts and coordinators: see the coding rounds, their figures and (once closed) the
# meeting page; start a round; close one.
VIEW_ROUNDS = "themes.view_codinground"
START_ROUNDS = "themes.add_codinground"
CLOSE_ROUNDS = "themes.close_codinground"
# Analysts: be one of a round's coders. Settling a disagreement tags quotes (TAG_QUOTES).
CODE_IN_ROUNDS = "themes.code_codinground"
# Analysts and coordinators: the report page, its Word file and its charts.
VIEW_REPORT = "themes.view_report"
