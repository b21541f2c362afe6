from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "rrp.organisations"
    label = "organisations"
