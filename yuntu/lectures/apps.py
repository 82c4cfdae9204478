from django.apps import AppConfig


class LecturesConfig(AppConfig):
    name = "yuntu.lectures"
    label = "lectures"
    verbose_name = "菜单式宣讲"
