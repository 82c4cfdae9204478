"""Sign-in codes sent to a mobile: only a keyed digest of the mobile and of the code is stored."""

from django.db import models


class SignInCode(models.Model):
    mobile_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    client_address = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("验证次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"
        indexes = [
            models.Index(fields=["mobile_digest", "-created_at"], name="signin_code_mobile_time"),
            models.Index(fields=["client_address", "-created_at"], name="signin_code_client_time"),
        ]
