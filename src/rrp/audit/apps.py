from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rrp.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from rrp.audit import roles, signals  # noqa: F401 - sign-in auditing, deploy check

        post_migrate.connect(roles.grant_after_migrate, sender=self)
