"""The in-app inbox: a copy of every notification sent to an account, and the account's choices.

Messages are personal, not governed records: each belongs to one user and only that user reads it.
"""

from django.conf import settings
from django.db import models


class Message(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages",
                             verbose_name="收件人")
    kind = models.CharField("类别", max_length=32)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    data = models.JSONField("附加数据", default=dict, blank=True)
    link = models.CharField("链接", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # Held back from the outside channels: waits for the daily digest (pending) or was opted out.
    held = models.CharField("推送", max_length=16, blank=True,
                            choices=[("", "已即时推送"), ("digest", "待每日汇总"), ("digested", "已汇总推送"),
                                     ("opted_out", "不推送")])

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="inbox_user_time"),
            models.Index(fields=["user", "read_at"], name="inbox_user_unread"),
            models.Index(fields=["held", "user"], name="inbox_held_user"),
        ]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """How an account wants its notifications pushed: at once (default) or one digest a day."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_preference",
                                verbose_name="用户")
    daily_digest = models.BooleanField("每日汇总推送", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "消息设置"
        verbose_name_plural = "消息设置"


class OptOut(models.Model):
    """A kind of notification the account does not want pushed (it still lands in the inbox)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_opt_outs",
                             verbose_name="用户")
    kind = models.CharField("类别", max_length=32)

    class Meta:
        verbose_name = "不推送的消息类别"
        verbose_name_plural = "不推送的消息类别"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="inbox_opt_out_unique")]
