from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rrp.core"
    label = "core"

    def ready(self) -> None:
        # Registers the static files manifest check (`rrp check --deploy`).
        from rrp.core import checks  # noqa: F401
