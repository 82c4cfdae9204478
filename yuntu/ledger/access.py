from django.shortcuts import get_object_or_404

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission

from .models import Measure, Problem


def get_problem_for_user(user, pk) -> Problem:
    return get_object_or_404(visible(user, Problem, Permission.LEDGER_VIEW).select_related("org"), pk=pk)


def get_measure_for_user(user, pk) -> Measure:
    return get_object_or_404(visible(user, Measure, Permission.LEDGER_VIEW).select_related("org", "problem"), pk=pk)
