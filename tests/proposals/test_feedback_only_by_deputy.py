"""被满意: feedback comes from the deputy alone. No staff screen enters or changes it, and the
service refuses everyone else."""

import pytest
from django.contrib import admin
from django.urls import reverse

from anping.errors import DomainError
from proposals import services
from proposals.models import Feedback, Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


def test_no_admin_page_can_add_or_change_feedback(
    client, deputy_user, city_staff, unit_staff, admin_user
):
    s = f.answered(deputy_user, city_staff, unit_staff)
    fb = services.feedback_give(suggestion=s, by=deputy_user, verdict="satisfied")
    for user in (city_staff, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:proposals_feedback_add")).status_code == 403
        page = client.get(reverse("admin:proposals_feedback_change", args=[fb.pk]))
        assert page.status_code == 200
        assert 'name="verdict"' not in page.content.decode()  # shown, not a form field
        client.post(
            reverse("admin:proposals_feedback_change", args=[fb.pk]), {"verdict": "not_satisfied"}
        )
        assert Feedback.objects.get(pk=fb.pk).verdict == "satisfied"
        # The suggestion's page is read-only too: no field of it takes feedback.
        page = client.get(
            reverse("admin:proposals_suggestion_change", args=[s.pk])
        ).content.decode()
        assert 'name="verdict"' not in page and 'name="feedback' not in page


def test_every_admin_of_the_app_is_read_only_for_feedback():
    model_admin = admin.site._registry[Feedback]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    for registered in admin.site._registry.values():
        for inline in getattr(registered, "inlines", []):
            assert inline.model is not Feedback


def test_staff_and_units_cannot_give_feedback_through_the_service(
    deputy_user, city_staff, unit_staff, admin_user
):
    s = f.answered(deputy_user, city_staff, unit_staff)
    for user in (city_staff, unit_staff, admin_user):
        with pytest.raises(DomainError, match="代表本人"):
            services.feedback_give(suggestion=s, by=user, verdict="satisfied")
    assert not Feedback.objects.exists()


def test_feedback_is_given_once_and_never_changed(client, deputy_user, city_staff, unit_staff):
    s = f.answered(deputy_user, city_staff, unit_staff)
    client.force_login(deputy_user)
    url = reverse("proposals:feedback", args=[s.pk])
    client.post(url, {"verdict": "basic", "comment": "基本解决"})
    client.post(url, {"verdict": "satisfied", "comment": "改成满意"})
    assert list(Feedback.objects.values_list("verdict", flat=True)) == ["basic"]
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.CLOSED


def test_staff_cannot_post_to_the_deputys_feedback_url(client, deputy_user, city_staff, unit_staff):
    s = f.answered(deputy_user, city_staff, unit_staff)
    client.force_login(city_staff)
    response = client.post(reverse("proposals:feedback", args=[s.pk]), {"verdict": "satisfied"})
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_not_satisfied_needs_a_reason(deputy_user, city_staff, unit_staff):
    s = f.answered(deputy_user, city_staff, unit_staff)
    with pytest.raises(DomainError, match="理由"):
        services.feedback_give(suggestion=s, by=deputy_user, verdict="not_satisfied")
