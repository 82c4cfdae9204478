from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yuntu.orgs"
    label = "orgs"
    verbose_name = "组织与党员"
