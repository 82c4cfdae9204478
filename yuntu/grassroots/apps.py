from django.apps import AppConfig


class GrassrootsConfig(AppConfig):
    name = "yuntu.grassroots"
    label = "grassroots"
    verbose_name = "四下基层"
