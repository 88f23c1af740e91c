"""Every step of the loop, with the roles allowed and refused (the outsider included), and the
database afterwards."""

import datetime as dt

import pytest
import time_machine

from anping.errors import DomainError, NotAllowed
from anping.notifications.models import Notification
from anping.orgs.models import Organisation
from anping.workdays import calendar
from opinions import services
from opinions.models import Case, CaseStep, Submission
from proposals.models import Suggestion
from stations.models import Opinion, OpinionTransition

from .conftest import RESIDENT_PHONE, last_code, sms_to, step

S = Case.Status
pytestmark = pytest.mark.django_db


# --- the resident writes -----------------------------------------------------------------------


def test_a_verified_submission_becomes_the_deputys_new_opinion(case, me, township, sms_file):
    case.refresh_from_db()
    assert case.status == S.NEW
    assert case.phone == RESIDENT_PHONE
    assert len(case.code) == 10
    opinion = case.opinion
    assert (opinion.taken_by, opinion.region, opinion.status) == (me, township, "recorded")
    assert opinion.summary == "小区路灯坏了三个月"
    # The code is kept only as a hash.
    code = last_code(sms_file)
    assert code not in case.submission.code_hash
    assert services.code_matches(code, case.submission.code_hash)
    assert not services.code_matches(
        f"{(int(code) + 1) % 1_000_000:06d}", case.submission.code_hash
    )
    assert list(case.steps.values_list("to_status", flat=True)) == [S.NEW]
    # The deputy is told, with a link to the case.
    note = Notification.objects.get(recipient=me.user, kind="opinion_new")
    assert f"/opinions/{case.pk}/" in note.url


def test_three_wrong_codes_end_the_attempt(card, me, township, sms_file):
    sub = services.submission_start(
        card=card, deputy=me, topic="urban", text="噪音扰民", region=township, phone=RESIDENT_PHONE
    )
    for n in range(1, 4):
        with pytest.raises(DomainError):
            services.submission_verify(submission=sub, code="000000" if n != 2 else "999999")
        sub.refresh_from_db()
        assert sub.wrong_codes == n
    assert sub.status == Submission.Status.FAILED
    with pytest.raises(DomainError, match="结束|ended"):
        services.submission_verify(submission=sub, code=sub.code_hash)
    assert not Case.objects.exists() and not Opinion.objects.exists()


def test_an_expired_code_is_refused(
    card, me, township, sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.submission_start(
            card=card, deputy=me, topic="urban", text="噪音", region=township, phone=RESIDENT_PHONE
        )
    code = last_code(sms_file)
    with time_machine.travel(sub.created_at + dt.timedelta(minutes=11)):
        with pytest.raises(DomainError):
            services.submission_verify(submission=sub, code=code)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.FAILED
    assert not Case.objects.exists()


def test_submissions_are_limited_strictly_per_phone(card, me, township, settings):
    for _n in range(settings.OPINIONS["PER_PHONE_PER_HOUR"]):
        services.submission_start(
            card=card, deputy=me, topic="urban", text="x", region=township, phone=RESIDENT_PHONE
        )
    with pytest.raises(DomainError, match="过多|Too many"):
        services.submission_start(
            card=card, deputy=me, topic="urban", text="x", region=township, phone=RESIDENT_PHONE
        )
    assert Submission.objects.count() == settings.OPINIONS["PER_PHONE_PER_HOUR"]


def test_submissions_are_limited_generously_per_address(card, me, township, settings):
    settings.OPINIONS = {**settings.OPINIONS, "PER_ADDRESS_PER_HOUR": 5}
    for n in range(5):
        services.submission_start(
            card=card, deputy=me, topic="urban", text="x", region=township,
            phone=f"1390000000{n}", address="10.1.1.1",
        )  # fmt: skip
    with pytest.raises(DomainError):
        services.submission_start(
            card=card, deputy=me, topic="urban", text="x", region=township,
            phone="13900000009", address="10.1.1.1",
        )  # fmt: skip
    assert Submission.objects.count() == 5


def test_a_region_outside_the_cards_county_is_refused(card, me, linzhou):
    with pytest.raises(DomainError):
        services.submission_start(
            card=card,
            deputy=me,
            topic="urban",
            text="x",
            region=linzhou.children.first(),
            phone=RESIDENT_PHONE,
        )
    assert not Submission.objects.exists()


def test_a_deputy_not_on_the_card_is_refused(card, other_deputy_user, township):
    from deputies.models import Person

    with pytest.raises(DomainError):
        services.submission_start(
            card=card,
            deputy=Person.objects.get(user=other_deputy_user),
            topic="urban",
            text="x",
            region=township,
            phone=RESIDENT_PHONE,
        )


def test_only_the_deputy_or_staff_of_the_region_print_a_card(
    me, deputy_user, other_deputy_user, wenfeng_staff, county_staff, unit_staff, outsider
):
    assert services.card_for(by=wenfeng_staff, person=me) == services.card_for(
        by=deputy_user, person=me
    )
    for who in (other_deputy_user, county_staff, unit_staff, outsider):
        with pytest.raises(NotAllowed):
            services.card_for(by=who, person=me)


# --- the deputy ------------------------------------------------------------------------------


def test_the_deputy_answers_and_closes(
    case, deputy_user, sms_file, django_capture_on_commit_callbacks
):
    step(
        django_capture_on_commit_callbacks,
        services.case_answer_close,
        case=case,
        by=deputy_user,
        answer="已与物业沟通，本周修复。",
    )
    case.refresh_from_db()
    assert (case.status, case.answer) == (S.CLOSED, "已与物业沟通，本周修复。")
    assert case.opinion.status == Opinion.Status.CLOSED
    assert any(case.code in t for t in sms_to(sms_file, RESIDENT_PHONE))


@pytest.mark.parametrize("who", ["other_deputy", "unit", "city", "wenfeng", "outsider"])
def test_deputy_steps_are_the_deputys_alone(case, request, who):
    user = {
        "other_deputy": "other_deputy_user",
        "unit": "unit_staff",
        "city": "city_staff",
        "wenfeng": "wenfeng_staff",
        "outsider": "outsider",
    }[who]
    user = request.getfixturevalue(user)
    for fn in (services.case_answer_close, services.case_guide_legal):
        with pytest.raises(NotAllowed):
            fn(case=case, by=user, answer="x")
    with pytest.raises(NotAllowed):
        services.case_propose(case=case, by=user, reason="x")
    with pytest.raises(NotAllowed):
        services.case_take_up(case=case, by=user)
    case.refresh_from_db()
    assert case.status == S.NEW and case.steps.count() == 1


def test_guided_to_the_legal_channel(case, deputy_user):
    services.case_guide_legal(case=case, by=deputy_user, answer="属涉诉事项，请向法院起诉。")
    case.refresh_from_db()
    assert case.status == S.GUIDED
    assert case.opinion.status == Opinion.Status.CLOSED


def test_taken_up_as_a_suggestion_makes_the_draft_and_links_both(case, deputy_user):
    suggestion = services.case_take_up(case=case, by=deputy_user)
    case.refresh_from_db()
    assert case.status == S.SUGGESTION and case.suggestion == suggestion
    assert suggestion.status == Suggestion.Status.DRAFT
    assert "小区路灯坏了三个月" in suggestion.body and case.code in suggestion.body
    assert case.opinion.status == Opinion.Status.SUGGESTION


def test_a_closed_case_takes_no_more_deputy_steps(case, deputy_user):
    services.case_answer_close(case=case, by=deputy_user, answer="已解释")
    with pytest.raises(NotAllowed):
        services.case_propose(case=case, by=deputy_user, reason="x")


# --- dispatch --------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 9, 27, 10, 0, tzinfo=dt.UTC), tick=False)
def test_staff_of_the_region_dispatch_with_a_working_day_deadline(
    case, deputy_user, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff
):
    services.case_propose(case=case, by=deputy_user, reason="涉及住建部门")
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit, reason="请办理")
    case.refresh_from_db()
    assert (case.status, case.unit) == (S.DISPATCHED, wenfeng_unit)
    # 15 working days from 2024-09-27 skip the National Day holiday.
    assert case.due == calendar.add_working_days(dt.date(2024, 9, 27), 15)
    assert case.due == dt.date(2024, 10, 23)  # 9-29 and 10-12 are make-up working days
    assert "国庆" in case.due_explained
    assert (case.opinion.status, case.opinion.forwarded_to) == (
        Opinion.Status.FORWARDED,
        wenfeng_unit,
    )
    assert OpinionTransition.objects.filter(opinion=case.opinion, unit=wenfeng_unit).exists()
    assert Notification.objects.filter(recipient=wenfeng_unit_staff, kind="opinion_dispatched")


@pytest.mark.parametrize("who", ["deputy_user", "unit_staff", "county_staff", "outsider"])
def test_only_staff_of_the_region_dispatch(case, wenfeng_unit, request, who):
    with pytest.raises(NotAllowed):
        services.case_dispatch(case=case, by=request.getfixturevalue(who), unit=wenfeng_unit)
    case.refresh_from_db()
    assert case.status == S.NEW and case.unit is None


def test_a_unit_outside_the_staffs_region_is_refused(case, wenfeng_staff, linzhou_unit):
    with pytest.raises(NotAllowed):
        services.case_dispatch(case=case, by=wenfeng_staff, unit=linzhou_unit)
    assert Case.objects.get(pk=case.pk).status == S.NEW


def test_a_committee_is_not_a_handling_unit(case, city_staff, anyang):
    committee = Organisation.objects.create(
        name="安阳市人大常委会", kind=Organisation.Kind.COMMITTEE, region=anyang
    )
    with pytest.raises(DomainError):
        services.case_dispatch(case=case, by=city_staff, unit=committee)


def test_the_hotline_is_a_recorded_hand_off(case, city_staff, anyang):
    hotline = Organisation.objects.create(
        name="12345政务服务便民热线", kind=Organisation.Kind.HOTLINE, region=anyang
    )
    services.case_dispatch(case=case, by=city_staff, unit=hotline, reason="转12345")
    case.refresh_from_db()
    assert (case.status, case.unit, case.due) == (S.HANDED_OFF, hotline, None)
    assert case.steps.filter(to_status=S.HANDED_OFF, unit=hotline).exists()


# --- the unit --------------------------------------------------------------------------------


@pytest.fixture
def dispatched(case, wenfeng_staff, wenfeng_unit):
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit)
    case.refresh_from_db()
    return case


def test_the_unit_replies_solved_and_the_resident_is_told(
    dispatched, wenfeng_unit_staff, sms_file, django_capture_on_commit_callbacks, me
):
    step(
        django_capture_on_commit_callbacks,
        services.case_reply,
        case=dispatched,
        by=wenfeng_unit_staff,
        text="路灯已更换。",
        outcome="solved",
    )
    dispatched.refresh_from_db()
    assert (dispatched.status, dispatched.outcome) == (S.ANSWERED, Case.Outcome.SOLVED)
    assert dispatched.answered_on_time is True
    # Declared solved: the opinion counts as solved, the resident's word is still awaited.
    assert dispatched.opinion.status == Opinion.Status.SOLVED
    texts = sms_to(sms_file, RESIDENT_PHONE)
    assert any(dispatched.code in t for t in texts)
    assert Notification.objects.filter(recipient=me.user, kind="opinion_answered").exists()


def test_being_solved_needs_a_date_after_today(dispatched, wenfeng_unit_staff):
    with pytest.raises(DomainError):
        services.case_reply(
            case=dispatched, by=wenfeng_unit_staff, text="正在施工", outcome="in_progress"
        )
    services.case_reply(
        case=dispatched,
        by=wenfeng_unit_staff,
        text="正在施工",
        outcome="in_progress",
        solve_by=dt.date.today() + dt.timedelta(days=30),
    )
    dispatched.refresh_from_db()
    assert dispatched.status == S.ANSWERED
    assert dispatched.opinion.status == Opinion.Status.FORWARDED


@pytest.mark.parametrize("who", ["unit_staff", "deputy_user", "wenfeng_staff", "outsider"])
def test_only_the_unit_it_was_sent_to_replies(dispatched, request, who):
    with pytest.raises(NotAllowed):
        services.case_reply(
            case=dispatched, by=request.getfixturevalue(who), text="x", outcome="solved"
        )
    dispatched.refresh_from_db()
    assert dispatched.status == S.DISPATCHED and dispatched.answer == ""


def test_the_unit_sends_back_early_and_loses_sight_of_it(
    dispatched, wenfeng_unit_staff, wenfeng_staff
):
    services.case_send_back(case=dispatched, by=wenfeng_unit_staff, reason="属供电公司职责")
    dispatched.refresh_from_db()
    assert (dispatched.status, dispatched.unit) == (S.RETURNED, None)
    assert dispatched.opinion.status == Opinion.Status.RECORDED
    assert not Case.objects.visible_to(wenfeng_unit_staff).exists()
    assert not Opinion.objects.visible_to(wenfeng_unit_staff).exists()
    # Staff send it elsewhere.
    assert services.may_dispatch(wenfeng_staff, dispatched)


def test_sending_back_late_is_refused(dispatched, wenfeng_unit_staff, settings):
    late = calendar.add_working_days(dt.date.today(), settings.OPINIONS["SEND_BACK_WORKDAYS"] + 1)
    with time_machine.travel(dt.datetime.combine(late, dt.time(12)), tick=False):
        assert not services.may_send_back(wenfeng_unit_staff, dispatched)
        with pytest.raises(NotAllowed):
            services.case_send_back(case=dispatched, by=wenfeng_unit_staff, reason="x")


# --- the resident confirms; calls; closing -----------------------------------------------------


@pytest.fixture
def answered(dispatched, wenfeng_unit_staff):
    services.case_reply(case=dispatched, by=wenfeng_unit_staff, text="已修复", outcome="solved")
    dispatched.refresh_from_db()
    return dispatched


def test_the_resident_confirms_solved(answered):
    services.case_confirm(case=answered, solved=True, satisfaction="satisfied")
    answered.refresh_from_db()
    assert (answered.status, answered.satisfaction, answered.by_call) == (
        S.SOLVED,
        "satisfied",
        False,
    )
    assert answered.opinion.status == Opinion.Status.SOLVED


def test_not_solved_goes_back_once(answered, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff, me):
    services.case_confirm(case=answered, solved=False, satisfaction="not_satisfied")
    answered.refresh_from_db()
    assert answered.status == S.REOPENED and answered.reopened
    assert answered.opinion.status == Opinion.Status.FORWARDED
    assert Notification.objects.filter(recipient=me.user, kind="opinion_reopened").exists()
    services.case_dispatch(case=answered, by=wenfeng_staff, unit=wenfeng_unit, reason="再办")
    services.case_reply(case=answered, by=wenfeng_unit_staff, text="再次维修", outcome="solved")
    services.case_confirm(case=answered, solved=False, satisfaction="not_satisfied")
    answered.refresh_from_db()
    assert answered.status == S.UNSOLVED


def test_nothing_to_confirm_before_an_answer(dispatched):
    with pytest.raises(DomainError):
        services.case_confirm(case=dispatched, solved=True, satisfaction="satisfied")


def test_staff_record_a_follow_up_call(answered, wenfeng_staff):
    services.case_record_call(
        case=answered, by=wenfeng_staff, solved=True, satisfaction="basic", note="电话回访"
    )
    answered.refresh_from_db()
    assert (answered.status, answered.by_call, answered.satisfaction) == (S.SOLVED, True, "basic")
    assert CaseStep.objects.filter(case=answered, to_status=S.SOLVED, by=wenfeng_staff).exists()


@pytest.mark.parametrize("who", ["county_staff", "deputy_user", "wenfeng_unit_staff", "outsider"])
def test_only_staff_of_the_region_record_calls(answered, request, who):
    with pytest.raises(NotAllowed):
        services.case_record_call(
            case=answered, by=request.getfixturevalue(who), solved=True, satisfaction="basic"
        )
    assert Case.objects.get(pk=answered.pk).status == S.ANSWERED


def test_unconfirmed_answers_close_as_not_confirmed(answered, settings):
    later = dt.date.today() + dt.timedelta(days=settings.OPINIONS["CONFIRM_DAYS"] + 1)
    assert services.close_unconfirmed(today=later - dt.timedelta(days=2)) == 0
    assert services.close_unconfirmed(today=later) == 1
    assert services.close_unconfirmed(today=later) == 0
    answered.refresh_from_db()
    assert answered.status == S.NOT_CONFIRMED
    # The unit's declared outcome stands, counted apart.
    assert answered.opinion.status == Opinion.Status.SOLVED


def test_reminders_before_the_deadline_and_overdue_never_twice(dispatched, wenfeng_unit_staff):
    before = dispatched.due - dt.timedelta(days=1)
    assert services.send_reminders(today=before) == 1
    assert services.send_reminders(today=before) == 0
    overdue = dispatched.due + dt.timedelta(days=1)
    assert services.send_reminders(today=overdue) == 1
    kinds = set(
        Notification.objects.filter(recipient=wenfeng_unit_staff).values_list("kind", flat=True)
    )
    assert {"opinion_due", "opinion_overdue"} <= kinds
    far = dispatched.due - dt.timedelta(days=40)
    assert services.send_reminders(today=far) == 0


# --- who sees what ---------------------------------------------------------------------------


def test_who_sees_a_case(
    dispatched, deputy_user, other_deputy_user, wenfeng_staff, city_staff, county_staff,
    wenfeng_unit_staff, unit_staff, evaluator, outsider,
):  # fmt: skip
    def sees(user):
        return Case.objects.visible_to(user).filter(pk=dispatched.pk).exists()

    assert sees(deputy_user) and sees(wenfeng_staff) and sees(city_staff)
    assert sees(wenfeng_unit_staff)
    for user in (other_deputy_user, county_staff, unit_staff, evaluator, outsider):
        assert not sees(user)
    # The same for the opinion itself.
    assert not Opinion.objects.visible_to(unit_staff).exists()
    assert Opinion.objects.visible_to(wenfeng_unit_staff).get() == dispatched.opinion


def test_a_station_deputy_sees_the_stations_opinions(
    me, other_deputy_user, township, city_staff, sms_file, django_capture_on_commit_callbacks
):
    from deputies.models import Person
    from stations.models import Stationing
    from tests.stations.factories import make_station

    station = make_station(region=township)
    other = Person.objects.get(user=other_deputy_user)
    for person in (me, other):
        Stationing.objects.create(station=station, person=person, start_date=dt.date(2024, 1, 1))
    card = services.card_for(by=city_staff, station=station)
    assert {p.pk for p in services.card_deputies(card)} == {me.pk, other.pk}
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.submission_start(
            card=card, deputy=me, topic="urban", text="站点意见", region=township,
            phone=RESIDENT_PHONE,
        )  # fmt: skip
    case = services.submission_verify(submission=sub, code=last_code(sms_file))
    assert case.opinion.station == station
    assert Case.objects.visible_to(other_deputy_user).filter(pk=case.pk).exists()
    assert services.may_deputy_act(other_deputy_user, case)


# --- opinions typed in by the deputy --------------------------------------------------------


def test_an_opinion_the_deputy_types_in_enters_the_loop(me, deputy_user, township, city_staff):
    from stations import services as station_services

    opinion = station_services.opinion_record(
        by=deputy_user,
        taken_by=me,
        channel="wechat",
        topic="urban",
        summary="群里反映垃圾清运不及时",
        region=township,
        received_on=dt.date.today(),
    )
    case = Case.objects.get(opinion=opinion)
    assert (case.status, case.phone) == (S.NEW, "")
    # Settled through the older outcome step, its case closes with it.
    station_services.opinion_move(opinion=opinion, to="closed", reason="已解释", by=city_staff)
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert case.steps.filter(to_status=S.CLOSED, by=city_staff).exists()


def test_the_service_checks_photos_by_content_whoever_calls(card, me, township):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 a program", content_type="image/jpeg")
    with pytest.raises(DomainError):
        services.submission_start(
            card=card, deputy=me, topic="urban", text="x", region=township,
            phone=RESIDENT_PHONE, photos=[fake],
        )  # fmt: skip
    assert not Submission.objects.exists()


def test_not_solved_tells_the_dispatching_staff_once(
    answered, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff, me, county_staff
):
    from tests.conftest import make_user

    colleague = make_user("wfcolleague", "county_staff", region=wenfeng_staff.region)
    services.case_confirm(case=answered, solved=False, satisfaction="not_satisfied")
    told = Notification.objects.filter(kind="opinion_reopened")
    # The deputy and the staff member who dispatched it; not a colleague, not another county.
    assert set(told.values_list("recipient", flat=True)) == {me.user_id, wenfeng_staff.pk}
    assert told.get(recipient=wenfeng_staff).url.endswith(f"/opinions/{answered.pk}/")
    # The same step again for the same answer (a retry racing the first): nobody is told twice.
    answered.refresh_from_db()
    answered.status, answered.reopened = S.ANSWERED, False
    services._confirm(
        answered, solved=False, satisfaction="not_satisfied", by=None, by_call=False, note=""
    )
    assert told.filter(recipient=wenfeng_staff).count() == 1
    assert not told.filter(recipient__in=[colleague, county_staff, wenfeng_unit_staff]).exists()


def test_not_solved_tells_the_regions_staff_when_the_dispatcher_left(answered, wenfeng_staff, me):
    from tests.conftest import make_user

    colleague = make_user("wfcolleague", "county_staff", region=wenfeng_staff.region)
    wenfeng_staff.is_active = False
    wenfeng_staff.save(update_fields=["is_active"])
    services.case_confirm(case=answered, solved=False, satisfaction="not_satisfied")
    told = Notification.objects.filter(kind="opinion_reopened")
    assert set(told.values_list("recipient", flat=True)) == {me.user_id, colleague.pk}


def test_an_attempt_begun_with_the_old_password_hash_still_verifies(card, me, township):
    from django.contrib.auth.hashers import make_password

    sub = services.submission_start(
        card=card, deputy=me, topic="urban", text="噪音扰民", region=township, phone=RESIDENT_PHONE
    )
    Submission.objects.filter(pk=sub.pk).update(code_hash=make_password("246810"))
    case = services.submission_verify(submission=sub, code="246810")
    assert case.status == S.NEW


def test_a_township_peoples_congress_dispatches_within_its_township(
    client, case, township, wenfeng_unit, submit, me
):
    """乡镇人大: county staff whose region is a township send their township's opinions to the
    township government or a village committee, not to a county department, and not those of
    another township."""
    from django.urls import reverse

    from anping.accounts.models import User
    from tests.conftest import make_user

    clerk = make_user("tsclerk", User.Role.COUNTY_STAFF, region=township)
    government = Organisation.objects.create(
        name=f"{township.name}人民政府", kind=Organisation.Kind.TOWNSHIP, region=township
    )
    assert services.may_dispatch(clerk, case)
    assert list(services.dispatch_units(clerk)) == [government]
    with pytest.raises(NotAllowed):
        services.case_dispatch(case=case, by=clerk, unit=wenfeng_unit)
    case.refresh_from_db()
    assert case.status == S.NEW and case.unit is None
    client.force_login(clerk)
    client.post(reverse("opinions:step", args=[case.pk, "dispatch"]), {"unit": government.pk})
    case.refresh_from_db()
    assert (case.status, case.unit) == (S.DISPATCHED, government)
    assert case.steps.get(to_status=S.DISPATCHED).by == clerk
    # Another township's opinion is not theirs: not shown, not dispatchable.
    other = township.parent.children.exclude(pk=township.pk).order_by("path").first()
    elsewhere = submit(text="别的乡镇的意见", phone="13900000001", region=other)
    assert not services.may_dispatch(clerk, elsewhere)
    url = reverse("opinions:step", args=[elsewhere.pk, "dispatch"])
    assert client.post(url, {"unit": government.pk}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.NEW
