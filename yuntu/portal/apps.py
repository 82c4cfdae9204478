from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yuntu.portal"
    verbose_name = "群众端首页"
