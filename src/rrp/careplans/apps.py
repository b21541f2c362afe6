from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "rrp.careplans"
    label = "careplans"
    verbose_name = "Risk assessments and safety plans"

    def ready(self) -> None:
        from rrp.careplans import attention  # noqa: F401 - registers home page items
