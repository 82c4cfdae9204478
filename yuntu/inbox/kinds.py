"""Kinds of notification: named by the module that sends them, or read off the subject's 【…】 prefix.

A module may pass ``data={"kind": "..."}``; otherwise the bracketed prefix every Yuntu message
starts with (【群众诉求】, 【整改台账】, 【吹哨报到】…) is the kind, so modules added later are sorted
without declaring anything. Known kinds get a label for the settings page.
"""

import re

from django.utils.translation import gettext_noop

KNOWN = {
    "群众诉求": gettext_noop("群众诉求办理进度"),
    "吹哨报到": gettext_noop("吹哨报到派单"),
    "整改台账": gettext_noop("整改台账提醒"),
    "党务公开": gettext_noop("党务村务公开问答"),
    "学习园地": gettext_noop("学习园地与新闻"),
    "征集评选": gettext_noop("征文与案例评选"),
}
OTHER = gettext_noop("其他")
PREFIX = re.compile(r"^【([^】]{1,30})】")


def kind_of(subject: str, data: dict | None) -> str:
    named = (data or {}).get("kind")
    if named:
        return str(named)[:32]
    found = PREFIX.match(subject or "")
    return found.group(1) if found else OTHER


def label_of(kind: str) -> str:
    return KNOWN.get(kind, kind)
