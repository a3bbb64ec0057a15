"""The report of an evaluation's verified interviews: its content built once
(``themes.report.build``) and rendered as the admin page, a Word document and a zip of charts."""
