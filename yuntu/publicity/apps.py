from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "yuntu.publicity"
    verbose_name = "党务村务公开与宣传学习"
