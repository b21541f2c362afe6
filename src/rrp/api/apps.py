from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rrp.api"
    label = "api"
