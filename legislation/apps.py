from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "legislation"
    verbose_name = _("Legislation consultation")

    def ready(self):
        from stations.record import register_section

        from . import record

        # The deputy's duty record lists the comments made on drafts and how each was answered.
        register_section(
            key="legislation",
            title=_("Comments on draft regulations"),
            template="legislation/_record_section.html",
            provider=record.provider,
            order=55,
        )
