from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "yuntu.assessment"
    label = "assessment"
    verbose_name = "考核与合规预警"

    def ready(self) -> None:
        # Every app declares its compliance rules in `<app>/compliance.py`; loading them fills the rule registry.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("compliance")
