"""An opinion a deputy (or staff) types in — taken at a reception, in a WeChat group, on the
hotline — enters the loop too: it gets its case, new, with the deputy. stations knows nothing of
the loop, so the loop listens for the opinion being saved."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from stations.models import Activity, Opinion, OpinionTransition

# Opinions given in a budget review or a legislation consultation are adopted or not: no loop.
NO_LOOP = {Activity.Kind.BUDGET_REVIEW, Activity.Kind.LEGISLATION}


@receiver(post_save, sender=Opinion, dispatch_uid="opinions-case-for-typed-in-opinion")
def case_for_typed_in_opinion(sender, instance: Opinion, created: bool, raw: bool, **kwargs):
    if not created or raw or getattr(instance, "_case_made_by_loop", False):
        return
    if instance.activity_id and instance.activity.kind in NO_LOOP:
        return
    from .services import case_open_for

    case_open_for(opinion=instance)


@receiver(post_save, sender=OpinionTransition, dispatch_uid="opinions-follow-outcome-step")
def case_follows_outcome_step(sender, instance: OpinionTransition, created: bool, raw: bool, **kw):
    """An opinion settled through the older outcome step (staff in the admin, a deputy on the
    opinion's page) closes its open case too, so the two never disagree."""
    if not created or raw or getattr(instance, "from_loop", False):
        return
    if instance.to_status not in Opinion.FINAL:
        return
    from .services import case_follow_outcome

    case_follow_outcome(opinion_id=instance.opinion_id, to=instance.to_status, by=instance.by)
