from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "yuntu.briefings"
    label = "briefings"
    verbose_name = "简报"
