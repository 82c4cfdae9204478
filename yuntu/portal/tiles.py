"""The resident's home: a small declared list of tiles, each shown only when its page exists.

A tile names URL names to try (and a path its module is mounted at); whichever resolves first is
its link, so a deployment without one of the modules simply shows no tile for it.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    hint: str
    url_names: tuple[str, ...] = ()
    mounted_at: str = ""  # e.g. "/portal/venues/": shown if anything answers there
    signed_in: bool = False
    group: str = "do"  # do: things to do; read: things to read; mine: my own

    def href(self) -> str:
        for name in self.url_names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        if self.mounted_at:
            try:
                resolve(self.mounted_at)
            except Resolver404:
                return ""
            return self.mounted_at
        return ""


TILES: tuple[Tile, ...] = (
    Tile("request", gettext_noop("我要说事"), gettext_noop("反映诉求，五事工作法跟踪到底"), ("portal:submit",)),
    Tile("suggestion", gettext_noop("建言献策"), gettext_noop("为社区发展出主意"), ("portal:suggestions",)),
    Tile("venues", gettext_noop("身边阵地"), gettext_noop("15分钟党群活动圈：找阵地、约活动室"),
         ("venues_portal:circle",), "/portal/venues/"),
    Tile("needs", gettext_noop("身边微心愿"), gettext_noop("附近待认领的群众需求"), ("needs:list",), "/portal/needs/"),
    Tile("lectures", gettext_noop("我要点单"), gettext_noop("点一堂宣讲课送到身边"), ("lectures_portal:menu",),
         "/portal/lectures/"),
    Tile("receptions", gettext_noop("领导接访"), gettext_noop("查看接访日并预约面谈"), ("receptions:schedule",),
         "/portal/receptions/"),
    Tile("affairs", gettext_noop("党务村务公开"), gettext_noop("本社区的党务、村务、财务公开"), ("portal_publicity:affairs",), group="read"),
    Tile("news", gettext_noop("新闻动态"), gettext_noop("身边的党建新闻"), ("portal_publicity:news",), group="read"),
    Tile("study", gettext_noop("学习园地"), gettext_noop("学习专栏和学习清单"), ("portal_publicity:study",), group="read"),
    Tile("contests", gettext_noop("征集评选"), gettext_noop("征文、案例征集和评选结果"), ("portal_publicity:contests",), group="read"),
    Tile("board", gettext_noop("晒事公开栏"), gettext_noop("看看大家反映的事办得怎么样"), ("portal:board",), group="read"),
    Tile("mine", gettext_noop("我的诉求"), gettext_noop("我反映的事办到哪一步了"), ("portal:mine",), signed_in=True, group="mine"),
    Tile("bookings", gettext_noop("我的预约"), gettext_noop("活动室预约和签到"), ("venues_portal:mine",), signed_in=True,
         group="mine"),
    Tile("claims", gettext_noop("我的认领"), gettext_noop("认领的微心愿和服务时长"), ("needs:mine",), signed_in=True,
         group="mine"),
    Tile("orders", gettext_noop("我的点单"), gettext_noop("宣讲点单的进度和评价"), ("lectures_portal:mine",), signed_in=True,
         group="mine"),
    Tile("inbox", gettext_noop("我的消息"), gettext_noop("办理进度、答复和通知"), ("inbox:list",), signed_in=True, group="mine"),
)


def tiles_for(user, keys: tuple[str, ...] = ()) -> list[dict]:
    """The tiles whose page exists (and, for own items, when signed in), with their links."""
    shown = []
    for tile in TILES:
        if keys and tile.key not in keys:
            continue
        if tile.signed_in and not getattr(user, "is_authenticated", False):
            continue
        href = tile.href()
        if href:
            shown.append({"key": tile.key, "label": tile.label, "hint": tile.hint, "href": href, "group": tile.group})
    return shown
