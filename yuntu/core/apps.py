from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuntu.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models import CharField, ForeignKey, IntegerField

        from .lookups import Among, Under

        CharField.register_lookup(Under)
        IntegerField.register_lookup(Among)  # ids, including BigAutoField primary keys
        ForeignKey.register_lookup(Among)
