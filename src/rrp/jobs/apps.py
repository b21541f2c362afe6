from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "rrp.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
