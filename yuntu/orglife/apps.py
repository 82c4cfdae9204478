from django.apps import AppConfig, apps


class OrglifeConfig(AppConfig):
    name = "yuntu.orglife"
    label = "orglife"
    verbose_name = "组织生活"

    def ready(self) -> None:
        # The theme-day duty of 5+X is read from the roll calls of held 主题党日.
        if apps.is_installed("yuntu.claims"):
            from yuntu.claims import fiveplusx

            from .selectors import theme_days_of_members

            fiveplusx.register_source("theme_day", theme_days_of_members)
