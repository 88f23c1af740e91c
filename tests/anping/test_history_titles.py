"""A transition row names its object and its step in Chinese, without loading the object."""

from django.db import models
from django.test.utils import isolate_apps
from django.utils.translation import gettext_lazy as _

from anping.history.models import TransitionBase


@isolate_apps("anping.history")
def test_a_title_reads_the_objects_kind_number_and_its_statuses_in_chinese():
    class Poll(models.Model):  # noqa: DJ008 (never shown)
        class Status(models.TextChoices):
            PREPARED = "prepared", _("Prepared")
            OPEN = "open", _("Open")

        status = models.CharField(max_length=10, choices=Status.choices)

        class Meta:
            app_label = "history"
            verbose_name = "投票"

    class PollStep(TransitionBase):
        subject_field = "poll"
        poll = models.ForeignKey(Poll, on_delete=models.CASCADE)

        class Meta:
            app_label = "history"

    def row(**values):
        # Built without __init__: the isolated registry does not hold the `by` user model,
        # and the title reads nothing but these columns.
        obj = PollStep.__new__(PollStep)
        obj.__dict__.update(values)
        return obj

    # The row does not repeat the choices: the labels come from the object's own statuses.
    step = row(poll_id=5, from_status="prepared", to_status="open")
    assert str(step) == f"投票 5：{Poll.Status.PREPARED.label} → {Poll.Status.OPEN.label}"
    assert "prepared" not in str(step) and "open" not in str(step)
    assert str(row(poll_id=5, from_status="", to_status="prepared")) == (
        f"投票 5：{Poll.Status.PREPARED.label}"
    )
    # An unknown value shows as it is rather than vanishing.
    assert str(row(poll_id=7, from_status="open", to_status="odd")).endswith("→ odd")
