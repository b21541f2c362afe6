from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rrp.core"
    label = "core"

    def ready(self) -> None:
        # Registers the static files manifest check (`rrp check --deploy`).
        from django.db.models.signals import pre_save

        from rrp.core import checks  # noqa: F401
        from rrp.core.signals import check_text_before_save

        pre_save.connect(check_text_before_save, dispatch_uid="rrp-text-limits")
