from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # Rows written outside the services still reach the clock; the staff digest reminds city
        # staff of a year not entered.
        from . import digest_source, receivers  # noqa: F401
