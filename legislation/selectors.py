"""Reads the portal, the admin and the exports share, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from .models import Article, Comment, Invitation, Round


def deputy_rounds(user):
    """The rounds a deputy is invited to, with the number of their own comments (one query)."""
    return (
        Round.objects.visible_to(user)
        .select_related("version__project")
        .annotate(my_comments=Count("comments", filter=Q(comments__person__user=user)))
        .order_by("-deadline", "-pk")
    )


def my_comments(user, round: Round):
    """The user's own comments in a round, with the article and the linked article (one
    query); nobody else's."""
    return (
        Comment.objects.filter(round=round, person__user=user)
        .select_related("article", "linked_article__version")
        .order_by("-created_at", "-pk")
    )


def neighbours(version_id: int, number: int) -> dict:
    """The articles before and after (two queries), for paging on a phone."""
    qs = Article.objects.filter(version_id=version_id)
    return {
        "previous": qs.filter(number__lt=number)
        .order_by("-number")
        .only("number", "label")
        .first(),
        "next": qs.filter(number__gt=number).order_by("number").only("number", "label").first(),
    }


def handling_summary(round: Round) -> dict:
    """How the round's comments were handled, as counts (one query): what the public page
    publishes once the round is closed."""
    outcome = Comment.Outcome
    return Comment.objects.filter(round=round).aggregate(
        total=Count("pk"),
        adopted=Count("pk", filter=Q(outcome=outcome.ADOPTED)),
        partly=Count("pk", filter=Q(outcome=outcome.PARTLY)),
        not_adopted=Count("pk", filter=Q(outcome=outcome.NOT_ADOPTED)),
        public=Count("pk", filter=Q(channel=Comment.Channel.PUBLIC)),
        deputies=Count("person", distinct=True),
    )


def summary_rows(round: Round):
    """The rows of the summary table (意见汇总表): every comment by article, with who made it
    and the answer (one query)."""
    return (
        Comment.objects.filter(round=round)
        .select_related("article", "person", "contact_point", "linked_article")
        .order_by("article__number", "created_at", "pk")
    )


def round_counts(round_ids):
    """Invited, commented and comment counts per round, for the admin list (one query)."""
    commented = Comment.objects.filter(round=OuterRef("round"), person=OuterRef("person"))
    rows = (
        Invitation.objects.filter(round_id__in=round_ids)
        .values("round_id")
        .annotate(invited=Count("pk"), commented=Count("pk", filter=Q(Exists(commented))))
        .order_by()
    )
    return {r["round_id"]: r for r in rows}
