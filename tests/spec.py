"""Read the tables of ../shared/spec/*.md, so tests compare the app with the spec itself."""

from pathlib import Path

from django.conf import settings

SPEC_DIR = Path(settings.BASE_DIR).parent / "shared" / "spec"


def tables(name: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of a spec file, each a list of rows keyed by the header cells."""
    found: list[list[dict[str, str]]] = []
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for line in (SPEC_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("|"):
            if header is not None:
                found.append(rows)
            header, rows = None, []
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif set("".join(cells)) <= set("-: "):
            continue
        else:
            rows.append(dict(zip(header, cells, strict=True)))
    if header is not None:
        found.append(rows)
    return found


def table_with(name: str, *columns: str) -> list[dict[str, str]]:
    """The first table of a spec file whose header has all these columns."""
    for table in tables(name):
        if table and all(column in table[0] for column in columns):
            return table
    raise LookupError(f"No table with columns {columns} in {name}")


def code_label_pairs(cell: str) -> list[tuple[str, str]]:
    """'alone = On my own; 1-2; ...' → [('alone', 'On my own'), ('1-2', '1-2'), ...]."""
    pairs = []
    for part in cell.split(";"):
        part = part.strip()
        code, _, label = part.partition(" = ")
        pairs.append((code.strip(), (label or code).strip()))
    return pairs
