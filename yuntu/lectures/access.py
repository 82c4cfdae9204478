from django.shortcuts import get_object_or_404

from .models import LectureOrder, Lecturer, LectureTeam, Topic
from .selectors import (
    lecturers_visible_to,
    orders_of_orderer,
    orders_visible_to,
    public_menu,
    teams_visible_to,
    topics_visible_to,
)


def get_order_for_user(user, pk) -> LectureOrder:
    return get_object_or_404(orders_visible_to(user), pk=pk)


def get_own_order(user, pk) -> LectureOrder:
    return get_object_or_404(orders_of_orderer(user), pk=pk)


def get_team_for_user(user, pk) -> LectureTeam:
    return get_object_or_404(teams_visible_to(user), pk=pk)


def get_topic_for_user(user, pk) -> Topic:
    return get_object_or_404(topics_visible_to(user), pk=pk)


def get_lecturer_for_user(user, pk) -> Lecturer:
    return get_object_or_404(lecturers_visible_to(user), pk=pk)


def get_public_topic(pk) -> Topic:
    return get_object_or_404(public_menu(), pk=pk)
