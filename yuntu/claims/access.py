from django.shortcuts import get_object_or_404

from .models import Claim, DualReport, Need
from .selectors import (
    claims_of_claimant,
    claims_visible_to,
    needs_visible_to,
    public_needs,
    reports_visible_to,
)


def get_need_for_user(user, pk) -> Need:
    return get_object_or_404(needs_visible_to(user), pk=pk)


def get_public_need(pk) -> Need:
    return get_object_or_404(public_needs(), pk=pk)


def get_claim_for_user(user, pk) -> Claim:
    return get_object_or_404(claims_visible_to(user), pk=pk)


def get_own_claim(user, pk) -> Claim:
    return get_object_or_404(claims_of_claimant(user), pk=pk)


def get_report_for_user(user, pk) -> DualReport:
    return get_object_or_404(reports_visible_to(user), pk=pk)
