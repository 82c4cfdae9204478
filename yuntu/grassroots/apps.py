from django.apps import AppConfig, apps


class GrassrootsConfig(AppConfig):
    name = "yuntu.grassroots"
    label = "grassroots"
    verbose_name = "四下基层"

    def ready(self) -> None:
        # The family-visit duty of 5+X is read from household visits to families in difficulty.
        if apps.is_installed("yuntu.claims"):
            from yuntu.claims import fiveplusx

            from .selectors import household_visits_by_member

            fiveplusx.register_source(
                "family_visit", lambda year, members: household_visits_by_member(year=year, members=members))
