from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "proposals"
    verbose_name = _("Suggestions")

    def ready(self):
        from anping.workdays.signals import calendar_changed

        from . import receivers

        # Open deadlines count working days: recompute them when the calendar changes.
        calendar_changed.connect(receivers.recompute_deadlines, dispatch_uid="proposals.deadlines")

        from stations.record import register_section

        from . import record

        # The deputy's duty record lists the suggestions led and co-signed, and the verdicts.
        register_section(
            key="suggestions",
            title=_("Suggestions"),
            template="proposals/_record_section.html",
            provider=record.provider,
            order=50,
        )
