from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "opinions"
    verbose_name = _("Residents' opinions")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the typed-in opinion's case)
