from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "rrp.workforce"
    label = "workforce"
    verbose_name = "Staff register and training"

    def ready(self) -> None:
        from rrp.workforce import attention  # noqa: F401 - registers home page items
