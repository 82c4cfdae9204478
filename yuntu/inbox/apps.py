from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "yuntu.inbox"
    verbose_name = "站内消息"

    def ready(self):
        from yuntu.core import senders

        from .screen import keep_in_inbox

        senders.register_screen(keep_in_inbox)
