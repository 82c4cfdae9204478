from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "yuntu.operations"
    label = "operations"
    verbose_name = "运行维护"
