from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.web"
    label = "web"
    verbose_name = _("Portal")
