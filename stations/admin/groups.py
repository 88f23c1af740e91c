"""Professional groups: members matched by expertise, added through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ScopedAdmin
from anping.errors import run_step
from deputies.admin import CountyFilter
from deputies.models import Person
from stations import selectors, services
from stations.models import (
    Activity,
    Group,
    Membership,
)

from .common import (
    FINDER_LIMIT,
    FinderMixin,
    InlineWrites,
    RegionInScope,
    ServiceWrites,
    _person_ids,
    formset_rows,
    record_link,
)


class MembershipInline(InlineWrites, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["person", "joined_on", "duty_record"]
    readonly_fields = ["duty_record"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("duty record"))
    def duty_record(self, obj):
        return record_link(obj.person_id)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Group)
class GroupAdmin(RegionInScope, ServiceWrites, FinderMixin, ScopedAdmin):
    list_display = [
        "name",
        "level",
        "category",
        "field",
        "region",
        "leader",
        "members_n",
        "activities_n",
    ]
    list_filter = ["level", "category", CountyFilter, "is_active"]
    search_fields = ["name", "field"]
    list_select_related = ["region", "leader"]
    autocomplete_fields = ["region", "leader"]
    filter_horizontal = ["expertise"]
    inlines = [MembershipInline]
    change_form_template = "stations/admin/group_change_form.html"

    def get_queryset(self, request):
        # Two counts as correlated subqueries (two joined COUNTs would multiply each other).
        members = (
            Membership.objects.filter(group=OuterRef("pk"))
            .order_by()
            .values("group")
            .annotate(n=Count("id"))
            .values("n")
        )
        start, end = selectors.year_bounds(timezone.localdate().year)
        activities = (
            Activity.objects.filter(group=OuterRef("pk"), date__gte=start, date__lt=end)
            .order_by()
            .values("group")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_n=Coalesce(Subquery(members, output_field=IntegerField()), 0),
                activities_n=Coalesce(Subquery(activities, output_field=IntegerField()), 0),
            )
        )

    @admin.display(description=_("number of members"), ordering="members_n")
    def members_n(self, obj):
        return obj.members_n

    @admin.display(description=_("activities this year"), ordering="activities_n")
    def activities_n(self, obj):
        return obj.activities_n

    def form_check(self, request, obj, data):
        services.group_check(group=obj, by=request.user)

    def save_service(self, *, request, obj, form, change):
        services.group_save(
            group=obj, by=request.user, expertise=form.cleaned_data.get("expertise")
        )

    def delete_service(self, *, request, obj):
        services.group_delete(group=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        """Members join, leave and have their date corrected through the services; a row whose
        deputy was changed is that deputy leaving and the new one joining."""
        group, by = form.instance, request.user
        new, changed, deleted = formset_rows(formset)
        for m in deleted:
            services.group_remove_member(group=group, person=m.person, by=by)
        for m, fields in changed:
            if "person" in fields:
                old = Membership.objects.select_related("person").get(pk=m.pk)
                services.group_remove_member(group=group, person=old.person, by=by)
                new.append(m)
            elif "joined_on" in fields:
                services.membership_set_joined_on(membership=m, joined_on=m.joined_on, by=by)
        for m in new:
            services.group_add_members(
                group=group, persons=[m.person], joined_on=m.joined_on, by=by
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/matches/",
                self.admin_site.admin_view(self.matches_view),
                name="stations_group_matches",
            ),
        ] + super().get_urls()

    def matches_view(self, request, pk):
        """Deputies whose expertise fits the group and who are not in it; add them in one step."""
        group = get_object_or_404(self.get_queryset(request), pk=pk)
        matches = selectors.group_matches(group=group, user=request.user)
        if request.method == "POST":
            ids = list(matches.filter(pk__in=_person_ids(request)).values_list("pk", flat=True))
            ok, added = run_step(
                request,
                services.group_add_members,
                group=group,
                persons=Person.objects.filter(pk__in=ids),
                by=request.user,
            )
            if ok:
                self.message_user(
                    request, gettext("%(n)d deputies added.") % {"n": added}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:stations_group_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": group,
            "title": gettext("Deputies matching %(group)s") % {"group": group.name},
            "found": list(matches[:FINDER_LIMIT]),
            "count": matches.count(),
            "limit": FINDER_LIMIT,
            "expertise": list(group.expertise.all()),
        }
        return TemplateResponse(request, "stations/admin/group_matches.html", context)
