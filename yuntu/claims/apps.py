from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yuntu.claims"
    label = "claims"
    verbose_name = "服务认领与双报到"
