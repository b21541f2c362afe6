from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "rrp.incidents"
    label = "incidents"
    verbose_name = "Uses of force"

    def ready(self) -> None:
        from rrp.incidents import attention  # noqa: F401 - registers home page items
