"""Who may do what in the themes app: each permission named once, as ``has_perm`` takes it.

Given to the roles by ``themes.reference_data.PERMISSIONS`` through the migrations; every check
is ``user.has_perm(<one of these>)`` (superusers have them all).
"""

# Analysts: tag quotes, and import an edited quotes.csv's tags.
TAG_QUOTES = "themes.add_tag"
# Coordinators: interviews not yet verified, in exports from the web.
EXPORT_UNVERIFIED = "themes.export_unverified"
# Analysts and coordinators: the report page, its Word file and its charts.
VIEW_REPORT = "themes.view_report"
