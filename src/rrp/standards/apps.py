from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "rrp.standards"
    label = "standards"
    verbose_name = "Compliance with the National Minimum Standards"
