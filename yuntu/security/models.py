from django.conf import settings
from django.db import models


class PasswordRecord(models.Model):
    """When a user's password was last set, for the expiry policy (no change to the user table)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_record",
                                verbose_name="用户")
    changed_at = models.DateTimeField("密码设置时间")

    class Meta:
        verbose_name = "密码记录"
        verbose_name_plural = "密码记录"

    def __str__(self) -> str:
        return f"{self.user_id} · {self.changed_at:%Y-%m-%d}"
