from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.orgs"
    label = "orgs"
    verbose_name = _("Organisations")
