from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "stations"
    verbose_name = _("Groups, stations and activities")
