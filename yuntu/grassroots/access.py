"""Lookups by id: 404 alike for "does not exist" and "not yours"."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from yuntu.accounts.models import User

from . import selectors


def get_topic_for_user(user, pk):
    return get_object_or_404(selectors.topics_visible_to(user), pk=pk)


def get_contact_for_user(user, pk):
    return get_object_or_404(selectors.contacts_visible_to(user), pk=pk)


def get_reception_day_for_user(user, pk):
    return get_object_or_404(selectors.reception_days_visible_to(user), pk=pk)


def get_public_reception_day(pk):
    return get_object_or_404(selectors.reception_schedule(), pk=pk)


def get_booking_for_user(user, pk):
    return get_object_or_404(selectors.bookings_visible_to(user), pk=pk)


def get_own_booking(user, pk):
    return get_object_or_404(selectors.bookings_of_resident(user), pk=pk)


def get_mediation_for_user(user, pk):
    return get_object_or_404(selectors.mediations_visible_to(user), pk=pk)


def get_enterprise_for_user(user, pk):
    return get_object_or_404(selectors.enterprises_visible_to(user), pk=pk)


def get_pairing_for_user(user, pk):
    return get_object_or_404(selectors.pairings_visible_to(user), pk=pk)


def get_demand_for_user(user, pk):
    return get_object_or_404(selectors.demands_visible_to(user), pk=pk)


def get_cadre_for_user(user, pk) -> User:
    """The cadre whose frontline record `user` may open; peers and strangers get the same 404."""
    cadre = User.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if cadre is None or not selectors.may_see_record(user, cadre):
        raise Http404("干部不存在或不在您的查看范围内。")
    return cadre
