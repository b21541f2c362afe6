from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rrp.notifications"
    label = "notifications"
    verbose_name = "Notifications"
