"""Coding rounds (independent double coding): the round's figures (``figures``), its writes
(``services``), the choice of its quotes (``selection``), its agreement.csv (``files``) and the
reads the pages and the report use (``selectors``)."""
