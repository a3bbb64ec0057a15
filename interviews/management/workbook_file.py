"""What the evaluation commands share: reading a workbook file, and saying its problems."""

from pathlib import Path

from django.core.management.base import CommandError

from interviews.workbooks import EvaluationDesign, WorkbookInvalid, read_workbook, size_check


def problems_error(invalid: WorkbookInvalid, *, outcome: str = "") -> CommandError:
    """The command's failure listing every problem; ``outcome`` follows the count (", nothing
    was saved")."""
    return CommandError(
        f"The workbook has {len(invalid.problems)} problem(s){outcome}:\n"
        + "\n".join(invalid.lines())
    )


def design_from_file(file: str, *, outcome: str = "") -> EvaluationDesign:
    """The design of the workbook at ``file``, or a CommandError saying why it cannot be read."""
    path = Path(file)
    try:
        size_check(path.stat().st_size)
        return read_workbook(path.read_bytes())
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}") from error
    except WorkbookInvalid as invalid:
        raise problems_error(invalid, outcome=outcome) from invalid
