from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "yuntu.voices"
    label = "voices"
    verbose_name = "群众诉求与建言献策"
