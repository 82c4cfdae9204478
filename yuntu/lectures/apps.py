from django.apps import AppConfig, apps


class LecturesConfig(AppConfig):
    name = "yuntu.lectures"
    label = "lectures"
    verbose_name = "菜单式宣讲"

    def ready(self) -> None:
        # The lecture duty of 5+X is read from delivered sessions, given or heard.
        if apps.is_installed("yuntu.claims"):
            from yuntu.claims import fiveplusx

            from .selectors import lecture_sessions_of_members

            fiveplusx.register_source("lecture", lecture_sessions_of_members)
