from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "anping.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
