from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.regions.models import Region

from .models import Congress, Expertise, Level, Mandate, MandateChange, Person, Session, Term


class CountyFilter(admin.SimpleListFilter):
    """Filter by county (or city) within the user's scope: a short list however many
    townships there are."""

    title = _("region")
    parameter_name = "region"
    region_field = "region"

    def lookups(self, request, model_admin):
        path = access.staff_region_path(request.user) or ""
        regions = Region.objects.filter(
            kind__in=[Region.Kind.CITY, Region.Kind.COUNTY], path__startswith=path
        )
        return [(r.code, r.name) for r in regions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.region_field}__path__startswith": region.path}).distinct()


class PersonCountyFilter(CountyFilter):
    region_field = "mandates__region"


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ["term", "region", "electoral_unit", "status", "start_date", "end_date", "end_reason"]
    autocomplete_fields = ["term", "region"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("term__congress__region", "region")


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = [
        "name",
        "gender",
        "birth_date",
        "levels",
        "employer_post",
        "phone",
        "expertise_list",
    ]
    list_filter = ["mandates__level", "mandates__status", PersonCountyFilter, "gender", "expertise"]
    search_fields = ["name", "employer_post", "=mobile", "=id_number"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["expertise"]
    inlines = [MandateInline]
    fieldsets = (
        (None, {"fields": ("name", "gender", "ethnicity", "birth_date", "party", "education")}),
        (_("Work"), {"fields": ("employer_post", "sector", "expertise")}),
        (_("Personal data"), {"fields": ("mobile", "id_number", "user")}),
    )

    def get_queryset(self, request):
        # Two prefetches, whatever the page size: the mandates (with their terms) and expertise.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "mandates", queryset=Mandate.objects.only("id", "person_id", "level", "status")
                ),
                "expertise",
            )
        )

    @admin.display(description=_("levels"))
    def levels(self, obj):
        labels = dict(Level.choices)
        return "、".join(
            str(labels[m.level]) for m in obj.mandates.all() if m.status == Mandate.Status.SERVING
        )

    @admin.display(description=_("mobile phone"))
    def phone(self, obj):
        return obj.mobile  # committee staff only reach the admin; they may see it

    @admin.display(description=_("expertise"))
    def expertise_list(self, obj):
        return "、".join(e.name for e in obj.expertise.all())


@admin.register(Mandate)
class MandateAdmin(ScopedAdmin):
    list_display = [
        "person",
        "level",
        "term",
        "region",
        "electoral_unit",
        "status",
        "start_date",
        "end_date",
    ]
    list_filter = ["level", "status", CountyFilter, "person__expertise"]
    search_fields = ["person__name", "electoral_unit"]
    list_select_related = ["person", "term__congress__region", "region"]
    autocomplete_fields = ["person", "term", "region"]
    readonly_fields = ["level"]

    def save_model(self, request, obj, form, change):
        obj.level = obj.term.congress.level
        super().save_model(request, obj, form, change)


@admin.register(Expertise)
class ExpertiseAdmin(ScopedAdmin):
    city_staff_only_writes = True
    search_fields = ["name"]
    list_display = ["name"]


@admin.register(Congress)
class CongressAdmin(ScopedAdmin):
    city_staff_only_writes = True
    list_display = ["__str__", "level", "region"]
    list_filter = ["level"]
    search_fields = ["region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["__str__", "number", "start_date", "end_date"]
    list_filter = ["congress__level"]
    search_fields = ["congress__region__name"]
    list_select_related = ["congress__region"]
    autocomplete_fields = ["congress"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    list_display = ["__str__", "start_date", "end_date"]
    list_filter = ["term__congress__level"]
    search_fields = ["term__congress__region__name"]
    list_select_related = ["term__congress__region"]
    autocomplete_fields = ["term"]


@admin.register(MandateChange)
class MandateChangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["mandate", "from_status", "to_status", "reason", "by", "at"]
    list_select_related = ["mandate__person", "mandate__term__congress__region", "by"]
