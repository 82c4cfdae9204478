"""The ledger's desktop pages, split by topic; each POST calls one service."""

from .lists import monthly, overdue, print_ledger, problem_list, todo, weekly
from .measures import measure_detail, measure_edit, measure_file, measure_progress, measure_transition
from .problems import (
    measure_add,
    problem_create,
    problem_detail,
    problem_edit,
    problem_file,
    problem_push,
    problem_transition,
)
from .sheets import export, import_ledger, import_template, monthly_export

__all__ = [
    "export", "import_ledger", "import_template", "measure_add", "measure_detail", "measure_edit", "measure_file",
    "measure_progress", "measure_transition", "monthly", "monthly_export", "overdue", "print_ledger",
    "problem_create", "problem_detail", "problem_edit", "problem_file", "problem_list", "problem_push",
    "problem_transition", "todo", "weekly",
]
