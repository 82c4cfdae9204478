from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "yuntu.ledger"
    label = "ledger"
    verbose_name = "整改台账"
