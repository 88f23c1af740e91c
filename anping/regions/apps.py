from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.regions"
    label = "regions"
    verbose_name = _("Regions")
