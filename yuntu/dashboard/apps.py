from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "yuntu.dashboard"
    label = "dashboard"
    verbose_name = "指挥调度"
