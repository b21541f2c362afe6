from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rrp.accounts"
    label = "accounts"
