from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "rrp.patients"
    label = "patients"
