"""Rows written without the services (a data fix in a shell, a test factory) still make the
clock reload: the services remain the way to change the calendar, this only keeps the cache
honest."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="workdays_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workdays_day_deleted")
def _day_written(sender, using, **kwargs) -> None:
    calendar.calendar_written(using=using)
