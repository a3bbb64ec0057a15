"""How typed words become quotes: one quote a line, in boxes, cells and files alike."""

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def quote_lines(text: str) -> list[str]:
    """A cell or box of quotes, one quote a line, as a list of quotes (blank lines dropped).
    NUL characters (invisible, and refused by PostgreSQL in text) are dropped."""
    return [line.strip() for line in LINE_BREAK.split(text.replace("\x00", "")) if line.strip()]


def one_line(text: str) -> str:
    """One quote as one line: line breaks typed inside it become spaces."""
    return " ".join(quote_lines(text))
