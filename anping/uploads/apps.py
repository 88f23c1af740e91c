from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    # An app only so that Django loads its translation catalog (anping/uploads/locale/).
    name = "anping.uploads"
    label = "uploads"
    verbose_name = _("Attachments")
