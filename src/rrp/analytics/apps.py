from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "rrp.analytics"
    label = "analytics"
    verbose_name = "Monitoring and learning"
