from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood projects")

    def ready(self):
        from stations.record import register_section

        from . import record

        # The deputy's duty record shows the votes and ratings taken part in (never how).
        register_section(
            key="livelihood",
            title=_("Livelihood-project votes and ratings"),
            template="livelihood/_record_section.html",
            provider=record.provider,
            order=60,
        )
