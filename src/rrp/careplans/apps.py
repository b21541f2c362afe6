from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "rrp.careplans"
    label = "careplans"
    verbose_name = "Risk assessments and safety plans"
