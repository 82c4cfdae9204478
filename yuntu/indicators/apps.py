from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "yuntu.indicators"
    label = "indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        # Every app declares its figures in `<app>/indicators.py`; loading them here fills the registry.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")
