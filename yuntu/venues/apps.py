from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "yuntu.venues"
    label = "venues"
    verbose_name = "阵地与预约"
