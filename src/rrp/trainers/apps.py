from django.apps import AppConfig


class TrainersConfig(AppConfig):
    name = "rrp.trainers"
    label = "trainers"
    verbose_name = "Trainers' portfolios and quality assurance"

    def ready(self) -> None:
        # Home page items; the 3.5 indicators (the standards app discovers them too).
        from rrp.trainers import attention, indicators  # noqa: F401
