"""Comments: invited deputies before the deadline, the public with a verified phone, contact
points through staff; answers and links by staff of the region; the round as a duty activity."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from anping.errors import DomainError, NotAllowed
from anping.notifications.models import Notification
from legislation import services
from legislation.models import Comment, CommentTransition, ContactPoint, PhoneCode, Round
from stations import record
from stations.models import Activity

from .drafts import plain_draft, upload


def _article(round, number=12):
    return round.version.articles.get(number=number)


def test_an_invited_deputy_is_told_and_comments_on_an_article(round, invited, deputy_user):
    note = Notification.objects.get(recipient=deputy_user, kind="legislation_invitation")
    assert note.url == f"/legislation/rounds/{round.pk}/"
    comment = services.comment_submit(
        round=round,
        article=_article(round),
        text="建议明确“有关部门”的具体范围。",
        quote="有关部门",
        by=deputy_user,
    )
    assert comment.person == invited and comment.channel == Comment.Channel.DEPUTY
    assert comment.article.number == 12 and comment.quote == "有关部门"


def test_an_uninvited_deputy_is_refused(round, other_deputy_user):
    with pytest.raises(NotAllowed):
        services.comment_submit(
            round=round, article=_article(round), text="意见", by=other_deputy_user
        )
    assert not Comment.objects.exists()


def test_a_comment_after_the_deadline_is_refused(round, invited, deputy_user):
    with time_machine.travel(round.deadline + dt.timedelta(minutes=1)):
        with pytest.raises(DomainError) as exc:
            services.comment_submit(
                round=round, article=_article(round), text="意见", by=deputy_user
            )
    assert exc.value.message
    assert not Comment.objects.exists()


def test_a_quote_must_be_words_of_the_article(round, invited, deputy_user):
    with pytest.raises(DomainError):
        services.comment_submit(
            round=round, article=_article(round), text="意见", quote="不存在的话", by=deputy_user
        )
    assert not Comment.objects.exists()


def test_an_article_of_another_version_is_refused(round, invited, deputy_user, project, city_staff):
    other = services.version_upload(
        project=project, kind="first", file=upload(plain_draft(12)), by=city_staff
    )
    with pytest.raises(DomainError):
        services.comment_submit(
            round=round, article=other.articles.get(number=12), text="意见", by=deputy_user
        )
    assert not Comment.objects.exists()


def test_staff_enter_a_contact_points_comments(round, city_staff, anyang, linzhou, other_staff):
    point = ContactPoint.objects.create(name="林州市红旗渠街道基层立法联系点", region=linzhou)
    comment = services.comment_enter(
        round=round, article=_article(round, 3), contact_point=point, text="群众建议", by=city_staff
    )
    assert comment.channel == Comment.Channel.CONTACT_POINT
    assert comment.author_label == "林州市红旗渠街道基层立法联系点"
    # County staff may not enter into the city's round, even for their own contact point.
    with pytest.raises(NotAllowed):
        services.comment_enter(
            round=round, article=None, contact_point=point, text="x", by=other_staff
        )
    assert Comment.objects.count() == 1


def test_a_contact_point_outside_the_staff_scope_is_refused(round, project, linzhou, wenfeng):
    from tests.conftest import make_user

    point = ContactPoint.objects.create(name="林州市联系点", region=linzhou)
    # Staff of 文峰区 manage a district project's round, but 林州市's contact point is not theirs.
    project.region = wenfeng
    project.save()
    staff = make_user("wenfeng", "county_staff", region=wenfeng)
    with pytest.raises(NotAllowed):
        services.comment_enter(round=round, article=None, contact_point=point, text="x", by=staff)
    assert not Comment.objects.exists()


# --- the public --------------------------------------------------------------------------


@pytest.fixture
def sms(settings, tmp_path):
    settings.SMS_BACKEND = "anping.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


def _code(sms_file) -> str:
    last = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])
    return "".join(ch for ch in last["text"] if ch.isdigit())[:6]


def test_the_public_comments_with_a_code_sent_by_sms(round, sms):
    services.phone_code_send(round=round, phone="13900000001")
    code = _code(sms)
    stored = PhoneCode.objects.get()
    assert code not in stored.code_hash  # only a hash is kept
    comment = services.comment_submit_public(
        round=round, article=_article(round), text="<b>建议</b>", phone="13900000001", code=code
    )
    assert comment.channel == Comment.Channel.PUBLIC and comment.text == "<b>建议</b>"
    # The code is spent.
    with pytest.raises(DomainError):
        services.comment_submit_public(
            round=round, article=None, text="再来", phone="13900000001", code=code
        )
    assert Comment.objects.count() == 1


def test_three_wrong_codes_and_the_code_is_dead(round, sms):
    services.phone_code_send(round=round, phone="13900000002")
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(DomainError):
            services.comment_submit_public(
                round=round, article=None, text="x", phone="13900000002", code=wrong
            )
    with pytest.raises(DomainError):
        services.comment_submit_public(
            round=round, article=None, text="x", phone="13900000002", code=code
        )
    assert not Comment.objects.exists()


def test_an_expired_code_is_refused(round, sms):
    services.phone_code_send(round=round, phone="13900000003")
    code = _code(sms)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        with pytest.raises(DomainError):
            services.comment_submit_public(
                round=round, article=None, text="x", phone="13900000003", code=code
            )
    assert not Comment.objects.exists()


def test_a_round_not_open_to_the_public_refuses_codes(round, sms):
    Round.objects.filter(pk=round.pk).update(is_public=False)
    round.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.phone_code_send(round=round, phone="13900000004")
    assert not PhoneCode.objects.exists()


# --- answers, links and the record ---------------------------------------------------------


@pytest.fixture
def comment(round, invited, deputy_user):
    return services.comment_submit(
        round=round, article=_article(round), text="建议增加电动自行车充电的规定。", by=deputy_user
    )


def test_staff_answer_and_a_reason_is_needed_unless_adopted(comment, city_staff):
    with pytest.raises(DomainError):
        services.comment_answer(comment=comment, outcome="partly", reason="", by=city_staff)
    services.comment_answer(
        comment=comment, outcome="partly", reason="部分内容已吸收", by=city_staff
    )
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PARTLY and comment.answered_by == city_staff
    row = CommentTransition.objects.get(comment=comment)
    assert (row.from_status, row.to_status) == ("pending", "partly")


@pytest.mark.parametrize("who", ["other_staff", "deputy_user", "unit_staff", "outsider"])
def test_only_staff_of_the_region_answer(request, comment, who):
    with pytest.raises(NotAllowed):
        services.comment_answer(
            comment=comment, outcome="adopted", reason="", by=request.getfixturevalue(who)
        )
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PENDING


def test_linking_to_the_next_version_tells_the_deputy(comment, project, city_staff, deputy_user):
    new = services.version_upload(
        project=project,
        kind="first",
        file=upload(plain_draft(33, changed={12: "电动自行车应当在集中充电场所充电。"})),
        by=city_staff,
    )
    target = new.articles.get(number=12)
    with pytest.raises(DomainError):  # not adopted yet
        services.comment_link(comment=comment, article=target, by=city_staff)
    services.comment_answer(comment=comment, outcome="adopted", reason="", by=city_staff)
    # An article of the same version is not a later version.
    with pytest.raises(DomainError):
        services.comment_link(comment=comment, article=comment.article, by=city_staff)
    services.comment_link(comment=comment, article=target, by=city_staff)
    comment.refresh_from_db()
    assert comment.linked_article == target
    note = Notification.objects.get(recipient=deputy_user, kind="legislation_comment_linked")
    assert "第十二条" in note.title


def test_closing_the_round_makes_a_legislation_activity(round, comment, city_staff, law_deputies):
    services.round_invite(round=round, persons=law_deputies, by=city_staff)
    services.round_mark_attended(round=round, persons=law_deputies[:1], by=city_staff)
    with pytest.raises(DomainError):  # before the deadline
        services.round_close(round=round, by=city_staff)
    later = round.deadline + dt.timedelta(hours=1)
    services.round_close(round=round, by=city_staff, now=later)
    round.refresh_from_db()
    assert round.is_closed
    activity = round.activity
    assert activity.kind == Activity.Kind.LEGISLATION
    participants = set(activity.participations.values_list("person_id", flat=True))
    assert participants == {comment.person_id, law_deputies[0].pk}
    with pytest.raises(DomainError):
        services.round_close(round=round, by=city_staff, now=later)
    assert Activity.objects.count() == 1


def test_the_comments_are_in_the_deputys_duty_record(comment, invited):
    sections = {s.key: s for s in record.build(person=invited, year=comment.created_at.year)}
    data = sections["legislation"].data
    assert data["count"] == 1 and data["items"][0].pk == comment.pk


def test_a_comment_before_the_round_opens_is_refused(round, invited, deputy_user):
    Round.objects.filter(pk=round.pk).update(opens_on=timezone.localdate() + dt.timedelta(days=1))
    round.refresh_from_db()
    with pytest.raises(DomainError):
        services.comment_submit(round=round, article=None, text="早到的意见", by=deputy_user)
    assert not Comment.objects.exists()


def test_a_new_round_needs_a_deadline_ahead(version, city_staff):
    with pytest.raises(DomainError):
        services.round_save(
            round=Round(version=version, title="x", deadline=timezone.now() - dt.timedelta(days=1)),
            by=city_staff,
        )
    assert not Round.objects.exists()
