"""The committee's admin: settings, open / close / publish through the services, live turnout
(numbers only), the count only after closing, paper ballots, one-time links."""

import pytest
from django.urls import reverse

from livelihood import services
from livelihood.models import BallotPass, Participation, Poll

CONFIRM = {"confirm": "1"}


def step(poll, name):
    return reverse("admin:livelihood_poll_step", args=[poll.pk, name])


@pytest.mark.parametrize("name", ["open", "close", "publish"])
def test_each_step_asks_to_confirm_first_and_changes_nothing_until_then(
    client, city_staff, poll, name
):
    client.force_login(city_staff)
    if name != "open":
        services.poll_open(poll=poll, by=city_staff)
    if name == "publish":
        services.poll_close(poll=poll, by=city_staff)
    poll.refresh_from_db()
    before = poll.status
    for response in (client.get(step(poll, name)), client.post(step(poll, name))):
        page = response.content.decode()
        assert response.status_code == 200 and 'name="confirm" value="1"' in page
        assert "不能" in page  # says the step cannot be undone
    poll.refresh_from_db()
    assert poll.status == before
    client.post(step(poll, name), CONFIRM)
    poll.refresh_from_db()
    assert poll.status != before


def test_staff_open_close_and_publish_from_the_poll_page(client, city_staff, poll, deputy_user):
    client.force_login(city_staff)
    page = client.get(reverse("admin:livelihood_poll_change", args=[poll.pk])).content.decode()
    assert "开始投票" in page and "应选 3 项" in page
    client.post(step(poll, "open"), CONFIRM)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    c = poll.round.candidates.first()
    services.ballot_cast(poll=poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    client.post(step(poll, "close"), CONFIRM)
    client.post(step(poll, "publish"), CONFIRM)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PUBLISHED and poll.ballots_cast == 1


def test_a_step_out_of_order_is_refused_with_a_message(client, city_staff, poll):
    client.force_login(city_staff)
    response = client.post(step(poll, "publish"), CONFIRM, follow=True)
    assert "只有已结束并计票的投票可以公布" in response.content.decode()
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PREPARED


def test_turnout_shows_numbers_never_the_tally(client, city_staff, open_poll, deputy_user):
    c = open_poll.round.candidates.first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    client.force_login(city_staff)
    page = client.get(
        reverse("admin:livelihood_poll_turnout", args=[open_poll.pk])
    ).content.decode()
    assert '<td id="online">1</td>' in page
    assert c.title not in page
    result = client.get(reverse("admin:livelihood_poll_result", args=[open_poll.pk]), follow=True)
    assert "投票结束后方可查看计票结果" in result.content.decode()
    assert 'id="result-lines"' not in result.content.decode()


def test_staff_cannot_change_settings_after_opening(client, city_staff, open_poll):
    client.force_login(city_staff)
    page = client.get(reverse("admin:livelihood_poll_change", args=[open_poll.pk])).content.decode()
    assert 'name="places"' not in page  # read-only once open


def test_county_staff_cannot_see_or_run_a_city_poll(client, county_staff, poll):
    client.force_login(county_staff)
    assert client.get(reverse("admin:livelihood_poll_turnout", args=[poll.pk])).status_code == 404
    assert client.post(step(poll, "open"), CONFIRM).status_code == 404
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PREPARED


@pytest.mark.parametrize("who", ["deputy_user", "unit_staff", "outsider"])
def test_non_staff_never_reach_the_poll_admin(client, request, who, poll):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:livelihood_poll_turnout", args=[poll.pk]))
    assert response.status_code == 302  # to the admin login


def test_staff_print_one_time_links_with_qr_codes(client, city_staff, poll, deputy_user):
    client.force_login(city_staff)
    page = client.post(reverse("admin:livelihood_poll_passes", args=[poll.pk])).content.decode()
    assert page.count('class="slip"') == 1 and "<svg" in page and "张华" in page
    assert BallotPass.objects.filter(poll=poll).count() == 1
    token = page.split("/livelihood/b/")[1].split("/")[0]
    assert not BallotPass.objects.filter(token_hash__contains=token).exists()


def test_staff_mark_a_paper_voter_and_enter_the_tally(client, city_staff, open_poll, deputy_user):
    client.force_login(city_staff)
    url = reverse("admin:livelihood_poll_paper", args=[open_poll.pk])
    assert "张华" in client.get(url, {"q": "张"}).content.decode()
    client.post(url, {"person": deputy_user.deputy.pk})
    assert Participation.objects.get(poll=open_poll).channel == "paper"
    c = list(open_poll.round.candidates.order_by("number"))
    response = client.post(url, {"invalid": "0", f"c{c[0].pk}": "1"}, follow=True)
    assert "纸质选票计票结果已录入" in response.content.decode()
    open_poll.refresh_from_db()
    assert open_poll.paper_cast == 1


def test_poll_changelist_query_count_does_not_grow(
    client, city_staff, poll, django_assert_max_num_queries
):
    client.force_login(city_staff)
    # session, user, count, page rows (with turnout annotated), plus admin chrome
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admin:livelihood_poll_changelist")).status_code == 200


def _to_state(poll, state, city_staff, deputy_user):
    if state == "prepared":
        return
    services.poll_open(poll=poll, by=city_staff)
    if state == "open":
        return
    c = poll.round.candidates.first()
    services.ballot_cast(poll=poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    services.poll_close(poll=poll, by=city_staff)
    if state == "closed":
        return
    services.poll_publish(poll=poll, by=city_staff)


@pytest.mark.parametrize("state", ["prepared", "open", "closed", "published"])
def test_each_steps_button_shows_exactly_when_its_service_accepts(
    client, city_staff, deputy_user, poll, state
):
    """The poll page in every state: a step's button is there exactly when its predicate holds,
    and the service, run through the button's confirmed POST, agrees."""
    _to_state(poll, state, city_staff, deputy_user)
    client.force_login(city_staff)
    page = client.get(reverse("admin:livelihood_poll_change", args=[poll.pk])).content.decode()
    poll.refresh_from_db()
    for name, predicate in (
        ("open", "can_open"),
        ("close", "can_close"),
        ("publish", "can_publish"),
    ):
        shown = f'id="step-{name}-button"' in page
        allowed = getattr(poll, predicate)
        assert shown == allowed, (name, state)
        before = poll.status
        client.post(step(poll, name), CONFIRM)
        poll.refresh_from_db()
        assert (poll.status != before) == allowed, (name, state)
        if allowed:
            break  # the state moved on; the other steps are checked in their own state


def test_the_poll_page_shows_its_history_on_the_shared_timeline(client, city_staff, open_poll):
    client.force_login(city_staff)
    page = client.get(reverse("admin:livelihood_poll_change", args=[open_poll.pk])).content.decode()
    history = page[page.index('id="poll-history"') :]
    assert "准备中 → 投票进行中" in history and "王静" in history
