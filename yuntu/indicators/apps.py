from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete


def _install_tallies(sender, using="default", **kwargs):
    """After every migrate: the tallies' triggers on every counted table, and rebuilds where needed."""
    from . import tallies

    tallies.install(using)


def _subtree_moved(sender, org, old_path, new_path, **kwargs):
    from . import tallies

    tallies.subtree_moved(org=org, old_path=old_path, new_path=new_path)


def _org_deleted(sender, instance, **kwargs):
    from . import tallies

    tallies.org_deleted(instance)


class IndicatorsConfig(AppConfig):
    name = "yuntu.indicators"
    label = "indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        # Every app declares its figures in `<app>/indicators.py`; loading them here fills the registry.
        from django.utils.module_loading import autodiscover_modules

        from yuntu.orgs.models import Org
        from yuntu.orgs.signals import subtree_moved

        autodiscover_modules("indicators")
        post_migrate.connect(_install_tallies, sender=self, dispatch_uid="yuntu.indicators.tallies")
        subtree_moved.connect(_subtree_moved, dispatch_uid="yuntu.indicators.tallies")
        pre_delete.connect(_org_deleted, sender=Org, dispatch_uid="yuntu.indicators.tallies")
