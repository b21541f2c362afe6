from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rrp.demo"
    label = "demo"
