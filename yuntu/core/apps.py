from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuntu.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models import CharField

        from .lookups import Under

        CharField.register_lookup(Under)
