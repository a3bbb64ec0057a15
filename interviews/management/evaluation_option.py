"""The --evaluation option of the commands that read or write interviews, tags or files: which
evaluation they are of, and that it may be left out while only one evaluation exists."""

from django.core.management.base import CommandError

from interviews.models import Evaluation


def add_evaluation_argument(parser) -> None:
    parser.add_argument(
        "--evaluation",
        metavar="CODE",
        help="the evaluation's code, e.g. loneliness-2018 (may be left out while only one "
        "evaluation exists)",
    )


def evaluation_from_options(options: dict) -> Evaluation:
    """The evaluation the command's --evaluation names, or the only one when it is left out;
    a CommandError listing the known codes when it is unknown or there is more than one."""
    code = options.get("evaluation")
    evaluations = list(Evaluation.objects.order_by("code"))
    known = ", ".join(e.code for e in evaluations) or "none"
    if code:
        for evaluation in evaluations:
            if evaluation.code == code:
                return evaluation
        raise CommandError(f"--evaluation: there is no evaluation '{code}' (there are: {known}).")
    if len(evaluations) == 1:
        return evaluations[0]
    if not evaluations:
        raise CommandError("There is no evaluation yet: import one with evaluation_import.")
    raise CommandError(f"--evaluation: say which evaluation (there are: {known}).")
