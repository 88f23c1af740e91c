from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self):
        # Each area's overdue items for the staff's daily digest (anping.notifications.digest).
        from . import digest_sources  # noqa: F401
