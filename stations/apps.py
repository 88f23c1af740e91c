from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "stations"
    verbose_name = _("Groups, stations and activities")

    def ready(self) -> None:
        from . import record, selectors

        # The stations parts of the duty record; proposals and livelihood register theirs.
        record.register_section(
            key="activities",
            title=_("Duty activities"),
            template="stations/record/_activities.html",
            provider=selectors.record_activities,
            order=10,
        )
        record.register_section(
            key="opinions",
            title=_("Constituent opinions taken"),
            template="stations/record/_opinions.html",
            provider=selectors.record_opinions,
            order=20,
        )
        record.register_section(
            key="groups",
            title=_("Professional groups"),
            template="stations/record/_groups.html",
            provider=selectors.record_groups,
            order=30,
        )
        record.register_section(
            key="stations",
            title=_("Liaison stations"),
            template="stations/record/_stations.html",
            provider=selectors.record_stations,
            order=40,
        )
