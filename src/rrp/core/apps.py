from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rrp.core"
    label = "core"
