from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.models import Expertise, Level

from .models import Activity, Group, Opinion, Station
from .services import opinion_allowed_moves


class DateInput(forms.DateInput):
    """A phone's date picker: <input type="date"> takes and shows ISO dates only."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def regions_in_scope(user):
    """Counties and townships (and the city) the staff user may choose."""
    path = access.staff_region_path(user)
    if path is None:
        return Region.objects.none()
    return Region.objects.filter(
        path__startswith=path,
        kind__in=[Region.Kind.CITY, Region.Kind.COUNTY, Region.Kind.TOWNSHIP],
    ).select_related("parent")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name if obj.kind == Region.Kind.TOWNSHIP else obj.name


class FinderForm(forms.Form):
    """Search deputies by expertise, level, region and group (GET)."""

    expertise = forms.ModelMultipleChoiceField(
        label=_("expertise (any of)"),
        queryset=Expertise.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        label=_("level"), choices=[("", _("any level"))] + Level.choices, required=False
    )
    region = RegionChoiceField(
        label=_("region"), queryset=Region.objects.none(), required=False, empty_label=_("anywhere")
    )
    group = forms.ModelChoiceField(
        label=_("professional group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("any group"),
    )
    name = forms.CharField(label=_("name contains"), required=False, max_length=40)
    include_provincial = forms.BooleanField(
        label=_("also provincial and national deputies from other cities"), required=False
    )

    def __init__(self, *args, user, allow_provincial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(user)
        self.fields["group"].queryset = Group.objects.visible_to(user)
        if not allow_provincial:
            del self.fields["include_provincial"]

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {
            "expertise": list(data.get("expertise") or []),
            "level": data.get("level") or "",
            "region": data.get("region"),
            "group": data.get("group"),
            "name": data.get("name") or "",
            "include_provincial": bool(data.get("include_provincial")),
        }

    def has_criteria(self) -> bool:
        c = self.criteria()
        return any(
            [
                c["expertise"],
                c["level"],
                c["region"],
                c["group"],
                c["name"],
                c["include_provincial"],
            ]
        )


class StationingForm(forms.Form):
    start_date = forms.DateField(label=_("from"), widget=DateInput())
    end_date = forms.DateField(label=_("until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class OutcomeForm(forms.Form):
    """Move an opinion to its next outcome."""

    to = forms.ChoiceField(label=_("new outcome"), widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(
        label=_("forwarded to (department)"),
        queryset=Organisation.objects.handling_units(),
        required=False,
    )
    reason = forms.CharField(
        label=_("why / what was done"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, opinion: Opinion, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Opinion.Status.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in opinion_allowed_moves(opinion, by)]


class OpinionForm(forms.ModelForm):
    """A deputy records an opinion they took (the portal)."""

    class Meta:
        model = Opinion
        fields = [
            "received_on",
            "channel",
            "topic",
            "summary",
            "details",
            "constituent",
            "region",
            "station",
            "activity",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "details": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionChoiceField(
            label=_("region"),
            queryset=Region.objects.filter(
                kind__in=[Region.Kind.CITY, Region.Kind.COUNTY, Region.Kind.TOWNSHIP]
            )
            .select_related("parent")
            .order_by("path"),
        )
        # Only a station the deputy serves (the service checks it too).
        self.fields["station"].queryset = (
            Station.objects.visible_to(user).filter(is_active=True).order_by("name")
        )
        # The deputy's own activities of the last year: those an opinion usually comes from.
        since = timezone.localdate().replace(day=1, month=1)
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user)
            .filter(date__gte=since.replace(year=since.year - 1))
            .order_by("-date")
        )
        self.fields["activity"].required = False
        self.initial.setdefault("received_on", timezone.localdate())


class GroupActivityForm(forms.Form):
    """A group leader records an activity of their group (the portal)."""

    group = forms.ModelChoiceField(label=_("group"), queryset=Group.objects.none())
    kind = forms.ChoiceField(label=_("type"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    date = forms.DateField(label=_("date"), widget=DateInput())
    location = forms.CharField(label=_("place"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("what came of it"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.initial.setdefault("date", timezone.localdate())
