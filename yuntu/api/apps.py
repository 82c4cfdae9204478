from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yuntu.api"
    label = "api"
    verbose_name = "接口"
