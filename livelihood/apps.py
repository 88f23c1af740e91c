from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood projects")
