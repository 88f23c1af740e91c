"""Demo legislation: 《安阳市小型生产经营场所消防安全管理条例》 in 2024 — its stages, the 征求意见稿
and the 一审稿 (uploaded as Word files), the deputies' round with the 65 law and fire-safety
deputies of the legislation activities and their 54 comments, answered and linked to the
articles they changed, and a public round on the 一审稿 in January 2025 with comments from the
public and two grassroots legislative contact points.

Rows dated in the past are written directly (the services refuse a comment after its deadline);
the uploads, the answers' rules and closing the rounds go through the services."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.models import Region
from stations.models import Activity, Participation

from . import demo_text as text
from . import services
from .models import (
    Comment,
    CommentTransition,
    ContactPoint,
    Invitation,
    Project,
    ProjectTransition,
    Round,
    RoundTransition,
    Version,
)

NUMS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return NUMS[n]
    if n < 20:
        return "十" + (NUMS[n % 10] if n % 10 else "")
    return NUMS[n // 10] + "十" + (NUMS[n % 10] if n % 10 else "")


def _docx(title: str, articles: list[str]):
    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    document.add_heading(title, level=1)
    for n, body in enumerate(articles, start=1):
        first, *rest = body.split("\n")
        document.add_paragraph(f"第{_cn(n)}条　{first}")
        for line in rest:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{title}.docx", buffer.getvalue())


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _v2_articles() -> tuple[list[str], dict[int, int]]:
    """The 一审稿's articles, and where each V1 article went (number in V1 → number in V2)."""
    out, moved = [], {}
    for n, body in enumerate(text.V1, start=1):
        out.append(text.CHANGED.get(n, body))
        moved[n] = len(out)
        if n == text.INSERTED_AFTER:
            out.append(text.INSERTED)
    # The penalty articles cite articles 12 and 13, which keep their numbers.
    return out, moved


def _law_deputies() -> list[int]:
    """The 65 law and fire-safety deputies who took part in the regulation's activities."""
    ids = (
        Participation.objects.filter(
            activity__kind=Activity.Kind.LEGISLATION, activity__title__contains=text.TITLE
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def seed(ctx) -> None:
    rng = random.Random(ctx.rng.random())
    city = ctx.made["city"]
    staff = User.objects.get(username="city")
    committee = (
        Organisation.objects.filter(region=city, name__contains="法制委员会").first()
        or Organisation.objects.filter(region=city, kind=Organisation.Kind.COMMITTEE).first()
    )
    project = services.project_save(
        project=Project(title=text.TITLE, region=city, committee=committee, year=2024), by=staff
    )
    v1 = services.version_upload(
        project=project,
        kind=Version.Kind.CONSULTATION,
        file=_docx(f"{text.TITLE}（征求意见稿）", text.V1),
        by=staff,
    )
    v2_text, moved = _v2_articles()
    v2 = services.version_upload(
        project=project,
        kind=Version.Kind.FIRST,
        file=_docx(f"{text.TITLE}（草案·一审稿）", v2_text),
        by=staff,
    )
    Version.objects.filter(pk=v1.pk).update(uploaded_at=_at(dt.date(2024, 5, 20)))
    Version.objects.filter(pk=v2.pk).update(uploaded_at=_at(dt.date(2024, 10, 8)))

    # Stages: in the plan in January, drafted through the spring, the first reading in October.
    ProjectTransition.objects.filter(project=project).update(at=_at(dt.date(2024, 1, 10)))
    steps = [
        ("planned", "drafting", dt.date(2024, 2, 1), "", "由市人大常委会法制工作委员会牵头起草。"),
        (
            "drafting",
            "reading",
            dt.date(2024, 10, 29),
            "安阳市第十五届人民代表大会常务委员会第十四次会议",
            "组成人员建议进一步明确乡镇、街道职责，细化电动自行车充电管理，合理设定罚款幅度。",
        ),
    ]
    ProjectTransition.objects.bulk_create(
        ProjectTransition(
            project=project,
            from_status=a,
            to_status=b,
            by=staff,
            at=_at(day),
            meeting=meeting,
            held_on=day if meeting else None,
            reason=reason,
        )
        for a, b, day, meeting, reason in steps
    )
    Project.objects.filter(pk=project.pk).update(stage=Project.Stage.READING, readings=1)

    # The deputies' round on the 征求意见稿.
    deadline = _at(dt.date(2024, 6, 19), 18)
    deputies_round = Round.objects.create(
        version=v1,
        title=f"《{text.TITLE}（征求意见稿）》征求代表意见",
        opens_on=dt.date(2024, 5, 22),
        deadline=deadline,
        created_by=staff,
    )
    RoundTransition.objects.create(
        round=deputies_round, to_status=Round.Status.OPEN, by=staff, at=_at(dt.date(2024, 5, 22))
    )
    people = _law_deputies()
    Invitation.objects.bulk_create(
        Invitation(
            round=deputies_round, person_id=pk, invited_at=_at(dt.date(2024, 5, 22)), attended=True
        )
        for pk in people
    )
    v1_articles = {a.number: a for a in v1.articles.all()}
    v2_articles = {a.number: a for a in v2.articles.all()}
    commenters = people[:]
    rng.shuffle(commenters)
    comments = []
    for i, (number, body, outcome, reason) in enumerate(text.COMMENTS):
        made = _at(dt.date(2024, 5, 23) + dt.timedelta(days=i % 26), 9 + i % 9)
        comments.append(
            Comment(
                round=deputies_round,
                article=v1_articles[number],
                channel=Comment.Channel.DEPUTY,
                person_id=commenters[i % 41] if commenters else None,
                text=body,
                created_at=made,
                outcome=outcome,
                reason=reason,
                answered_by=staff,
                answered_at=_at(dt.date(2024, 7, 5)),
                linked_article=(
                    v2_articles[moved[number]]
                    if outcome != "not_adopted" and number in text.CHANGED
                    else None
                ),
            )
        )
    if commenters:
        Comment.objects.bulk_create(comments)
        CommentTransition.objects.bulk_create(
            CommentTransition(
                comment=c,
                from_status=Comment.Outcome.PENDING,
                to_status=c.outcome,
                by=staff,
                at=c.answered_at,
                reason=c.reason,
            )
            for c in comments
        )
    services.round_close(round=deputies_round, by=staff)

    # The public round on the 一审稿, with two contact points.
    public_round = Round.objects.create(
        version=v2,
        title=f"《{text.TITLE}（草案·一审稿）》公开征求意见",
        opens_on=dt.date(2024, 12, 20),
        deadline=_at(dt.date(2025, 1, 20), 18),
        is_public=True,
        created_by=staff,
    )
    RoundTransition.objects.create(
        round=public_round, to_status=Round.Status.OPEN, by=staff, at=_at(dt.date(2024, 12, 20))
    )
    rows = []
    for i, (number, body) in enumerate(text.PUBLIC):
        rows.append(
            Comment(
                round=public_round,
                article=v2_articles[number],
                channel=Comment.Channel.PUBLIC,
                public_name="" if i % 2 else "市民",
                public_phone=f"1390372{i:04d}",
                text=body,
                created_at=_at(dt.date(2025, 1, 2) + dt.timedelta(days=i)),
                outcome=Comment.Outcome.PARTLY if i % 3 == 0 else Comment.Outcome.NOT_ADOPTED,
                reason="在实施细则中予以研究。",
                answered_by=staff,
                answered_at=_at(dt.date(2025, 2, 10)),
            )
        )
    for name, code, number, body in text.CONTACT_POINTS:
        point = ContactPoint.objects.create(name=name, region=Region.objects.get(code=code))
        rows.append(
            Comment(
                round=public_round,
                article=v2_articles[number],
                channel=Comment.Channel.CONTACT_POINT,
                contact_point=point,
                text=body,
                created_at=_at(dt.date(2025, 1, 10)),
            )
        )
    Comment.objects.bulk_create(rows)
    services.round_close(round=public_round, by=staff)
    ctx.say(
        f"  legislation: 1 draft, 2 versions, {len(people)} deputies invited, "
        f"{len(comments)} comments from deputies, {len(rows)} from the public and contact points"
    )
